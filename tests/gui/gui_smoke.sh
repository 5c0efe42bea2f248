#!/usr/bin/env bash
# Runs `onewindow --screenshot` under Xvfb (zh_CN and en) and checks each PNG is a real window
# image: PNG signature, at least 800×500 pixels, many colours (not blank), and the header's red.
# gui_smoke.sh APP OUT [PART]: PART is one of
#   basic        the options without a display, the desk as started, the sync panel, no core dumps;
#   screens:K/N  every screen of --list-screens in zh_CN whose position is K modulo N (1 ≤ K ≤ N);
#   languages    the main screens in en, zh_TW, mirrored, at 1920x1080 and with the large font
#                (languages:en — en and the help lines with the large font; languages:zh_TW — the rest);
#   all          (the default) all of them.
# The parts are ctest entries of their own (gui_smoke, gui_smoke_screens_*, gui_smoke_languages_*) so that they run
# side by side; each X server is its own (xvfb-one), so any number may start at once.
set -euo pipefail
app=$1; out=$2; part=${3:-all}
mkdir -p "$out"
here=$(cd "$(dirname "$0")" && pwd)
fail() { echo "FAIL: $*" >&2; exit 1; }
want() { [[ $part == all || $part == "$1" ]]; }

tag=${part//[^a-z0-9]/-}  # this part's scratch files: the parts run at the same time in $out
env -u DISPLAY -u WAYLAND_DISPLAY "$app" --list-screens >"$out/screens-$tag.txt" 2>&1 || fail "onewindow --list-screens without a display"
screens=$out/screens-$tag.txt

check_png() {
  local png=$1
  [[ -s $png ]] || fail "$png was not written"
  [[ $(head -c 8 "$png" | od -An -tx1 | tr -d ' \n') == 89504e470d0a1a0a ]] || fail "$png is not a PNG"
  read -r w h colours < <(identify -format '%w %h %k\n' "$png")
  if [[ ${2:-} == dialog ]]; then  # a dialog of its own (the About box): small, no header band
    (( w >= 150 && h >= 100 && colours >= 16 )) || fail "$png: ${w}x${h}, $colours colours: blank dialog?"
    echo "ok: $png ${w}x${h}, $colours colours"; return
  fi
  (( w >= 800 && h >= 500 )) || fail "$png is only ${w}x${h}"
  (( colours >= 64 )) || fail "$png has only $colours colours: blank window?"
  [[ ${2:-} == no-header ]] && { echo "ok: $png ${w}x${h}, $colours colours"; return; }
  # The header band (hall red #8a1c1c) must be there: sample the top-left area.
  red=$(convert "$png" -crop 400x30+0+0 +repage -fuzz 12% -fill white -opaque '#8a1c1c' -fill black +opaque white \
        -format '%[fx:mean]' info:)
  python3 -c "import sys; sys.exit(0 if float('$red') > 0.2 else 1)" || fail "$png: the header band is missing (red share $red)"
  echo "ok: $png ${w}x${h}, $colours colours, header red share $red"
}

if want basic; then
  # --help, --version and --list-screens need no display.
  env -u DISPLAY -u WAYLAND_DISPLAY "$app" --help >"$out/help.txt" 2>&1 || fail "onewindow --help without a display: $(cat "$out/help.txt")"
  grep -q -- '--store DIR' "$out/help.txt" || fail "onewindow --help should list --store"
  env -u DISPLAY -u WAYLAND_DISPLAY "$app" --version 2>&1 | grep -q '^onewindow [0-9]' || fail "onewindow --version without a display"
  for s in unlock main case sync; do grep -qx "$s" "$screens" || fail "--list-screens lacks $s: $(cat "$screens")"; done
  "$app" --screenshot-screen 2>/dev/null && fail "--screenshot-screen without NAME FILE should fail"
  "$app" --screenshot-screen no-such-screen "$out/x.png" 2>/dev/null && fail "an unknown screen should fail"
  [[ ! -e $out/x.png ]] || fail "an unknown screen left a file"

  for lang in zh_CN en; do
    rm -f "$out/desk-$lang.png"
    timeout 120 "$here/xvfb-one" "$app" --lang "$lang" --select 370102-SC-0001-001 --screenshot "$out/desk-$lang.png"
    check_png "$out/desk-$lang.png"
  done
  # A failed screenshot must not leave a file behind.
  [[ ! -e $out/desk-zh_CN.png.part ]] || fail "a partial file was left behind"
fi

# Every screen with demo data (--screenshot-screen): zh_CN at 1366x768, the main screens in the
# other languages (and mirrored under the RTL pseudo-locale), at 1920x1080 and with the large font.
# Each PNG is a real window image, and no label in it is cut off where wx can tell
# (--check-clipping: a text wider than its control, a column header wider than its column).
mkdir -p "$out/screens"
shot() {  # shot NAME FILE [ARGS…]
  local name=$1 file=$2; shift 2
  rm -f "$file"
  timeout 120 "$here/xvfb-one" -s '-screen 0 1920x1080x24' "$app" --screenshot-screen "$name" "$file" --check-clipping "$@" \
      2>"$out/screen-$tag.err" \
    || fail "--screenshot-screen $name $*: $(grep -v Gtk "$out/screen-$tag.err" | head -5)"
  check_png "$file" "$([[ $name == sync || $name == rating ]] && echo no-header; [[ $name == about ]] && echo dialog)"  # (rating: the applicant's window)
}
if [[ $part == all || $part == screens:* ]]; then
  k=1 n=1
  if [[ $part == screens:* ]]; then
    IFS=/ read -r k n <<<"${part#screens:}"
    [[ $k =~ ^[0-9]+$ && $n =~ ^[0-9]+$ ]] && (( 1 <= k && k <= n )) || fail "bad part $part (screens:K/N, 1 <= K <= N)"
  fi
  i=0 shots=0
  while read -r s; do
    i=$((i + 1))
    (( (i - k) % n == 0 )) || continue
    shot "$s" "$out/screens/$s-zh_CN.png"
    shots=$((shots + 1))
  done <"$screens"
  (( shots > 0 )) || fail "part $part took no screen of $(wc -l <"$screens")"
fi
for lang in en zh_TW; do
  want "languages:$lang" || want languages || continue
  for s in main catalogue intake-form review settings rating case-assist; do
    shot "$s" "$out/screens/$s-$lang.png" --lang "$lang"
  done
done
if want languages:en || want languages; then
  shot case-assist "$out/screens/case-assist-large-font.png" --large-font
  shot case-check "$out/screens/case-check-en-large-font.png" --lang en --large-font --size 1366x768
fi
if want languages:zh_TW || want languages; then
  shot main "$out/screens/main-rtl.png" --lang qps-plocm
  shot main "$out/screens/main-1920.png" --size 1920x1080
  read -r w h < <(identify -format '%w %h\n' "$out/screens/main-1920.png")
  (( w == 1920 )) || fail "--size 1920x1080 gave a ${w}x${h} window"
  shot case "$out/screens/case-large-font.png" --large-font
  shot case-commit "$out/screens/case-commit-en-large-font.png" --lang en --large-font --size 1366x768
fi
want basic || exit 0

# The sync panel over a real store (no platform connected): it opens, and its window renders.
cli=$(dirname "$app")/onewindow-cli
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
printf 'gui smoke password\n' >"$tmp/pw"
"$cli" store init --store "$tmp/store" --user clerk --role clerk --password-file "$tmp/pw" --kdf-ops 1 --kdf-mem-mib 8 >/dev/null
"$cli" demo seed --store "$tmp/store" --password-file "$tmp/pw" --cases 3 --seed 2 >/dev/null
rm -f "$out/sync-panel.png"
timeout 120 "$here/xvfb-one" "$app" --store "$tmp/store" --password-file "$tmp/pw" --sync-panel \
  --screenshot "$out/sync-panel.png"
[[ -s $out/sync-panel.png ]] || fail "the sync panel screenshot was not written"
read -r w h colours < <(identify -format '%w %h %k\n' "$out/sync-panel.png")
(( w >= 600 && h >= 300 && w < 1366 )) || fail "the sync panel is ${w}x${h} (the panel's own window expected)"
(( colours >= 16 )) || fail "the sync panel has only $colours colours: blank window?"
echo "ok: $out/sync-panel.png ${w}x${h}, $colours colours"

# The desk turns core dumps off first thing (it holds the store key, the terminal secret and
# applicants' data): its core limit is 0, soft and hard, even when started with dumps allowed.
(ulimit -c unlimited; exec timeout 60 "$here/xvfb-one" "$app" --store "$tmp/store" --password-file "$tmp/pw") \
  >/dev/null 2>&1 &
xpid=$!
exe=$(readlink -f "$app"); dpid=
for _ in $(seq 300); do
  for p in $(pgrep -f -- "--store $tmp/store" || true); do [[ $(readlink "/proc/$p/exe" 2>/dev/null) == "$exe" ]] && dpid=$p; done
  [[ -n $dpid ]] && grep -Eq '^Max core file size +0 +0 ' "/proc/$dpid/limits" 2>/dev/null && break
  sleep 0.1
done
[[ -n $dpid ]] || fail "the desk did not start"
limits=$(grep 'core file' "/proc/$dpid/limits" 2>/dev/null || true)
kill "$dpid" 2>/dev/null || true; wait "$xpid" 2>/dev/null || true
grep -Eq '^Max core file size +0 +0 ' <<<"$limits" || fail "the desk keeps core dumps on: $limits"
echo "ok: the desk runs without core dumps ($limits)"
