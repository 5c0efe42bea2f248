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
[[ $(sha256sum "$S/keys.json") == "$keys_before" ]] || fail "a failed unlock changed keys.json"
# password from stdin
"$cli" store stats --store "$S" <"$tmp/pw" >"$tmp/stats.json" || fail "password from stdin"
python3 - "$tmp/stats.json" <<'PY' || fail "store stats JSON"
import json, sys
o = json.load(open(sys.argv[1]))
assert o['cases'] == 40 and o['blobs'] == 4 and o['blobs_pending_upload'] == 4
assert o['outbox_pending'] > 40 and o['audit_entries'] == o['outbox_pending'] and o['cipher_version'].startswith('4')
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
echo "cli_store: $fails failure(s)"
(( fails == 0 ))
