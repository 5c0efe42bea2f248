#!/usr/bin/env bash
# The desk's cold start as a clerk sees it: `onewindow --store DIR --password-file F --report-ready`
# under Xvfb, RUNS times; prints each run's JSON (ready_ms: main() to a signed-in, painted desk with
# the queues counted, the list and the selected case shown; sign_in_ms: the KDF, the session and the
# cases view; rss_kib after start) and the medians. The time before main() (the dynamic loader) is
# not in ready_ms; the wall time of the whole process (exit included) is printed beside it.
#   bench/run_desk_start.sh BUILD_DIR STORE_DIR PASSWORD_FILE [RUNS]
set -euo pipefail
build=$1 store=$2 pw=$3 runs=${4:-5}
app=$build/bin/onewindow
out=$(mktemp); trap 'rm -f "$out"' EXIT
for _ in $(seq "$runs"); do
  start=$(date +%s%N)
  line=$(xvfb-run -a -s '-screen 0 1366x768x24' "$app" --store "$store" --password-file "$pw" --report-ready 2>/dev/null | grep ready_ms)
  wall=$(( ($(date +%s%N) - start) / 1000000 ))
  echo "$line wall_ms=$wall (xvfb-run included)"
  echo "$line" >>"$out"
done
python3 - "$out" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
for k in ("ready_ms", "sign_in_ms", "rss_kib"):
    print(f"median {k}: {statistics.median(r[k] for r in rows):.1f}")
PY
