#!/usr/bin/env bash
# The sync CLI contracts against the real simulator: platform connect, sync --once (0 drained,
# 3 work remains, 2 error with the reason), sync status JSON, sync issues/retry, and the
# simulator's enroll/stats contracts.
set -uo pipefail
cli=$1 sim=$2
tmp=$(mktemp -d); pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails+1)); }
S=$tmp/store; printf 'window password 1\n' >"$tmp/pw"; P=(--password-file "$tmp/pw")
start_sim() {  # start_sim ARGS… : serves $tmp/sim.db on a free port; sets $url
  rm -f "$tmp/port"
  "$sim" serve --db "$tmp/sim.db" --listen 127.0.0.1:0 --port-file "$tmp/port" --quiet "$@" >>"$tmp/sim.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 400); do [[ -s $tmp/port ]] && break; sleep 0.05; done
  url=http://127.0.0.1:$(cat "$tmp/port")
}
stop_sim() { kill "${pids[-1]}" 2>/dev/null; wait "${pids[-1]}" 2>/dev/null; }

"$cli" store init --store "$S" --user clerk --role clerk "${P[@]}" --kdf-ops 1 --kdf-mem-mib 8 >/dev/null || fail "store init"
"$cli" demo seed --store "$S" "${P[@]}" --cases 60 --scans 6 --seed 3 >/dev/null || fail "demo seed"

"$sim" enroll --db "$tmp/sim.db" --terminal cli-test --centre 370102A --terminal-code T09 >"$tmp/cred.json" || fail "sim enroll"
python3 -c "
import json; o=json.load(open('$tmp/cred.json'))
assert {'terminal_id','secret','algorithm','centre','terminal_code'} <= set(o), o" || fail "credentials JSON"

# Unreachable platform: connect refuses to save, sync says work remains.
"$cli" platform connect --store "$S" "${P[@]}" --url http://127.0.0.1:1 --credentials "$tmp/cred.json" >/dev/null 2>"$tmp/err"
[[ $? == 2 ]] || fail "connect to a dead port should exit 2"
"$cli" sync --store "$S" "${P[@]}" --once >/dev/null 2>"$tmp/err"; [[ $? == 2 ]] || fail "sync without a platform should exit 2"
grep -q 'no platform' "$tmp/err" || fail "sync without a platform: $(cat "$tmp/err")"
"$cli" platform connect --store "$S" "${P[@]}" --url http://example.org --credentials "$tmp/cred.json" >/dev/null 2>"$tmp/err"
[[ $? == 2 ]] && grep -q 'plain http' "$tmp/err" || fail "plain http to a remote host must be refused: $(cat "$tmp/err")"

start_sim --decide-after-s 100000
"$cli" platform connect --store "$S" "${P[@]}" --url "$url" --credentials "$tmp/cred.json" >"$tmp/conn.json" || fail "platform connect"
python3 -c "import json; o=json.load(open('$tmp/conn.json')); assert o['connected'] and o['saved']" || fail "connect JSON"
"$cli" platform show --store "$S" "${P[@]}" >"$tmp/show.json" || fail "platform show"
grep -q secret "$tmp/show.json" && fail "platform show must not print the secret"
"$cli" store stats --store "$S" "${P[@]}" | grep -q '"outbox_pending": 0' && fail "outbox empty before sync?"

"$cli" sync --store "$S" "${P[@]}" --once >"$tmp/report.json" 2>"$tmp/err"; rc=$?
[[ $rc == 0 ]] || fail "sync --once should exit 0 after draining (got $rc): $(cat "$tmp/err")"
python3 - "$tmp/report.json" <<'PY' || fail "sync report JSON"
import json, sys
o = json.load(open(sys.argv[1]))
assert o['remaining_mutations'] == 0 and o['remaining_blobs'] == 0 and o['error'] is None, o
assert o['settled'] > 60 and o['blobs_uploaded'] == 6, o
PY
"$cli" sync status --store "$S" "${P[@]}" >"$tmp/status.json" || fail "sync status"
python3 - "$tmp/status.json" <<'PY' || fail "sync status JSON"
import json, sys
o = json.load(open(sys.argv[1]))
for k in ('queued_mutations', 'blobs_pending', 'last_success', 'quarantined'):
    assert k in o, k
