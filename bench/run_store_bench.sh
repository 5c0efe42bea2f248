#!/usr/bin/env bash
# Store benchmark: the same workload on SQLCipher (store_bench) and on plain SQLite
# (store_bench_plain), then the ratios. Needs a release build:
#   cmake --preset release && cmake --build --preset release --target store_bench store_bench_plain
#   bench/run_store_bench.sh [CASES] [WORK_DIR]        (default 1000000 cases, /tmp/ow-store-bench)
# Runs the two one after the other unless PARALLEL=1. Needs ~15 KB of disk per case per engine.
set -euo pipefail
cases=${1:-1000000}; work=${2:-/tmp/ow-store-bench}
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$work"
run() { "$1" --dir "$work/$2" --cases "$cases" --queries 2000 >"$work/$2.json" 2>"$work/$2.log"; }
if [[ ${PARALLEL:-0} == 1 ]]; then
  run "$root/build/release/bin/store_bench" cipher & run "$root/build/release/bench/store_bench_plain" plain & wait
else
  run "$root/build/release/bin/store_bench" cipher
  run "$root/build/release/bench/store_bench_plain" plain
fi
python3 "$root/bench/store_report.py" "$work/cipher.json" "$work/plain.json"
