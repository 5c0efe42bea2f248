#!/usr/bin/env bash
# The command line's launcher and modules (client/cli/CMakeLists.txt): the launcher needs the C
# library only and answers --version without loading a module; `seal stamp` and `seal verify` run in
# the light module without Poppler, pango or libcurl; what the light module cannot do (an anchor,
# demo, help, a usage error) runs in the full module, printed once; an installation without the
# light module still seals; one without the full module says so. The artwork is prepared once and
# kept in the cache folder. Which libraries a process loaded is read from the dynamic loader
# (LD_DEBUG=files), not assumed.
# usage: cli_modules.sh ONEWINDOW_CLI SOURCE_DIR
set -u
cli=$1; src=$2; data=$src/tests/data/seal
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fails=0; checks=0
ok() { checks=$((checks+1)); }
bad() { checks=$((checks+1)); fails=$((fails+1)); echo "FAIL: $*"; }
export ONEWINDOW_CACHE_DIR=$tmp/cache
# loaded CMD…: the shared objects the process loaded (basename), one per line.
loaded() { LD_DEBUG=files "$@" 2>&1 >/dev/null | sed -n 's/.*file=\([^ ]*\) \[0\];  needed by.*/\1/p; s/.*file=\([^ ]*\) \[0\];  dynamically loaded by.*/\1/p' | xargs -rn1 basename | sort -u; }
valid() { pdfsig "$1" 2>/dev/null | grep -q 'Signature is Valid'; }

