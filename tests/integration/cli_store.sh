#!/usr/bin/env bash
# The store's CLI contracts: init prints the recovery key once; passwords only from a file or
# stdin; exit codes 0 ok / 1 no (wrong password, damaged) / 2 usage; JSON lines from case search.
set -uo pipefail
cli=$1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails+1)); }
S=$tmp/store; printf 'window password 1\n' >"$tmp/pw"; printf 'wrong password\n' >"$tmp/bad"; printf 'new password 22\n' >"$tmp/new"
P=(--password-file "$tmp/pw")
K=(--kdf-ops 1 --kdf-mem-mib 8)

out=$("$cli" store init --store "$S" --user clerk --role clerk "${P[@]}" "${K[@]}") || fail "store init"
recovery=$(tail -1 <<<"$out")
[[ $recovery =~ ^[0-9A-Z]{4}(-[0-9A-Z]{1,4})+$ ]] || fail "init did not print a recovery key: $out"
"$cli" store init --store "$S" --user clerk --role clerk "${P[@]}" >/dev/null 2>&1 && fail "init over an existing store"
"$cli" store init --store "$tmp/x" --user u --role boss "${P[@]}" >/dev/null 2>&1; [[ $? == 2 ]] || fail "a bad role is a usage error"
"$cli" store init --store "$tmp/y" --user u --role clerk --password "x" >/dev/null 2>&1; [[ $? == 2 ]] || fail "--password on argv must not exist"

"$cli" demo seed --store "$S" "${P[@]}" --cases 40 --scans 4 --seed 7 >"$tmp/seed.json" || fail "demo seed"
python3 -c "import json,sys; o=json.load(open('$tmp/seed.json')); assert o['cases']==40 and o['scans']==4" || fail "seed report"
keys_before=$(sha256sum "$S/keys.json")
"$cli" case search --store "$S" --password-file "$tmp/bad" 王 >/dev/null 2>"$tmp/err"; rc=$?
[[ $rc == 1 ]] || fail "wrong password should exit 1 (got $rc)"
grep -qi 'wrong password' "$tmp/err" || fail "wrong password message: $(cat "$tmp/err")"
[[ $(wc -l <"$tmp/err") == 1 ]] || fail "a wrong password prints one line, nothing from SQLCipher: $(cat "$tmp/err")"
[[ $(sha256sum "$S/keys.json") == "$keys_before" ]] || fail "a failed unlock changed keys.json"
# password from stdin
"$cli" store stats --store "$S" <"$tmp/pw" >"$tmp/stats.json" || fail "password from stdin"
python3 - "$tmp/stats.json" <<'PY' || fail "store stats JSON"
import json, sys
o = json.load(open(sys.argv[1]))
assert o['cases'] == 40 and o['blobs'] == 4 and o['blobs_pending_upload'] == 4
# audit entries: one per outbox row, one per case (a draft's creation is audited; it is queued with
# its applicant as one snapshot) and the wrong password above ("user.sign_in_failures")
assert o['outbox_pending'] > 40 and o['audit_entries'] == o['outbox_pending'] + 40 + 1 and o['cipher_version'].startswith('4')
PY
name=$("$cli" case search --store "$S" "${P[@]}" 王 2>/dev/null | head -1 | python3 -c "import json,sys; print(json.loads(sys.stdin.readline())['applicant_name'])" 2>/dev/null)
[[ -n $name ]] || name=$("$cli" case search --store "$S" "${P[@]}" 李 | head -1 | python3 -c "import json,sys; print(json.loads(sys.stdin.readline())['applicant_name'])")
[[ -n $name ]] || fail "case search found no 王 or 李"
"$cli" case search --store "$S" "${P[@]}" "$name" | python3 -c "
import json, sys, re
rows = [json.loads(l) for l in sys.stdin]
assert rows and all(r['applicant_name'].startswith('$name') and re.fullmatch(r'\d{17}[\dX]', r['id_number']) for r in rows)
id = rows[0]['id']; print(id)" >"$tmp/id" || fail "case search JSON lines"
"$cli" case show --store "$S" "${P[@]}" "$(cat "$tmp/id")" | python3 -c "import json,sys; o=json.load(sys.stdin); assert o['history']" || fail "case show"
"$cli" case search --store "$S" "${P[@]}" 没有这个人 >/dev/null; [[ $? == 1 ]] || fail "no hit should exit 1"

"$cli" audit verify --store "$S" "${P[@]}" >/dev/null || fail "audit verify on an intact store"
"$cli" store integrity --store "$S" "${P[@]}" >/dev/null || fail "integrity on an intact store"

# Password change and reset; the database file is not re-encrypted.
"$cli" store passwd --store "$S" "${P[@]}" --new-password-file "$tmp/new" "${K[@]}" >/dev/null || fail "passwd"
"$cli" store stats --store "$S" "${P[@]}" >/dev/null 2>&1 && fail "the old password still works"
"$cli" store stats --store "$S" --password-file "$tmp/new" >/dev/null || fail "the new password does not work"
printf '%s\n' "$recovery" >"$tmp/rk"
"$cli" store passwd --store "$S" --user clerk --recovery-key-file "$tmp/rk" --new-password-file "$tmp/pw" "${K[@]}" >/dev/null || fail "reset with the recovery key"
"$cli" store stats --store "$S" "${P[@]}" >/dev/null || fail "password after reset"

