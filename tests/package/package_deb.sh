#!/usr/bin/env bash
# The Debian packages installed into this machine and used from the installed paths (issue 20):
# scripts/package packages the build tree as it is (no rebuild), lintian finds no error, both
# packages install with apt-get, the installed desk prints its version and renders a screenshot
# under Xvfb (zh_CN and en differ: its translations were found under /usr/share/locale),
# onewindow-cli reads the installed catalogue, calendar, notice templates and plugins (no
# test-only plugin), makes and seeds a store, the training platform answers --version; then both
# are purged and no file of theirs is left.
# usage: package_deb.sh SOURCE_DIR BUILD_DIR OUT_DIR. Exit 77 (skipped) when not root, when
# apt-get is missing, or when a onewindow package is installed already (not ours to remove).
set -uo pipefail
src=$1 build=$2 out=$3
skip() { echo "SKIP: $*"; exit 77; }
[[ $(id -u) == 0 ]] || skip "installing packages needs root (run as root, e.g. in CI)"
command -v apt-get >/dev/null && command -v dpkg >/dev/null || skip "no apt-get/dpkg here"
for p in onewindow onewindow-platform-sim; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' && skip "$p is installed already; not touching it"
done
fails=0
fail() { echo "FAIL: $*"; fails=$((fails+1)); }
rm -rf "$out" && mkdir -p "$out"
tmp=$(mktemp -d)
installed=0
purge() { DEBIAN_FRONTEND=noninteractive apt-get remove --purge -y onewindow onewindow-platform-sim >"$out/remove.log" 2>&1; }
trap '[[ $installed == 1 ]] && purge; rm -rf "$tmp"' EXIT
# What is tested runs from /usr only: nothing from the build tree leaks in.
unset ONEWINDOW_DATA_DIR ONEWINDOW_PLUGIN_PATH
export PATH=/usr/sbin:/usr/bin:/sbin:/bin

"$src/scripts/package" --build-dir "$build" --out "$out" >"$out/package.log" 2>&1 || { cat "$out/package.log"; echo "FAIL: scripts/package"; exit 1; }
deb=$(ls "$out"/onewindow_*.deb) sim_deb=$(ls "$out"/onewindow-platform-sim_*.deb) || { echo "FAIL: the .deb files are missing"; exit 1; }
for d in "$deb" "$sim_deb"; do
  dpkg-deb -f "$d" Depends | grep -q 'libc6' || fail "$(basename "$d"): no shlibdeps dependencies"
  dpkg-deb -c "$d" | grep -q '/faulty' && fail "$(basename "$d") holds the test-only plugin faulty"
done
if command -v lintian >/dev/null; then
  lintian --fail-on error "$deb" "$sim_deb" >"$out/lintian.txt" 2>&1 || { cat "$out/lintian.txt"; fail "lintian reports errors"; }
  grep -E '^[EW]:' "$out/lintian.txt"
else
  fail "lintian is not installed (scripts/bootstrap)"
fi

DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$deb" "$sim_deb" >"$out/install.log" 2>&1 ||
  { cat "$out/install.log"; echo "FAIL: apt-get install"; exit 1; }
installed=1
dpkg -L onewindow onewindow-platform-sim | sort -u >"$out/files.txt"

# Desktop integration files are installed and valid.
app_id=org.onewindow.OneWindow
for f in /usr/share/applications/$app_id.desktop /usr/share/metainfo/$app_id.metainfo.xml \
         /usr/share/icons/hicolor/scalable/apps/onewindow.svg /usr/share/man/man1/onewindow.1.gz \
         /usr/share/man/man1/onewindow-cli.1.gz /usr/share/locale/zh_CN/LC_MESSAGES/onewindow.mo; do
  [[ -s $f ]] || fail "$f is not installed"
done
for s in 16 22 24 32 48 64 128 256; do
  [[ $(identify -format '%wx%h' /usr/share/icons/hicolor/${s}x$s/apps/onewindow.png 2>/dev/null) == "${s}x$s" ]] ||
    fail "the ${s}x$s icon is missing or of another size"
done
desktop-file-validate /usr/share/applications/$app_id.desktop || fail "desktop-file-validate"
appstreamcli validate --no-net /usr/share/metainfo/$app_id.metainfo.xml >"$out/appstream.txt" 2>&1 ||
  { cat "$out/appstream.txt"; fail "appstreamcli validate"; }
# The menu entry starts the desk on the user's own store (a stand-in onewindow records its arguments).
mkdir -p "$tmp/fake" && printf '#!/bin/sh\nprintf "%%s " "$@" >"%s/args"\n' "$tmp" >"$tmp/fake/onewindow" && chmod +x "$tmp/fake/onewindow"
PATH=$tmp/fake:$PATH HOME=/home/clerk XDG_DATA_HOME='' timeout 30 gio launch /usr/share/applications/$app_id.desktop
for _ in 1 2 3 4 5 6 7 8 9 10; do [[ -s $tmp/args ]] && break; sleep 0.5; done
[[ $(cat "$tmp/args" 2>/dev/null) == "--store /home/clerk/.local/share/onewindow/store " ]] ||
  fail "the desktop entry starts: '$(cat "$tmp/args" 2>/dev/null)' (want onewindow --store ~/.local/share/onewindow/store)"