# The launcher: C library only.
needed=$(readelf -d "$cli" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
[[ $needed == "libc.so.6 " ]] && ok || bad "the launcher needs '$needed', want only libc.so.6"
[[ $("$cli" --version) =~ ^onewindow-cli\ [0-9]+\.[0-9]+\.[0-9]+\ \(git ]] && ok || bad "--version: $("$cli" --version)"
l=$(loaded "$cli" --version)
grep -q onewindow-cli- <<<"$l" && bad "--version loaded a module: $l" || ok

"$cli" seal demo --org 模块测试局 -o "$tmp/demo" >/dev/null || { echo "FAIL: seal demo"; exit 1; }
K=(--p12 "$tmp/demo/seal.p12" --pin-file "$tmp/demo/seal.pin" --image "$tmp/demo/seal.png")

# stamp and verify: the light module only, none of the heavy libraries.
l=$(loaded "$cli" seal stamp "$data/gs.pdf" "$tmp/light.pdf" "${K[@]}" --page 1 --rect 40,40,100,100)
valid "$tmp/light.pdf" && ok || bad "the light module's stamp is not valid in pdfsig"
grep -qx onewindow-cli-seal.so <<<"$l" && ok || bad "stamp did not run in the light module: $l"
for lib in onewindow-cli-full.so libpoppler libpango libcairo libcurl; do
  grep -q "^$lib" <<<"$l" && bad "stamp loaded $lib" || ok
done
l=$(loaded "$cli" seal verify "$tmp/light.pdf")
grep -qx onewindow-cli-seal.so <<<"$l" && ! grep -q -e onewindow-cli-full -e libpoppler <<<"$l" && ok || bad "verify loaded: $l"
"$cli" seal verify "$tmp/light.pdf" | grep -q "Seal1: VALID" && ok || bad "verify in the light module"
"$cli" seal verify "$tmp/light.pdf" --json | python3 -c 'import json,sys; assert json.load(sys.stdin)["ok"]' && ok || bad "verify --json"

# The artwork: prepared once, one file in the cache folder, not rewritten by the next stamp.
art=("$tmp"/cache/seal-appearance/*.art)
[[ ${#art[@]} == 1 && -s ${art[0]} ]] && ok || bad "the cache holds ${#art[@]} artworks, want 1"
before=$(stat -c %Y.%i "${art[0]}"); sleep 1
"$cli" seal stamp "$data/gs.pdf" "$tmp/again.pdf" "${K[@]}" --page 1 --rect 40,40,100,100 >/dev/null && valid "$tmp/again.pdf" && ok || bad "second stamp"
[[ $(stat -c %Y.%i "${art[0]}") == "$before" ]] && ok || bad "the cached artwork was rewritten"
# …and a cache folder that cannot be made costs nothing but time.
ONEWINDOW_CACHE_DIR=/proc/no-such/cache "$cli" seal stamp "$data/gs.pdf" "$tmp/nocache.pdf" "${K[@]}" --page 1 --rect 40,40,100,100 >/dev/null 2>"$tmp/err" \
  && valid "$tmp/nocache.pdf" && [[ ! -s $tmp/err ]] && ok || bad "stamp without a usable cache: $(cat "$tmp/err")"

# What the light module cannot do runs in the full module (an anchor needs Poppler).
l=$(loaded "$cli" seal stamp "$data/cairo.pdf" "$tmp/anchor.pdf" "${K[@]}" --anchor "（盖章）")
valid "$tmp/anchor.pdf" && ok || bad "the anchored stamp is not valid"
grep -qx onewindow-cli-full.so <<<"$l" && grep -q '^libpoppler' <<<"$l" && ok || bad "the anchored stamp did not run in the full module: $l"
"$cli" seal --help | grep -q "onewindow-cli seal demo" && ok || bad "seal --help lost the full module's commands"
# A usage error: exit 2, the message and the usage printed once.
"$cli" seal stamp "$data/gs.pdf" >/dev/null 2>"$tmp/err"; rc=$?
[[ $rc == 2 && $(grep -c "expected IN.pdf OUT.pdf" "$tmp/err") == 1 && $(grep -c "onewindow-cli seal stamp IN.pdf" "$tmp/err") == 1 ]] && ok || bad "usage error: exit $rc, $(cat "$tmp/err")"
"$cli" seal stamp "$data/gs.pdf" "$tmp/x.pdf" "${K[@]}" --page 9 --rect 1,1,1,1 >/dev/null 2>"$tmp/err"; rc=$?
[[ $rc == 2 && $(grep -c "seal.page" "$tmp/err") == 1 && ! -e $tmp/x.pdf ]] && ok || bad "a missing page: exit $rc, $(cat "$tmp/err")"
"$cli" seal nonsense >/dev/null 2>"$tmp/err"; rc=$?
[[ $rc == 2 && $(grep -c "unknown subcommand 'nonsense'" "$tmp/err") == 1 ]] && ok || bad "unknown subcommand: exit $rc"

# An installation without the light module seals with the full one; without the full module the
# launcher says what is missing (exit 2), and --version still answers.
bin=$(dirname "$cli"); mods=$bin/../lib/onewindow
mkdir -p "$tmp/p1/bin" "$tmp/p1/lib/onewindow" "$tmp/p2/bin" "$tmp/p2/lib/onewindow"
cp "$cli" "$tmp/p1/bin/"; cp "$mods/onewindow-cli-full.so" "$tmp/p1/lib/onewindow/"
"$tmp/p1/bin/onewindow-cli" seal stamp "$data/gs.pdf" "$tmp/p1.pdf" "${K[@]}" --page 1 --rect 40,40,100,100 >/dev/null && valid "$tmp/p1.pdf" && ok || bad "stamp without the light module"
cp "$cli" "$tmp/p2/bin/"; cp "$mods/onewindow-cli-seal.so" "$tmp/p2/lib/onewindow/"
"$tmp/p2/bin/onewindow-cli" calendar >/dev/null 2>"$tmp/err"; rc=$?
[[ $rc == 2 ]] && grep -q "cannot load the command module" "$tmp/err" && ok || bad "no full module: exit $rc, $(cat "$tmp/err")"
"$tmp/p2/bin/onewindow-cli" --version >/dev/null && ok || bad "--version needs no module"

echo "cli_modules: $checks checks, $fails failed"
[[ $fails == 0 ]]
