#!/usr/bin/env bash
# The foundation CLI contracts: exit codes and outputs of validate and calendar.
set -uo pipefail
cli=$1
fails=0
expect() {  # expect RC OUTPUT -- ARGS…
  local want_rc=$1 want_out=$2; shift 3
  local out rc
  out=$("$cli" "$@" 2>/dev/null); rc=$?
  if [[ $rc != "$want_rc" ]] || { [[ -n $want_out ]] && [[ $out != "$want_out" ]]; }; then
    echo "FAIL: onewindow-cli $* → rc=$rc out='$out' (want rc=$want_rc out='$want_out')"; fails=$((fails+1))
  fi
}
id_with_check() { python3 -c "
s='$1'; W=[7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2]
print(s+'10X98765432'[sum(int(c)*w for c,w in zip(s,W))%11])"; }
good=$(id_with_check 44030419900307291)
bad=${good:0:17}$([[ ${good:17:1} == 1 ]] && echo 2 || echo 1)

expect 0 "" -- --version
# --version names the git revision (issue 20): "onewindow-cli 0.1.0 (git 1a2b3c4[+dirty])", or "(git unknown)".
[[ $("$cli" --version) =~ ^onewindow-cli\ [0-9]+\.[0-9]+\.[0-9]+\ \(git\ ([0-9a-f]{7,}(\+dirty)?|unknown)\)$ ]] ||
  { echo "FAIL: --version without the git revision: $("$cli" --version)"; fails=$((fails+1)); }
expect 0 "" -- --help
expect 2 "" -- frobnicate
expect 2 "" -- validate
expect 2 "" -- validate id
expect 0 "" -- validate id "$good"
expect 1 "" -- validate id "$bad"
expect 1 "" -- validate id 12345
expect 0 "" -- validate id 440304900307291        # 15-digit legacy
expect 0 "" -- validate uscc 91350100MA01B2C37P
expect 1 "" -- validate uscc 91350100MA01B2C370
expect 1 "" -- validate uscc 91350100MA01B2C3IP
expect 0 "" -- validate phone "+86 138 0013 8000"
expect 1 "" -- validate phone 1280013800
expect 0 "" -- validate postcode 518000
expect 0 yes -- calendar is-workday 2025-01-26       # worked Sunday
expect 1 no -- calendar is-workday 2025-10-03
expect 1 no -- calendar is-workday 2026-02-16        # Spring Festival 2026
expect 0 yes -- calendar is-workday 2026-02-28       # worked Saturday
expect 0 2025-10-09 -- calendar add 2025-09-30 1
expect 0 2025-10-09 -- calendar add 2025-10-01 0
expect 0 2025-09-30 -- calendar add 2025-09-30 0
expect 0 3 -- calendar between 2025-09-30 2025-10-11
expect 0 2027-01-14 -- calendar add 2026-12-30 10    # past the published calendar: provisional 2027
expect 2 "" -- calendar add 2099-12-30 10            # past 2099: no provisional calendar either
expect 2 "" -- calendar is-workday 2025-02-30
expect 2 "" -- calendar add 2025-01-01 -1
out=$("$cli" validate id "$bad" 2>&1)
[[ $out == *"check digit"* ]] || { echo "FAIL: an invalid ID must say why, got '$out'"; fails=$((fails+1)); }
echo "cli_foundation: $fails failure(s)"
(( fails == 0 ))
