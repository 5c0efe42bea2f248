#!/usr/bin/env bash
# Translations are part of the product: every marked string is in i18n/onewindow.pot, msgids are
# ASCII (wx looks narrow msgids up byte for byte), every .po compiles with `msgfmt --check`, and
# zh_CN (the default UI language) has no untranslated or fuzzy message.
set -euo pipefail
src=$1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cmake -DSOURCE_DIR="$src" -DXGETTEXT="$(command -v xgettext)" -DOUTPUT="$tmp/fresh.pot" -P "$src/i18n/refresh_pot.cmake"
ids() { msgcat --no-wrap --sort-output "$1" 2>/dev/null | grep -E '^msgid ' | sort -u; }
missing=$(comm -23 <(ids "$tmp/fresh.pot") <(ids "$src/i18n/onewindow.pot"))
if [[ -n $missing ]]; then
  echo "FAIL: strings marked in the sources but missing from i18n/onewindow.pot (run: cmake --build BUILD --target update-pot):"
  echo "$missing"; exit 1
fi
if grep -P '^msgid ".*[^\x00-\x7F]' "$tmp/fresh.pot"; then
  echo "FAIL: msgids must be ASCII English source text"; exit 1
fi
for po in "$src"/i18n/*.po; do
  msgfmt --check -o /dev/null "$po"
done
stats=$(msgfmt --statistics -o /dev/null "$src/i18n/zh_CN.po" 2>&1)
untranslated=$(msgattrib --untranslated --no-obsolete "$src/i18n/zh_CN.po" | grep -c '^msgid ' || true)
fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$src/i18n/zh_CN.po" | grep -c '^msgid ' || true)
# msgattrib prints the header entry too when anything is selected
if (( untranslated > 1 || fuzzy > 1 )); then
  echo "FAIL: zh_CN.po: $stats"; msgattrib --untranslated --only-fuzzy "$src/i18n/zh_CN.po" | grep '^msgid' | head; exit 1
fi
echo "ok: $stats"
