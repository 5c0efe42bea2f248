#!/usr/bin/env bash
# `demo seed` made through the acts (issue 15): with --notices (an administrator), a small seed
# holds every notice kind of `notice kinds`, each stored with its case and listed by
# `case documents`; every decision is sealed and pdfsig validates its signature; B acting for an
# absent A is recorded. A clerk is refused --notices (exit 1, nothing written). The audit trail
# and the store's integrity check pass. With --today, every work queue of that day holds cases.
set -uo pipefail
cli=$1
tmp=$(mktemp -d)
trap '[[ -n ${KEEP_TMP:-} ]] || rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails+1)); }
printf 'seed test password\n' >"$tmp/pw"
K=(--kdf-ops 1 --kdf-mem-mib 8)
A=(--store "$tmp/admin" --password-file "$tmp/pw")
C=(--store "$tmp/clerk" --password-file "$tmp/pw")

"$cli" store init "${C[@]}" --user clerk --role clerk "${K[@]}" >/dev/null || fail "store init (clerk)"
"$cli" demo seed "${C[@]}" --cases 3 --seed 1 --notices >/dev/null 2>"$tmp/err"; rc=$?
[[ $rc == 1 ]] || fail "a clerk asking for --notices should be refused with 1 (got $rc)"
grep -q "administrator" "$tmp/err" || fail "the refusal should say an administrator is needed: $(cat "$tmp/err")"
"$cli" store stats "${C[@]}" | python3 -c "import json,sys; o=json.load(sys.stdin); assert o['cases']==0 and o['users']==1, o" \
  || fail "a refused --notices wrote something"

"$cli" store init "${A[@]}" --user admin --role admin "${K[@]}" >/dev/null || fail "store init (admin)"
"$cli" demo seed "${A[@]}" --cases 12 --seed 2 --notices >"$tmp/seed.json" 2>"$tmp/err" || fail "demo seed --notices: $(cat "$tmp/err")"
"$cli" notice kinds | cut -f1 >"$tmp/kinds"
[[ $(wc -l <"$tmp/kinds") -ge 13 ]] || fail "notice kinds lists the kinds"
python3 - "$tmp/seed.json" "$tmp/kinds" <<'PY' || fail "the seed report should count every notice kind"
import json, sys
r = json.load(open(sys.argv[1])); kinds = [l.strip() for l in open(sys.argv[2]) if l.strip()]
assert r['cases'] == 12, r
missing = [k for k in kinds if not r['notices'].get(k)]
assert not missing, missing
PY
"$cli" user list "${A[@]}" --json | python3 -c "
import json,sys; u={x['name']: x for x in json.load(sys.stdin)}
assert u['chief-a']['post']=='A' and u['chief-b']['post']=='B' and u['chief-a']['role']=='chief', u
assert not u['chief-a'].get('absent_since'), u['chief-a']" || fail "the seed adds chief-a (A) and chief-b (B), and A is back after B acted"
"$cli" seal assigned "${A[@]}" --json | python3 -c "
import json,sys; h=sorted(x['holder'] for x in json.load(sys.stdin) if x['holder_kind']=='post'); assert h==['A','B'], h" \
  || fail "the demo seal is assigned to posts A and B"
ls -d "$tmp/admin"/tmp-act-* >/dev/null 2>&1 && fail "a scratch folder was left in the store"

# Every case's documents, from the store: each kind, sealed decisions that pdfsig validates.
"$cli" case search "${A[@]}" --limit 100 DEMO01- | python3 -c "import json,sys; [print(json.loads(l)['id']) for l in sys.stdin if l.strip()]" >"$tmp/ids"
[[ $(wc -l <"$tmp/ids") == 12 ]] || fail "case search finds the 12 cases"
: >"$tmp/docs"
n=0
while read -r id; do
  n=$((n+1)); mkdir -p "$tmp/d$n"
  "$cli" case documents "$id" "${A[@]}" --json --write-dir "$tmp/d$n" >>"$tmp/docs" 2>"$tmp/err" || fail "case documents $id: $(cat "$tmp/err")"
  echo >>"$tmp/docs"
