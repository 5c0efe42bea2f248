#!/usr/bin/env bash
# The case loop from the CLI only (issue 15): the 新生儿出生一件事 bundle from draft to rated and
# synced to the training platform, its decision sealed and checked with pdfsig; the correction and
# refusal paths; B acting for an absent A; B alone, and a clerk deciding, refused; a bad rating's
# follow-up; a decision sealed on a PKCS#11 token (SoftHSM2) with the PIN given by --pin-file.
# Exit codes of the acts: 0 done, 1 refused (nothing written), 2 bad input.
set -uo pipefail
cli=$1 sim=$2
tmp=$(mktemp -d); pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; [[ -n ${KEEP_TMP:-} ]] || rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails+1)); }
S=$tmp/store
for u in admin clerk1 chief_a chief_b; do printf '%s password 1\n' "$u" >"$tmp/$u.pw"; done
K=(--kdf-ops 1 --kdf-mem-mib 8)
as() { local u=$1; shift; "$cli" "$@" --store "$S" --password-file "$tmp/$u.pw" --user "$u"; }
json_of() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))" "$1"; }
rc_of() { "$@" >/dev/null 2>"$tmp/last.err"; echo $?; }
outbox() { as admin store stats | json_of "d['outbox_pending']"; }
audit_n() { as admin audit list 2>/dev/null | python3 -c "import json,sys; print(len([l for l in sys.stdin if l.strip()]))"; }

# --help on every group and every command: usage on stdout, exit 0.
while read -r group cmd; do
  "$cli" "$group" --help >/dev/null 2>&1 || fail "$group --help should exit 0"
  [[ -n $cmd && $cmd != -* && $cmd != [A-Z]* && $cmd != '('* && $cmd != '['* ]] || continue
  # Captured first: grep -q in a pipe stops reading at the match, and a usage longer than one
  # pipe write would end the CLI with SIGPIPE (exit 141, which pipefail reports).
  usage=$("$cli" "$group" "$cmd" --help 2>/dev/null) || fail "$group $cmd --help should exit 0"
  grep -q "onewindow-cli $group $cmd" <<<"$usage" || fail "$group $cmd --help should print its usage"
done < <("$cli" --help | awk '/^  onewindow-cli /{print $2, $3}' | sort -u)

"$cli" store init --store "$S" --user admin --role admin --password-file "$tmp/admin.pw" "${K[@]}" >/dev/null || fail "store init"
as admin user add --new-user clerk1 --role clerk --display-name 王窗口 --new-password-file "$tmp/clerk1.pw" "${K[@]}" >/dev/null || fail "user add clerk1"
as admin user add --new-user chief_a --role chief --post A --display-name 张首席 --new-password-file "$tmp/chief_a.pw" "${K[@]}" >/dev/null || fail "user add chief_a"
as admin user add --new-user chief_b --role chief --post B --display-name 李首席 --new-password-file "$tmp/chief_b.pw" "${K[@]}" >/dev/null || fail "user add chief_b"
as admin user list --json >"$tmp/users.json" || fail "user list"
python3 - "$tmp/users.json" <<'PY' || fail "user list --json: names, roles, posts"
import json, sys
u = {x['name']: x for x in json.load(open(sys.argv[1]))}
assert u['chief_a']['post'] == 'A' and u['chief_b']['post'] == 'B' and u['clerk1']['post'] is None, u
assert u['chief_a']['role'] == 'chief' and u['clerk1']['display_name'] == '王窗口', u
PY
# A clerk may not add users nor assign seals in a store with an administrator.
[[ $(rc_of as clerk1 user add --new-user x --role admin --new-password-file "$tmp/clerk1.pw" "${K[@]}") == 1 ]] || fail "a clerk adding an admin should be refused (1)"

"$cli" seal demo --org 济南市历下区行政审批服务局 -o "$tmp/seal" >/dev/null || fail "seal demo"
"$cli" seal assign --store "$S" --password-file "$tmp/clerk1.pw" --as clerk1 --post A --p12 "$tmp/seal/seal.p12" --pin-file "$tmp/seal/seal.pin" \
  --image "$tmp/seal/seal.png" >/dev/null 2>&1 && fail "a clerk assigning a seal should be refused"
