#!/usr/bin/env bash
# Issue 21 from the CLI: enquiries (首问负责) — recorded by a clerk, listed open by due date, handed
# to a chief representative (the first asked stays the owner), replied to by the holder only,
# turned into an intake once; and the 两头受理 warning — a second case of the same applicant and
# item names the first on stderr at `case applicant` and `case accept`, and the acceptance's
# history records it; fees (收费) — listed by `case fees`, paid with the 收费凭证 (pdftotext), the result
# held back while one is due, waived by a chief representative only; 帮办代办 — an agent's power of
# attorney and ID as materials, a helper assigned and ended, the assisted queue, an enterprise's contact
# clerk following its next case, the vulnerable's green flags. Exit codes: 0 done, 1 refused,
# 2 bad input or usage.
set -uo pipefail
cli=$1
tmp=$(mktemp -d)
trap '[[ -n ${KEEP_TMP:-} ]] || rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails+1)); }
S=$tmp/store
for u in admin clerk chief; do printf '%s password 1\n' "$u" >"$tmp/$u.pw"; done
K=(--kdf-ops 1 --kdf-mem-mib 8)
as() { local u=$1; shift; "$cli" "$@" --store "$S" --password-file "$tmp/$u.pw" --user "$u"; }
rc_of() { "$@" >"$tmp/last.out" 2>"$tmp/last.err"; echo $?; }
field() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))$2)" "$1"; }

"$cli" store init --store "$S" --user admin --role admin --password-file "$tmp/admin.pw" "${K[@]}" >/dev/null || fail "store init"
as admin user add --new-user clerk --role clerk --new-password-file "$tmp/clerk.pw" "${K[@]}" >/dev/null || fail "user add clerk"
as admin user add --new-user chief --role chief --new-password-file "$tmp/chief.pw" "${K[@]}" >/dev/null || fail "user add chief"
item=370102-SC-0001-001  # 个体工商户设立登记

# ---- enquiries ----
r=$(rc_of as clerk enquiry new --subject "个体工商户设立需要哪些材料？" --name 周红 --phone 13905310011 --item $item --json)
[[ $r == 0 ]] || fail "enquiry new should exit 0 (got $r): $(cat "$tmp/last.err")"
cp "$tmp/last.out" "$tmp/e1.json"
E1=$(field "$tmp/e1.json" "['id']")
[[ $(field "$tmp/e1.json" "['owner']") == clerk && $(field "$tmp/e1.json" "['holder']") == clerk && $(field "$tmp/e1.json" "['state']") == open ]] \
  || fail "a new enquiry is the clerk's, open: $(cat "$tmp/e1.json")"
python3 - "$tmp/e1.json" <<'PY' || fail "enquiry --json: the documented fields, due a working day after today"
import json, sys, datetime
d = json.load(open(sys.argv[1]))
assert {'id','kind','channel','asker_name','asker_phone','item','subject','owner','holder','state','due','overdue','reply','replied_by',
        'replied_at','case_id','handovers','created_at'} <= set(d), d
today = (datetime.datetime.utcnow() + datetime.timedelta(hours=8)).date()
assert datetime.date.fromisoformat(d['due']) > today and d['overdue'] is False and d['handovers'] == [], d
PY
[[ $(rc_of as clerk enquiry new --subject "营业时间？" --reply "工作日 9:00-17:00" --json) == 0 ]] || fail "an enquiry answered at once"
[[ $(field "$tmp/last.out" "['state']") == answered ]] || fail "answered at once: state answered"
[[ $(rc_of as clerk enquiry new --subject "   ") == 2 ]] || fail "an empty subject is invalid input (2)"
[[ $(rc_of as clerk enquiry new --subject x --kind praise) == 2 ]] || fail "an unknown kind is a usage error (2)"
[[ $(rc_of as clerk enquiry new --subject x --item NO-SUCH) == 2 ]] || fail "an unknown item is invalid input (2)"
[[ $(rc_of as admin enquiry new --subject x) == 1 ]] || fail "an administrator takes no enquiries (1)"
[[ $(as clerk enquiry list --json | python3 -c "import json,sys; print(json.load(sys.stdin)['count'])") == 1 ]] || fail "one open enquiry listed"
[[ $(as clerk enquiry list --all --json | python3 -c "import json,sys; print(json.load(sys.stdin)['count'])") == 2 ]] || fail "two in all"

