#!/usr/bin/env bash
# 告知承诺制, 信即办 and their follow-up (issue 21 part 7) from the CLI against the training platform:
# real processes on loopback and a real SQLCipher store. Eligibility is catalogue data (an item of
# the 告知承诺制, an item on the 信即办 list); 信即办 asks the platform's credit service at the act and
# replaces the applicant's materials still to come with a written credit commitment; commitments get
# a check date and are verified (kept, or breached and the approval revoked or the matter referred);
# a deferred material never delivered is breached the same way; a breach synced to the platform
# makes the applicant's credit "poor", and 信即办 is then refused for them (审管联动).
# Exit codes: 0 done, 1 refused, 2 bad input or usage.
set -uo pipefail
cli=$1 sim=$2
tmp=$(mktemp -d); pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; [[ -n ${KEEP_TMP:-} ]] || rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails+1)); }
S=$tmp/store
for u in admin clerk chief_a; do printf '%s password 1\n' "$u" >"$tmp/$u.pw"; done
K=(--kdf-ops 1 --kdf-mem-mib 8)
as() { local u=$1; shift; "$cli" "$@" --store "$S" --password-file "$tmp/$u.pw" --user "$u"; }
rc_of() { "$@" >"$tmp/last.out" 2>"$tmp/last.err"; echo $?; }
field() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))$2)" "$1"; }
item=370102-SC-0001-001    # 个体工商户设立登记: on the 信即办 list
other=370102-RS-0211-001   # 社会保障卡申领: neither 告知承诺制 nor 信即办

"$cli" store init --store "$S" --user admin --role admin --password-file "$tmp/admin.pw" "${K[@]}" >/dev/null || fail "store init"
as admin user add --new-user clerk --role clerk --new-password-file "$tmp/clerk.pw" "${K[@]}" >/dev/null || fail "user add clerk"
as admin user add --new-user chief_a --role chief --post A --new-password-file "$tmp/chief_a.pw" "${K[@]}" >/dev/null || fail "user add chief_a"
"$cli" seal demo --key ec --org 济南市历下区行政审批服务局 -o "$tmp/seal" >/dev/null || fail "seal demo"
"$cli" seal assign --store "$S" --password-file "$tmp/admin.pw" --as admin --post A --p12 "$tmp/seal/seal.p12" --pin-file "$tmp/seal/seal.pin" >/dev/null || fail "seal assign"

new_case() { as clerk case new --item "${2:-$item}" --json | python3 -c "import json,sys; print(json.load(sys.stdin)['id'])"; }
applicant() {  # CASE ID-NUMBER NAME
  as clerk case applicant "$1" --id-number "$2" --name "$3" --phone 13800138000 >/dev/null 2>&1 || fail "case applicant $1"
}
answer() {
  printf '%s' '{"operator_name":"李红","operator_id":"11010519491231002X","operator_phone":"13800138000","organisation":"individual","business_name":"李红小吃店","business_scope":"小吃服务","premises":{"region":"370102","detail":"经十路2号"},"capital_fen":5000000,"employees":2,"agent_present":false}' >"$tmp/answers.json"
  as clerk case answer "$1" "$tmp/answers.json" >/dev/null || fail "case answer $1"
}

# ---- without a platform, 信即办 cannot ask for the credit standing -------------------------------------
C0=$(new_case); applicant "$C0" 11010519491231002X 李红; answer "$C0"
[[ $(rc_of as clerk case commit "$C0" --credit) == 1 ]] && grep -q "credit" "$tmp/last.err" \
  || fail "信即办 without a platform: refused (1) naming the credit standing: $(cat "$tmp/last.err")"

"$sim" enroll --db "$tmp/sim.db" --terminal commitments-test >"$tmp/cred.json" || fail "sim enroll"
"$sim" serve --db "$tmp/sim.db" --listen 127.0.0.1:0 --port-file "$tmp/port" --quiet --decide-after-s 100000 >>"$tmp/sim.log" 2>&1 &
pids+=($!)
for _ in $(seq 400); do [[ -s $tmp/port ]] && break; sleep 0.05; done
as admin platform connect --url "http://127.0.0.1:$(cat "$tmp/port")" --credentials "$tmp/cred.json" >/dev/null || fail "platform connect"
sync_once() { as admin sync --once >"$tmp/sync.json" 2>"$tmp/sync.err" || fail "sync --once: $(cat "$tmp/sync.err")"; }
sync_once

# ---- usage and eligibility ------------------------------------------------------------------------
[[ $(rc_of as clerk case commit "$C0") == 2 ]] || fail "case commit without --item or --credit: usage (2)"
[[ $(rc_of as clerk case commit "$C0" --item --credit) == 2 ]] || fail "case commit with both: usage (2)"
[[ $(rc_of as clerk case commit "$C0" --item) == 1 ]] && grep -q "workflow.not_eligible\|告知承诺制" "$tmp/last.err" \
  || fail "个体工商户设立登记 is not of the 告知承诺制: refused (1): $(cat "$tmp/last.err")"
