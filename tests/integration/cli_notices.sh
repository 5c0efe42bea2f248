#!/usr/bin/env bash
# The notice CLI contracts: kinds, render, exit codes (0 ok, 1 missing/invalid data naming the
# field, 2 usage/other) and no output file on failure.
set -uo pipefail
cli=$1
data=$2   # tests/data/notices/realistic_case.json
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; fails=$((fails+1)); }
# render EXPECTED_RC STDERR_SUBSTRING OUT ARGS…: runs notice render and checks rc, message, file.
render() {
  local want_rc=$1 want_msg=$2 out=$3; shift 3
  local rc
  "$cli" notice render "$@" -o "$out" 2>"$tmp/err" >/dev/null; rc=$?
  [[ $rc == "$want_rc" ]] || fail "notice render $* → rc=$rc (want $want_rc): $(cat "$tmp/err")"
  [[ -z $want_msg ]] || grep -qF -- "$want_msg" "$tmp/err" || fail "notice render $*: stderr lacks '$want_msg': $(cat "$tmp/err")"
  if [[ $want_rc == 0 ]]; then [[ -s $out ]] || fail "notice render $*: no output"
  else [[ ! -e $out ]] || fail "notice render $*: output left behind on failure"; fi
  ls -a "$(dirname "$out")" | grep -q '\.part$' && fail "notice render $*: temporary file left behind"
}
edit() {  # edit OUT PYTHON_EXPR_ON_d: writes a modified copy of the realistic data
  python3 - "$data" "$1" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); exec(sys.argv[3]); json.dump(d, open(sys.argv[2], 'w'), ensure_ascii=False)
PY
}

"$cli" notice kinds >"$tmp/kinds" || fail "notice kinds rc=$?"
[[ $(wc -l <"$tmp/kinds") == 14 ]] || fail "notice kinds: want 14 kinds, got $(wc -l <"$tmp/kinds")"
grep -qP '^acceptance_receipt\t受理回执$' "$tmp/kinds" || fail "notice kinds: no 'acceptance_receipt<TAB>受理回执'"
grep -qP '^one_time_notice\t一次性告知书$' "$tmp/kinds" || fail "notice kinds: no one_time_notice"

render 0 "" "$tmp/ok.pdf" --kind acceptance_receipt --data "$data"
pdftotext "$tmp/ok.pdf" - | grep -q 受理回执 || fail "rendered receipt lacks its title"

echo '{}' >"$tmp/empty.json"
render 1 "/case" "$tmp/e.pdf" --kind acceptance_receipt --data "$tmp/empty.json"
edit "$tmp/noname.json" 'd["case"]["applicant"]["name"] = ""'
render 1 "/case/applicant/name" "$tmp/e.pdf" --kind acceptance_receipt --data "$tmp/noname.json"
edit "$tmp/nobasis.json" 'del d["case"]["refusal_basis"]'
render 1 "/case/refusal_basis" "$tmp/e.pdf" --kind refusal_notice --data "$tmp/nobasis.json"
edit "$tmp/nourl.json" 'del d["notice"]["progress_url"]'
render 1 "/notice/progress_url" "$tmp/e.pdf" --kind acceptance_notice --data "$tmp/nourl.json"
render 0 "" "$tmp/mail-ok.pdf" --kind one_time_notice --data "$tmp/nourl.json"   # no QR there
edit "$tmp/pickup.json" 'pass'
render 1 "/case/handover/mode" "$tmp/e.pdf" --kind mail_receipt --data "$tmp/pickup.json"
printf '{"case": ' >"$tmp/broken.json"
render 1 "not valid JSON" "$tmp/e.pdf" --kind acceptance_receipt --data "$tmp/broken.json"
render 1 "" "$tmp/e.pdf" --kind acceptance_receipt --data "$tmp/does-not-exist.json"