[[ $(rc_of as chief enquiry reply "$E1" --text "答复") == 1 ]] && grep -q refused "$tmp/last.err" || fail "neither holder nor owner: refused (1)"
[[ $(rc_of as clerk enquiry handover "$E1" --to nobody) == 2 ]] || fail "handover to an unknown user: invalid input (2)"
[[ $(rc_of as clerk enquiry handover "$E1" --to chief --note "请首席代表答复" --json) == 0 ]] || fail "handover to the chief: $(cat "$tmp/last.err")"
[[ $(field "$tmp/last.out" "['holder']") == chief && $(field "$tmp/last.out" "['owner']") == clerk ]] || fail "held by the chief, owned by the clerk"
[[ $(as chief enquiry list --mine --json | python3 -c "import json,sys; print(json.load(sys.stdin)['count'])") == 1 ]] || fail "the chief holds one"
[[ $(rc_of as chief enquiry reply "$E1" --text "请带身份证原件。" --json) == 0 ]] || fail "the holder replies: $(cat "$tmp/last.err")"
[[ $(field "$tmp/last.out" "['state']") == answered && $(field "$tmp/last.out" "['replied_by']") == chief ]] || fail "answered by the chief"
[[ $(rc_of as clerk enquiry reply "$E1" --text again) == 1 ]] || fail "a second reply is refused (1)"
as admin audit list --action enquiry.handed_over | grep -q "$E1" || fail "the handover is audited"

r=$(rc_of as clerk enquiry new --subject "想办营业执照" --item $item --json); E2=$(field "$tmp/last.out" "['id']")
[[ $(rc_of as chief enquiry case "$E2") == 1 ]] || fail "a chief starts no intake (1)"
[[ $(rc_of as clerk enquiry case "$E2" --json) == 0 ]] || fail "enquiry case: $(cat "$tmp/last.err")"
[[ $(field "$tmp/last.out" "['state']") == draft && $(field "$tmp/last.out" "['item']") == $item ]] || fail "the enquiry became a draft of its item"
[[ $(rc_of as clerk enquiry case "$E2") == 1 ]] || fail "an enquiry becomes a case once (1)"
[[ $(as clerk enquiry show "$E2" | python3 -c "import json,sys; print(json.load(sys.stdin)['state'])") == case ]] || fail "enquiry show: state case"

# ---- 两头受理 ----
new_case() { as clerk case new --item $item --json | python3 -c "import json,sys; print(json.load(sys.stdin)['id'])"; }
ready() {
  as clerk case applicant "$1" --id-number 11010519491231002X --name 李红 --phone 13800138000 >/dev/null 2>"$tmp/applicant.err" || fail "case applicant $1"
  printf '%s' '{"operator_name":"李红","operator_id":"11010519491231002X","operator_phone":"13800138000","organisation":"individual","business_name":"李红小吃店","business_scope":"小吃服务","premises":{"region":"370102","detail":"经十路2号"},"capital_fen":5000000,"employees":2,"agent_present":false}' >"$tmp/answers.json"
  as clerk case answer "$1" "$tmp/answers.json" >/dev/null || fail "case answer $1"
  for m in application operator_id premises; do as clerk case material "$1" $m --status original >/dev/null || fail "material $m"; done
}
C1=$(new_case); ready "$C1"
grep -q "两头受理" "$tmp/applicant.err" && fail "the first case has no duplicate to warn of"
as clerk case accept "$C1" >/dev/null 2>"$tmp/accept1.err" || fail "accept the first"
R1=$(as clerk case show "$C1" --json | python3 -c "import json,sys; print(json.load(sys.stdin)['receipt_no'])")
C2=$(new_case); ready "$C2"
grep -q "$R1" "$tmp/applicant.err" || fail "case applicant should warn of the open case $R1: $(cat "$tmp/applicant.err")"
r=$(rc_of as clerk case accept "$C2")
[[ $r == 0 ]] || fail "the second acceptance is a warning, not a refusal (got $r)"
grep -q "$R1" "$tmp/last.err" || fail "case accept should name $R1: $(cat "$tmp/last.err")"
as clerk case show "$C2" --json | python3 -c "
import json,sys
d = json.load(sys.stdin)
acc = [h for h in d['history'] if h['action'] == 'accept'][-1]
assert acc['data']['duplicates'][0]['receipt_no'] == sys.argv[1], acc" "$R1" || fail "the acceptance's history names the open case"

