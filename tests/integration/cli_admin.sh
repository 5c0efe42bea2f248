#!/usr/bin/env bash
# The administration commands of issue 19 from the CLI: `seal test` (a one-page PDF signed with an
# assigned seal, verified by ow_seal and by pdfsig; audited; refused for a clerk, a holder without
# a seal, a wrong PIN) and `audit export` (JSON and CSV files that parse, a range by date, the file
# 0600, administrators only, bad bounds refused with nothing written, the trail verifying afterwards).
# Exit codes: 0 done/valid, 1 refused, 2 bad input.
set -uo pipefail
cli=$1
tmp=$(mktemp -d)
trap '[[ -n ${KEEP_TMP:-} ]] || rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails+1)); }
S=$tmp/store
for u in admin clerk; do printf '%s password 1\n' "$u" >"$tmp/$u.pw"; done
K=(--kdf-ops 1 --kdf-mem-mib 8)
as() { local u=$1; shift; "$cli" "$@" --store "$S" --password-file "$tmp/$u.pw" --user "$u"; }
rc_of() { "$@" >"$tmp/last.out" 2>"$tmp/last.err"; echo $?; }

"$cli" store init --store "$S" --user admin --role admin --password-file "$tmp/admin.pw" "${K[@]}" >/dev/null || fail "store init"
as admin user add --new-user clerk --role clerk --new-password-file "$tmp/clerk.pw" "${K[@]}" >/dev/null || fail "user add clerk"
"$cli" seal demo --org 济南市历下区行政审批服务局 -o "$tmp/seal" >/dev/null || fail "seal demo"
"$cli" seal assign --store "$S" --password-file "$tmp/admin.pw" --as admin --post A --p12 "$tmp/seal/seal.p12" \
  --pin-file "$tmp/seal/seal.pin" --image "$tmp/seal/seal.png" >/dev/null || fail "seal assign post A"

# ---- seal test ----
r=$(rc_of "$cli" seal test --store "$S" --password-file "$tmp/admin.pw" --as admin --post A -o "$tmp/test.pdf" --json)
[[ $r == 0 ]] || fail "seal test of post A should exit 0 (got $r): $(cat "$tmp/last.err")"
python3 - "$tmp/last.out" <<'PY' || fail "seal test --json: valid, the demo seal's signer, no problems"
import json, sys
d = json.load(open(sys.argv[1]))
assert d['valid'] is True and d['holder'] == 'A' and d['kind'] == 'pkcs12', d
assert '样章' in d['signer'] and d['problems'] == [], d
PY
pdfsig "$tmp/test.pdf" 2>&1 | grep -q "Signature is Valid" || fail "pdfsig should confirm the test signature"
[[ $(stat -c %a "$tmp/test.pdf") == 600 ]] || fail "the test PDF should be 0600"
as admin audit list --action seal.tested | grep -q '"valid":true' || fail "the test signature is audited"
r=$(rc_of "$cli" seal test --store "$S" --password-file "$tmp/admin.pw" --as admin --post B)
[[ $r == 1 ]] && grep -q "no seal is assigned to post B" "$tmp/last.err" || fail "no seal on post B should exit 1 (got $r)"
r=$(rc_of "$cli" seal test --store "$S" --password-file "$tmp/clerk.pw" --as clerk --post A)
[[ $r == 1 ]] && grep -q refused "$tmp/last.err" || fail "a clerk testing a seal should be refused (1), got $r"
printf 'wrong\n' >"$tmp/wrong.pin"
r=$(rc_of "$cli" seal test --store "$S" --password-file "$tmp/admin.pw" --as admin --post A --pin-file "$tmp/wrong.pin")
[[ $r == 2 ]] && grep -q seal.wrong_pin "$tmp/last.err" || fail "a wrong PIN should exit 2 with seal.wrong_pin (got $r)"
[[ $(rc_of "$cli" seal test --store "$S" --password-file "$tmp/admin.pw" --post A --user admin) == 2 ]] || fail "--user and --post together is a usage error"
[[ $(as admin audit list --action seal.tested | wc -l) == 1 ]] || fail "only the successful test is audited"

# ---- audit export ----
r=$(rc_of as admin audit export -o "$tmp/trail.json")
[[ $r == 0 ]] || fail "audit export (JSON) should exit 0 (got $r): $(cat "$tmp/last.err")"
[[ $(stat -c %a "$tmp/trail.json") == 600 ]] || fail "the export should be 0600"
n_json=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert all(len(e['hash'])==64 for e in d); print(len(d))" "$tmp/trail.json") \
  || fail "the JSON export should parse with a hash per entry"
as admin audit list --action audit.exported | grep -q '"format":"json"' || fail "the export is audited"
r=$(rc_of as admin audit export -o "$tmp/trail.csv")
[[ $r == 0 ]] || fail "audit export (CSV by the file name) should exit 0 (got $r)"
python3 - "$tmp/trail.csv" "$n_json" <<'PY' || fail "the CSV export: a header, one row per entry (one more: the JSON export's own entry)"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))
assert rows[0] == ['seq', 'at', 'user', 'post', 'acting_for', 'action', 'case_id', 'detail', 'hash'], rows[0]
assert len(rows) - 1 == int(sys.argv[2]) + 1, (len(rows), sys.argv[2])
assert any(r[5] == 'seal.tested' for r in rows[1:])
PY
today=$(date -u +%F)
as admin audit export -o "$tmp/none.json" --to 2000-01-01 >/dev/null || fail "an empty range exports an empty file"
[[ $(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))))" "$tmp/none.json") == 0 ]] || fail "nothing before 2000"
as admin audit export -o "$tmp/today.json" --from "$today" --to "$today" >/dev/null || fail "a range of today"
r=$(rc_of as admin audit export -o "$tmp/bad.json" --from yesterday)
[[ $r == 1 && ! -e $tmp/bad.json ]] || fail "a bad bound should exit 1 with no file (got $r)"
r=$(rc_of as admin audit export -o "$tmp/x.json" --json --csv)
[[ $r == 2 ]] || fail "--json with --csv is a usage error (got $r)"
r=$(rc_of as clerk audit export -o "$tmp/clerk.json")
[[ $r == 1 && ! -e $tmp/clerk.json ]] || fail "a clerk exporting should be refused (1) with no file (got $r)"

# The trail still verifies after the tests and exports (they append, never rewrite). A tampered
# trail's export is covered by tests/unit/store/test_audit_export.cpp (the file is encrypted: a
# script cannot rewrite a row without the store key).
as admin audit verify >/dev/null || fail "the trail verifies after the exports"

if (( fails )); then echo "$fails failure(s)"; exit 1; fi
echo "ok: cli_admin"
