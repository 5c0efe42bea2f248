#!/usr/bin/env bash
# 通办 (cross-region acceptance) from the CLI against the training platform (issue 19), real
# processes on loopback and a real SQLCipher store: the platform's catalogue names another
# region's authority for an item; a case of it is accepted here, refused to the local decision
# path, sent through the platform (state escalated, "with the other region"), decided there (the
# simulator plays the other region: `region-decide`), its decision and decision document back at
# the next sync, and its result issued here at the window.
set -uo pipefail
cli=$1 sim=$2 src=$3
tmp=$(mktemp -d); pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; [[ -n ${KEEP_TMP:-} ]] || rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails+1)); }
S=$tmp/store
for u in admin clerk1 chief_a; do printf '%s password 1\n' "$u" >"$tmp/$u.pw"; done
K=(--kdf-ops 1 --kdf-mem-mib 8)
as() { local u=$1; shift; "$cli" "$@" --store "$S" --password-file "$tmp/$u.pw" --user "$u"; }
json_of() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))" "$1"; }
rc_of() { "$@" >/dev/null 2>"$tmp/last.err"; echo $?; }
item=370102-RS-0211-001  # 社会保障卡申领 (promised), made 通办 with 烟台市 by the platform

"$cli" store init --store "$S" --user admin --role admin --password-file "$tmp/admin.pw" "${K[@]}" >/dev/null || fail "store init"
as admin user add --new-user clerk1 --role clerk --new-password-file "$tmp/clerk1.pw" "${K[@]}" >/dev/null || fail "user add clerk1"
as admin user add --new-user chief_a --role chief --post A --new-password-file "$tmp/chief_a.pw" "${K[@]}" >/dev/null || fail "user add chief_a"
"$cli" seal demo --org 济南市历下区行政审批服务局 -o "$tmp/seal" >/dev/null || fail "seal demo"
"$cli" seal assign --store "$S" --password-file "$tmp/admin.pw" --as admin --post A --p12 "$tmp/seal/seal.p12" --pin-file "$tmp/seal/seal.pin" >/dev/null || fail "seal assign post A"

# A catalogue entry with a remote authority the core refuses: an immediate item cannot be 通办.
python3 - "$src/forms/catalog/items/shbzksl.json" "$tmp/tongban.json" "$tmp/bad.json" <<'PY' || fail "make the 通办 revision"
import json, sys
j = json.load(open(sys.argv[1]))
j["cross_region"] = {"region_code": "370600", "region": "烟台市", "authority": "烟台市人力资源和社会保障局"}
json.dump(j, open(sys.argv[2], "w"), ensure_ascii=False)
j["cross_region"]["region_code"] = "37060"
json.dump(j, open(sys.argv[3], "w"), ensure_ascii=False)
PY
"$cli" forms validate "$tmp/bad.json" >/dev/null 2>&1 && fail "a 5-digit region code should be refused by forms validate"
"$cli" forms validate "$tmp/tongban.json" >/dev/null 2>"$tmp/v.err" || fail "the 通办 item should validate: $(cat "$tmp/v.err")"

"$sim" enroll --db "$tmp/sim.db" --terminal tongban-test >"$tmp/cred.json" || fail "sim enroll"
"$sim" catalogue-revise --db "$tmp/sim.db" --item "$tmp/tongban.json" >/dev/null || fail "catalogue-revise (通办)"
"$sim" serve --db "$tmp/sim.db" --listen 127.0.0.1:0 --port-file "$tmp/port" --quiet --decide-after-s 100000 >>"$tmp/sim.log" 2>&1 &
pids+=($!)
for _ in $(seq 400); do [[ -s $tmp/port ]] && break; sleep 0.05; done
as admin platform connect --url "http://127.0.0.1:$(cat "$tmp/port")" --credentials "$tmp/cred.json" >/dev/null || fail "platform connect"
sync_once() { as admin sync --once >"$tmp/sync.json" 2>"$tmp/sync.err" || fail "sync --once: $(cat "$tmp/sync.err")"; }
sync_once  # the platform's catalogue, with the 通办 item