"$cli" seal assign --store "$S" --password-file "$tmp/admin.pw" --as admin --post A --p12 "$tmp/seal/seal.p12" \
  --pin-file "$tmp/seal/seal.pin" --image "$tmp/seal/seal.png" >/dev/null || fail "seal assign post A"
"$cli" seal assign --store "$S" --password-file "$tmp/admin.pw" --as admin --post B --p12 "$tmp/seal/seal.p12" \
  --pin-file - --image "$tmp/seal/seal.png" <"$tmp/seal/seal.pin" >/dev/null || fail "seal assign post B, the PIN on stdin"
printf 'wrong pin\n' >"$tmp/wrong.pin"
"$cli" seal assign --store "$S" --password-file "$tmp/admin.pw" --as admin --post B --p12 "$tmp/seal/seal.p12" \
  --pin-file "$tmp/wrong.pin" >/dev/null 2>&1 && fail "a wrong PIN should be refused"
as admin seal assigned --json | grep -q '"holder":"A"' || fail "seal assigned lists post A"
as admin seal assigned --json | grep -q 'PIN\|pin"' && fail "seal assigned must not show the PIN"

# ---- the bundle: 新生儿出生一件事 -------------------------------------------------------------
cid=$(as clerk1 case new --bundle BUNDLE-XSECS --json | json_of "d['id']")
[[ -n $cid ]] || fail "case new --bundle"
as clerk1 case show "$cid" --json >"$tmp/c0.json" || fail "case show"
python3 - "$tmp/c0.json" <<'PY' || fail "a new bundle case: draft, bundle, parts to countersign"
import json, sys
d = json.load(open(sys.argv[1]))
assert d['state'] == 'draft' and d['bundle'] == 'BUNDLE-XSECS' and d['promised_date'] is None, d
assert len(d['countersign_items']) == 4 and d['receipt_no'], d
PY
# Nothing recorded: accept is refused and writes nothing.
n0=$(audit_n)
[[ $(rc_of as clerk1 case accept "$cid") == 1 ]] || fail "accept with no applicant should be refused (1)"
[[ $(audit_n) == "$n0" ]] || fail "a refused act wrote to the audit trail"
# Bad input: exit 2.
[[ $(rc_of as clerk1 case applicant "$cid" --id-number 110105194912310021 --name 李红) == 2 ]] || fail "a wrong check digit should be bad input (2)"
[[ $(rc_of as clerk1 case material "$cid" nope --status original) == 2 ]] || fail "an unknown material should be bad input (2)"
as clerk1 case applicant "$cid" --id-number 11010519491231002X --name 李红 --phone 13800138000 --json >/dev/null || fail "case applicant"
# A photo for the social security card, scanned (a real PNG: the seal's artwork will do).
as clerk1 case material "$cid" sbk.photo --status scanned --file "$tmp/seal/seal.png" >/dev/null || fail "scanned material"
printf 'not a png' >"$tmp/fake.png"
[[ $(rc_of as clerk1 case material "$cid" sbk.photo --status scanned --file "$tmp/fake.png") == 2 ]] || fail "a fake scan should be bad input (2)"
cat >"$tmp/answers.json" <<'EOF'
{"baby_name": "王小宝", "baby_sex": "male", "birth_date": "BIRTH",
 "mother": {"name": "李红", "doc_type": 111, "doc_number": "11010519491231002X"}, "father_known": false,
 "birth_certificate_no": "Q123456789", "contact_phone": "13800138000",
 "cs_birth_place": {"region": "370102", "detail": "经十路1号"}, "cs_hospital": "济南市妇幼保健院", "cs_weight_g": 3300, "cs_gestation_weeks": 39,
 "hk_ethnicity": "汉族", "hk_register_with": "mother", "hk_household_head": "李红",
 "yb_category": "newborn", "yb_household_outside": false, "yb_insurance_year": YEAR,
 "sbk_guardian": {"name": "李红", "doc_type": 111, "doc_number": "11010519491231002X"}, "sbk_bank": "icbc", "sbk_mail": false}
