#!/usr/bin/env bash
# Sync across the emulated poor link (docs/poor-link.md): the simulator in the server namespace,
# `onewindow-cli sync --once` in the client namespace, 256 kbit/s each way, 10 % random loss,
# 150 ms each way. The push must complete with the same exactly-once result as on loopback.
# Prints a JSON report (goodput of the compressed payload as a fraction of the link rate, bytes on
# the wire per case vs that payload; see docs/benchmarks.md); asserts only correctness, never time.
#   sync_poor_link.sh CLI SIM [--cases N] [--scans M] [--rate-kbit R] [--loss-pct P] [--delay-ms D] [--report FILE]
# SYNC_ARGS in the environment adds options to the sync command (e.g. SYNC_ARGS="--depth 5").
# Exit 77 (skipped, with the reason) without root or network namespaces.
set -uo pipefail
cli=$1 sim=$2; shift 2
cases=150 scans=10 rate=256 loss=10 delay=150 report=
while (( $# )); do
  case $1 in
    --cases) cases=$2; shift 2 ;; --scans) scans=$2; shift 2 ;; --rate-kbit) rate=$2; shift 2 ;;
    --loss-pct) loss=$2; shift 2 ;; --delay-ms) delay=$2; shift 2 ;; --report) report=$2; shift 2 ;;
    *) echo "sync_poor_link: unknown argument $1" >&2; exit 2 ;;
  esac
done
here=$(cd "$(dirname "$0")" && pwd)
L=$here/poor_link.sh
name=sy$$
tmp=$(mktemp -d)
cleanup() { "$L" down --name "$name" >/dev/null 2>&1; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

printf 'poor link password\n' >"$tmp/pw"; P=(--password-file "$tmp/pw"); S=$tmp/store
"$cli" store init --store "$S" --user clerk --role clerk "${P[@]}" --kdf-ops 1 --kdf-mem-mib 8 >/dev/null || fail "store init"
"$cli" demo seed --store "$S" "${P[@]}" --cases "$cases" --scans "$scans" --seed 21 >/dev/null || fail "demo seed"
"$sim" enroll --db "$tmp/sim.db" --terminal poor-link >"$tmp/cred.json" || fail "enroll"
mutations=$("$cli" store stats --store "$S" "${P[@]}" | python3 -c "import json,sys; print(json.load(sys.stdin)['outbox_pending'])")

port=18443
out=$("$L" up --name "$name" --rate-kbit "$rate" --loss-pct "$loss" --delay-ms "$delay" --port "$port" 2>&1); rc=$?
if (( rc == 77 )); then echo "$out"; exit 77; fi
(( rc == 0 )) || fail "poor_link.sh up: $out"
"$L" run-server --name "$name" -- "$sim" serve --db "$tmp/sim.db" --listen "127.0.0.1:$port" --port-file "$tmp/port" \
  --quiet --decide-after-s 100000 >"$tmp/sim.log" 2>&1 &
for _ in $(seq 200); do [[ -s $tmp/port ]] && break; sleep 0.05; done
[[ -s $tmp/port ]] || fail "the simulator did not start: $(cat "$tmp/sim.log")"
url=http://127.77.0.2:$port
"$L" run-client --name "$name" -- "$cli" platform connect --store "$S" "${P[@]}" --url "$url" --credentials "$tmp/cred.json" \
  >/dev/null || fail "platform connect across the link"

"$L" counters --name "$name" >"$tmp/before.json"
start=$(date +%s.%N)
OW_SYNC_TRACE=${OW_SYNC_TRACE:-} "$L" run-client --name "$name" -- "$cli" sync --store "$S" "${P[@]}" --once --only push,upload --quiet --max-failures 50 ${SYNC_ARGS:-} >"$tmp/report.json" 2>"$tmp/err"
rc=$?
end=$(date +%s.%N)
"$L" counters --name "$name" >"$tmp/after.json"
[[ -n ${OW_SYNC_TRACE:-} ]] && cat "$tmp/err" >&2
[[ $rc == 0 ]] || fail "sync --once across the link exited $rc: $(cat "$tmp/err")"
"$sim" stats --db "$tmp/sim.db" >"$tmp/stats.json" || fail "sim stats"

python3 - "$tmp" "$cases" "$scans" "$mutations" "$start" "$end" "$rate" "$loss" "$delay" "${report:-}" <<'PY'
import json, sys
tmp, cases, scans, mutations, start, end, rate, loss, delay, out = sys.argv[1:]
cases, scans, mutations, rate = int(cases), int(scans), int(mutations), int(rate)
st = json.load(open(f"{tmp}/stats.json"))
rep = json.load(open(f"{tmp}/report.json"))
b, a = json.load(open(f"{tmp}/before.json")), json.load(open(f"{tmp}/after.json"))
ok = True
def check(cond, what):
    global ok
    if not cond:
        ok = False
        print("FAIL:", what)
check(st["cases"] == cases and st["distinct_cases"] == cases, f"cases {st['cases']}/{st['distinct_cases']} != {cases}")
check(st["mutations_applied"] == mutations == st["mutations_distinct"], f"mutations {st['mutations_applied']}/{st['mutations_distinct']} != {mutations}")
check(st["blobs"] == scans and st.get("blobs_corrupt", 0) == 0, f"blobs {st['blobs']} (corrupt {st.get('blobs_corrupt')}) != {scans}")
check(not st["refused"], f"refused: {st['refused']}")
up = a["client_to_server"]["wire_bytes"] - b["client_to_server"]["wire_bytes"]
down = a["server_to_client"]["wire_bytes"] - b["server_to_client"]["wire_bytes"]
lost = a["client_to_server"]["lost_packets"] - b["client_to_server"]["lost_packets"]
def tbf_drops(c):  # packets the bottleneck queue turned away (never on the wire: TCP sends them again)
    return (c["client_to_server"].get("tbf") or {}).get("drops", 0)
queue_drops = tbf_drops(a) - tbf_drops(b)
seconds = float(end) - float(start)
http = rep["bytes_up"]        # request headers + compressed bodies as libcurl sent them
payload = rep["body_bytes_up"]  # the compressed bodies: the payload
result = {
    "cases": cases, "scans": scans, "mutations": mutations, "seconds": round(seconds, 2),
    "link": {"rate_kbit": rate, "loss_pct": float(loss), "delay_ms": int(delay)},
    "requests": rep["requests"], "retries": rep["retries"],
    "payload_bytes_up": payload, "http_bytes_up": http, "wire_bytes_up": up, "wire_bytes_down": down, "lost_packets_up": lost, "queue_drops_up": queue_drops,
    "goodput_fraction": round(payload * 8 / seconds / (rate * 1000), 3),
    "wire_overhead_up": round(up / payload - 1, 3),
    "wire_bytes_up_per_case": round(up / cases, 1),
    "payload_bytes_up_per_case": round(payload / cases, 1),
}
print(json.dumps(result))
if out:
    json.dump(result, open(out, "w"), indent=2)
sys.exit(0 if ok else 1)
PY