# ---- 通办: accepted here, decided by the other region, issued here ---------------------------------------
tid=$(as clerk1 case new --item $item --json | json_of "d['id']")
as clerk1 case applicant "$tid" --id-number 11010519491231002X --name 李红 --phone 13800138000 >/dev/null || fail "通办 applicant"
# The photo scanned first (the form's attachment field is answered by it), then the form.
as clerk1 case material "$tid" photo --status scanned --file "$tmp/seal/seal.png" >/dev/null || fail "material photo"
printf '%s' '{"holder_name": "李红", "holder_id": "11010519491231002X", "bank": "icbc", "mail": false, "phone": "13800138000"}' >"$tmp/t.json"
as clerk1 case answer "$tid" "$tmp/t.json" >/dev/null || fail "通办 answers: $(as clerk1 case answer "$tid" "$tmp/t.json" 2>&1 | tail -2)"
as clerk1 case material "$tid" holder_id --status original >/dev/null || fail "material holder_id"
[[ $(rc_of as clerk1 case accept "$tid") == 0 ]] || fail "accept the 通办 case: $(cat "$tmp/last.err")"
[[ $(rc_of as clerk1 case submit "$tid") == 1 ]] || fail "a 通办 case is not submitted to the chief here (1)"
grep -q "cross-region" "$tmp/last.err" || fail "the refusal names the cross-region item: $(cat "$tmp/last.err")"
[[ $(rc_of as chief_a case decide "$tid" --decision approve --opinion 同意) == 1 ]] || fail "deciding a 通办 case here is refused (1)"
oid=$(as clerk1 case new --item 370102-SC-0002-001 --json | json_of "d['id']")
[[ $(rc_of as clerk1 case send-remote "$oid") == 1 ]] && grep -q "decided here" "$tmp/last.err" || fail "sending a case of an item decided here is refused (1): $(cat "$tmp/last.err")"
as clerk1 case send-remote "$tid" --json >"$tmp/t1.json" || fail "send-remote: $(cat "$tmp/last.err")"
json_of "d['state'] + '|' + str(d['with_other_region']) + '|' + d['cross_region']['authority']" <"$tmp/t1.json" \
  | grep -qx 'escalated|True|烟台市人力资源和社会保障局' || fail "with the other region: $(cat "$tmp/t1.json")"
[[ $(rc_of as chief_a case decide "$tid" --decision approve --opinion 同意) == 1 ]] || fail "deciding it here while with the other region is refused (1)"
[[ $(rc_of as clerk1 case issue "$tid" --pickup) == 1 ]] || fail "nothing to issue before the other region decided (1)"
sync_once
"$sim" region-decide --db "$tmp/sim.db" --case "$tid" --opinion 经烟台市审查，准予办理 >"$tmp/decided.json" || fail "the other region decides"
sha=$(json_of "d['document']['sha256']" <"$tmp/decided.json")
sync_once
json_of "d['remote_documents']" <"$tmp/sync.json" | grep -qx 1 || fail "the decision document comes back: $(cat "$tmp/sync.json")"
as clerk1 case show "$tid" >"$tmp/t2.json" || fail "case show"
python3 - "$tmp/t2.json" <<'PY' || fail "approved by the other region"
import json, sys
c = json.load(open(sys.argv[1]))
assert c['state'] == 'approved' and not c['with_other_region'], c['state']
assert c['decision']['approved'] and c['decision']['opinion'] == '经烟台市审查，准予办理', c['decision']
assert c['decision']['by']['role'] == 'platform', c['decision']
PY
mkdir -p "$tmp/docs"
as clerk1 case documents "$tid" --write-dir "$tmp/docs" --json >"$tmp/docs.json" || fail "case documents"
python3 - "$tmp/docs.json" "$sha" <<'PY' || fail "the decision document is among the case's documents"
import json, sys
d = [x for x in json.load(open(sys.argv[1])) if x['kind'] == 'remote_decision']
assert len(d) == 1 and d[0]['sha256'] == sys.argv[2] and d[0]['title'], d
PY
doc=$(python3 -c "import json,sys; print([x['file'] for x in json.load(open(sys.argv[1])) if x['kind']=='remote_decision'][0])" "$tmp/docs.json")
pdfinfo "$doc" 2>/dev/null | grep -q "烟台市" || fail "the decision PDF opens and names the other region"
as clerk1 case issue "$tid" --pickup --signature "$tmp/seal/seal.png" -o "$tmp/pickup.pdf" --json >"$tmp/t3.json" || fail "issue the 通办 result here: $(cat "$tmp/last.err")"
json_of "d['state']" <"$tmp/t3.json" | grep -qx result_issued || fail "result issued"
sync_once
json_of "d['quarantined']" <"$tmp/sync.json" | grep -qx 0 || fail "the platform takes the issue of the 通办 case: $(cat "$tmp/sync.json")"
"$sim" region-decide --db "$tmp/sim.db" --case "$oid" >/dev/null 2>&1
[[ $? == 1 ]] || fail "region-decide of a case never sent is refused (1)"

as admin audit verify >/dev/null || fail "audit verify"
[[ $fails == 0 ]] && echo "cli_tongban: all checks passed"
exit $(( fails > 0 ))