EOF
sed -i "s/BIRTH/$(date -u -d '-5 days' +%F)/; s/YEAR/$(date -u +%Y)/" "$tmp/answers.json"
echo '{"baby_name": 5}' >"$tmp/bad-answers.json"
[[ $(rc_of as clerk1 case answer "$cid" "$tmp/bad-answers.json") == 2 ]] || fail "invalid answers should be bad input (2)"
as clerk1 case answer "$cid" "$tmp/answers.json" >/dev/null 2>"$tmp/ans.err" || fail "case answer: $(cat "$tmp/ans.err")"
# Still materials missing: accept refused; the one-time notice lists exactly those.
[[ $(rc_of as clerk1 case accept "$cid") == 1 ]] || fail "accept with materials missing should be refused (1)"
grep -q "materials still missing" "$tmp/last.err" || fail "the refusal should name the missing materials: $(cat "$tmp/last.err")"
as clerk1 case show "$cid" --json | python3 -c "
import json,sys; d=json.load(sys.stdin)
print(' '.join(e['material_code'] for e in d['checklist'] if e['status']=='pending' and e['necessity']!='optional'))" >"$tmp/missing"
as clerk1 case correct "$cid" -o "$tmp/one-time.pdf" --json >"$tmp/c1.json" || fail "case correct: $(cat "$tmp/last.err")"
json_of "d['state']" <"$tmp/c1.json" | grep -qx correction_requested || fail "after correct: correction_requested"
[[ -s $tmp/one-time.pdf ]] || fail "the one-time notice PDF"
pdftotext "$tmp/one-time.pdf" - 2>/dev/null | tr -d ' \n' >"$tmp/one-time.txt"  # names wrap inside table cells
grep -q 一次性告知书 "$tmp/one-time.txt" || fail "the one-time notice's title"
grep -q 行政许可法 "$tmp/one-time.txt" && fail "a public-service bundle's one-time notice cites no Licensing Law"
for m in $(cat "$tmp/missing"); do
  name=$(python3 -c "import json,sys; d=json.load(open('$tmp/c1.json')); print([e['name'] for e in d['checklist'] if e['material_code']=='$m'][0])")
  grep -q "$name" "$tmp/one-time.txt" || fail "the one-time notice should list $name"
done
# The applicant comes back with everything.
for m in $(cat "$tmp/missing"); do
  as clerk1 case material "$cid" "$m" --status original >/dev/null 2>>"$tmp/mat.err" || fail "material $m: $(tail -1 "$tmp/mat.err")"
done
as clerk1 case accept "$cid" -o "$tmp/accept.pdf" --json >"$tmp/c2.json" || fail "case accept: $(cat "$tmp/last.err")"
python3 - "$tmp/c2.json" <<'PY' || fail "accepted with a promised date"
import json, sys
d = json.load(open(sys.argv[1]))
assert d['state'] == 'accepted' and d['promised_date'] and isinstance(d['promised_provisional'], bool), d
PY
pdftotext "$tmp/accept.pdf" - 2>/dev/null | grep -q 受理 || fail "the acceptance notice"
# The clerk submits; a clerk may not decide; B alone may not; B for a present A may not.
as clerk1 case submit "$cid" >/dev/null || fail "case submit"
r=$(rc_of as clerk1 case decide "$cid" --decision approve --opinion 同意); [[ $r == 1 ]] || fail "a clerk deciding should be refused (1), got $r"
r=$(rc_of as chief_b case decide "$cid" --decision approve --opinion 同意 --item 370102-WJ-0501-001); [[ $r == 1 ]] || fail "B alone should be refused (1), got $r"
r=$(rc_of as chief_b case decide "$cid" --decision approve --opinion 同意 --item 370102-WJ-0501-001 --acting-for chief_a)
[[ $r == 1 ]] && grep -q "not marked absent" "$tmp/last.err" || fail "B for a present A should be refused (1), got $r: $(cat "$tmp/last.err")"
# Countersigning: A decides three parts, then is away; B acts for A on the last one.
for item in 370102-WJ-0501-001 370102-GA-0220-001 370102-YB-0107-001; do
  as chief_a case decide "$cid" --decision approve --opinion 材料齐全，符合条件 --item $item >/dev/null || fail "countersign $item: $(cat "$tmp/last.err")"
