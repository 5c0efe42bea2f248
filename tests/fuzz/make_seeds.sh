#!/usr/bin/env bash
# Makes raw seed inputs for the fuzz targets of ow_seal, ow_sync and ow_plugins from real
# components: PDFs of other producers (tests/data/seal) and the same sealed by our stamper (one and
# two seals, PAdES and SM2, a document timestamp); the platform simulator's answers as a real sync
# receives them (captured by tests/integration/http_proxy.py), clean and with its malformed-answer
# faults; the plugin helper's lines for the shipped plugins, the plugins' answers, manifests and
# ID card text blocks. The committed corpora under corpus/ are these, minimised with -merge=1 and
# grown by the long runs (docs/security-model.md, "Fuzzing").
# usage: tests/fuzz/make_seeds.sh DEV_BUILD_DIR OUT_DIR     (DEV_BUILD_DIR: a dev preset build of
#        onewindow-cli, onewindow-platform-sim and ow_plugins_all)
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "$1" && pwd); out=$2
cli=$build/bin/onewindow-cli sim=$build/bin/onewindow-platform-sim host=$build/bin/onewindow-plugin-host
plugins=$build/lib/onewindow/plugins
mkdir -p "$out"/{pdf_verify,pdf_stamp,platform_wire,plugin_answer}
out=$(cd "$out" && pwd)
tmp=$(mktemp -d); pids=()
trap 'set +e; for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$tmp"' EXIT  # set +e: a killed server's wait fails, which must not end the loop
# seed FILE SELECTOR_BYTE < body : one input of a target that dispatches on its first byte
seed() { { printf "\\x$(printf %02x "$2")"; cat; } >"$1"; }

