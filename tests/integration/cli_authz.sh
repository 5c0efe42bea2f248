#!/usr/bin/env bash
# Issue 21 part 4 from the CLI: who may do what (授权清单). The matrix per department and item kind
# (authz list | grant | clear), a chief representative's department (user set --department), the
# window deciding an immediate item on the spot once its department gave it decide and hold_seal
# (马上办), the staff list for filing (authz staff, 备案), and 事进人不进: a remote department is
# called at acceptance and the call waits in the remote-calls queue until its chief representative
# acts; with the training platform (the second argument), the department takes an immediate case up
# and decides it from there (the simulator's back office plays it), and the call is answered by the
# platform. Exit codes: 0 done, 1 refused or invalid, 2 usage.
set -uo pipefail
cli=$1 sim=${2:-}
tmp=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; [[ -n ${KEEP_TMP:-} ]] || rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails+1)); }
S=$tmp/store
for u in admin clerk chief other; do printf '%s password 1\n' "$u" >"$tmp/$u.pw"; done
K=(--kdf-ops 1 --kdf-mem-mib 8)
as() { local u=$1; shift; "$cli" "$@" --store "$S" --password-file "$tmp/$u.pw" --user "$u"; }
rc_of() { "$@" >"$tmp/last.out" 2>"$tmp/last.err"; echo $?; }
field() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))$2)" "$1"; }
item=370102-SC-0001-001   # 个体工商户设立登记: immediate, 区市场监督管理局
dept=区市场监督管理局

"$cli" store init --store "$S" --user admin --role admin --password-file "$tmp/admin.pw" "${K[@]}" >/dev/null || fail "store init"
as admin user add --new-user clerk --role clerk --new-password-file "$tmp/clerk.pw" "${K[@]}" >/dev/null || fail "user add clerk"
as admin user add --new-user chief --role chief --post A --display-name 张首席 --new-password-file "$tmp/chief.pw" "${K[@]}" >/dev/null || fail "user add chief"
as admin user add --new-user other --role chief --post A --new-password-file "$tmp/other.pw" "${K[@]}" >/dev/null || fail "user add other"
"$cli" seal demo --org 济南市历下区行政审批服务局 -o "$tmp/seal" >/dev/null || fail "seal demo"
for h in "--post A" "--user clerk"; do
  # shellcheck disable=SC2086
  "$cli" seal assign --store "$S" --password-file "$tmp/admin.pw" --as admin $h --p12 "$tmp/seal/seal.p12" --pin-file "$tmp/seal/seal.pin" \
    --image "$tmp/seal/seal.png" >/dev/null || fail "seal assign $h"
done

# ---- the matrix ----
[[ $(rc_of as clerk authz list --json) == 0 ]] || fail "authz list: $(cat "$tmp/last.err")"
python3 - "$tmp/last.out" <<'PY' || fail "authz list --json: no grants, the built-in default"
import json, sys
d = json.load(open(sys.argv[1]))
assert d['grants'] == [] and d['departments'] == [], d
assert d['builtin'] == {'accept': 'window', 'decide': 'chief', 'countersign': 'chief', 'escalate': 'chief',
                        'collect_fee': 'window,chief', 'hold_seal': 'chief'}, d
PY
[[ $(rc_of as clerk authz grant --power accept --grantees none) == 1 ]] || fail "a clerk changing the matrix: refused (1)"
[[ $(rc_of as admin authz grant --power approve --grantees window) == 2 ]] || fail "an unknown power: usage (2)"
[[ $(rc_of as admin authz grant --power accept --grantees everyone) == 2 ]] || fail "unknown grantees: usage (2)"
[[ $(rc_of as admin authz grant --power decide --kind soon --grantees chief) == 2 ]] || fail "an unknown kind: usage (2)"
[[ $(rc_of as admin authz grant --department 无此部门 --power decide --grantees chief) == 1 ]] || fail "a department not in the catalogue (1)"
[[ $(rc_of as admin authz grant --department $dept --kind promised --power decide --grantees window) == 1 ]] \
  || fail "the window decides only immediate items (1)"
[[ $(rc_of as admin authz grant --department $dept --power countersign --grantees window,chief) == 1 ]] || fail "the window never countersigns (1)"

