#!/usr/bin/env bash
# onewindow-cli in the language of the environment (issue 20): its human messages — a usage error,
# a refusal through a real store, --help — in zh_CN and zh_TW from the desk's catalogue, and in the
# C locale exactly the English of before (scripts rely on it). Exit codes and stdout (JSON) are the
# same in every language. zh_*.UTF-8 locales need not be generated here: the CLI picks the language
# itself (LANGUAGE unless the locale is C/POSIX, else LC_ALL, LC_MESSAGES, LANG).
set -uo pipefail
cli=$1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails+1)); }
S=$tmp/store; printf 'window password 1\n' >"$tmp/pw"
P=(--store "$S" --password-file "$tmp/pw")
# Runs the CLI in language $1 (an `env` setting), saving stdout, stderr and the exit code under $2.
run() {
  local lang=$1 tag=$2; shift 2
  local -a e=(env -u LANGUAGE -u LC_ALL -u LC_MESSAGES -u LANG)
  case $lang in
    C) e+=(LANG=C.UTF-8) ;;
    C-with-LANGUAGE) e+=(LC_ALL=C LANGUAGE=zh_CN) ;;    # gettext: LANGUAGE is ignored in the C locale
    unset) ;;
    zh_CN) e+=(LANG=C.UTF-8 LANGUAGE=zh_CN) ;;          # CI's locale, the language by LANGUAGE
    zh_TW) e+=(LANG=zh_TW.UTF-8) ;;                     # a locale that may not be generated
    zh_HK) e+=(LC_MESSAGES=zh_HK.UTF-8 LANG=C.UTF-8) ;;
    zh) e+=(LANG=zh_CN.UTF-8) ;;
    fr) e+=(LANG=fr_FR.UTF-8) ;;
  esac
  "${e[@]}" "$cli" "$@" >"$tmp/$tag.$lang.out" 2>"$tmp/$tag.$lang.err"
  echo $? >"$tmp/$tag.$lang.rc"
}
has() { grep -qF -- "$2" "$tmp/$1" || fail "$1 should contain '$2': $(head -c 600 "$tmp/$1")"; }
same() { cmp -s "$tmp/$1" "$tmp/$2" || fail "$1 and $2 differ: $(diff "$tmp/$1" "$tmp/$2" | head -5)"; }

env LANG=C.UTF-8 "$cli" store init "${P[@]}" --user clerk --role clerk --kdf-ops 1 --kdf-mem-mib 8 >/dev/null || fail "store init"
cid=$(env LANG=C.UTF-8 "$cli" case new --item 370102-SC-0001-001 "${P[@]}" --json | python3 -c "import json,sys; print(json.load(sys.stdin)['id'])")
[[ -n $cid ]] || fail "case new"

langs=(C C-with-LANGUAGE unset zh_CN zh_TW zh_HK zh fr)
for l in "${langs[@]}"; do
  run "$l" usage case new "${P[@]}"                       # neither --item nor --bundle: exit 2
  run "$l" refusal case accept "$cid" "${P[@]}" --json    # no applicant yet: refused, exit 1
  run "$l" help --help
  run "$l" grouphelp case --help
  run "$l" show case show "$cid" "${P[@]}" --json
  run "$l" unknown nosuchgroup
done

# Exit codes and stdout are the same in every language.
for t in usage refusal help grouphelp show unknown; do
  for l in "${langs[@]}"; do
    same "$t.C.rc" "$t.$l.rc"
    [[ $t == help || $t == grouphelp ]] || same "$t.C.out" "$t.$l.out"
  done
done
[[ $(cat "$tmp/usage.C.rc") == 2 && $(cat "$tmp/refusal.C.rc") == 1 && $(cat "$tmp/help.C.rc") == 0 && $(cat "$tmp/unknown.C.rc") == 2 ]] \
  || fail "exit codes: usage $(cat "$tmp/usage.C.rc"), refusal $(cat "$tmp/refusal.C.rc"), help $(cat "$tmp/help.C.rc")"
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['id']==sys.argv[2]" "$tmp/show.zh_CN.out" "$cid" || fail "case show --json in zh_CN"
[[ ! -s $tmp/refusal.C.out ]] || fail "a refusal prints nothing on stdout"

# English (C, C with LANGUAGE, nothing set, a language without a catalogue): the text of before, byte for byte.
printf 'onewindow-cli: give --item CODE or --bundle CODE\nusage:\n' >"$tmp/usage.expect"
head -2 "$tmp/usage.C.err" | cmp -s - "$tmp/usage.expect" || fail "English usage error changed: $(head -2 "$tmp/usage.C.err")"
printf 'onewindow-cli: refused: the applicant is not identified yet (case applicant)\n' >"$tmp/refusal.expect"
same refusal.expect refusal.C.err
printf "onewindow-cli: unknown command 'nosuchgroup' (see --help)\n" >"$tmp/unknown.expect"
same unknown.expect unknown.C.err
has help.C.out "usage: onewindow-cli GROUP COMMAND [ARGS…]"
has help.C.out "      accept the application (受理; refused while materials are missing)"
has help.C.out "exit status: 0 yes/ok, 1 no/invalid input, 2 usage or other error"
for l in C-with-LANGUAGE unset fr; do
  for t in usage refusal help grouphelp unknown; do
    for s in out err; do same "$t.C.$s" "$t.$l.$s"; done
  done
done

# zh_CN (by LANGUAGE, and by LANG=zh_CN.UTF-8 whether or not that locale exists).
for l in zh_CN zh; do
  has "usage.$l.err" "onewindow-cli: 请给出 --item CODE 或 --bundle CODE"
  has "usage.$l.err" "用法："
  has "refusal.$l.err" "onewindow-cli: 拒绝：尚未确认申请人身份。（workflow.no_applicant）"
  has "help.$l.out" "      受理申请（材料不齐时不能受理）"
  has "help.$l.out" "用法： onewindow-cli GROUP COMMAND [ARGS…]"
  has "help.$l.out" "  onewindow-cli case accept ID "   # command names and flags stay
  has "grouphelp.$l.out" "      受理申请（材料不齐时不能受理）"
  has "unknown.$l.err" "onewindow-cli: 未知命令“nosuchgroup”（见 --help）"
  same "usage.$l.err" usage.zh_CN.err
done
# zh_TW (LANG=zh_TW.UTF-8; LC_MESSAGES=zh_HK.UTF-8 before LANG).
for l in zh_TW zh_HK; do
  has "usage.$l.err" "onewindow-cli: 請給出 --item CODE 或 --bundle CODE"
  has "refusal.$l.err" "onewindow-cli: 拒絕：尚未確認申請人身份。（workflow.no_applicant）"
  has "help.$l.out" "      受理申請（材料不齊時不能受理）"
  same "help.$l.out" help.zh_TW.out
done
# No English left in the translated help's summaries (every summary has a translation).
python3 - "$tmp/help.zh_CN.out" "$tmp/help.C.out" <<'PY' || fail "untranslated --help summaries in zh_CN"
import sys
zh = [l for l in open(sys.argv[1], encoding="utf-8") if l.startswith("      ") and l[6] != " "]
en = [l for l in open(sys.argv[2], encoding="utf-8") if l.startswith("      ") and l[6] != " "]
assert len(zh) == len(en) > 50, (len(zh), len(en))
same = [a.strip() for a, b in zip(zh, en) if a == b]
assert not same, same
PY

[[ $fails == 0 ]] && echo "cli_i18n: all passed" || { echo "cli_i18n: $fails failed"; exit 1; }