done
as chief_a case show "$cid" --json | json_of "d['state']" | grep -qx under_review || fail "still under review until every part is decided"
as chief_a user absent --on >/dev/null || fail "chief_a marks absent"
as chief_b case decide "$cid" --decision approve --opinion 同意 --item 370102-RS-0211-001 --acting-for chief_a -o "$tmp/decision.pdf" --json >"$tmp/c3.json" \
  || fail "B acting for A: $(cat "$tmp/last.err")"
python3 - "$tmp/c3.json" <<'PY' || fail "approved, the trail shows B acting for A"
import json, sys
d = json.load(open(sys.argv[1]))
assert d['state'] == 'approved', d['state']
last = d['history'][-1]
assert last['action'] == 'approve' and last['actor']['user_id'] == 'chief_b' and last['actor']['post'] == 'B' and last['actor']['acting_for'] == 'chief_a', last
assert len(d['countersigns']) == 4
PY
pdfsig "$tmp/decision.pdf" >"$tmp/pdfsig.txt" 2>&1
grep -q "Signature Validation: Signature is Valid" "$tmp/pdfsig.txt" || fail "pdfsig should confirm the decision's seal: $(cat "$tmp/pdfsig.txt")"
pdftotext "$tmp/decision.pdf" - 2>/dev/null >"$tmp/decision.txt"
grep -q 准予办理通知书 "$tmp/decision.txt" || fail "a public-service bundle gets 准予办理通知书"
grep -q 行政许可决定书 "$tmp/decision.txt" && fail "a public-service bundle gets no 行政许可决定书"
as chief_b case documents "$cid" --json | python3 -c "
import json,sys; d=json.load(sys.stdin); k=[x['kind'] for x in d]
assert k[0]=='one_time_notice' and 'acceptance_notice' in k and k[-1]=='approval_result' and d[-1]['sealed'], k" || fail "case documents"
as chief_b user absent --name chief_a --off >/dev/null 2>&1 && fail "B may not mark A back (only A or an admin)"
as chief_a user absent --off >/dev/null || fail "chief_a back"
# Issue at the window with the signature, rate badly, the follow-up. The bundle's fee (the newborn's
# 医保 contribution) is paid first: the result waits for it.
[[ $(rc_of as clerk1 case issue "$cid" --pickup) == 1 ]] || fail "the result waits for the fee (1)"
as clerk1 case fees "$cid" --json | python3 -c "
import json,sys
for f in json.load(sys.stdin)['fees']:
    if f['status'] == 'due': print(f['name'])" >"$tmp/due"
[[ -s $tmp/due ]] || fail "the bundle charges the 医保 contribution"
while IFS= read -r fee; do
  as clerk1 case pay "$cid" --fee "$fee" --method unionpay --payment-no "UP$RANDOM$RANDOM" >/dev/null 2>"$tmp/last.err" || fail "case pay $fee: $(cat "$tmp/last.err")"
done <"$tmp/due"
as clerk1 case issue "$cid" --pickup --signature "$tmp/seal/seal.png" -o "$tmp/pickup.pdf" >/dev/null || fail "case issue: $(cat "$tmp/last.err")"
pdftotext "$tmp/pickup.pdf" - 2>/dev/null | grep -q 出件 || fail "the pickup receipt"
[[ $(rc_of as clerk1 case rate "$cid" --level 2) == 2 ]] || fail "a rating of 2 without a reason should be bad input (2)"
as clerk1 case rate "$cid" --level 2 --reason slow --text 排队太久 --hotline-ticket 12345-2026-0001 --json >"$tmp/c4.json" || fail "case rate"
python3 - "$tmp/c4.json" <<'PY' || fail "rated: GB/T order 4 (不满意), a follow-up due"
import json, sys
d = json.load(open(sys.argv[1]))
assert d['state'] == 'rated' and d['rating']['level'] == 4 and d['rating']['follow_up_due'] and d['rating']['hotline_ticket'] == '12345-2026-0001', d['rating']
PY
[[ $(rc_of as clerk1 case follow-up "$cid" --close --note "") == 2 ]] || fail "closing a follow-up without a note should be bad input"
as clerk1 case follow-up "$cid" --close --note 已电话回访并致歉 >/dev/null || fail "close follow-up"
[[ $(rc_of as clerk1 case follow-up "$cid" --close --note again) == 1 ]] || fail "closing it twice should be refused (1)"

