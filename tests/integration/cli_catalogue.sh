#!/usr/bin/env bash
# The catalogue the platform sends is the one used: before the first sync a store uses the shipped
# catalogue; the training platform revises an item (name, promised limit, a material, a form
# field); after `sync --once` the store's catalogue (forms list/check --store, demo seed) is the
# platform's. A revision whose form the terminal's form engine refuses stays out of the cache.
set -uo pipefail
cli=$1 sim=$2 src=$3
tmp=$(mktemp -d); pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails+1)); }
printf 'window password 1\n' >"$tmp/pw"; P=(--password-file "$tmp/pw")
S=$tmp/store
code=370102-RS-0211-001  # 社会保障卡申领, 10 working days

"$cli" store init --store "$S" --user clerk --role clerk "${P[@]}" --kdf-ops 1 --kdf-mem-mib 8 >/dev/null || fail "store init"

# name_of JSON CODE: the item's name in a `forms list --json` output
name_of() { python3 -c "import json,sys; print(next(o['name'] for o in json.load(open(sys.argv[1])) if o['code']==sys.argv[2]))" "$1" "$2"; }

# Before any sync: the shipped catalogue, with or without --store (same output).
"$cli" forms list --json >"$tmp/shipped.json" || fail "forms list (shipped)"
"$cli" forms list --json --store "$S" "${P[@]}" >"$tmp/before.json" || fail "forms list --store before sync"
cmp -s "$tmp/shipped.json" "$tmp/before.json" || fail "an unsynced store should list the shipped catalogue"
[[ $(name_of "$tmp/before.json" $code) == 社会保障卡申领 ]] || fail "shipped name: $(name_of "$tmp/before.json" $code)"
"$cli" forms list --store "$S" >/dev/null 2>&1 </dev/null && fail "forms list --store without a password should fail"
"$cli" forms list --password-file "$tmp/pw" >/dev/null 2>&1; [[ $? == 2 ]] || fail "--password-file without --store should exit 2"

# The platform revises the item.
"$sim" enroll --db "$tmp/sim.db" --terminal cat-test --centre 370102A --terminal-code T11 >"$tmp/cred.json" || fail "sim enroll"
python3 - "$src/forms/catalog/items/shbzksl.json" "$tmp/revised.json" <<'PY' || fail "make the revision"
import json, sys
j = json.load(open(sys.argv[1]))
j["name"] = "社会保障卡申领（修订）"
j["spec"]["promised_limit_days"] = 8
j["spec"]["materials"].append({"code": "revised_photo", "name": "近期免冠照片（修订新增）", "form": "original",
                               "originals": 1, "copies": 0, "necessity": "required", "source": "applicant"})
j["form"]["fields"].append({"id": "revised_note", "type": "text", "label": {"zh_CN": "修订备注", "en": "Revised note"}})
json.dump(j, open(sys.argv[2], "w"), ensure_ascii=False)
PY
"$sim" catalogue-revise --db "$tmp/sim.db" --item "$tmp/revised.json" >"$tmp/rev.json" || fail "catalogue-revise --item"
version=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['version'])" "$tmp/rev.json")

start_sim() {
  rm -f "$tmp/port"
  "$sim" serve --db "$tmp/sim.db" --listen 127.0.0.1:0 --port-file "$tmp/port" --quiet >>"$tmp/sim.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 400); do [[ -s $tmp/port ]] && break; sleep 0.05; done
  url=http://127.0.0.1:$(cat "$tmp/port")
}
start_sim
"$cli" platform connect --store "$S" "${P[@]}" --url "$url" --credentials "$tmp/cred.json" >/dev/null || fail "platform connect"
"$cli" sync --store "$S" "${P[@]}" --once >"$tmp/report.json" 2>"$tmp/err" || fail "sync --once: $(cat "$tmp/err")"