# One flipped byte in a database page: integrity says DAMAGED, names the file, exits 1.
"$cli" store stats --store "$S" "${P[@]}" >/dev/null  # (checkpointed on close)
python3 - "$S/store.db" <<'PY'
import sys
p = sys.argv[1]; b = bytearray(open(p, 'rb').read()); b[4096 * 3 + 123] ^= 0x10; open(p, 'wb').write(b)
PY
"$cli" store integrity --store "$S" "${P[@]}" >"$tmp/integ" 2>&1; rc=$?
[[ $rc == 1 ]] || fail "integrity after a flipped byte should exit 1 (got $rc)"
grep -q 'DAMAGED' "$tmp/integ" && grep -q 'store.db' "$tmp/integ" || fail "integrity report: $(cat "$tmp/integ")"
"$cli" store stats --store "$tmp/nothing" "${P[@]}" >/dev/null 2>&1; rc=$?
[[ $rc == 1 ]] || fail "not a store should exit 1 (got $rc)"
# SQLCipher prints nothing of its own on a damaged page (its log level is reset by the first key).
grep -qi 'sqlcipher\|hmac check failed for' "$tmp/integ" && fail "SQLCipher wrote to stderr: $(grep -i 'sqlcipher' "$tmp/integ" | head -2)"

# --- Issue 14: users and roles (a clerk made themself admin), back-off, open failures, modes ---
A=$tmp/admin; printf 'admin password 1\n' >"$tmp/apw"; printf 'clerk password 1\n' >"$tmp/cpw"
AP=(--store "$A" --password-file "$tmp/apw")
"$cli" store init --store "$A" --user admin --role admin --password-file "$tmp/apw" "${K[@]}" >/dev/null || fail "init admin store"
[[ $(stat -c %a "$A") == 700 && $(stat -c %a "$A/keys.json") == 600 && $(stat -c %a "$A/store.db") == 600 ]] ||
  fail "store modes: $(stat -c '%n %a' "$A" "$A"/*)"
"$cli" store add-user "${AP[@]}" --new-user clerk1 --role clerk --new-password-file "$tmp/cpw" "${K[@]}" >/dev/null || fail "admin adds a clerk"
keys_before=$(sha256sum <"$A/keys.json")
"$cli" store add-user --store "$A" --password-file "$tmp/cpw" --user clerk1 --new-user clerk1 --role admin \
  --new-password-file "$tmp/cpw" "${K[@]}" >/dev/null 2>"$tmp/err"; rc=$?
[[ $rc == 1 ]] || fail "a clerk making themself admin should be refused with exit 1 (got $rc)"
grep -q 'refused: only a user with the role .admin.' "$tmp/err" || fail "escalation message: $(cat "$tmp/err")"
"$cli" store add-user --store "$A" --password-file "$tmp/cpw" --user clerk1 --new-user mallory --role admin \
  --new-password-file "$tmp/cpw" "${K[@]}" >/dev/null 2>&1 && fail "a clerk added an admin"
"$cli" store add-user --store "$A" --password-file "$tmp/cpw" --user clerk1 --new-user admin --role clerk \
  --new-password-file "$tmp/cpw" "${K[@]}" >/dev/null 2>&1 && fail "a clerk demoted the admin"
[[ $(sha256sum <"$A/keys.json") == "$keys_before" ]] || fail "a refused act changed keys.json"
"$cli" store stats "${AP[@]}" >/dev/null || fail "the admin is locked out"
"$cli" store remove-user "${AP[@]}" --remove admin >/dev/null 2>&1; [[ $? == 1 ]] || fail "the last admin removed themself"
"$cli" store add-user "${AP[@]}" --new-user admin --role clerk --new-password-file "$tmp/apw" "${K[@]}" >/dev/null 2>"$tmp/err"
grep -q 'last administrator' "$tmp/err" || fail "demoting the last admin: $(cat "$tmp/err")"
"$cli" store passwd --store "$A" --user clerk1 --password-file "$tmp/cpw" --new-password-file "$tmp/new" "${K[@]}" >/dev/null ||
  fail "a clerk changes their own password"
"$cli" store stats --store "$A" --user clerk1 --password-file "$tmp/new" >/dev/null || fail "the clerk's new password"
"$cli" store remove-user "${AP[@]}" --remove clerk1 >/dev/null || fail "admin removes clerk1"
"$cli" store stats --store "$A" --user clerk1 --password-file "$tmp/new" >/dev/null 2>&1 && fail "a removed user still opens"
# user.added, user.password_changed, user.removed, and the removed user's failed sign-in later: the trail holds the acts
"$cli" store stats "${AP[@]}" | python3 -c "import json,sys; assert json.load(sys.stdin)['audit_entries'] >= 3" || fail "user acts audited"
"$cli" audit verify "${AP[@]}" >/dev/null || fail "audit after user acts"