# ---- fees (收费) ----
printf 'chiefa password 1\n' >"$tmp/chiefa.pw"
as admin user add --new-user chiefa --role chief --post A --new-password-file "$tmp/chiefa.pw" "${K[@]}" >/dev/null || fail "user add chiefa"
"$cli" seal demo --org 济南市历下区医疗保障局 -o "$tmp/seal" >/dev/null || fail "seal demo"
"$cli" seal assign --store "$S" --password-file "$tmp/admin.pw" --as admin --post A --p12 "$tmp/seal/seal.p12" \
  --pin-file "$tmp/seal/seal.pin" --image "$tmp/seal/seal.png" >/dev/null || fail "seal assign post A"
fee_item=370102-YB-0107-001  # 城乡居民基本医疗保险参保登记: immediate, 380.00 yuan
fee_case() {  # sets FEE_ID (not in a subshell: a failure here counts)
  FEE_ID=$(as clerk case new --item $fee_item --json | python3 -c "import json,sys; print(json.load(sys.stdin)['id'])")
  as clerk case applicant "$FEE_ID" --id-number 11010519491231002X --name 李红 --phone 13800138000 >/dev/null 2>&1 || fail "fee case applicant"
  printf '{"insured_name":"李红","insured_id":"11010519491231002X","category":"adult","household_outside":false,"contact_phone":"13800138000","insurance_year":%s}' \
    "$(TZ=Asia/Shanghai date +%Y)" >"$tmp/yb.json"
  as clerk case answer "$FEE_ID" "$tmp/yb.json" >/dev/null 2>"$tmp/answer.err" || fail "fee case answer: $(cat "$tmp/answer.err")"
  as clerk case material "$FEE_ID" id --status original >/dev/null || fail "fee case material"
}
fee_case; F=$FEE_ID
as clerk case fees "$F" --json >"$tmp/fees0.json" || fail "case fees --json"
python3 - "$tmp/fees0.json" <<'PY' || fail "case fees: one fee of 380.00 yuan, due: $(cat "$tmp/fees0.json")"
import json, sys
d = json.load(open(sys.argv[1]))
assert {'case_id', 'receipt_no', 'total_fen', 'paid_fen', 'waived_fen', 'due_fen', 'fees'} <= set(d), d
assert d['total_fen'] == 38000 and d['due_fen'] == 38000 and d['paid_fen'] == 0, d
assert len(d['fees']) == 1 and d['fees'][0]['status'] == 'due' and d['fees'][0]['amount_fen'] == 38000, d
PY
as clerk case fees "$C1" | grep -q "free of charge" || fail "a free item's case says so: $(as clerk case fees "$C1" 2>&1)"
[[ $(rc_of as clerk case pay "$F" --amount abc) == 2 ]] || fail "a bad amount is a usage error (2)"
[[ $(rc_of as clerk case pay "$F" --method cheque) == 2 ]] || fail "an unknown method is a usage error (2)"
[[ $(rc_of as clerk case pay "$F" --method wechat) == 2 ]] || fail "WeChat Pay without its transaction number is invalid (2)"
[[ $(rc_of as clerk case pay "$F") == 1 ]] || fail "nothing is paid on a draft (1)"
as clerk case accept "$F" >/dev/null 2>&1 || fail "accept the fee case"
as clerk case submit "$F" >/dev/null 2>&1 || fail "submit the fee case"
as chiefa case decide "$F" --decision approve --opinion 符合参保条件 >/dev/null 2>"$tmp/decide.err" || fail "decide the fee case: $(cat "$tmp/decide.err")"
[[ $(rc_of as clerk case issue "$F" --pickup) == 1 ]] && grep -q "fees still due" "$tmp/last.err" \
  || fail "the result waits for the fee (1, 'fees still due'): $(cat "$tmp/last.err")"
[[ $(rc_of as clerk case pay "$F" --amount 300) == 2 ]] || fail "another amount without a reason is invalid (2)"
r=$(rc_of as clerk case pay "$F" --method wechat --payment-no 4200001234567 --bill-no 3701022600012 -o "$tmp/fee.pdf" --json)
[[ $r == 0 ]] || fail "case pay should exit 0 (got $r): $(cat "$tmp/last.err")"
[[ $(field "$tmp/last.out" "['fees'][0]['status']") == paid && $(field "$tmp/last.out" "['fees'][0]['method']") == wechat ]] \
  || fail "case pay --json: the fee paid by WeChat Pay: $(cat "$tmp/last.out")"
