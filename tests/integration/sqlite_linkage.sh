#!/usr/bin/env bash
# 1. No binary that links SQLCipher also links plain libsqlite3 (their symbols clash silently and
#    the first one wins: with libsqlite3 first, data would be written unencrypted).
# 2. A deliberately mislinked probe is refused by the store's run-time guard, and writes no store.
set -euo pipefail
bin_dir=$1; probe=$2
checked=0
for f in "$bin_dir"/*; do
  [[ -f $f && -x $f ]] || continue
  file -b "$f" | grep -q ELF || continue
  libs=$(ldd "$f" 2>/dev/null || true)
  if grep -q libsqlcipher <<<"$libs"; then
    checked=$((checked + 1))
    if grep -Eq 'libsqlite3\.so' <<<"$libs"; then echo "FAIL: $f links both SQLCipher and libsqlite3"; exit 1; fi
  fi
done
(( checked > 0 )) || { echo "FAIL: no binary links SQLCipher (wrong directory?)"; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
probe_libs=$(ldd "$probe" 2>/dev/null || true)
grep -q "libsqlite3\.so" <<<"$probe_libs" || { echo "FAIL: the probe is not linked against libsqlite3"; exit 1; }
set +e; out=$("$probe" "$tmp/s" 2>&1); rc=$?; set -e
[[ $rc == 3 ]] || { echo "FAIL: the mislinked probe was not refused (rc $rc): $out"; exit 1; }
[[ ! -e $tmp/s/keys.json && ! -e $tmp/s/store.db ]] || { echo "FAIL: the refused probe left a store behind"; exit 1; }
echo "ok: $checked binaries link SQLCipher only; the mislinked probe was refused: $out"