O=$(new_case x $other); applicant "$O" 11010519491231002X 李红
[[ $(rc_of as clerk case commit "$O" --credit) == 1 ]] && grep -q "信即办" "$tmp/last.err" \
  || fail "社会保障卡申领 is not on the 信即办 list: refused (1): $(cat "$tmp/last.err")"
D=$(new_case)
[[ $(rc_of as clerk case commit "$D" --credit) == 1 ]] || fail "信即办 before the applicant is known: refused (1)"

# ---- 信即办: the credit answer, the materials, acceptance without them, the check date -------------------
[[ $(rc_of as clerk case commit "$C0" --credit --json) == 0 ]] || fail "case commit --credit: $(cat "$tmp/last.err")"
python3 - "$tmp/last.out" <<'PY' || fail "case commit --credit --json: the credit standing, the commitment, the materials as 告知承诺"
import json, sys, datetime
d = json.load(open(sys.argv[1]))
cr = d['credit']
assert cr['standing'] == 'good' and cr['report_no'].startswith('XY') and cr['source'], cr
[cm] = d['commitments']
assert cm['kind'] == 'credit' and '信用承诺' in cm['text'] and 'finding' not in cm, cm
today = (datetime.datetime.utcnow() + datetime.timedelta(hours=8)).date()
due = datetime.date.fromisoformat(cm['check_due'])
assert (due - today).days >= 20, (due, today)   # 20 working days on
st = {m['material_code']: m['status'] for m in d['checklist']}
# The applicant's own material still to come is now 告知承诺; the application (filled in online)
# and the ID (an e-licence) are not the applicant's papers to replace.
assert st['premises'] == 'commitment' and st['application'] == 'pending' and st['operator_id'] == 'pending', st
PY
for m in application operator_id; do as clerk case material "$C0" $m --status original >/dev/null || fail "material $m"; done
[[ $(rc_of as clerk case commit "$C0" --credit) == 1 ]] || fail "a second credit commitment: refused (1)"
[[ $(rc_of as clerk case accept "$C0") == 0 ]] || fail "accepted on the credit commitment: $(cat "$tmp/last.err")"
as clerk case submit "$C0" >/dev/null 2>&1 || true   # an immediate item may already be with the chief
[[ $(rc_of as chief_a case decide "$C0" --decision approve --opinion 同意) == 0 ]] || fail "decided on the spot: $(cat "$tmp/last.err")"
as clerk case documents "$C0" --json 2>/dev/null | grep -q notification_commitment || fail "the 告知承诺书 was made"

# ---- follow-up: checks of the input, then the breach acted on -----------------------------------------
[[ $(rc_of as clerk case verify "$C0" --result breached --finding x) == 2 ]] || fail "verify without --commitment or --material: usage (2)"
[[ $(rc_of as clerk case verify "$C0" --commitment 1 --result maybe --finding x) == 2 ]] || fail "an unknown result: usage (2)"
[[ $(rc_of as clerk case verify "$C0" --commitment 2 --result fulfilled --finding x) == 2 ]] || fail "no commitment 2: invalid input (2)"
[[ $(rc_of as clerk case verify "$C0" --commitment 1 --result breached --finding x) == 2 ]] || fail "a breach without an outcome: invalid input (2)"
[[ $(rc_of as clerk case verify "$C0" --commitment 1 --result fulfilled --outcome referred --finding x) == 2 ]] || fail "kept with an outcome: invalid input (2)"
[[ $(rc_of as clerk case verify "$C0" --commitment 1 --result breached --outcome revoked --finding "经营场所与承诺不符") == 1 ]] \
  || fail "a clerk does not revoke an approval (1): $(cat "$tmp/last.err")"
[[ $(rc_of as chief_a case verify "$C0" --commitment 1 --result breached --outcome revoked --finding "现场核查：经营场所与承诺不符" --json) == 0 ]] \
  || fail "the chief revokes: $(cat "$tmp/last.err")"
python3 - "$tmp/last.out" <<'PY' || fail "case verify --json: the finding on the commitment, the revocation"
import json, sys
d = json.load(open(sys.argv[1]))
f = d['commitments'][0]['finding']
assert f['result'] == 'breached' and f['outcome'] == 'revoked' and f['source'] == 'window' and f['by']['user_id'] == 'chief_a', f
assert d['revocation']['reason'].startswith('现场核查') and d['revocation']['by']['user_id'] == 'chief_a', d.get('revocation')
PY
[[ $(rc_of as chief_a case verify "$C0" --commitment 1 --result fulfilled --finding again) == 2 ]] || fail "verified once (2)"

