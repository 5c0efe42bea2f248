#!/usr/bin/env bash
# The calendar CLI contract of issue 14: --json answers with the provisional flag, --calendar FILE
# (repeatable), and `calendar import` into a store (admin only, audited). The plain output and exit
# codes are checked in cli_foundation.sh.
set -uo pipefail
cli=$1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails+1)); }
expect() {  # expect RC OUTPUT -- ARGS…  (exact stdout)
  local want_rc=$1 want_out=$2; shift 3
  local out rc
  out=$("$cli" "$@" 2>"$tmp/err"); rc=$?
  if [[ $rc != "$want_rc" || $out != "$want_out" ]]; then
    fail "onewindow-cli $* → rc=$rc out='$out' err='$(cat "$tmp/err")' (want rc=$want_rc out='$want_out')"
  fi
}

# --json: the answer and whether a provisional (unpublished) year was used.
expect 0 '{"date":"2025-10-09","provisional":false}' -- calendar add 2025-09-30 1 --json
expect 0 '{"date":"2027-01-14","provisional":true}' -- calendar add 2026-12-30 10 --json
expect 0 '{"date":"2026-12-31","provisional":false}' -- calendar add 2026-12-30 1 --json
expect 0 '{"workday":true,"provisional":false}' -- calendar is-workday 2025-01-26 --json
expect 1 '{"workday":false,"provisional":true}' -- calendar is-workday 2027-10-04 --json   # 国庆 2027, made up
expect 0 '{"workday":true,"provisional":true}' -- calendar is-workday 2027-10-06 --json
expect 0 '{"count":3,"provisional":false}' -- calendar between 2025-09-30 2025-10-11 --json
expect 0 '{"count":27,"provisional":true}' -- calendar between 2026-12-01 2027-01-10 --json
expect 0 '{"count":-27,"provisional":true}' -- calendar between --json 2027-01-10 2026-12-01
expect 0 '2027-01-14' -- calendar add 2026-12-30 10                       # plain output unchanged
expect 2 '' -- calendar add 2100-01-04 1 --json                          # outside 2000–2099
expect 2 '' -- calendar add 2026-12-30 1 --calendar

# calendar holidays YEAR: what a year (official or provisional) holds.
"$cli" calendar holidays 2027 --json | python3 -c "
import json, sys
o = json.load(sys.stdin)
assert o['year'] == 2027 and o['provisional'] is True and o['workdays'] == [], o
days = [d['date'] for d in o['days_off']]
# 元旦 1, 春节 4 + 2 made up, 清明 1, 劳动节 2 + 2, 端午 1, 中秋 1, 国庆 3 + 2 (docs/calendar.md)
assert len(days) == 19 and '2027-02-09' in days and '2027-10-05' in days, days
assert {'date': '2027-02-10', 'name': '春节'} in o['days_off']" || fail "calendar holidays 2027 --json"
"$cli" calendar holidays 2025 --json | python3 -c "
import json, sys
o = json.load(sys.stdin)
assert o['provisional'] is False and '2025-01-26' in o['workdays'] and {'date': '2025-10-08', 'name': '国庆节、中秋节'} in o['days_off'], o" \
  || fail "calendar holidays 2025 --json"
[[ $("$cli" calendar holidays 2027 | head -1) == "2027 provisional" ]] || fail "calendar holidays 2027: first line"
expect 2 '' -- calendar holidays 2100
expect 2 '' -- calendar holidays 20x7

# --calendar FILE adds a year (official: not provisional) and replaces one (repeatable).
cat >"$tmp/cn-2027.json" <<'JSON'
{"format": "onewindow-calendar", "format_version": 1, "year": 2027,
 "holidays": [{"name": "元旦", "from": "2027-01-01", "to": "2027-01-04"}], "workdays": []}
JSON
cat >"$tmp/cn-2025.json" <<'JSON'
{"format": "onewindow-calendar", "format_version": 1, "year": 2025, "holidays": [], "workdays": []}
JSON
expect 0 '{"date":"2027-01-05","provisional":false}' -- calendar add 2026-12-30 2 --json --calendar "$tmp/cn-2027.json"
expect 0 '{"date":"2027-01-04","provisional":true}' -- calendar add 2026-12-30 2 --json
expect 0 '{"date":"2025-10-01","provisional":false}' -- calendar add 2025-09-30 1 --json --calendar "$tmp/cn-2025.json" --calendar "$tmp/cn-2027.json"
expect 0 "$(printf '2024\n2025\n2026\n2027')" -- calendar years --calendar "$tmp/cn-2027.json"
printf '{"format": "onewindow-calendar", "format_version": 1, "year": 2027, "holidays": [{"name": "x", "from": "2026-12-31", "to": "2027-01-01"}], "workdays": []}' >"$tmp/bad.json"
"$cli" calendar add 2026-12-30 2 --calendar "$tmp/bad.json" >/dev/null 2>"$tmp/err"; rc=$?
[[ $rc == 1 ]] && grep -q 'bad.json' "$tmp/err" || fail "a bad --calendar file: rc=$rc, $(cat "$tmp/err")"
"$cli" calendar add 2026-12-30 2 --calendar "$tmp/none.json" >/dev/null 2>&1; [[ $? == 1 ]] || fail "a missing --calendar file must exit 1"

# calendar import: admin only, audited; the store then counts 2027 as official.
S=$tmp/store; printf 'admin password 1\n' >"$tmp/pw"; printf 'clerk password 1\n' >"$tmp/cpw"
K=(--kdf-ops 1 --kdf-mem-mib 8)
"$cli" store init --store "$S" --user admin --role admin --password-file "$tmp/pw" "${K[@]}" >/dev/null || fail "store init"
"$cli" store add-user --store "$S" --password-file "$tmp/pw" --new-user clerk1 --role clerk --new-password-file "$tmp/cpw" "${K[@]}" >/dev/null || fail "add-user"
audit() { "$cli" store stats --store "$S" --password-file "$tmp/pw" | python3 -c "import json,sys; print(json.load(sys.stdin)['audit_entries'])"; }
before=$(audit)
"$cli" calendar import "$tmp/cn-2027.json" --store "$S" --password-file "$tmp/cpw" --user clerk1 >/dev/null 2>"$tmp/err"; rc=$?
[[ $rc == 1 ]] && grep -q 'only an admin' "$tmp/err" || fail "a clerk importing a calendar: rc=$rc, $(cat "$tmp/err")"
[[ $(audit) == "$before" ]] || fail "a refused import wrote to the audit log"
"$cli" calendar import "$tmp/bad.json" --store "$S" --password-file "$tmp/pw" >/dev/null 2>&1; [[ $? == 1 ]] || fail "importing a bad file must exit 1"
expect 0 '{"year":2027,"revision":"imported '"$(sha256sum "$tmp/cn-2027.json" | cut -c1-16)"'","recomputed":0}' -- \
  calendar import "$tmp/cn-2027.json" --store "$S" --password-file "$tmp/pw" --json
[[ $(audit) == $((before + 1)) ]] || fail "the import is not audited (audit entries $before → $(audit))"
"$cli" audit verify --store "$S" --password-file "$tmp/pw" >/dev/null || fail "audit chain after import"
"$cli" calendar import --store "$S" --password-file "$tmp/pw" >/dev/null 2>&1; [[ $? == 2 ]] || fail "import without a file is a usage error"

echo "cli_calendar: $fails failure(s)"
(( fails == 0 ))
