#!/usr/bin/env bash
# Secrets and the platform connection (issue 14): no core dumps of the CLI or the plugin helper,
# only administrators change the platform settings (audited, with `audit list`), no password in
# `platform show`, the enrolment code / ID number / search query never on argv, secret files made
# 0600 without following links, and a platform clock more than a day off is refused (simulator
# --clock-skew-s). Real processes: the CLI, the simulator, the plugin helper.
set -uo pipefail
cli=$(realpath "$1") sim=$(realpath "$2")
tmp=$(mktemp -d); pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails+1)); }
start_sim() {  # start_sim ARGS… : serves $tmp/sim.db on a free port; sets $url
  rm -f "$tmp/port"
  "$sim" serve --db "$tmp/sim.db" --listen 127.0.0.1:0 --port-file "$tmp/port" --quiet "$@" >>"$tmp/sim.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 400); do [[ -s $tmp/port ]] && break; sleep 0.05; done
  url=http://127.0.0.1:$(cat "$tmp/port")
}
stop_sim() { kill "${pids[-1]}" 2>/dev/null; wait "${pids[-1]}" 2>/dev/null; }
K=(--kdf-ops 1 --kdf-mem-mib 8)

# ---- 1. Core dumps are off in the CLI (and it is not dumpable) and in the plugin helper.
valid_id=$(python3 -c "
s='11010519491231002'; W=[7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2]
print(s+'10X98765432'[sum(int(c)*w for c,w in zip(s,W))%11])")
mkdir -p "$tmp/cores" && chmod 777 "$tmp/cores" "$tmp"
mkfifo "$tmp/fifo" && chmod 666 "$tmp/fifo"
# The CLI, run as nobody, blocks opening the FIFO: $! is the CLI itself (exec).
( cd "$tmp/cores" && ulimit -c unlimited && exec setpriv --reuid 65534 --regid 65534 --clear-groups "$cli" validate id --file "$tmp/fifo" ) >/dev/null 2>&1 &
cpid=$!
for _ in $(seq 100); do [[ $(readlink "/proc/$cpid/exe" 2>/dev/null) == *onewindow-cli ]] && break; sleep 0.05; done
if [[ $(readlink "/proc/$cpid/exe" 2>/dev/null) != *onewindow-cli ]]; then fail "the CLI did not start"; else
  sleep 0.3
  grep -Eq '^Max core file size +0 +0 ' "/proc/$cpid/limits" || fail "the CLI keeps a core size limit: $(grep core "/proc/$cpid/limits")"
  # A process that is not dumpable has its /proc files owned by root, whoever runs it.
  [[ $(stat -c %U "/proc/$cpid/status") == root ]] || fail "the CLI (run as nobody) is dumpable: /proc/$cpid owned by $(stat -c %U "/proc/$cpid/status")"
  kill -ABRT "$cpid"; wait "$cpid" 2>/dev/null; sleep 0.3
  compgen -G "$tmp/cores/core*" >/dev/null && fail "SIGABRT left a core file of the CLI: $(ls "$tmp/cores")"
fi
if [[ $(cat /proc/sys/kernel/core_pattern) != \|* ]]; then
  ( cd "$tmp/cores" && ulimit -c unlimited && "$cli" plugins call faulty crash ) >/dev/null 2>&1
  compgen -G "$tmp/cores/core*" >/dev/null && fail "a crashing plugin left a core file: $(ls "$tmp/cores")"
fi

# ---- 2. Only administrators change the platform settings; the changes are audited.
S=$tmp/store; printf 'admin password 1\n' >"$tmp/apw"; printf 'clerk password 1\n' >"$tmp/cpw"
A=(--store "$S" --password-file "$tmp/apw" --user admin); C=(--store "$S" --password-file "$tmp/cpw" --user clerk1)
"$cli" store init --store "$S" --user admin --role admin --password-file "$tmp/apw" "${K[@]}" >/dev/null || fail "store init"
"$cli" store add-user "${A[@]}" --new-user clerk1 --role clerk --new-password-file "$tmp/cpw" "${K[@]}" >/dev/null || fail "add clerk"
"$cli" demo seed "${A[@]}" --cases 12 --seed 5 >/dev/null || fail "demo seed"
"$sim" enroll --db "$tmp/sim.db" --terminal secrets-test >"$tmp/cred.json" || fail "sim enroll"
start_sim
"$cli" platform connect "${C[@]}" --url "$url" --credentials "$tmp/cred.json" >/dev/null 2>"$tmp/err"; rc=$?
[[ $rc == 1 ]] && grep -q 'only an administrator' "$tmp/err" || fail "a clerk's platform connect must be refused with exit 1 (got $rc): $(cat "$tmp/err")"
"$cli" platform show "${A[@]}" >/dev/null 2>&1 && fail "the clerk's refused connect saved something"
"$sim" enrol-code --db "$tmp/sim.db" >"$tmp/code"
"$cli" platform enrol "${C[@]}" --url "$url" --code-file "$tmp/code" >/dev/null 2>"$tmp/err"; rc=$?
[[ $rc == 1 ]] && grep -q 'only an administrator' "$tmp/err" || fail "a clerk's platform enrol must be refused with exit 1 (got $rc): $(cat "$tmp/err")"
"$cli" platform connect "${A[@]}" --url "$url" --credentials "$tmp/cred.json" >/dev/null 2>"$tmp/err" || fail "admin connect: $(cat "$tmp/err")"

# ---- 3. The proxy's password is not shown or audited.
"$cli" platform connect "${A[@]}" --url "$url" --credentials "$tmp/cred.json" --offline \
  --proxy 'http://proxyuser:Pr0xy-S3cret@127.0.0.1:3128' >/dev/null 2>"$tmp/err" || fail "connect with a proxy: $(cat "$tmp/err")"
"$cli" platform show "${A[@]}" >"$tmp/show.json" || fail "platform show"
grep -q 'Pr0xy-S3cret' "$tmp/show.json" && fail "platform show prints the proxy password: $(cat "$tmp/show.json")"
grep -q '"proxy": "http://proxyuser:\*\*\*@127.0.0.1:3128"' "$tmp/show.json" || fail "platform show: want the proxy with *** for its password: $(cat "$tmp/show.json")"
"$cli" platform connect "${A[@]}" --url "$url" --credentials "$tmp/cred.json" >/dev/null || fail "reconnect without the proxy"
"$cli" audit list "${A[@]}" --action platform. >"$tmp/audit.jsonl" || fail "audit list --action platform."
grep -q 'Pr0xy-S3cret' "$tmp/audit.jsonl" && fail "the audit trail holds the proxy password"
grep -q "$(python3 -c "import json; print(json.load(open('$tmp/cred.json'))['secret'])")" "$tmp/audit.jsonl" && fail "the audit trail holds the terminal secret"
python3 - "$tmp/audit.jsonl" <<'PY' || fail "audit entries of the platform changes: $(cat "$tmp/audit.jsonl")"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert [r['action'] for r in rows] == ['platform.connect'] * 3, rows
assert all(r['user'] == 'admin' for r in rows), rows
assert rows[1]['detail']['changed'] == ['proxy'] and rows[1]['detail']['config']['proxy'].endswith(':***@127.0.0.1:3128'), rows[1]
assert rows[2]['detail']['changed'] == ['proxy'] and rows[2]['detail']['config']['proxy'] == '', rows[2]
PY
"$cli" audit verify "${A[@]}" >/dev/null || fail "audit verify after the audited changes"

# ---- 4. The enrolment code never on argv; the credentials file is 0600 and not written through a link.
"$cli" platform enrol "${A[@]}" --url "$url" --code ABCD-EFGH-JKMN-PQRS >/dev/null 2>"$tmp/err"; rc=$?
[[ $rc == 2 ]] && grep -q -- '--code-file' "$tmp/err" || fail "--code on argv must be refused with exit 2 naming --code-file (got $rc): $(cat "$tmp/err")"
"$sim" enrol-code --db "$tmp/sim.db" >"$tmp/code"
ln -s "$tmp/elsewhere.json" "$tmp/link.json"
"$cli" platform enrol "${A[@]}" --url "$url" --code-file - --credentials-out "$tmp/link.json" <"$tmp/code" >/dev/null 2>"$tmp/err"; rc=$?
[[ $rc == 1 ]] && grep -q 'symbolic link' "$tmp/err" || fail "--credentials-out onto a symlink must be refused (got $rc): $(cat "$tmp/err")"
[[ -e $tmp/elsewhere.json ]] && fail "the credentials were written through the symlink"
"$sim" enrol-code --db "$tmp/sim.db" >"$tmp/code"
(umask 022; "$cli" platform enrol --store "$S" --password-file "$tmp/apw" --user admin --url "$url" --code-file "$tmp/code" \
  --credentials-out "$tmp/new-cred.json" >"$tmp/enrol.json" 2>"$tmp/err") || fail "enrol with --code-file: $(cat "$tmp/err")"
[[ $(stat -c %a "$tmp/new-cred.json" 2>/dev/null) == 600 ]] || fail "the credentials file must be 0600 (is $(stat -c %a "$tmp/new-cred.json" 2>/dev/null))"
compgen -G "$tmp/new-cred.json.tmp-*" >/dev/null && fail "a temporary credentials file was left behind"
"$cli" audit list "${A[@]}" --action platform.enrol >/dev/null || fail "the enrolment is audited"

# ---- 5. An ID number and a search query from a file or stdin.
printf '%s\n' "$valid_id" >"$tmp/id"
"$cli" validate id --file "$tmp/id" | grep -q "^valid $valid_id" || fail "validate id --file F"
printf '%s\n' "${valid_id:0:17}0" | "$cli" validate id --file - >/dev/null; [[ $? == 1 ]] || fail "validate id --file - with a wrong check digit should exit 1"
"$cli" validate id --file "$tmp/missing" >/dev/null 2>&1; [[ $? == 1 ]] || fail "validate id --file with a missing file should exit 1"
q=
for name in 王 李 张 刘 陈 杨; do "$cli" case search "${A[@]}" --limit 1 "$name" >"$tmp/h1" 2>/dev/null && { q=$name; break; }; done
[[ -n $q ]] || fail "case search QUERY found none of the common surnames"
printf '%s\n' "$q" >"$tmp/q"
"$cli" case search "${A[@]}" --limit 1 --query-file "$tmp/q" >"$tmp/h2" || fail "case search --query-file F"
cmp -s "$tmp/h1" "$tmp/h2" || fail "case search --query-file finds what the positional query finds"
printf '%s\n' "$q" | "$cli" case search "${A[@]}" --limit 1 --query-file - >"$tmp/h3" && cmp -s "$tmp/h1" "$tmp/h3" || fail "case search --query-file -"

# ---- 6. A platform clock more than a day off is refused, not stored, and shown as a problem.
reconnect() { "$cli" platform connect "${A[@]}" --url "$url" --credentials "$tmp/cred.json" --offline >/dev/null || fail "reconnect to $url"; }
stop_sim
start_sim --clock-skew-s 172800; reconnect
"$cli" sync "${A[@]}" --once >/dev/null 2>"$tmp/err"; rc=$?
[[ $rc == 2 ]] && grep -q 'platform.clock_offset' "$tmp/err" && grep -q '2 days ahead' "$tmp/err" \
  || fail "sync against a platform 2 days ahead must stop with exit 2 and platform.clock_offset (got $rc): $(cat "$tmp/err")"
"$cli" sync status "${A[@]}" | python3 -c "
import json,sys; o=json.load(sys.stdin)
assert o['clock_offset_s'] == 0 and o['last_error']['code'] == 'platform.clock_offset' and o['problems_open'] == 1, o" \
  || fail "the offset must not be stored; the status names the error and one problem"
"$cli" sync "${A[@]}" --once >/dev/null 2>&1
[[ $("$cli" sync issues "${A[@]}" --kind problem | grep -c platform.clock_offset) == 1 ]] || fail "one problem record, not one per pass"
issue=$("$cli" sync issues "${A[@]}" --kind problem | python3 -c "import json,sys; print(json.loads(sys.stdin.readline())['id'])")
"$cli" sync resolve "${A[@]}" --issue "$issue" --note "platform clock reported to the province" >/dev/null || fail "sync resolve"
"$cli" audit list "${A[@]}" --action sync.resolve | python3 -c "
import json,sys; o=json.loads(sys.stdin.readline())
assert o['user'] == 'admin' and o['detail']['code'] == 'platform.clock_offset' and o['detail']['issue'] == $issue, o" || fail "sync resolve is audited"
stop_sim
start_sim --clock-skew-s 3600; reconnect
"$cli" sync "${A[@]}" --once >/dev/null 2>"$tmp/err" || fail "sync against a platform an hour ahead: $(cat "$tmp/err")"
"$cli" sync status "${A[@]}" | python3 -c "
import json,sys; o=json.load(sys.stdin); assert 3590 <= o['clock_offset_s'] <= 3610, o" || fail "an offset of an hour is adopted"

# ---- 7. The other secret files our tools write: demo seal keys and PINs, the simulator's TLS keys.
(umask 022; "$cli" seal demo --org 测试市行政审批局 -o "$tmp/demo" >/dev/null 2>"$tmp/err") || fail "seal demo: $(cat "$tmp/err")"
for f in seal.p12 seal.pin; do [[ $(stat -c %a "$tmp/demo/$f") == 600 ]] || fail "seal demo: $f must be 0600 (is $(stat -c %a "$tmp/demo/$f"))"; done
mkdir "$tmp/demo2" && ln -s "$tmp/stolen.pin" "$tmp/demo2/seal.pin"
"$cli" seal demo --org 测试市行政审批局 -o "$tmp/demo2" >/dev/null 2>"$tmp/err" && fail "seal demo wrote through a symlinked seal.pin"
[[ -e $tmp/stolen.pin ]] && fail "seal demo: the PIN went through the symlink"
(umask 022; "$sim" make-certs --dir "$tmp/certs" >/dev/null 2>"$tmp/err") || fail "sim make-certs: $(cat "$tmp/err")"
for k in "$tmp"/certs/*.key; do [[ $(stat -c %a "$k") == 600 ]] || fail "make-certs: $k must be 0600 (is $(stat -c %a "$k"))"; done
compgen -G "$tmp/certs/*.key" >/dev/null || fail "make-certs wrote no key"
mkdir "$tmp/certs2" && ln -s "$tmp/stolen.key" "$tmp/certs2/ca.key"
"$sim" make-certs --dir "$tmp/certs2" >/dev/null 2>&1 && fail "make-certs must refuse a key path that is a symlink"
[[ -e $tmp/stolen.key ]] && fail "make-certs: the key went through the symlink"

if (( fails )); then echo "$fails failure(s)"; exit 1; fi
echo "cli_secrets: all checks passed"