done <"$tmp/ids"
python3 - "$tmp/docs" "$tmp/kinds" >"$tmp/sealed" <<'PY' || fail "case documents: every kind, decisions sealed"
import json, sys
docs = [d for l in open(sys.argv[1]) if l.strip() for d in json.loads(l)]
kinds = [l.strip() for l in open(sys.argv[2]) if l.strip()]
seen = {d['kind'] for d in docs}
assert set(kinds) <= seen, set(kinds) - seen
for d in docs:
    decision = d['kind'] in ('approval_decision', 'denial_decision', 'approval_result', 'denial_result')
    assert d['sealed'] or not decision, d  # decisions always; a notice the chief makes may be sealed too
    if d['sealed']: print(d['file'])
PY
[[ -s $tmp/sealed ]] || fail "no sealed decision"
while read -r f; do
  pdfsig "$f" 2>&1 | grep -q "Signature Validation: Signature is Valid" || fail "pdfsig should validate the seal of $f: $(pdfsig "$f" 2>&1 | tail -3)"
  pdftotext "$f" - 2>/dev/null | grep -q "决定书\|通知书" || fail "$f has no decision title"
done <"$tmp/sealed"
# B acting for an absent A, recorded in the history.
found=0
while read -r id; do
  "$cli" case show "$id" "${A[@]}" --json | python3 -c "
import json,sys; d=json.load(sys.stdin)
sys.exit(0 if any(h['actor']['user_id']=='chief-b' and h['actor']['acting_for']=='chief-a' for h in d['history']) else 1)" && found=1
done <"$tmp/ids"
[[ $found == 1 ]] || fail "no decision by B acting for A in the history"
"$cli" audit verify "${A[@]}" >/dev/null || fail "audit verify"
"$cli" store integrity "${A[@]}" >/dev/null || fail "store integrity"
# Seeding again with notices: the users and the seal are kept, new cases added.
"$cli" demo seed "${A[@]}" --cases 2 --seed 3 --notices >/dev/null 2>"$tmp/err" || fail "a second --notices seed: $(cat "$tmp/err")"
"$cli" seal assigned "${A[@]}" --json | python3 -c "import json,sys; assert len(json.load(sys.stdin))==2" || fail "the seal is assigned once per post"

# --today: every work queue of that day holds cases (the desk's home screen, issue 16).
T=(--store "$tmp/queues" --password-file "$tmp/pw")
"$cli" store init "${T[@]}" --user clerk --role clerk "${K[@]}" >/dev/null || fail "store init (queues)"
"$cli" demo seed "${T[@]}" --cases 200 --seed 4 --today 2026-12-01 >/dev/null 2>"$tmp/err" || fail "demo seed --today: $(cat "$tmp/err")"
for n in today due-soon overdue awaiting-correction deferred-due awaiting-decision to-issue follow-ups sync-problems; do
  c=$("$cli" case queue "$n" "${T[@]}" --json --today 2026-12-01 --limit 1 | python3 -c "import json,sys; print(json.load(sys.stdin)['count'])")
  [[ ${c:-0} -gt 0 ]] || fail "demo seed --today 2026-12-01 left the queue $n empty"
done
"$cli" demo seed "${T[@]}" --cases 1 --seed 8 --today 12/01/2026 >/dev/null 2>&1; rc=$?
[[ $rc == 2 ]] || fail "a bad --today should be a usage error (2), got $rc"
"$cli" audit verify "${T[@]}" >/dev/null || fail "audit verify (queues)"

# --cases-per-commit: 0 (every act its own commit) and a batch report the same seed (the unit test
# test_seed compares the stores row by row); a negative count is a usage error.
for n in 0 7; do
  P=(--store "$tmp/per-$n" --password-file "$tmp/pw")
  "$cli" store init "${P[@]}" --user clerk --role clerk "${K[@]}" >/dev/null || fail "store init (per-commit $n)"
  "$cli" demo seed "${P[@]}" --cases 20 --seed 9 --cases-per-commit "$n" >"$tmp/per-$n.json" 2>"$tmp/err" ||
    fail "demo seed --cases-per-commit $n: $(cat "$tmp/err")"
done
cmp -s "$tmp/per-0.json" "$tmp/per-7.json" || fail "--cases-per-commit 0 and 7 reported different seeds"
"$cli" demo seed "${P[@]}" --cases 1 --seed 10 --cases-per-commit -1 >/dev/null 2>&1; rc=$?
[[ $rc == 2 ]] || fail "a negative --cases-per-commit should be a usage error (2), got $rc"
"$cli" audit verify "${P[@]}" >/dev/null || fail "audit verify (per-commit)"

[[ $fails == 0 ]] && echo "ok: demo seed through the acts, every notice kind" || { echo "$fails failure(s)"; exit 1; }