# --- PDFs -------------------------------------------------------------------------------------
d=$src/tests/data/seal
"$cli" seal demo --org "模糊测试中心" -o "$tmp/demo" >/dev/null
K=(--p12 "$tmp/demo/seal.p12" --pin-file "$tmp/demo/seal.pin")
S=(--p12 "$tmp/demo/sm2/seal.p12" --pin-file "$tmp/demo/seal.pin" --profile sm2 --ses-seal "$tmp/demo/sm2/seal.ses")
for f in gs cairo libreoffice pdftex objstm linearized; do cp "$d/$f.pdf" "$out/pdf_stamp/$f.pdf"; done
qpdf --object-streams=generate "$d/pdftex.pdf" "$out/pdf_stamp/pdftex-objstm.pdf"
qpdf --object-streams=generate "$d/libreoffice.pdf" "$out/pdf_stamp/libreoffice-objstm.pdf"
cp "$out"/pdf_stamp/*.pdf "$out/pdf_verify/"
cp "$d/pdfsig-signed.pdf" "$out/pdf_verify/"
"$cli" seal stamp "$d/gs.pdf" "$tmp/gs1.pdf" "${K[@]}" --page 1 --rect 400,150,120,120 --reason 受理 >/dev/null
"$cli" seal stamp "$tmp/gs1.pdf" "$tmp/gs2.pdf" "${S[@]}" --page 2 --rect 40,40,100,100 >/dev/null
"$cli" seal stamp "$d/objstm.pdf" "$tmp/objstm1.pdf" "${K[@]}" --image "$tmp/demo/seal.png" --page 1 --rect 40,40,100,100 >/dev/null
"$cli" seal stamp "$d/pdftex.pdf" "$tmp/pdftex-sm2.pdf" "${S[@]}" --page 1 --rect 40,40,100,100 >/dev/null
python3 "$src/tests/integration/tsa_server.py" "$tmp/tsa" >"$tmp/tsa.port" 2>/dev/null & pids+=($!)
for _ in $(seq 100); do [[ -s $tmp/tsa.port ]] && break; sleep 0.1; done
"$cli" seal timestamp "$tmp/gs1.pdf" "$tmp/gs1-ts.pdf" --tsa "http://127.0.0.1:$(cat "$tmp/tsa.port")/" >/dev/null
cp "$tmp"/{gs1,gs2,objstm1,pdftex-sm2,gs1-ts}.pdf "$out/pdf_verify/"
cp "$tmp"/{gs1,gs2}.pdf "$out/pdf_stamp/"

# --- platform answers ---------------------------------------------------------------------------
P=(--password-file "$tmp/pw"); printf 'seed password\n' >"$tmp/pw"
"$cli" store init --store "$tmp/store" --user clerk --role clerk "${P[@]}" --kdf-ops 1 --kdf-mem-mib 8 >/dev/null
"$cli" demo seed --store "$tmp/store" "${P[@]}" --cases 12 --scans 3 --seed 5 >/dev/null
"$sim" enroll --db "$tmp/sim.db" --terminal fuzz-seeds --centre 370102A --terminal-code T09 >"$tmp/cred.json"
seed "$out/platform_wire/enrolment" 11 <"$tmp/cred.json"
mkdir -p "$tmp/bodies"
python3 "$src/tests/integration/http_proxy.py" "$tmp/proxy.port" "$tmp/proxy.log" "$tmp/bodies" >/dev/null 2>&1 & pids+=($!)
for _ in $(seq 100); do [[ -s $tmp/proxy.port ]] && break; sleep 0.05; done
proxy=http://127.0.0.1:$(cat "$tmp/proxy.port")
run_sim() {  # run_sim ARGS… : a simulator for one sync round through the capturing proxy
  rm -f "$tmp/port"
  "$sim" serve --db "$tmp/sim.db" --listen 127.0.0.1:0 --port-file "$tmp/port" --quiet "$@" >/dev/null 2>&1 & pids+=($!)
  for _ in $(seq 100); do [[ -s $tmp/port ]] && break; sleep 0.05; done
  NO_PROXY= no_proxy= "$cli" platform connect --store "$tmp/store" "${P[@]}" --url "http://127.0.0.1:$(cat "$tmp/port")" \
    --credentials "$tmp/cred.json" --proxy "$proxy" >/dev/null 2>&1 || true
}
run_sim --decide-after-s 1
NO_PROXY= no_proxy= "$cli" sync --store "$tmp/store" "${P[@]}" --once >/dev/null 2>&1 || true
sleep 3
NO_PROXY= no_proxy= "$cli" sync --store "$tmp/store" "${P[@]}" --once >/dev/null 2>&1 || true
NO_PROXY= no_proxy= "$cli" platform elicence --store "$tmp/store" "${P[@]}" --doc 370102199001011234 >/dev/null 2>&1 || true
kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true
"$cli" demo seed --store "$tmp/store" "${P[@]}" --cases 6 --scans 2 --seed 6 >/dev/null
run_sim --decide-after-s 1 --malformed-rate 0.4 --malformed-kinds json,types,enum,huge --seed 7
for _ in 1 2 3; do
  NO_PROXY= no_proxy= "$cli" sync --store "$tmp/store" "${P[@]}" --once --max-failures 2 --max-wait-s 1 >/dev/null 2>&1 || true
done
# Each answer under the selector of the reader it goes to (see fuzz_platform_wire.cpp).
for f in "$tmp"/bodies/*; do
  n=$(basename "$f"); status=${n:5:3}
  case $n in
    *-POST_v1_cases_push|*-POST_v1_ratings) sel=0 ;;
    *-GET_v1_changes) sel=2 ;;
    *-GET_v1_cases_index) sel=4 ;;
    *-POST_v1_blobs) sel=5 ;;
    *-GET_v1_blobs_uploads_*) sel=6 ;;
    *-GET_v1_catalogue) sel=7 ;;
    *-GET_v1_calendars) sel=8 ;;
    *-GET_v1_elicences) sel=9 ;;
    *-GET_v1_ping) sel=12 ;;
    *-GET_v1_terminal) sel=13 ;;
    *-PUT_v1_blobs_*|*_finalize) sel=14 ;;
    *) sel=0 ;;
  esac
  [[ $status == 2* ]] || sel=10  # an error object
  seed "$out/platform_wire/$n" "$sel" <"$f"
done

# --- plugin answers -------------------------------------------------------------------------------
# The helper's real lines: hello, then one answer per request (selector 0: hello; 1 + 4(k-1): the
# answer to call k), for each shipped plugin; a plugin's own answer objects (selector 6: status 0).
talk() {  # talk PLUGIN_DIR NAME REQUEST_LINES…
  local dir=$1 name=$2; shift 2
  printf '%s\n' "$@" | timeout 20 "$host" "$dir" >"$tmp/lines" 2>/dev/null || true
  local k=0
  while IFS= read -r line; do
    if (( k == 0 )); then printf '%s' "$line" | seed "$out/plugin_answer/$name-hello" 0
    else
      printf '%s' "$line" | seed "$out/plugin_answer/$name-answer$k" $(( 1 + 4 * ((k - 1) % 3) ))
      python3 -c 'import json,sys; a=json.loads(sys.argv[1]).get("answer"); a is not None and print(json.dumps(a, ensure_ascii=False), end="")' \
        "$line" | seed "$out/plugin_answer/$name-plugin$k" 6
    fi
    k=$((k + 1))
  done <"$tmp/lines"
}
talk "$plugins/idcard-sim" idcard-sim '{"id":1,"action":"read","request":{}}' '{"id":2,"action":"read","request":{"index":3}}' \
  '{"id":3,"action":"nope","request":{}}'
talk "$plugins/rating-sim" rating-sim '{"id":1,"action":"rate","request":{"case":{"id":"c-1"},"simulate":{"level":4}}}'
mkdir -p "$tmp/scan"
talk "$plugins/scanner-sane" scanner-sane "{\"id\":1,\"action\":\"scan\",\"request\":{\"device\":\"test\",\"pages\":1,\"resolution\":50,\"output_dir\":\"$tmp/scan\"}}"
talk "$plugins/faulty" faulty '{"id":1,"action":"ok","request":{}}' '{"id":2,"action":"fail","request":{}}' \
  '{"id":3,"action":"device_error","request":{}}' '{"id":4,"action":"garbage","request":{}}'
ONEWINDOW_SDT_LIBRARY= talk "$plugins/idcard-sdt" idcard-sdt '{"id":1,"action":"read","request":{}}'
for m in "$plugins"/*/plugin.json; do seed "$out/plugin_answer/manifest-$(basename "$(dirname "$m")")" 3 <"$m"; done
for b in "$src"/tests/data/idcard/*.bin; do seed "$out/plugin_answer/textblock-$(basename "$b" .bin)" 4 <"$b"; done
python3 -c 'import json,sys; [print(json.dumps(c, ensure_ascii=False)) for c in json.load(open(sys.argv[1]))["cards"][:3]]' \
  "$src/plugins/idcard-sim/cards.json" | { k=0; while IFS= read -r c; do printf '%s' "$c" | seed "$out/plugin_answer/card$k" 5; k=$((k + 1)); done; }
echo "seeds: $(find "$out" -type f | wc -l) files in $out"