pdftotext "$tmp/fee.pdf" - >"$tmp/fee.txt" 2>/dev/null || fail "the receipt is not a PDF"
for want in 收费凭证 叁佰捌拾元整 微信支付 4200001234567 李红; do grep -q "$want" "$tmp/fee.txt" || fail "the receipt lacks $want"; done
[[ $(as clerk case fees "$F" --json | python3 -c "import json,sys; d=json.load(sys.stdin); print(d['paid_fen'], d['due_fen'])") == "38000 0" ]] \
  || fail "case fees after paying: 38000 paid, 0 due"
[[ $(rc_of as clerk case pay "$F") == 1 ]] || fail "a fee is paid once (1)"
[[ $(rc_of as clerk case issue "$F" --pickup) == 0 ]] || fail "the result goes out once paid: $(cat "$tmp/last.err")"
as admin audit list --action case.record_fee | grep -q "$F" || fail "the payment is audited"
fee_case; F2=$FEE_ID
as clerk case accept "$F2" >/dev/null 2>&1 || fail "accept the second fee case"
[[ $(rc_of as clerk case waive "$F2" --reason 低保对象) == 1 ]] || fail "a clerk does not waive (1)"
[[ $(rc_of as chiefa case waive "$F2") == 2 ]] || fail "a waiver without its reason is a usage error (2)"
[[ $(rc_of as chiefa case waive "$F2" --reason 申请人为最低生活保障对象 --basis 医保发〔2023〕1号 --json) == 0 ]] || fail "the chief waives: $(cat "$tmp/last.err")"
[[ $(field "$tmp/last.out" "['fees'][0]['status']") == waived && $(field "$tmp/last.out" "['fees'][0]['reason']") == 申请人为最低生活保障对象 ]] \
  || fail "case waive --json: waived with the reason"

# ---- 帮办代办 (agent, helper, the assisted queue, 一企一员, the vulnerable's flags) ----
agent_id=370102198001010015
C3=$(new_case); ready "$C3"
r=$(rc_of as clerk case agent "$C3" --name 王五 --id-number $agent_id --phone 13912345678 --relation 亲属 --json)
[[ $r == 0 ]] || fail "case agent should exit 0 (got $r): $(cat "$tmp/last.err")"
python3 - "$tmp/last.out" <<'PY' || fail "case agent --json: the agent on the applicant, the mandate and the agent's ID on the checklist"
import json, sys
d = json.load(open(sys.argv[1]))
a = d['applicant']
assert a['agent_name'] == '王五' and a['agent_doc_number'] == '370102198001010015' and a['agent_relation'] == '亲属', a
codes = {m['material_code']: m for m in d['checklist']}
assert codes['AGENT-MANDATE']['name'] == '授权委托书' and codes['AGENT-MANDATE']['status'] == 'pending', codes
assert codes['AGENT-ID']['necessity'] == 'required', codes
PY
[[ $(rc_of as clerk case accept "$C3") == 1 ]] && grep -q "授权委托书" "$tmp/last.err" \
  || fail "no acceptance without the power of attorney (1, naming 授权委托书): $(cat "$tmp/last.err")"
[[ $(rc_of as clerk case agent "$C3" --name 李红 --id-number 11010519491231002X) == 2 ]] || fail "the applicant as their own agent: invalid input (2)"
[[ $(rc_of as clerk case agent "$C3" --name 王五 --id-number 370102198001010016) == 2 ]] || fail "a bad check digit: invalid input (2)"
[[ $(rc_of as clerk case agent "$C3" --name 王五) == 2 ]] || fail "an agent without an ID number: usage (2)"
[[ $(rc_of as chief case agent "$C3" --name 王五 --id-number $agent_id) == 1 ]] || fail "the agent is the window's to record (chief: 1)"
for m in AGENT-MANDATE AGENT-ID; do as clerk case material "$C3" $m --status original >/dev/null || fail "material $m"; done
as clerk case accept "$C3" >/dev/null 2>&1 || fail "accepted with the mandate and the agent's ID"
[[ $(rc_of as clerk case agent "$C3" --clear) == 1 ]] || fail "once accepted, the agent stays as recorded (1)"