# After the sync: the platform's catalogue, in the form engine's and in ow_core's view.
"$cli" forms list --json --store "$S" "${P[@]}" >"$tmp/after.json" || fail "forms list --store after sync"
[[ $(name_of "$tmp/after.json" $code) == 社会保障卡申领（修订） ]] || fail "revised name: $(name_of "$tmp/after.json" $code)"
"$cli" store stats --store "$S" "${P[@]}" | grep -q "\"catalog_version\": \"$version\"" || fail "store stats should show catalogue $version"
[[ $(name_of "$tmp/shipped.json" $code) == 社会保障卡申领 ]] || fail "without --store the shipped catalogue stays"
echo '{}' >"$tmp/empty.json"
"$cli" forms check $code "$tmp/empty.json" --store "$S" "${P[@]}" >"$tmp/check.json"
python3 - "$tmp/check.json" <<'PY' || fail "forms check --store uses the revised form"
import json, sys
o = json.load(open(sys.argv[1]))
assert any(e["material_code"] == "revised_photo" for e in o["checklist"]), o["checklist"]
PY
"$cli" forms check $code "$tmp/empty.json" >"$tmp/check0.json"
grep -q revised_photo "$tmp/check0.json" && fail "forms check without --store should use the shipped form"

# demo seed takes the store's catalogue: the revised item's cases carry its name, limit and material.
# (The item's form needs the photo scanned: the seed takes it only while --scans are left.)
"$cli" demo seed --store "$S" "${P[@]}" --cases 150 --scans 150 --seed 4 >/dev/null || fail "demo seed"
"$cli" case search --store "$S" "${P[@]}" 370102A- --limit 1000 >"$tmp/hits.jsonl" || fail "case search"
found=0
while read -r id; do
  "$cli" case show --store "$S" "${P[@]}" "$id" >"$tmp/case.json" || { fail "case show $id"; break; }
  if python3 - "$tmp/case.json" "$code" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
sys.exit(0 if c["item_code"] == sys.argv[2] else 1)
PY
  then
    found=1
    python3 - "$tmp/case.json" <<'PY' || fail "a seeded case of the revised item should carry the revision"
import json, sys
c = json.load(open(sys.argv[1]))
assert c["item_name"] == "社会保障卡申领（修订）", c["item_name"]
assert any(e["material_code"] == "revised_photo" for e in c["checklist"]), c["checklist"]
PY
    break
  fi
done < <(python3 -c "import json,sys; [print(json.loads(l)['id']) for l in open(sys.argv[1])]" "$tmp/hits.jsonl")
[[ $found == 1 ]] || fail "demo seed made no case of $code"

# A revision the form engine refuses (a check naming a field the form lacks; ow_core takes it):
# a store that syncs it keeps the shipped catalogue and records the problem.
python3 - "$tmp/revised.json" "$tmp/bad.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
j["name"] = "坏的修订"
j["form"]["checks"] = [{"id": "bad", "rule": "no_such_field == 1", "message": {"zh_CN": "错", "en": "bad"}}]
json.dump(j, open(sys.argv[2], "w"), ensure_ascii=False)
PY
"$sim" catalogue-revise --db "$tmp/sim.db" --item "$tmp/bad.json" >/dev/null || fail "catalogue-revise with a bad form"
S2=$tmp/store2
"$cli" store init --store "$S2" --user clerk --role clerk "${P[@]}" --kdf-ops 1 --kdf-mem-mib 8 >/dev/null || fail "store2 init"
"$sim" enroll --db "$tmp/sim.db" --terminal cat-test-2 --centre 370102A --terminal-code T12 >"$tmp/cred2.json" || fail "sim enroll 2"
"$cli" platform connect --store "$S2" "${P[@]}" --url "$url" --credentials "$tmp/cred2.json" >/dev/null || fail "platform connect 2"
"$cli" sync --store "$S2" "${P[@]}" --once >/dev/null 2>"$tmp/err2"
"$cli" forms list --json --store "$S2" "${P[@]}" >"$tmp/after2.json" || fail "forms list --store2"
cmp -s "$tmp/shipped.json" "$tmp/after2.json" || fail "a refused catalogue must not be used"
"$cli" sync issues --store "$S2" "${P[@]}" --kind problem >"$tmp/issues.jsonl"
grep -q '"code":"catalogue.invalid"' "$tmp/issues.jsonl" && grep -q 'no_such_field' "$tmp/issues.jsonl" \
  || fail "the refused catalogue should be a problem record: $(cat "$tmp/issues.jsonl")"

[[ $fails == 0 ]] && echo "cli_catalogue: all passed"
exit $((fails > 0))