# ---- accept: none, then back ----
new_ready() {
  local id
  id=$(as clerk case new --item $item --json | python3 -c "import json,sys; print(json.load(sys.stdin)['id'])")
  as clerk case applicant "$id" --id-number 11010519491231002X --name 李红 --phone 13800138000 >/dev/null 2>&1 || fail "case applicant"
  printf '%s' '{"operator_name":"李红","operator_id":"11010519491231002X","operator_phone":"13800138000","organisation":"individual","business_name":"李红小吃店","business_scope":"小吃服务","premises":{"region":"370102","detail":"经十路2号"},"capital_fen":5000000,"employees":2,"agent_present":false}' >"$tmp/answers.json"
  as clerk case answer "$id" "$tmp/answers.json" >/dev/null || fail "case answer"
  for m in application operator_id premises; do as clerk case material "$id" $m --status original >/dev/null || fail "material $m"; done
  echo "$id"
}
as admin authz grant --department $dept --kind immediate --power accept --grantees none >/dev/null || fail "grant accept none"
C1=$(new_ready)
[[ $(rc_of as clerk case accept "$C1") == 1 ]] && grep -q "not authorised the comprehensive window to accept" "$tmp/last.err" \
  || fail "the department took acceptance from the window: refused (1): $(cat "$tmp/last.err")"
[[ $(rc_of as admin authz clear --department $dept --kind immediate --power accept) == 0 ]] || fail "authz clear"
[[ $(rc_of as admin authz clear --department $dept --kind immediate --power accept) == 1 ]] || fail "clearing nothing: 1"
[[ $(rc_of as clerk case accept "$C1") == 0 ]] || fail "accepted again by default: $(cat "$tmp/last.err")"

# ---- a chief decides for their own department ----
[[ $(rc_of as admin user set --name clerk --department $dept) == 1 ]] || fail "a clerk represents no department (1)"
[[ $(rc_of as admin user set --name other --department 区医疗保障局) == 0 ]] || fail "user set --department: $(cat "$tmp/last.err")"
[[ $(as admin user list --json | python3 -c "import json,sys; print({u['name']: u['department'] for u in json.load(sys.stdin)}['other'])") == 区医疗保障局 ]] \
  || fail "user list --json names the department"
[[ $(rc_of as other case decide "$C1" --decision approve --opinion 同意) == 1 ]] && grep -q "represents 区医疗保障局" "$tmp/last.err" \
  || fail "another department's chief: refused (1): $(cat "$tmp/last.err")"

# ---- 马上办: the window decides once the department lets it ----
[[ $(rc_of as clerk case decide "$C1" --decision approve --opinion 同意) == 1 ]] || fail "the window without a grant: refused (1)"
as admin authz grant --department $dept --kind immediate --power decide --grantees window,chief >/dev/null || fail "grant decide"
as admin authz grant --department $dept --kind immediate --power hold_seal --grantees window,chief >/dev/null || fail "grant hold_seal"
[[ $(rc_of as clerk case decide "$C1" --decision approve --opinion 符合条件 --json) == 0 ]] || fail "the window decides: $(cat "$tmp/last.err")"
[[ $(field "$tmp/last.out" "['state']") == approved ]] || fail "approved at the window"
as clerk case show "$C1" --json >"$tmp/c1.json"
python3 - "$tmp/c1.json" <<'PY' || fail "the decision is the clerk's, under the window's authority"
import json, sys
c = json.load(open(sys.argv[1]))
c = c.get('case', c)
assert c['decision']['by']['role'] == 'clerk', c['decision']
h = [e for e in c['history'] if e['action'] == 'approve'][0]
assert h['data']['authority'] == 'window', h
PY
as admin audit list --action authorisation.granted | grep -c hold_seal | grep -q 1 || fail "the grants are audited"

# ---- the staff list for filing ----
[[ $(rc_of as admin authz staff --json) == 0 ]] || fail "authz staff: $(cat "$tmp/last.err")"
python3 - "$tmp/last.out" "$dept" <<'PY' || fail "authz staff --json: clerks and chiefs with their powers"
import json, sys
d, dept = json.load(open(sys.argv[1])), sys.argv[2]
staff = {m['name']: m for m in d['staff']}
assert set(staff) == {'clerk', 'chief', 'other'}, staff.keys()   # no administrator
assert dept in d['departments'] and len(d['departments']) > 5, d['departments']
clerk = {(p['department'], p['kind']): p['powers'] for p in staff['clerk']['powers']}
assert clerk[(dept, 'immediate')] == ['accept', 'decide', 'collect_fee', 'hold_seal'], clerk[(dept, 'immediate')]
assert clerk[(dept, 'promised')] == ['accept', 'collect_fee'], clerk
other = staff['other']
assert other['department'] == '区医疗保障局' and {p['department'] for p in other['powers']} == {'区医疗保障局'}, other
chief = {p['department'] for p in staff['chief']['powers']}
assert chief == set(d['departments']), chief   # no department: every department
PY
as admin authz staff --csv >"$tmp/staff.csv" || fail "authz staff --csv"
head -1 "$tmp/staff.csv" | grep -qx "name,display_name,role,post,department,absent,for_department,kind,powers" || fail "the CSV header"
grep -q "^chief,张首席,chief,A,,false,$dept,immediate,decide;countersign;escalate;collect_fee;hold_seal$" "$tmp/staff.csv" \
  || fail "the chief's CSV line: $(grep "^chief,.*$dept,immediate" "$tmp/staff.csv")"