r=$(rc_of as clerk case assist "$C3" --mode agency --helper clerk --note 申请人行动不便，全程代办 --json)
[[ $r == 0 ]] || fail "case assist should exit 0 (got $r): $(cat "$tmp/last.err")"
[[ $(field "$tmp/last.out" "['assistance']['helper']") == clerk && $(field "$tmp/last.out" "['assistance']['mode']") == agency ]] \
  || fail "case assist --json: the clerk handles the case (agency): $(cat "$tmp/last.out")"
[[ $(rc_of as clerk case assist "$C3" --mode agency --helper clerk --note 申请人行动不便，全程代办) == 1 ]] || fail "the same helper again: refused (1)"
[[ $(rc_of as clerk case assist "$C3" --helper admin) == 2 ]] || fail "an administrator helps no applicant: invalid input (2)"
[[ $(rc_of as clerk case assist "$C3" --helper nobody) == 2 ]] || fail "an unknown helper: invalid input (2)"
[[ $(rc_of as clerk case assist "$C3" --mode contact) == 2 ]] || fail "a contact clerk for a person: invalid input (2)"
[[ $(rc_of as clerk case assist "$C3" --mode lead) == 2 ]] || fail "an unknown mode: usage (2)"
queue_count() { as clerk case queue assisted "$@" --json | python3 -c "import json,sys; print(json.load(sys.stdin)['count'])"; }
[[ $(queue_count --helper clerk) == 1 && $(queue_count --helper chief) == 0 && $(queue_count) == 1 ]] \
  || fail "the assisted queue: 1 of the clerk's, 0 of the chief's, 1 in all"
as clerk case queue assisted --helper clerk --json | python3 -c "
import json, sys
r = json.load(sys.stdin)['cases'][0]
assert r['id'] == sys.argv[1] and r['helper'] == 'clerk' and r['assist_mode'] == 'agency' and r['agent_name'] == '王五', r" "$C3" \
  || fail "the assisted queue's row names the helper, the mode and the agent"
[[ $(rc_of as clerk case queue today --helper clerk) == 2 ]] || fail "--helper with another queue: usage (2)"
[[ $(rc_of as clerk case assist "$C3" --end) == 0 && $(queue_count) == 0 ]] || fail "the help ended: the assisted queue is empty"
[[ $(rc_of as clerk case assist "$C3" --end) == 2 ]] || fail "no help to end: invalid input (2)"
as admin audit list --action case.assist | grep -q "$C3" || fail "the assignment is audited"

# 一企一员: once an enterprise has a contact clerk, its next case gets them as helper.
uscc=91350100MA01B2C37P
org_case() { as clerk case new --item $item --json | python3 -c "import json,sys; print(json.load(sys.stdin)['id'])"; }
O1=$(org_case)
as clerk case applicant "$O1" --uscc $uscc --org-name 济南示例科技有限公司 --legal-rep 赵六 >/dev/null 2>&1 || fail "organisation applicant"
[[ $(rc_of as clerk case assist "$O1" --mode contact --helper chief) == 0 ]] || fail "the chief becomes the enterprise's contact clerk: $(cat "$tmp/last.err")"
O2=$(org_case)
as clerk case applicant "$O2" --uscc $uscc --org-name 济南示例科技有限公司 >/dev/null 2>"$tmp/org.err" || fail "second organisation case"
grep -q "一企一员" "$tmp/org.err" || fail "case applicant should say the contact clerk follows the case: $(cat "$tmp/org.err")"
[[ $(as clerk case show "$O2" --json | python3 -c "import json,sys; a=json.load(sys.stdin)['assistance']; print(a['mode'], a['helper'])") == "contact chief" ]] \
  || fail "the enterprise's second case has its contact clerk"
[[ $(queue_count --helper chief) == 2 ]] || fail "the chief's assisted queue holds the enterprise's two cases"

# The vulnerable (老弱病残孕): the pregnant and the ill get the green channel too.
[[ $(rc_of as clerk case flag "$C3" --green pregnant --json) == 0 && $(field "$tmp/last.out" "['green_flags'][0]") == pregnant ]] \
  || fail "case flag --green pregnant"
[[ $(rc_of as clerk case flag "$C3" --green ill) == 0 ]] || fail "case flag --green ill"

if (( fails )); then echo "$fails failure(s)"; exit 1; fi
echo "cli_enquiry: all passed"