# ---- 审管联动: the breach reaches the platform; the applicant's credit is poor; 信即办 is refused ------------
sync_once
C1=$(new_case); applicant "$C1" 11010519491231002X 李红; answer "$C1"
[[ $(rc_of as clerk case commit "$C1" --credit) == 1 ]] && grep -q "poor" "$tmp/last.err" \
  || fail "after the breach the platform answers poor: 信即办 refused (1): $(cat "$tmp/last.err")"
C2=$(new_case); applicant "$C2" 370102198001010015 王五; answer "$C2"
[[ $(rc_of as clerk case commit "$C2" --credit) == 0 ]] || fail "another applicant is still in good standing: $(cat "$tmp/last.err")"

# ---- the regulator's finding (the simulator plays it: regulator-check) arrives at the next sync -----------
for m in application operator_id; do as clerk case material "$C2" $m --status original >/dev/null || fail "material $m (C2)"; done
as clerk case accept "$C2" >/dev/null 2>&1 || fail "accept C2"
sync_once
[[ $("$sim" regulator-check --db "$tmp/sim.db" --case "$C2" --commitment 9 >/dev/null 2>&1; echo $?) == 1 ]] \
  || fail "regulator-check of a commitment the case lacks: invalid input (1)"
"$sim" regulator-check --db "$tmp/sim.db" --case "$C2" --commitment 1 --breach --regulator 历下区市场监督管理局 \
  --finding "现场核查：未在经营场所开展经营" >/dev/null || fail "regulator-check"
sync_once
as clerk case show "$C2" --json >"$tmp/c2.json" || fail "case show C2"
python3 - "$tmp/c2.json" <<'PY' || fail "the regulator's finding is on the case (source regulator, referred, by the platform)"
import json, sys
d = json.load(open(sys.argv[1]))
f = d['commitments'][0]['finding']
assert f['source'] == 'regulator' and f['regulator'] == '历下区市场监督管理局' and f['result'] == 'breached', f
assert f['outcome'] == 'referred' and f['finding'] == '现场核查：未在经营场所开展经营' and f['by']['role'] == 'platform', f
assert 'revocation' not in d, d.get('revocation')
PY
# The window checked C0's commitment already: the regulator's finding on it is noted as agreeing, not applied twice.
"$sim" regulator-check --db "$tmp/sim.db" --case "$C0" --commitment 1 >/dev/null || fail "regulator-check C0"
sync_once
as admin audit list --action sync.change_converged | grep -q "$C0" || fail "the regulator's finding on a commitment checked here converges"
[[ $(as clerk case show "$C0" --json | python3 -c "import json,sys; print(json.load(sys.stdin)['commitments'][0]['finding']['source'])") == window ]] \
  || fail "C0 keeps the window's finding"
C3=$(new_case); applicant "$C3" 370102198001010015 王五; answer "$C3"
[[ $(rc_of as clerk case commit "$C3" --credit) == 1 ]] && grep -q "poor" "$tmp/last.err" \
  || fail "after the regulator's breach the platform answers poor for 王五 too: $(cat "$tmp/last.err")"

# ---- 告知承诺制: a commitment on the item's conditions (企业设立登记) -----------------------------------
Q=$(new_case x 370102-SC-0002-001)
as clerk case applicant "$Q" --uscc 91350100MA01B2C37P --org-name 济南示例科技有限公司 --legal-rep 赵六 >/dev/null 2>&1 || fail "organisation applicant"
[[ $(rc_of as clerk case commit "$Q" --item --text "本企业承诺住所符合登记条件。" --json) == 0 ]] || fail "case commit --item: $(cat "$tmp/last.err")"
python3 - "$tmp/last.out" <<'PY' || fail "case commit --item --json: kind item, the text, a check date, no credit"
import json, sys
d = json.load(open(sys.argv[1]))
[cm] = d['commitments']
assert cm['kind'] == 'item' and cm['text'] == '本企业承诺住所符合登记条件。' and cm['check_due'] and cm['material_code'] == '', cm
assert 'credit' not in d, d.get('credit')
PY
# A material that allows a commitment (domicile) gets a check date too.
[[ $(rc_of as clerk case material "$Q" domicile --status commitment --json) == 0 ]] || fail "material domicile as commitment: $(cat "$tmp/last.err")"
[[ $(field "$tmp/last.out" "['commitments'][1]['kind']") == material && -n $(field "$tmp/last.out" "['commitments'][1]['check_due']") ]] \
  || fail "a material's commitment has kind material and a check date"
[[ $(rc_of as clerk case commit "$Q" --credit) == 0 ]] || fail "the enterprise in good standing: 信即办 too: $(cat "$tmp/last.err")"
[[ $(rc_of as clerk case verify "$Q" --commitment 1 --result fulfilled --finding x) == 1 ]] || fail "nothing is verified before acceptance (1)"
as admin audit list --action case.verify_follow_up | grep -q "$C0" || fail "the follow-up is audited"
as admin audit list --action case.record_commitment | grep -q "$Q" || fail "the commitment is audited"

echo "cli_commitments: $fails failure(s)"
exit $((fails > 0))