assert o['queued_mutations'] == 0 and o['blobs_pending'] == 0 and o['quarantined'] == 0 and o['last_success'], o
PY
"$sim" stats --db "$tmp/sim.db" >"$tmp/stats.json" || fail "sim stats"
python3 - "$tmp/stats.json" <<'PY' || fail "sim stats JSON"
import json, sys
o = json.load(open(sys.argv[1]))
assert {'cases', 'distinct_cases', 'mutations_applied', 'mutations_distinct', 'duplicates_refused', 'blobs', 'refused'} <= set(o), o
assert o['cases'] == o['distinct_cases'] == 60 and o['blobs'] == 6, o
assert o['mutations_applied'] == o['mutations_distinct'], o
# platform connect measured the link's round trip, so the pass started sending without a ping
assert o['counters'].get('pings', 0) == 0, o['counters']
PY
# Receipt numbers of new cases use the enrolled terminal code.
"$cli" demo seed --store "$S" "${P[@]}" --cases 1 --seed 9 >/dev/null
"$cli" store stats --store "$S" "${P[@]}" >/dev/null
"$cli" case search --store "$S" "${P[@]}" 370102A- --limit 1000 | grep -q -- '-T09-' || fail "new receipts should carry T09"

# The platform goes away: work remains (exit 3), the reason is printed.
stop_sim
"$cli" sync --store "$S" "${P[@]}" --once --max-failures 1 --max-wait-s 1 >/dev/null 2>"$tmp/err"; rc=$?
[[ $rc == 3 ]] || fail "sync with the platform down should exit 3 (got $rc)"
grep -q 'cannot be reached\|work remains' "$tmp/err" || fail "unreachable reason: $(cat "$tmp/err")"
"$cli" sync status --store "$S" "${P[@]}" | python3 -c "
import json,sys; o=json.load(sys.stdin); assert o['queued_mutations'] > 0 and o['last_error']['code'] == 'net.unreachable', o" || fail "status after failure"

# Wrong credentials: exit 2 with an auth reason.
start_sim
python3 -c "
import json; o=json.load(open('$tmp/cred.json')); o['secret']='AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='; json.dump(o, open('$tmp/bad.json','w'))"
"$cli" platform connect --store "$S" "${P[@]}" --url "$url" --credentials "$tmp/bad.json" >/dev/null 2>"$tmp/err"
[[ $? == 1 ]] && grep -q auth "$tmp/err" || fail "connect with a wrong secret should exit 1 with an auth reason: $(cat "$tmp/err")"
"$cli" platform connect --store "$S" "${P[@]}" --url "$url" --credentials "$tmp/cred.json" >/dev/null || fail "reconnect"
"$cli" sync --store "$S" "${P[@]}" --once >/dev/null 2>"$tmp/err" || fail "sync after reconnect: $(cat "$tmp/err")"
"$cli" sync issues --store "$S" "${P[@]}" >/dev/null; [[ $? == 1 ]] || fail "sync issues with none open should exit 1"
"$cli" sync retry --store "$S" "${P[@]}" --mutation nope >/dev/null 2>&1; [[ $? == 1 ]] || fail "retry of an unknown mutation should exit 1"
"$cli" sync --store "$S" "${P[@]}" >/dev/null 2>&1; [[ $? == 2 ]] || fail "sync without --once/--watch is a usage error"

# Through a proxy: every request goes by it.
rm -f "$tmp/proxy.port"
python3 "$(dirname "$0")/http_proxy.py" "$tmp/proxy.port" "$tmp/proxy.log" &
pids+=($!)
for _ in $(seq 400); do [[ -s $tmp/proxy.port ]] && break; sleep 0.05; done
NO_PROXY= no_proxy= "$cli" platform connect --store "$S" "${P[@]}" --url "$url" --credentials "$tmp/cred.json" \
  --proxy "http://127.0.0.1:$(cat "$tmp/proxy.port")" >/dev/null || fail "connect through a proxy"
"$cli" demo seed --store "$S" "${P[@]}" --cases 3 --seed 11 >/dev/null
NO_PROXY= no_proxy= "$cli" sync --store "$S" "${P[@]}" --once >/dev/null 2>"$tmp/err" || fail "sync through a proxy: $(cat "$tmp/err")"
grep -q "POST $url/v1/cases:push" "$tmp/proxy.log" || fail "the push did not go through the proxy: $(cat "$tmp/proxy.log" 2>/dev/null)"
"$cli" platform show --store "$S" "${P[@]}" | grep -q '"proxy": "http://127.0.0.1' || fail "platform show names the proxy"
"$cli" platform connect --store "$S" "${P[@]}" --url "$url" --credentials "$tmp/cred.json" >/dev/null || fail "reconnect without proxy"

# --watch runs until stopped.
"$cli" sync --store "$S" "${P[@]}" --watch --interval-s 1 >"$tmp/watch.out" 2>&1 &
wp=$!; sleep 3; kill -TERM $wp; wait $wp; rc=$?
[[ $rc == 0 ]] || fail "sync --watch should stop cleanly on SIGTERM (got $rc)"
[[ $(grep -c '"settled"' "$tmp/watch.out") -ge 2 ]] || fail "sync --watch should have run passes: $(cat "$tmp/watch.out")"

if (( fails )); then echo "$fails failure(s)"; exit 1; fi
echo "cli_sync: all checks passed"
