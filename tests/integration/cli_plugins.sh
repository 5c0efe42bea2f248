#!/usr/bin/env bash
# The plugins CLI contract: list, call, exit codes (0 ok, 1 unavailable/failed, 2 usage), real data
# through the helper process, and refusals with reasons. Usage: cli_plugins.sh CLI TEST_DATA_DIR
set -uo pipefail
cli=$1
data=$2
fails=0
unset ONEWINDOW_PLUGIN_PATH ONEWINDOW_SDT_LIBRARY ONEWINDOW_IDCARD_SIM_CARDS ONEWINDOW_PLUGIN_HOST ONEWINDOW_SIGNATURE_DEVICE
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; fails=$((fails+1)); }
run() { "$cli" "$@" >"$tmp/out" 2>"$tmp/err"; echo $?; }

# list --json: every shipped plugin, accepted.
[[ $(run plugins list --json) == 0 ]] || fail "plugins list --json"
python3 - "$tmp/out" <<'PY' || fail "plugins list --json: want the four device plugins with status ok"
import json, sys
d = json.load(open(sys.argv[1]))
names = {p["name"]: p for p in d}
for n in ("idcard-sim", "idcard-sdt", "scanner-sane", "rating-sim"):
    assert names[n]["status"] == "ok", n
    assert names[n]["abi_version"] == 1 and names[n]["capabilities"], n
assert names["scanner-sane"]["capabilities"] == ["scanner"]
# The signature pads (issue 18's contract: capability "signature").
for n in ("signature-sim", "signature-evdev"):
    assert names[n]["status"] == "ok" and names[n]["capabilities"] == ["signature"], n
    assert "sign" in names[n]["actions"] and not names[n]["test_only"], n
PY
[[ $(run plugins list) == 0 ]] && grep -q '^idcard-sim' "$tmp/out" || fail "plugins list (text)"

# idcard-sim: a card with a valid GB 11643 number.
[[ $(run plugins call idcard-sim read) == 0 ]] || fail "plugins call idcard-sim read: $(cat "$tmp/err")"
python3 - "$tmp/out" <<'PY' || fail "idcard-sim read: want a card with a valid ID number"
import json, sys
c = json.load(open(sys.argv[1]))
s = c["id_number"]; W = [7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2]
assert len(s) == 18 and s[17] == "10X98765432"[sum(int(a)*w for a, w in zip(s, W)) % 11]
assert c["name"] and c["birth"] == f"{s[6:10]}-{s[10:12]}-{s[12:14]}"
PY
[[ $(run plugins call idcard-sim read '{"index": 3}') == 0 ]] && grep -q '"long_term": true' "$tmp/out" || fail "idcard-sim read index 3"

# idcard-sdt without a vendor library: unavailable, exit 1, reason on stderr.
[[ $(ONEWINDOW_SDT_LIBRARY= run plugins call idcard-sdt read) == 1 ]] || fail "idcard-sdt read without a library should exit 1"
grep -q "no reader library" "$tmp/err" || fail "idcard-sdt: want 'no reader library' on stderr, got: $(cat "$tmp/err")"
[[ ! -s $tmp/out ]] || fail "idcard-sdt: nothing on stdout when unavailable"

# scanner-sane through SANE's test device: PNG pages and a 2-page PDF.
[[ $(run plugins call scanner-sane scan "{\"device\":\"test\",\"pages\":2,\"resolution\":50,\"output_dir\":\"$tmp/scan\"}") == 0 ]] \
  || fail "scanner-sane scan: $(cat "$tmp/err")"
python3 -c "import sys; assert open(sys.argv[1], 'rb').read(8) == b'\x89PNG\r\n\x1a\n'" "$tmp/scan/page-001.png" 2>/dev/null \
  || fail "scanner-sane: page-001.png is not a PNG"
[[ $(pdfinfo "$tmp/scan/scan.pdf" 2>/dev/null | awk '/^Pages:/{print $2}') == 2 ]] || fail "scanner-sane: scan.pdf should have 2 pages"

# rating-sim: a level 1..5; a bad one carries a reason.
[[ $(run plugins call rating-sim rate '{"case":{"id":"c-1"},"simulate":{"level":4}}') == 0 ]] || fail "rating-sim rate"
python3 -c "import json,sys; r=json.load(open('$tmp/out')); assert r['level']==4 and r['reason']" || fail "rating-sim: want level 4 with a reason"

# signature-sim: a PNG of the strokes, counted; the same name signs the same way.
[[ $(run plugins call signature-sim sign "{\"output_dir\":\"$tmp/sig\",\"simulate\":{\"name\":\"王五\"}}") == 0 ]] \
  || fail "signature-sim sign: $(cat "$tmp/err")"
cp "$tmp/out" "$tmp/sign1.json"
python3 - "$tmp/out" "$tmp/sig" <<'PY' || fail "signature-sim sign: want a 600x200 PNG in output_dir with strokes and points"
import json, os, stat, struct, sys
a = json.load(open(sys.argv[1]))
assert os.path.dirname(a["png"]) == sys.argv[2] and a["source"] == "simulator"
head = open(a["png"], "rb").read(24)
assert head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR"
assert struct.unpack(">II", head[16:24]) == (600, 200) == (a["width"], a["height"])
assert a["strokes"] >= 4 and a["points"] > 10 * a["strokes"]
assert stat.S_IMODE(os.stat(a["png"]).st_mode) == 0o600
assert not [f for f in os.listdir(sys.argv[2]) if f.endswith(".part")]
PY
[[ $(run plugins call signature-sim sign "{\"output_dir\":\"$tmp/sig2\",\"simulate\":{\"name\":\"王五\"}}") == 0 ]] \
  && cmp -s "$tmp/sig/signature.png" "$tmp/sig2/signature.png" || fail "signature-sim: the same name should give the same PNG"
