#!/usr/bin/env bash
# Translations are part of the product: every marked string is in i18n/onewindow.pot, msgids are
# ASCII (wx looks narrow msgids up byte for byte), every .po compiles with `msgfmt --check`, no
# catalogue (zh_CN, zh_TW, en) has an untranslated or fuzzy message, and zh_TW.po is exactly what
# zh_CN.po makes (tools/i18n/make_zh_tw.py: OpenCC s2tw and the reviewed glossary).
set -euo pipefail
src=$(cd "$1" && pwd)  # absolute: refresh_pot.cmake globs relative to it
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
status=0
for lang in zh_CN zh_TW en; do
  po=$src/i18n/$lang.po
  if ! msgfmt --check -o /dev/null "$po"; then echo "FAIL: $lang.po: msgfmt --check"; status=1; fi
  # msgattrib prints the header entry too when anything is selected
  bad=$(msgattrib --untranslated --no-obsolete --no-wrap "$po" | grep '^msgid ' | grep -v '^msgid ""$' || true)
  fuzzy=$(msgattrib --only-fuzzy --no-obsolete --no-wrap "$po" | grep '^msgid ' | grep -v '^msgid ""$' || true)
  if [[ -n $bad || -n $fuzzy ]]; then
    echo "FAIL: $lang.po: $(grep -c . <<<"$bad$fuzzy") untranslated or fuzzy messages:"; printf '%s\n%s\n' "$bad" "$fuzzy" | grep . | head -20
    status=1
  else
    echo "ok: $lang.po: $(msgfmt --statistics -o /dev/null "$po" 2>&1)"
  fi
done
python3 "$src/tools/i18n/make_zh_tw.py" "$src/i18n/zh_CN.po" "$src/i18n/zh_TW.glossary" "$tmp/zh_TW.po"
if ! cmp -s "$tmp/zh_TW.po" "$src/i18n/zh_TW.po"; then
  echo "FAIL: i18n/zh_TW.po is not what zh_CN.po makes (run: cmake --build BUILD --target update-zh-tw):"
  diff "$src/i18n/zh_TW.po" "$tmp/zh_TW.po" | head -20
  status=1
fi
exit $status