# ---- 事进人不进 ----
[[ $(rc_of as admin authz department --department $dept --remote --answer-minutes 0) == 1 ]] || fail "0 minutes: invalid (1)"
[[ $(rc_of as admin authz department --department $dept) == 2 ]] || fail "neither --remote nor --stationed: usage (2)"
[[ $(rc_of as admin authz department --department $dept --remote --contact "王局长 0531-12345678") == 0 ]] || fail "authz department: $(cat "$tmp/last.err")"
C2=$(new_ready)
[[ $(rc_of as clerk case accept "$C2" --json) == 0 ]] || fail "accept C2: $(cat "$tmp/last.err")"
[[ $(rc_of as clerk case queue remote-calls --json) == 0 ]] || fail "queue remote-calls: $(cat "$tmp/last.err")"
python3 - "$tmp/last.out" "$C2" "$dept" <<'PY' || fail "the call waits in the remote-calls queue, due in 60 minutes"
import json, sys, datetime
d, cid, dept = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
assert d['count'] == 1 and d['cases'][0]['id'] == cid, d
row = d['cases'][0]
assert row['call_department'] == dept and row['call_overdue'] is False, row
due = datetime.datetime.fromisoformat(row['call_due'].replace('Z', '+00:00'))
left = (due - datetime.datetime.now(datetime.timezone.utc)).total_seconds()
assert 55 * 60 < left <= 60 * 60, left
PY
as clerk case submit "$C2" >/dev/null 2>&1   # the window's act does not answer the call
[[ $(as clerk case queue remote-calls --json | python3 -c "import json,sys; print(json.load(sys.stdin)['count'])") == 1 ]] \
  || fail "the window's act leaves the call waiting"
as chief case decide "$C2" --decision approve --opinion 同意 >/dev/null || fail "the department's chief decides C2"
[[ $(as clerk case queue remote-calls --json | python3 -c "import json,sys; print(json.load(sys.stdin)['count'])") == 0 ]] \
  || fail "answered: out of the queue"
as clerk case show "$C2" --json | python3 -c "
import json,sys
c = json.load(sys.stdin); c = c.get('case', c)
rc = c['remote_call']
assert rc['answered_by']['user_id'] == 'chief' and rc['contact'] == '王局长 0531-12345678', rc" || fail "the call answered by the chief"
as admin authz list --json | python3 -c "
import json,sys
d = json.load(sys.stdin)
assert d['departments'][0]['remote'] is True and d['departments'][0]['answer_minutes'] == 60, d" || fail "authz list names the remote department"

# ---- 事进人不进 through the platform: the department decides the immediate case from there ----
if [[ -n $sim ]]; then
  "$sim" enroll --db "$tmp/sim.db" --terminal authz-test >"$tmp/cred.json" || fail "sim enroll"
  "$sim" serve --db "$tmp/sim.db" --listen 127.0.0.1:0 --port-file "$tmp/port" --quiet --decide-after-s 1 >>"$tmp/sim.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 400); do [[ -s $tmp/port ]] && break; sleep 0.05; done
  as admin platform connect --url "http://127.0.0.1:$(cat "$tmp/port")" --credentials "$tmp/cred.json" >/dev/null || fail "platform connect"
  C3=$(new_ready)
  as clerk case accept "$C3" >/dev/null 2>&1 || fail "accept C3"
  st=""
  for _ in $(seq 60); do
    as admin sync --once >/dev/null 2>"$tmp/sync.err" || fail "sync --once: $(cat "$tmp/sync.err")"
    st=$(as clerk case show "$C3" --json | python3 -c "
import json,sys
c = json.load(sys.stdin); c = c.get('case', c)
rc = c.get('remote_call') or {}
print(c['state'], (rc.get('answered_by') or {}).get('role', '-'))")
    # The back office decides by the case id: approved, denied or sent back for correction.
    [[ $st =~ ^(approved|denied|correction_requested)\ platform$ ]] && break
    sleep 0.5
  done
  [[ $st =~ ^(approved|denied|correction_requested)\ platform$ ]] || fail "the remote department took the case up and decided it through the platform (got: $st): $(tail -3 "$tmp/sim.log")"
  [[ $(as clerk case queue remote-calls --json | python3 -c "import json,sys; print(json.load(sys.stdin)['count'])") == 0 ]] \
    || fail "answered through the platform: out of the remote-calls queue"
fi

[[ $fails == 0 ]] && echo "cli_authz: all passed" || { echo "cli_authz: $fails failed"; exit 1; }