zcat /usr/share/man/man1/onewindow-cli.1.gz | grep -q 'archive export' || fail "the CLI's man page lacks its commands"
man -l /usr/share/man/man1/onewindow.1.gz 2>/dev/null | grep -q 'screenshot' || fail "man onewindow does not render"

# The installed binaries.
re='^[a-z-]+ [0-9]+\.[0-9]+\.[0-9]+ \(git ([0-9a-f]{7,}(\+dirty)?|unknown)\)$'
for b in onewindow onewindow-cli onewindow-plugin-host onewindow-platform-sim; do
  [[ $(command -v $b) == /usr/bin/$b ]] || fail "$b is not /usr/bin/$b"
  v=$(env -u DISPLAY /usr/bin/$b --version) || fail "$b --version exits $?"
  [[ $v =~ $re && $v == "$b "* ]] || fail "$b --version: '$v'"
done
echo "installed: $(/usr/bin/onewindow --version)"

# The desk's main screen under Xvfb, in Chinese and in English (different: the .mo was found).
for lang in zh_CN en; do
  timeout 120 "$src/tests/gui/xvfb-one" /usr/bin/onewindow --lang $lang \
    --screenshot-screen main "$out/main-$lang.png" >"$out/desk-$lang.log" 2>&1 || { cat "$out/desk-$lang.log"; fail "screenshot $lang"; }
  colours=$(identify -format '%k' "$out/main-$lang.png" 2>/dev/null || echo 0)
  (( colours >= 64 )) || fail "main-$lang.png has only $colours colours: blank?"
done
diff=$(compare -metric AE "$out/main-zh_CN.png" "$out/main-en.png" null: 2>&1 || true)
[[ ${diff%% *} =~ ^[0-9.e+]+$ ]] && python3 -c "import sys; sys.exit(0 if float('${diff%% *}') > 1000 else 1)" ||
  fail "the zh_CN and en screenshots do not differ ($diff): translations not found under /usr/share/locale?"

# The CLI from the installed paths: data, templates, plugins (through the installed plugin host).
cli=/usr/bin/onewindow-cli
$cli forms list --json >"$tmp/forms.json" && python3 -c "
import json,sys; f=json.load(open('$tmp/forms.json')); sys.exit(0 if len(f) >= 10 else 1)" || fail "forms list from /usr/share/onewindow/catalog"
[[ $($cli calendar is-workday 2026-10-01) == no ]] || fail "calendar: 2026-10-01 (National Day) should be a day off"
$cli notice kinds | grep -q '^acceptance_notice' || fail "notice kinds from /usr/share/onewindow/notices"
$cli plugins list --json >"$tmp/plugins.json" || fail "plugins list"
python3 - "$tmp/plugins.json" <<'PY' || fail "plugins list: $(cat "$tmp/plugins.json" | head -c 400)"
import json, sys
plugins = json.load(open(sys.argv[1]))
names = {p["name"]: p for p in plugins}
assert "faulty" not in names, "the test-only plugin is offered"
assert not any(p.get("test_only") for p in plugins)
for n in ("idcard-sim", "rating-sim", "signature-sim", "scanner-sane"):
    assert n in names and names[n]["path"].startswith("/usr/lib/onewindow/plugins/"), n
PY
$cli plugins call idcard-sim read '{}' >"$tmp/card.json" && grep -q '"id_number"' "$tmp/card.json" ||
  fail "plugins call idcard-sim read (the installed plugin host): $(head -c 300 "$tmp/card.json")"
printf 'admin password 1\n' >"$tmp/pw"
S=$tmp/store
$cli store init --store "$S" --user admin --role admin --password-file "$tmp/pw" --kdf-ops 1 --kdf-mem-mib 8 >/dev/null || fail "store init"
$cli demo seed --store "$S" --password-file "$tmp/pw" --cases 5 --notices >"$tmp/seed.json" || fail "demo seed --notices (templates, fonts, demo seal)"
grep -q '"notices":{"' "$tmp/seed.json" || fail "demo seed made no notice: $(cat "$tmp/seed.json")"
$cli store stats --store "$S" --password-file "$tmp/pw" | grep -q '"cases": 5' || fail "store stats: not the 5 seeded cases"
$cli notice render --kind acceptance_receipt --data "$src/tests/data/notices/realistic_case.json" -o "$tmp/receipt.pdf" &&
  pdftotext "$tmp/receipt.pdf" - | grep -q 受理回执 || fail "notice render (the installed templates and fonts)"

# Purge: nothing of the packages is left (directories shared with other packages may stay).
purge || { cat "$out/remove.log"; fail "apt-get remove --purge"; }
installed=0
dpkg-query -W -f='${Status}' onewindow 2>/dev/null | grep -q 'ok installed' && fail "onewindow is still installed"
left=0
while read -r f; do
  [[ -e $f && ! -d $f ]] && { echo "left behind: $f"; left=$((left+1)); }
done <"$out/files.txt"
for d in /usr/share/onewindow /usr/lib/onewindow /usr/share/doc/onewindow /usr/share/doc/onewindow-platform-sim; do
  [[ -e $d ]] && { echo "left behind: $d"; left=$((left+1)); }
done
(( left == 0 )) || fail "$left files or folders left after the purge"
echo "package_deb: $fails failure(s)"
exit $(( fails > 0 ))