# Cancelled on the pad, or no pad: exit 1 with the reason; a bad request: exit 2.
[[ $(run plugins call signature-sim sign "{\"output_dir\":\"$tmp/sig3\",\"simulate\":{\"cancel\":true}}") == 1 ]] \
  && grep -q "signature.cancelled" "$tmp/err" || fail "signature-sim cancel: want exit 1 and signature.cancelled, got: $(cat "$tmp/err")"
[[ ! -e $tmp/sig3/signature.png ]] || fail "signature-sim cancel: no PNG"
[[ $(run plugins call signature-sim sign "{\"output_dir\":\"$tmp/sig3\",\"simulate\":{\"unavailable\":true}}") == 1 ]] \
  && grep -q "unavailable" "$tmp/err" || fail "signature-sim unavailable: want exit 1"
[[ $(run plugins call signature-sim sign '{"width": 600}') == 2 ]] || fail "signature-sim sign without output_dir should exit 2"
# signature-evdev without a pad: unavailable (exit 1); with a recorded input_event stream: strokes.
[[ $(run plugins call signature-evdev sign "{\"output_dir\":\"$tmp/sig4\"}") == 1 ]] \
  && grep -q "no signature pad is configured" "$tmp/err" || fail "signature-evdev without a pad: want exit 1, got: $(cat "$tmp/err")"
python3 - "$tmp/pad.rec" <<'PY'
import struct, sys
out, t = [], 1000.0
def ev(ty, code, value):
    out.append(struct.pack("qqHHi", int(t), int(round((t % 1) * 1e6)), ty, code, value))
for s in range(2):                        # two strokes of 10 points: BTN_TOUCH, ABS_X/Y/PRESSURE, SYN_REPORT
    ev(1, 0x14a, 1)
    for i in range(10):
        ev(3, 0, 1000 + 3000 * s + 100 * i); ev(3, 1, 2000 + 50 * (i % 4)); ev(3, 0x18, 400); ev(0, 0, 0); t += 0.008
    ev(1, 0x14a, 0); ev(0, 0, 0); t += 0.3
open(sys.argv[1], "wb").write(b"".join(out))
PY
[[ $(ONEWINDOW_SIGNATURE_DEVICE=$tmp/pad.rec run plugins call signature-evdev sign "{\"output_dir\":\"$tmp/sig4\"}") == 0 ]] \
  && python3 -c "import json,sys; a=json.load(open(sys.argv[1])); assert (a['strokes'], a['points'], a['source']) == (2, 20, 'device')" "$tmp/out" \
  || fail "signature-evdev with a recorded stream: want 2 strokes of 10 points, got: $(cat "$tmp/out" "$tmp/err")"

# faulty: crash, hang, garbage → exit 1 with a reason; the CLI itself survives (exit 1, not a signal).
for action in crash garbage huge; do
  r=$(run plugins call faulty $action); [[ $r == 1 ]] || fail "faulty $action should exit 1 (got $r)"
  grep -q "plugin 'faulty'" "$tmp/err" || fail "faulty $action: want the reason on stderr"
done
r=$(run plugins call faulty hang --timeout 500); [[ $r == 1 ]] || fail "faulty hang should exit 1 (got $r)"
grep -q "time limit" "$tmp/err" || fail "faulty hang: want a timeout message, got: $(cat "$tmp/err")"

# usage errors: exit 2.
[[ $(run plugins call) == 2 ]] || fail "plugins call without arguments should exit 2"
[[ $(run plugins call idcard-sim read '{not json') == 2 ]] || fail "a request that is not JSON should exit 2"
[[ $(run plugins call no-such-plugin read) == 2 ]] || fail "an unknown plugin should exit 2"
[[ $(run plugins call idcard-sim scan) == 2 ]] || fail "an unknown action should exit 2"
[[ $(run plugins call faulty ok --timeout x) == 2 ]] || fail "a bad --timeout should exit 2"

# refused plugins are listed with reasons; calling one exits 1.
export ONEWINDOW_PLUGIN_PATH=$data/plugins
[[ $(run plugins list --json) == 0 ]] || fail "plugins list with refused plugins"
python3 - "$tmp/out" <<'PY' || fail "refused plugins: want status refused with reasons"
import json, sys
d = {p["path"].rsplit("/", 1)[-1]: p for p in json.load(open(sys.argv[1]))}
assert d["abi-two"]["status"] == "refused" and "ABI 2" in d["abi-two"]["reason"]
assert d["unknown-capability"]["code"] == "plugin.invalid_manifest"
assert all(p["status"] == "refused" for p in d.values())
PY
[[ $(run plugins call abi-two read) == 1 ]] || fail "calling an ABI-mismatched plugin should exit 1"
grep -q "ABI" "$tmp/err" || fail "ABI refusal: want the reason on stderr"
unset ONEWINDOW_PLUGIN_PATH

echo "$((fails)) failed"
(( fails == 0 ))
