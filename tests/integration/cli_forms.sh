#!/usr/bin/env bash
# The forms CLI contracts: forms list / validate / check, their JSON and exit codes (0 ok,
# 1 invalid input, 2 usage or other).
set -uo pipefail
cli=$1 src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails+1)); }
rc_of() { "$@" >/dev/null 2>&1; echo $?; }

"$cli" forms list --json >"$tmp/list.json" || fail "forms list --json"
python3 - "$tmp/list.json" <<'PY' || fail "forms list --json shape"
import json, sys
d = json.load(open(sys.argv[1]))
items = [o for o in d if o["type"] == "item"]; bundles = [o for o in d if o["type"] == "bundle"]
assert len(items) >= 15 and len(bundles) >= 4, (len(items), len(bundles))
assert all(o["kind"] in ("immediate", "promised", "escalated") for o in items)
assert all("kind" not in o for o in bundles)
assert any(o["code"] == "BUNDLE-QYKB" for o in bundles)
PY
[[ $("$cli" forms list | wc -l) -ge 19 ]] || fail "forms list (text)"
[[ $(rc_of "$cli" forms list --bogus) == 2 ]] || fail "forms list --bogus should exit 2"

[[ $(rc_of "$cli" forms validate "$src/forms/catalog") == 0 ]] || fail "validate the shipped catalogue"
[[ $(rc_of "$cli" forms validate "$src/forms/catalog/items/qysldj.json" "$src/forms/catalog/bundles/qykb.json") == 0 ]] || fail "validate files"
printf '{"broken": ' >"$tmp/broken.json"
[[ $(rc_of "$cli" forms validate "$tmp/broken.json") == 1 ]] || fail "broken JSON should exit 1"
python3 - "$src/forms/catalog/items/gtgshsldj.json" "$tmp/bad_type.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1])); j["form"]["fields"][2]["type"] = "colour"; json.dump(j, open(sys.argv[2], "w"))
PY
err=$("$cli" forms validate "$tmp/bad_type.json" 2>&1 >/dev/null); rc=$?
[[ $rc == 1 && $err == *"bad_type.json: /form/fields/2/type: unknown field type 'colour'"* ]] || fail "unknown type: rc=$rc err=$err"
[[ $(rc_of "$cli" forms validate "$tmp/nonexistent.json") == 2 ]] || fail "missing file should exit 2"
[[ $(rc_of "$cli" forms validate) == 2 ]] || fail "validate without paths should exit 2"

echo '{}' >"$tmp/empty.json"
"$cli" forms check 370102-SC-0001-001 "$tmp/empty.json" >"$tmp/check.json"; rc=$?
[[ $rc == 1 ]] || fail "check with empty answers should exit 1 (got $rc)"
python3 - "$tmp/check.json" <<'PY' || fail "check JSON shape"
import json, sys
o = json.load(open(sys.argv[1]))
assert o["valid"] is False and o["errors"] and o["checklist"]
e = o["errors"][0]
assert {"path", "code", "severity", "message"} <= set(e) and {"zh_CN", "en"} <= set(e["message"])
PY
id=$(python3 -c "
s='37010219900307123'; W=[7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2]
print(s+'10X98765432'[sum(int(c)*w for c,w in zip(s,W))%11])")
cat >"$tmp/good.json" <<JSON
{"operator_name": "李四", "operator_id": "$id", "operator_phone": "13905310000", "organisation": "individual",
 "business_name": "李四小吃店", "business_scope": "小吃服务", "premises": {"region": "370102", "detail": "泉城路1号"},
 "capital_fen": 5000000, "employees": 2, "agent_present": true,
 "agent": {"name": "王五", "doc_type": 111, "doc_number": "$id"}}
JSON
"$cli" forms check 370102-SC-0001-001 "$tmp/good.json" --today 2025-10-09 >"$tmp/ok.json"; rc=$?
[[ $rc == 0 ]] || { fail "check with good answers should exit 0 (got $rc)"; cat "$tmp/ok.json"; }
python3 - "$tmp/ok.json" <<'PY' || fail "good check: valid, agent's authorisation on the checklist, version stored"
import json, sys
o = json.load(open(sys.argv[1]))
assert o["valid"] is True
assert "agent_authorisation" in [c["material_code"] for c in o["checklist"]]
assert o["answers"]["version"] == "2025.1" and o["answers"]["form"] == "370102-SC-0001-001"
PY
"$cli" forms check BUNDLE-QYKB "$tmp/empty.json" >"$tmp/b.json"
python3 - "$tmp/b.json" <<'PY' || fail "bundle check: merged checklist with serves_items, per-item answers"
import json, sys
o = json.load(open(sys.argv[1]))
lic = [c for c in o["checklist"] if c["material_code"] == "licence"][0]
assert len(lic["serves_items"]) == 4
assert len(o["item_answers"]) == 5
PY
# a repeat two items share (the employees of 单位社保登记 and 公积金缴存登记) is answered once and
# split back into each item's own ids, row by row
cat >"$tmp/emp.json" <<JSON
{"employees": [{"emp_name": "王五", "emp_id": "$id", "sb_emp_start": "2025-10-09", "sb_emp_wage_fen": 600000,
                "gjj_emp_base_fen": 550000}]}
JSON
"$cli" forms check BUNDLE-QYKB "$tmp/emp.json" --today 2025-10-09 >"$tmp/emp_out.json"
python3 - "$tmp/emp_out.json" "$id" <<'PY' || fail "bundle check: shared repeat split per item"
import json, sys
o = json.load(open(sys.argv[1])); i = sys.argv[2]
assert not [e for e in o["errors"] if e["path"].startswith("/employees")], o["errors"]
ia = o["item_answers"]
assert ia["370102-RS-0201-001"]["answers"]["employees"] == [
    {"emp_name": "王五", "emp_id": i, "emp_start": "2025-10-09", "emp_wage_fen": 600000}], ia["370102-RS-0201-001"]
assert ia["370102-GJ-0301-001"]["answers"]["employees"] == [
    {"emp_name": "王五", "emp_id": i, "emp_base_fen": 550000}], ia["370102-GJ-0301-001"]
PY
[[ $(rc_of "$cli" forms check NO-SUCH-CODE "$tmp/empty.json") == 2 ]] || fail "unknown code should exit 2"
printf '[1, ' >"$tmp/bad_answers.json"
[[ $(rc_of "$cli" forms check 370102-SC-0001-001 "$tmp/bad_answers.json") == 1 ]] || fail "unparsable answers should exit 1"
[[ $(rc_of "$cli" forms check 370102-SC-0001-001) == 2 ]] || fail "check without answers should exit 2"
(( fails == 0 )) && echo "ok" || { echo "$fails failures"; exit 1; }