render 2 "unknown notice kind" "$tmp/e.pdf" --kind no_such_kind --data "$data"
render 2 "" "$tmp/e.pdf" --kind acceptance_receipt
render 2 "" "$tmp/e.pdf" --data "$data"
render 2 "" "$tmp/no/such/dir/e.pdf" --kind acceptance_receipt --data "$data"
"$cli" notice render --kind acceptance_receipt --data "$data" >/dev/null 2>&1; [[ $? == 2 ]] || fail "render without -o should exit 2"

# Cases from the encrypted store (--case), with the envelope from --notice over the shipped defaults.
printf 'notice-test-pw' >"$tmp/pw"; printf 'wrong-password' >"$tmp/badpw"
S=$tmp/store; P=(--store "$S" --password-file "$tmp/pw")
"$cli" store init "${P[@]}" --user clerk --role clerk --kdf-ops 1 --kdf-mem-mib 8 >/dev/null 2>&1 || fail "store init"
"$cli" demo seed "${P[@]}" --cases 60 --seed 1 >/dev/null 2>&1 || fail "demo seed"
"$cli" case search "${P[@]}" --limit 100 DEMO01- >"$tmp/hits" 2>/dev/null || fail "case search by receipt prefix"
pick() { python3 -c "
import json, sys
for l in open('$tmp/hits'):
    o = json.loads(l)
    if o['state'] in sys.argv[1].split(','): print(o['id']); break" "$1"; }
accepted=$(pick accepted,under_review,approved,result_issued,rated)
corrected=$(pick correction_requested)
[[ -n $accepted && -n $corrected ]] || fail "demo seed gave no accepted case and no case awaiting correction"
echo '{"issuing_body": "测试市政务服务中心", "progress_url": "https://example.gov.cn/p?no={receipt_no}"}' >"$tmp/envelope.json"
render 0 "" "$tmp/case.pdf" --kind acceptance_receipt --case "$accepted" "${P[@]}" --notice "$tmp/envelope.json"
pdftotext "$tmp/case.pdf" - | tr -d ' \n' | grep -q '测试市政务服务中心（盖章）' || fail "--notice issuing body not used"
receipt=$(python3 -c "
import json
for l in open('$tmp/hits'):
    o = json.loads(l)
    if o['id'] == '$accepted': print(o['receipt_no'])")
pdftoppm -r 200 -png -singlefile "$tmp/case.pdf" "$tmp/case"
[[ $(zbarimg -q --raw "$tmp/case.png" 2>/dev/null) == "https://example.gov.cn/p?no=$receipt" ]] || fail "QR of a stored case: want the envelope URL with the receipt number"
render 0 "" "$tmp/case-otn.pdf" --kind one_time_notice --case "$corrected" "${P[@]}"
render 1 "/case/accepted_at" "$tmp/e.pdf" --kind acceptance_receipt --case "$corrected" "${P[@]}"
render 1 "" "$tmp/e.pdf" --kind acceptance_receipt --case "$accepted" --store "$S" --password-file "$tmp/badpw"
render 1 "no case" "$tmp/e.pdf" --kind acceptance_receipt --case 01927a3c-5e2b-7c4d-8f10-2a3b4c5d6e7f "${P[@]}"
render 2 "" "$tmp/e.pdf" --kind acceptance_receipt --case "$accepted" --password-file "$tmp/pw"
render 2 "" "$tmp/e.pdf" --kind acceptance_receipt --case not-an-id "${P[@]}"
render 2 "" "$tmp/e.pdf" --kind acceptance_receipt --data "$data" --store "$S"

# A failed render leaves an existing file as it was.
echo old >"$tmp/keep.pdf"
"$cli" notice render --kind acceptance_receipt --data "$tmp/noname.json" -o "$tmp/keep.pdf" 2>/dev/null
[[ $(cat "$tmp/keep.pdf") == old ]] || fail "a failed render replaced an existing file"

if (( fails )); then echo "$fails failure(s)"; exit 1; fi
echo "cli_notices: all passed"
