#!/usr/bin/env bash
# `case queue NAME`: the JSON shape {"queue", "count", "cases": […]} for every queue name, counts
# that agree with what demo seed made, paging, the readable table, and usage errors (exit 2):
# an unknown name (listing the names), a bad --today.
set -uo pipefail
cli=$1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails+1)); }
S=$tmp/store; printf 'window password 1\n' >"$tmp/pw"
P=(--store "$S" --password-file "$tmp/pw")
names=(today due-soon overdue awaiting-correction deferred-due awaiting-decision to-issue follow-ups sync-problems)

"$cli" store init "${P[@]}" --user clerk --role clerk --kdf-ops 1 --kdf-mem-mib 8 >/dev/null || fail "store init"
"$cli" demo seed "${P[@]}" --cases 300 --seed 5 >"$tmp/seed.json" || fail "demo seed"

for n in "${names[@]}"; do
  "$cli" case queue "$n" "${P[@]}" --json --today 2025-09-30 --limit 5 >"$tmp/$n.json"; rc=$?
  [[ $rc == 0 ]] || { fail "case queue $n exited $rc"; continue; }
  python3 - "$tmp/$n.json" "$n" "$tmp/seed.json" <<'PY' || fail "case queue $n: JSON shape or count"
import json, sys
text = open(sys.argv[1]).read()
assert text.count("\n") == 1, "one line of JSON"
o, name, seed = json.loads(text), sys.argv[2], json.load(open(sys.argv[3]))
assert list(o) == ["queue", "count", "cases"], list(o)
assert o["queue"] == name and isinstance(o["count"], int) and isinstance(o["cases"], list)
assert len(o["cases"]) == min(5, o["count"]), (len(o["cases"]), o["count"])
# "green" (issue 19): the case has a green-channel flag and comes first (added member).
base = {"id", "receipt_no", "item_code", "item_name", "applicant_name", "state", "due_date", "promised_provisional", "updated_at", "green"}
extra = {"deferred-due": {"material_code", "material_name", "promised_by"},
         "follow-ups": {"rating_level", "rated_at", "follow_up_due"}, "sync-problems": {"sync_code"}}.get(name, set())
for c in o["cases"]:
    assert set(c) == base | extra, sorted(set(c) ^ (base | extra))
    assert isinstance(c["promised_provisional"], bool) and isinstance(c["green"], bool) and c["id"] and c["receipt_no"]
by_state = seed["by_state"]
expect = {"awaiting-correction": by_state.get("correction_requested", 0),
          "awaiting-decision": by_state.get("under_review", 0),
          "to-issue": by_state.get("approved", 0) + by_state.get("denied", 0)}
if name in expect:
    assert o["count"] == expect[name], (o["count"], expect[name])
    assert o["count"] > 0, "the seed should put cases in " + name
if name == "due-soon":
    assert all(c["state"] in ("accepted", "under_review") and "2025-09-30" <= c["due_date"] <= "2025-10-10" for c in o["cases"])
if name == "overdue":
    assert o["count"] > 0 and all(c["due_date"] < "2025-09-30" for c in o["cases"])
if name == "follow-ups":
    assert o["count"] > 0 and all(c["rating_level"] >= 4 for c in o["cases"])
if name == "sync-problems":
    assert o["count"] == 0  # nothing was ever sent
PY
done

# Paging: the next page continues the first, a page past the end is empty with the same count.
"$cli" case queue overdue "${P[@]}" --json --today 2025-09-30 --limit 2 --offset 2 >"$tmp/p2.json" || fail "offset"
"$cli" case queue overdue "${P[@]}" --json --today 2025-09-30 --limit 4 >"$tmp/p1.json" || fail "limit 4"
"$cli" case queue overdue "${P[@]}" --json --today 2025-09-30 --offset 100000 >"$tmp/p3.json" || fail "offset past the end"
python3 - "$tmp/p1.json" "$tmp/p2.json" "$tmp/p3.json" <<'PY' || fail "paging"
import json, sys
p1, p2, p3 = (json.load(open(f)) for f in sys.argv[1:])
assert [c["id"] for c in p1["cases"][2:4]] == [c["id"] for c in p2["cases"]]
assert p3["cases"] == [] and p3["count"] == p1["count"]
PY

# The readable table.
"$cli" case queue awaiting-decision "${P[@]}" --today 2025-09-30 >"$tmp/table.txt" || fail "table output"
grep -q '^awaiting-decision on 2025-09-30: [0-9]* case' "$tmp/table.txt" || fail "table header: $(head -1 "$tmp/table.txt")"
[[ $(wc -l <"$tmp/table.txt") -gt 1 ]] || fail "the table lists no case"

# Usage errors: exit 2, nothing on stdout.
out=$("$cli" case queue nonsense "${P[@]}" --json 2>"$tmp/err"); rc=$?
[[ $rc == 2 ]] || fail "an unknown queue should exit 2 (got $rc)"
[[ -z $out ]] || fail "an unknown queue printed to stdout: $out"
for n in "${names[@]}"; do grep -q -- "$n" "$tmp/err" || fail "the error does not list $n: $(cat "$tmp/err")"; done
"$cli" case queue today "${P[@]}" --today 2025-13-01 >/dev/null 2>&1; rc=$?; [[ $rc == 2 ]] || fail "a bad --today should exit 2 (got $rc)"
"$cli" case queue today "${P[@]}" --limit 0 >/dev/null 2>&1; rc=$?; [[ $rc == 2 ]] || fail "--limit 0 should exit 2 (got $rc)"
"$cli" case queue "${P[@]}" >/dev/null 2>&1; rc=$?; [[ $rc == 2 ]] || fail "no queue name should exit 2 (got $rc)"
# A wrong password: exit 1, as every store command.
printf 'wrong\n' >"$tmp/bad"
"$cli" case queue today --store "$S" --password-file "$tmp/bad" >/dev/null 2>&1; rc=$?; [[ $rc == 1 ]] || fail "a wrong password should exit 1 (got $rc)"
help=$("$cli" case --help 2>&1); grep -q 'case queue NAME' <<<"$help" || fail "case --help does not list queue: $help"

(( fails == 0 )) && echo "ok: case queue" || exit 1
