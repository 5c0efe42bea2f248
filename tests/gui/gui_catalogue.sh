#!/usr/bin/env bash
# The desk uses its store's catalogue: the training platform adds an item; a store that has not
# synced yet does not know it (the desk warns that --select finds no such item); after
# `sync --once` the desk opened on that store selects it.
set -uo pipefail
app=$1 cli=$2 sim=$3 src=$4
tmp=$(mktemp -d); pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails+1)); }
printf 'gui catalogue password\n' >"$tmp/pw"; P=(--password-file "$tmp/pw")
new=370102-XX-9999-001
desk() {  # desk STORE PNG: the desk on STORE selecting $new, screenshot to PNG; stderr in $tmp/desk.err
  timeout 120 "$src/tests/gui/xvfb-one" "$app" --store "$1" "${P[@]}" --select $new --screenshot "$2" 2>"$tmp/desk.err"
}

for s in a b; do
  "$cli" store init --store "$tmp/$s" --user clerk --role clerk "${P[@]}" --kdf-ops 1 --kdf-mem-mib 8 >/dev/null || fail "store init $s"
done
"$sim" enroll --db "$tmp/sim.db" --terminal gui-cat --centre 370102A --terminal-code T21 >"$tmp/cred.json" || fail "sim enroll"
python3 - "$src/forms/catalog/items/gtgshsldj.json" "$tmp/new.json" "$new" <<'PY' || fail "make the new item"
import json, sys
j = json.load(open(sys.argv[1]))
j["code"] = sys.argv[3]
j["name"] = "平台新增事项（训练）"
json.dump(j, open(sys.argv[2], "w"), ensure_ascii=False)
PY
"$sim" catalogue-revise --db "$tmp/sim.db" --item "$tmp/new.json" >/dev/null || fail "catalogue-revise --item (new)"
"$sim" serve --db "$tmp/sim.db" --listen 127.0.0.1:0 --port-file "$tmp/port" --quiet >>"$tmp/sim.log" 2>&1 &
pids+=($!)
for _ in $(seq 400); do [[ -s $tmp/port ]] && break; sleep 0.05; done
"$cli" platform connect --store "$tmp/a" "${P[@]}" --url "http://127.0.0.1:$(cat "$tmp/port")" --credentials "$tmp/cred.json" >/dev/null \
  || fail "platform connect"
"$cli" sync --store "$tmp/a" "${P[@]}" --once --quiet >/dev/null || fail "sync --once"

desk "$tmp/b" "$tmp/b.png" || fail "desk on the unsynced store: $(cat "$tmp/desk.err")"
grep -q -- "--select: no item or bundle with code $new" "$tmp/desk.err" || fail "an unsynced store should not know $new: $(cat "$tmp/desk.err")"
desk "$tmp/a" "$tmp/a.png" || fail "desk on the synced store: $(cat "$tmp/desk.err")"
[[ -s $tmp/a.png ]] || fail "the desk's screenshot was not written"
grep -q -- "--select" "$tmp/desk.err" && fail "the synced store's desk should select $new: $(cat "$tmp/desk.err")"

[[ $fails == 0 ]] && echo "gui_catalogue: all passed"
exit $((fails > 0))