# Back-off: 3 wrong passwords are free; from the 4th on, each makes the next attempt wait (1, 2, 4 … s),
# even with the right password. The test sleeps through the waits until 6 wrong passwords are counted
# (a 4 s wait), so that a loaded machine (a slow Argon2id per attempt) cannot make the check fail.
counted=0
for i in $(seq 1 30); do
  (( counted == 6 )) && break
  "$cli" store stats --store "$A" --password-file "$tmp/bad" >/dev/null 2>"$tmp/err"
  if n=$(grep -o 'try again in [0-9]* s' "$tmp/err" | grep -o '[0-9][0-9]*'); then sleep "$n"; else counted=$((counted + 1)); fi
done
(( counted == 6 )) || fail "could not count 6 wrong passwords: $(cat "$tmp/err")"
"$cli" store stats "${AP[@]}" >/dev/null 2>"$tmp/err"; rc=$?
[[ $rc == 1 ]] && grep -q 'try again in [1-4] s' "$tmp/err" || fail "no back-off after 6 wrong passwords (rc=$rc): $(cat "$tmp/err")"
sleep 4.2
"$cli" store stats "${AP[@]}" >/dev/null || fail "the right password after the wait"

# Each open failure says what it is.
"$cli" store stats --store "$tmp/none" "${P[@]}" 2>"$tmp/err" >/dev/null; rc=$?
[[ $rc == 1 ]] && grep -q 'no store at' "$tmp/err" || fail "missing store (rc=$rc): $(cat "$tmp/err")"
Z=$tmp/zero; mkdir -p "$Z"; cp "$A/keys.json" "$Z/"; : >"$Z/store.db"
"$cli" store stats --store "$Z" --password-file "$tmp/apw" 2>"$tmp/err" >/dev/null; rc=$?
[[ $rc == 1 ]] && grep -q 'empty (0 bytes)' "$tmp/err" || fail "zero-length store.db (rc=$rc): $(cat "$tmp/err")"
if [[ $(id -u) == 0 ]]; then
  chmod 0755 "$tmp"; cp "$tmp/apw" "$tmp/apw-nobody"; chmod 0644 "$tmp/apw-nobody"
  setpriv --reuid=65534 --regid=65534 --clear-groups "$cli" store stats --store "$A" --password-file "$tmp/apw-nobody" \
    2>"$tmp/err" >/dev/null; rc=$?
  [[ $rc == 1 ]] && grep -q 'permission denied' "$tmp/err" || fail "another account (rc=$rc): $(cat "$tmp/err")"
  # Read-only media: read-write commands say so; integrity only reads, and works.
  RO=$tmp/ro; mkdir -p "$RO"
  if mount --bind "$A" "$RO" 2>/dev/null && mount -o remount,bind,ro "$RO"; then
    db_before=$(sha256sum <"$A/store.db")
    "$cli" store stats --store "$RO" --password-file "$tmp/apw" 2>"$tmp/err" >/dev/null; rc=$?
    [[ $rc == 1 ]] && grep -q 'read-only media' "$tmp/err" || fail "read-only media (rc=$rc): $(cat "$tmp/err")"
    "$cli" store integrity --store "$RO" --password-file "$tmp/apw" >"$tmp/integ" 2>&1 || fail "integrity on read-only media: $(cat "$tmp/integ")"
    [[ $(sha256sum <"$A/store.db") == "$db_before" ]] || fail "integrity wrote to the file it checks"
    umount "$RO"
  else
    echo "note: bind mount not available; read-only media not tested here"
  fi
fi

# demo seed twice with the same seed: a clear message, not a raw UNIQUE error.
"$cli" demo seed "${AP[@]}" --cases 3 >/dev/null || fail "first seed"
"$cli" demo seed "${AP[@]}" --cases 3 >/dev/null 2>"$tmp/err"; rc=$?
[[ $rc == 1 ]] && grep -q 'already holds the demo cases of seed 1' "$tmp/err" && ! grep -q UNIQUE "$tmp/err" ||
  fail "second seed (rc=$rc): $(cat "$tmp/err")"
"$cli" demo seed "${AP[@]}" --cases 3 --seed 2 >/dev/null || fail "another seed adds more"
# A notice with personal data rendered from the store is 0600.
cid=
for q in 王 李 张 刘 陈 杨 赵 黄 周 吴; do
  [[ -n $cid ]] && break
  cid=$("$cli" case search "${AP[@]}" --limit 1 "$q" 2>/dev/null | python3 -c "import json,sys; print(json.loads(sys.stdin.readline())['id'])" 2>/dev/null)
done
rendered=
for k in acceptance_receipt one_time_notice refusal_notice correction_notice; do
  "$cli" notice render --kind "$k" --case "$cid" "${AP[@]}" -o "$tmp/n.pdf" >/dev/null 2>&1 && { rendered=$k; break; }
done
[[ -n $rendered ]] || fail "no notice rendered from case $cid"
[[ -n $rendered && $(stat -c %a "$tmp/n.pdf") == 600 ]] || fail "a notice with personal data is $(stat -c %a "$tmp/n.pdf" 2>/dev/null), not 600"

echo "cli_store: $fails failure(s)"
(( fails == 0 ))