# ---- licensing items: a refusal at the window; an immediate item denied on the spot ----------------
rid=$(as clerk1 case new --item 370102-SC-0002-001 --json | json_of "d['id']")
as clerk1 case applicant "$rid" --uscc 91350100MA01B2C37P --org-name 济南示例科技有限公司 --legal-rep 赵六 >/dev/null || fail "organisation applicant"
[[ $(rc_of as clerk1 case refuse "$rid" --reason 不属于本机关职权) == 2 ]] || fail "a refusal without a basis is bad input (2)"
as clerk1 case refuse "$rid" --reason 申请事项不属于本机关职权范围 --basis 《中华人民共和国行政许可法》第三十二条 -o "$tmp/refusal.pdf" --json >"$tmp/r.json" || fail "case refuse"
json_of "d['state']" <"$tmp/r.json" | grep -qx refused || fail "refused"
pdftotext "$tmp/refusal.pdf" - 2>/dev/null | grep -q 不予受理 || fail "the refusal notice"
[[ $(rc_of as clerk1 case accept "$rid") == 1 ]] || fail "accepting a refused case should be refused (1)"

gid=$(as clerk1 case new --item 370102-SC-0001-001 --json | json_of "d['id']")
# A returning applicant (李红 from the bundle): the name and phone come from the store.
as clerk1 case applicant "$gid" --id-number 11010519491231002X --json >"$tmp/g1.json" 2>"$tmp/g1.err" || fail "returning applicant: $(cat "$tmp/g1.err")"
json_of "d['applicant']['name'] + d['applicant']['phone']" <"$tmp/g1.json" | grep -qx 李红13800138000 || fail "a returning applicant should be prefilled"
grep -q "returning applicant" "$tmp/g1.err" || fail "the act should say it prefilled"
[[ $(rc_of as clerk1 case accept "$gid") == 1 ]] && grep -q "form is not filled" "$tmp/last.err" || fail "accept before the form should be refused: $(cat "$tmp/last.err")"
printf '%s' '{"operator_name": "李红", "operator_id": "11010519491231002X", "operator_phone": "13800138000", "organisation": "individual",
 "business_name": "李红小吃店", "business_scope": "小吃服务", "premises": {"region": "370102", "detail": "经十路2号"}, "capital_fen": 5000000, "employees": 2, "agent_present": false}' >"$tmp/g.json"
as clerk1 case answer "$gid" "$tmp/g.json" >/dev/null || fail "answer the item form"
for m in application operator_id premises; do as clerk1 case material "$gid" $m --status original >/dev/null || fail "material $m"; done
# An agent recorded and cleared again (帮办代办), and a helper: their events reach the platform below.
as clerk1 case agent "$gid" --name 王五 --id-number 370102198001010015 --relation 亲属 >/dev/null || fail "case agent"
as clerk1 case agent "$gid" --clear >/dev/null || fail "case agent --clear"
as clerk1 case assist "$gid" --mode help --note 协助填表 >/dev/null || fail "case assist"
as clerk1 case accept "$gid" -o "$tmp/receipt.pdf" >/dev/null || fail "accept the immediate item"
pdftotext "$tmp/receipt.pdf" - 2>/dev/null | grep -q 受理回执 || fail "an immediate item gets the acceptance receipt"
[[ $(rc_of as chief_a case decide "$gid" --decision deny --opinion "") == 2 ]] || fail "a denial without the reasons is bad input (2)"
as chief_a case decide "$gid" --decision deny --opinion 经营场所不符合规划用途 -o "$tmp/denial.pdf" --json >"$tmp/g2.json" || fail "deny on the spot: $(cat "$tmp/last.err")"
json_of "d['state']" <"$tmp/g2.json" | grep -qx denied || fail "denied"
pdftotext "$tmp/denial.pdf" - 2>/dev/null | grep -q 不予行政许可决定书 || fail "a licensing item gets 不予行政许可决定书"
pdfsig "$tmp/denial.pdf" 2>&1 | grep -q "Signature is Valid" || fail "pdfsig should confirm the denial's seal"

