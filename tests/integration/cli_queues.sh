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

# The closing-time list (issue 21): what can still be finished today, with who is on duty
# (hours.duty; Tuesday 30 Sep 2025). Its JSON adds "kind" and "due_at" to each case and "on_duty".
"$cli" settings set hours.duty 'mon-fri 王芳; sat 李强,张伟' "${P[@]}" >/dev/null || fail "settings set hours.duty"
"$cli" settings set hours.duty 'mon-fri 王芳; fri 李强' "${P[@]}" >/dev/null 2>"$tmp/err"; rc=$?
[[ $rc == 1 ]] || fail "a roster naming a day twice should exit 1 (got $rc)"
for day in 2025-09-29 2025-09-30 2025-10-09; do
  "$cli" case queue closing "${P[@]}" --json --today $day --limit 1000 >"$tmp/closing-$day.json" || fail "case queue closing --today $day"
done
python3 - "$tmp" <<'PY' || fail "case queue closing: JSON shape or membership"
import json, sys
base = {"id", "receipt_no", "item_code", "item_name", "applicant_name", "state", "due_date", "promised_provisional", "updated_at", "green",
        "kind", "due_at"}
hours_seen = 0
for day, duty in (("2025-09-29", ["王芳"]), ("2025-09-30", ["王芳"]), ("2025-10-09", ["王芳"])):
    o = json.load(open(f"{sys.argv[1]}/closing-{day}.json"))
    assert list(o) == ["queue", "count", "cases", "on_duty"], list(o)
    assert o["queue"] == "closing" and o["on_duty"] == duty and o["count"] == len(o["cases"]), (o["count"], o["on_duty"])
    end = day + "T16:00:00.000Z"  # the end of the China date, in UTC
    keys = []
    for c in o["cases"]:
        assert set(c) == base, sorted(set(c) ^ base)
        assert c["state"] in ("received", "accepted", "under_review"), c["state"]
        assert c["kind"] == "immediate" or (c["due_date"] and c["due_date"] <= day) or (c["due_at"] and c["due_at"] < end), c
        keys.append(c["due_at"] or (c["due_date"] + "T16:00:00.000Z" if c["due_date"] else "9999"))
        hours_seen += bool(c["due_at"])
    green = [k for k, c in zip(keys, o["cases"]) if c["green"]]
    others = [k for k, c in zip(keys, o["cases"]) if not c["green"]]
    assert green == sorted(green) and others == sorted(others), "earliest promise first"
    assert o["count"] > 0, "the seed should leave cases to finish on " + day
print("hours-limit cases listed:", hours_seen)
PY
"$cli" case queue closing "${P[@]}" --today 2025-09-30 >"$tmp/closing.txt" || fail "closing table"
grep -q '^closing on 2025-09-30: [0-9]* case' "$tmp/closing.txt" || fail "closing header: $(head -1 "$tmp/closing.txt")"
grep -q '^on duty: 王芳$' "$tmp/closing.txt" || fail "closing table names nobody on duty: $(sed -n 2p "$tmp/closing.txt")"
"$cli" case queue closing "${P[@]}" --today 2025-10-04 --json | python3 -c "import json,sys; assert json.load(sys.stdin)['on_duty'] == ['李强', '张伟']" \
  || fail "on duty on Saturday 4 Oct"

(( fails == 0 )) && echo "ok: case queue" || exit 1