# ---- sync: every act reaches the training platform -------------------------------------------
"$sim" enroll --db "$tmp/sim.db" --terminal wf-test >"$tmp/cred.json" || fail "sim enroll"
"$sim" serve --db "$tmp/sim.db" --listen 127.0.0.1:0 --port-file "$tmp/port" --quiet --decide-after-s 100000 >>"$tmp/sim.log" 2>&1 &
pids+=($!)
for _ in $(seq 400); do [[ -s $tmp/port ]] && break; sleep 0.05; done
as admin platform connect --url "http://127.0.0.1:$(cat "$tmp/port")" --credentials "$tmp/cred.json" >/dev/null || fail "platform connect"
as admin sync --once >"$tmp/sync.json" 2>"$tmp/sync.err" || fail "sync --once: $(cat "$tmp/sync.err") $(as admin sync issues 2>/dev/null | head -3)"
"$sim" stats --db "$tmp/sim.db" >"$tmp/stats.json" || fail "sim stats"
python3 - "$tmp/stats.json" "$tmp/sync.json" <<'PY' || fail "the platform has both cases and the documents"
import json, sys
o = json.load(open(sys.argv[1])); r = json.load(open(sys.argv[2]))
assert o['distinct_cases'] == 3, o
assert r['quarantined'] == 0 and r['remaining_mutations'] == 0, r
assert o['blobs'] >= 6, o  # photo, signature and the notices
PY
[[ $(outbox) == 0 ]] || fail "the outbox should be empty after sync"
as admin audit verify >/dev/null || fail "audit verify"
as admin audit list --action case.countersign 2>/dev/null | grep -q '"case.countersign"' || fail "countersigns are audited"

# ---- the decision seal on a PKCS#11 token (SoftHSM2): the PIN given at each decision, never stored ----
hsm_module=/usr/lib/softhsm/libsofthsm2.so
if command -v softhsm2-util >/dev/null && command -v pkcs11-tool >/dev/null && [[ -e $hsm_module ]]; then
  mkdir -p "$tmp/hsm/tokens"
  printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' "$tmp/hsm/tokens" >"$tmp/hsm/conf"
  export SOFTHSM2_CONF=$tmp/hsm/conf
  softhsm2-util --init-token --free --label ow-decide --pin 4321 --so-pin 87654321 >/dev/null
  (umask 077; openssl pkcs12 -in "$tmp/seal/seal.p12" -passin "file:$tmp/seal/seal.pin" -nocerts -nodes 2>/dev/null | openssl pkey -out "$tmp/hsm/key.pem")
  openssl pkcs12 -in "$tmp/seal/seal.p12" -passin "file:$tmp/seal/seal.pin" -clcerts -nokeys 2>/dev/null | openssl x509 -outform DER -out "$tmp/hsm/cert.der"
  softhsm2-util --import "$tmp/hsm/key.pem" --token ow-decide --label seal --id 01 --pin 4321 >/dev/null
  pkcs11-tool --module $hsm_module --token-label ow-decide --login --pin 4321 --write-object "$tmp/hsm/cert.der" --type cert --id 01 --label seal >/dev/null 2>&1
  rm -f "$tmp/hsm/key.pem"
  printf '4321\n' >"$tmp/hsm/pin"; printf '1111\n' >"$tmp/hsm/bad"
  T=(--pkcs11-uri "pkcs11:token=ow-decide;object=seal;type=private" --pkcs11-module $hsm_module)
  # A wrong PIN at assignment: nothing assigned (post A keeps its PKCS#12 seal).
  r=$(rc_of "$cli" seal assign --store "$S" --password-file "$tmp/admin.pw" --as admin --post A "${T[@]}" --pin-file "$tmp/hsm/bad")
  [[ $r == 2 ]] && grep -q seal.wrong_pin "$tmp/last.err" || fail "seal assign with the token's wrong PIN should exit 2 (got $r): $(cat "$tmp/last.err")"
  as admin seal assigned --json | json_of "[x['kind'] for x in d if x['holder']=='A']" | grep -qx "\['pkcs12'\]" || fail "a refused assignment changed post A's seal"
  [[ $(rc_of "$cli" seal assign --store "$S" --password-file "$tmp/admin.pw" --as admin --post A "${T[@]}" --p12 "$tmp/seal/seal.p12" \
      --pin-file "$tmp/hsm/pin") == 2 ]] || fail "--p12 with --pkcs11-uri is a usage error (2)"
  "$cli" seal assign --store "$S" --password-file "$tmp/admin.pw" --as admin --post A "${T[@]}" --pin-file "$tmp/hsm/pin" \
    --image "$tmp/seal/seal.png" >/dev/null 2>"$tmp/last.err" || fail "seal assign --pkcs11-uri: $(cat "$tmp/last.err")"
  as admin seal assigned --json >"$tmp/assigned.json"
  python3 - "$tmp/assigned.json" <<'PY' || fail "seal assigned --json: post A on the token (kind, URI), post B a PKCS#12, no PIN"
import json, sys
a = {x['holder']: x for x in json.load(open(sys.argv[1]))}
assert a['A']['kind'] == 'pkcs11' and a['A']['pkcs11_uri'] == 'pkcs11:token=ow-decide;object=seal;type=private', a['A']
assert a['B']['kind'] == 'pkcs12' and a['B']['pkcs11_uri'] is None, a['B']
assert not any('pin' in k for x in a.values() for k in x), a
PY
  as admin audit list --action seal.assigned 2>/dev/null | tail -1 | grep -q '"key":"pkcs11"' || fail "the audit entry says the seal is on a token"
  as admin audit list 2>/dev/null | grep -q 4321 && fail "the token's PIN reached the audit trail"
  tid=$(as clerk1 case new --item 370102-SC-0001-001 --json | json_of "d['id']")
  as clerk1 case applicant "$tid" --id-number 11010519491231002X >/dev/null 2>&1 || fail "token case: applicant"
  as clerk1 case answer "$tid" "$tmp/g.json" >/dev/null || fail "token case: answer"
  for m in application operator_id premises; do as clerk1 case material "$tid" $m --status original >/dev/null || fail "token case: material $m"; done
  as clerk1 case accept "$tid" >/dev/null || fail "token case: accept"
  h0=$(as chief_a case show "$tid" --json | json_of "len(d['history'])")
  r=$(rc_of as chief_a case decide "$tid" --decision approve --opinion 同意 -o "$tmp/t.pdf")
  [[ $r == 1 && ! -e $tmp/t.pdf ]] && grep -q "PIN" "$tmp/last.err" || fail "a token seal without --pin-file should be refused (1), got $r: $(cat "$tmp/last.err")"
  r=$(rc_of as chief_a case decide "$tid" --decision approve --opinion 同意 --pin-file "$tmp/hsm/bad" -o "$tmp/t.pdf")
  [[ $r == 1 && ! -e $tmp/t.pdf ]] && grep -q "PIN .* is wrong" "$tmp/last.err" || fail "a wrong PIN should be refused (1), got $r: $(cat "$tmp/last.err")"
  [[ $(as chief_a case show "$tid" --json | json_of "str(len(d['history'])) + d['state']") == "${h0}accepted" ]] || fail "a wrong PIN wrote to the case"
  [[ $(rc_of "$cli" case decide "$tid" --decision approve --opinion 同意 --store "$S" --password-file - --user chief_a --pin-file - \
      <"$tmp/chief_a.pw") == 2 ]] || fail "the password and the PIN both on stdin is a usage error (2)"
  as chief_a case decide "$tid" --decision approve --opinion 符合条件 --pin-file - -o "$tmp/t.pdf" <"$tmp/hsm/pin" >/dev/null 2>"$tmp/last.err" \
    || fail "decide with the token's PIN on stdin: $(cat "$tmp/last.err")"
  pdfsig "$tmp/t.pdf" 2>&1 | grep -q "Signature is Valid" || fail "pdfsig should confirm the token-sealed decision"
  "$cli" seal verify "$tmp/t.pdf" --roots "$tmp/seal/ca.pem" >/dev/null || fail "seal verify --roots: the token's key is the demo CA's"
  unset SOFTHSM2_CONF
else
  echo "SKIP: the PKCS#11 decision seal (softhsm2, opensc or libengine-pkcs11-openssl missing; scripts/bootstrap installs them)"
fi

[[ $fails == 0 ]] && echo "ok: the case loop from the CLI" || { echo "$fails failure(s)"; exit 1; }
