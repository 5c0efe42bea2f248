#!/usr/bin/env bash
# Appointments and the green channel from the CLI against the training platform (issue 19),
# real processes on loopback and a real SQLCipher store:
#  - appointments booked on the platform appear after a sync in the queue `appointments` (by slot);
#    a check-in starts the intake (a draft for the item, the applicant prefilled when the platform
#    sent the whole ID number), a no-show is marked after the slot, both reach the platform;
#  - a green-flagged case (绿色通道) is first in its queue, its notice says so, the flag syncs.
# (通办: cli_tongban.sh.)
set -uo pipefail
cli=$1 sim=$2
tmp=$(mktemp -d); pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; [[ -n ${KEEP_TMP:-} ]] || rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails+1)); }
S=$tmp/store
for u in admin clerk1 chief_a; do printf '%s password 1\n' "$u" >"$tmp/$u.pw"; done
K=(--kdf-ops 1 --kdf-mem-mib 8)
as() { local u=$1; shift; "$cli" "$@" --store "$S" --password-file "$tmp/$u.pw" --user "$u"; }
json_of() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))" "$1"; }
rc_of() { "$@" >/dev/null 2>"$tmp/last.err"; echo $?; }
today=$(TZ=Asia/Shanghai date +%F)
item=370102-RS-0211-001  # 社会保障卡申领 (promised)

"$cli" store init --store "$S" --user admin --role admin --password-file "$tmp/admin.pw" "${K[@]}" >/dev/null || fail "store init"
as admin user add --new-user clerk1 --role clerk --display-name 王窗口 --new-password-file "$tmp/clerk1.pw" "${K[@]}" >/dev/null || fail "user add clerk1"
as admin user add --new-user chief_a --role chief --post A --display-name 张首席 --new-password-file "$tmp/chief_a.pw" "${K[@]}" >/dev/null || fail "user add chief_a"
"$cli" seal demo --org 济南市历下区行政审批服务局 -o "$tmp/seal" >/dev/null || fail "seal demo"

# ---- the training platform: appointments booked ---------------------------------------------------
"$sim" enroll --db "$tmp/sim.db" --terminal appoint-test >"$tmp/cred.json" || fail "sim enroll"
book() { "$sim" appointment-add --db "$tmp/sim.db" --item $item --date "$today" "$@" | json_of "d['appointment_id']"; }
apt_full=$(book --name 王芳 --id-number 370102198001010015 --phone 13800138001 --slot 23:00-23:30)
apt_masked=$(book --name 李强 --id-number 370102196203150025 --phone 13800138002 --slot 22:00-22:30 --mask)
apt_gone=$(book --name 赵敏 --id-number 37010219900707003X --phone 13800138003 --slot 00:00-00:01)
[[ -n $apt_full && -n $apt_masked && -n $apt_gone ]] || fail "appointment-add"
"$sim" appointment-add --db "$tmp/sim.db" --item $item --date "$today" --name x --id-number 370102198001010016 --slot 09:00-09:30 >/dev/null 2>&1
[[ $? == 1 ]] || fail "a booking with a wrong ID check digit should be refused (1)"
"$sim" appointment-add --db "$tmp/sim.db" --item $item --date "$today" --name x --id-number 370102198001010015 --slot 09:30-09:00 >/dev/null 2>&1
[[ $? == 1 ]] || fail "a booking with a backwards slot should be refused (1)"
"$sim" serve --db "$tmp/sim.db" --listen 127.0.0.1:0 --port-file "$tmp/port" --quiet --decide-after-s 100000 >>"$tmp/sim.log" 2>&1 &
pids+=($!)
for _ in $(seq 400); do [[ -s $tmp/port ]] && break; sleep 0.05; done
as admin platform connect --url "http://127.0.0.1:$(cat "$tmp/port")" --credentials "$tmp/cred.json" >/dev/null || fail "platform connect"
sync_once() { as admin sync --once >"$tmp/sync.json" 2>"$tmp/sync.err" || fail "sync --once: $(cat "$tmp/sync.err")"; }

# ---- appointments --------------------------------------------------------------------------------
as clerk1 case queue appointments --json | json_of "d['count']" | grep -qx 0 || fail "no appointments before the sync"
sync_once
json_of "d['appointments_pulled']" <"$tmp/sync.json" | grep -qx 3 || fail "the sync should pull 3 appointments: $(cat "$tmp/sync.json")"
as clerk1 case queue appointments --json >"$tmp/q1.json" || fail "case queue appointments"
python3 - "$tmp/q1.json" "$apt_gone" "$apt_masked" "$apt_full" <<'PY' || fail "today's appointments by slot"
import json, sys
d = json.load(open(sys.argv[1]))
assert d['queue'] == 'appointments' and d['count'] == 3, d
assert [a['appointment_id'] for a in d['appointments']] == sys.argv[2:5], d
assert all(a['status'] == 'booked' and a['case_id'] == '' for a in d['appointments']), d
PY
[[ $(rc_of as clerk1 case check-in apt-nope) == 2 ]] || fail "an unknown appointment is bad input (2)"
[[ $(rc_of as chief_a case check-in "$apt_full") == 1 ]] || fail "a chief representative does not check applicants in (1)"
[[ $(rc_of as clerk1 case check-in "$apt_full" --green nobody) == 2 ]] || fail "an unknown green flag is bad input (2)"
as clerk1 case check-in "$apt_full" --green elderly --json >"$tmp/ci1.json" 2>"$tmp/ci1.err" || fail "check-in: $(cat "$tmp/ci1.err")"
python3 - "$tmp/ci1.json" <<'PY' || fail "the check-in starts the intake with the applicant prefilled and the green flag"
import json, sys
c = json.load(open(sys.argv[1]))
assert c['state'] == 'draft' and c['item'] == '370102-RS-0211-001', c
a = c['applicant']
assert a['name'] == '王芳' and a['doc_number'] == '370102198001010015' and a['phone'] == '13800138001', a
assert c['green_flags'] == ['elderly'], c.get('green_flags')
PY
cid=$(json_of "d['id']" <"$tmp/ci1.json")
grep -q "prefilled" "$tmp/ci1.err" || fail "the check-in should say it prefilled the applicant"
[[ $(rc_of as clerk1 case check-in "$apt_full") == 1 ]] || fail "a second check-in of the same appointment is refused (1)"
as clerk1 case check-in "$apt_masked" --json >"$tmp/ci2.json" 2>"$tmp/ci2.err" || fail "check-in (masked): $(cat "$tmp/ci2.err")"
json_of "d['state'] + '|' + d['applicant']['name']" <"$tmp/ci2.json" | grep -qx 'draft|' || fail "a masked ID number leaves the applicant to the ID card"
grep -q "masked" "$tmp/ci2.err" || fail "the check-in should say the ID number is masked"
mid=$(json_of "d['id']" <"$tmp/ci2.json")
as clerk1 case show "$mid" >"$tmp/show2.json" || fail "case show (masked)"
python3 - "$tmp/show2.json" "$apt_masked" <<'PY' || fail "case show names the appointment with the applicant as the platform sent it"
import json, sys
a = json.load(open(sys.argv[1]))['appointment']
assert a['appointment_id'] == sys.argv[2] and a['applicant_name'] == '李强' and a['phone'] == '13800138002', a
assert a['doc_masked'] is True and a['doc_number'].startswith('3701') and '*' in a['doc_number'] and a['slot_start'] == '22:00', a
PY
[[ $(rc_of as clerk1 case no-show "$apt_full") == 1 ]] || fail "an arrived appointment cannot be a no-show (1)"
as clerk1 case no-show "$apt_gone" --json >"$tmp/ns.json" || fail "no-show after the slot: $(cat "$tmp/last.err")"
json_of "d['status'] + '|' + d['report_state']" <"$tmp/ns.json" | grep -qx 'no_show|pending' || fail "the no-show is queued for the platform"
as clerk1 case queue appointments --json >"$tmp/q2.json" || fail "case queue appointments (after)"
python3 - "$tmp/q2.json" "$cid" "$mid" <<'PY' || fail "the queue shows arrivals with their cases and the no-show"
import json, sys
d = json.load(open(sys.argv[1]))
a = d['appointments']
assert [x['status'] for x in a] == ['no_show', 'arrived', 'arrived'], a
assert a[1]['case_id'] == sys.argv[3] and a[2]['case_id'] == sys.argv[2] and a[2]['green'] is True, a
PY
as admin audit list --action appointment.arrived 2>/dev/null | grep -c '"appointment.arrived"' | grep -qx 2 || fail "each check-in is audited"
as admin audit list --action appointment.no_show 2>/dev/null | grep -q '"appointment.no_show"' || fail "the no-show is audited"

# ---- green channel: first in its queues, on its notices, at the platform ---------------------------
pid=$(as clerk1 case new --item $item --json | json_of "d['id']")  # a newer case, not flagged
as clerk1 case queue today --json >"$tmp/t1.json" || fail "queue today"
python3 - "$tmp/t1.json" "$cid" <<'PY' || fail "the green case comes first in the today queue (newest first otherwise)"
import json, sys
d = json.load(open(sys.argv[1]))
assert d['cases'][0]['id'] == sys.argv[2] and d['cases'][0]['green'] is True, d['cases'][:2]
assert not any(c['green'] for c in d['cases'][1:]), d['cases']
PY
as clerk1 case flag "$cid" --green elderly --off >/dev/null || fail "case flag --off"
as clerk1 case queue today --json | json_of "any(c['green'] for c in d['cases'])" | grep -qx False || fail "without the flag no case is green"
[[ $(rc_of as clerk1 case flag "$cid" --green elderly --off) == 1 ]] || fail "clearing a flag that is off is refused (1)"
[[ $(rc_of as clerk1 case flag "$cid" --green vip) == 2 ]] || fail "an unknown flag is bad input (2)"
as clerk1 case flag "$cid" --green disabled >/dev/null || fail "case flag disabled"
as clerk1 case flag "$cid" --green elderly --json >"$tmp/f.json" || fail "case flag elderly"
json_of "','.join(d['green_flags'])" <"$tmp/f.json" | grep -qx 'elderly,disabled' || fail "both flags: $(cat "$tmp/f.json")"
as admin audit list --action case.flag_green 2>/dev/null | grep -c '"case.flag_green"' | grep -qx 4 || fail "every flag change is audited"
# The one-time notice of each (a draft with nothing received): the flagged one says 绿色通道.
as clerk1 case correct "$cid" -o "$tmp/green.pdf" >/dev/null || fail "correct (green): $(cat "$tmp/last.err")"
as clerk1 case applicant "$pid" --id-number 11010519491231002X --name 李红 >/dev/null || fail "applicant (plain)"
as clerk1 case correct "$pid" -o "$tmp/plain.pdf" >/dev/null || fail "correct (plain)"
pdftotext "$tmp/green.pdf" - 2>/dev/null | grep -q "绿色通道.*老年人、残疾人" || fail "the green case's notice should say 绿色通道 老年人、残疾人"
pdftotext "$tmp/plain.pdf" - 2>/dev/null | grep -q "绿色通道" && fail "a case without a flag has no green mark"
sync_once
json_of "d['appointments_reported']" <"$tmp/sync.json" | grep -qx 3 || fail "the sync reports the arrival and the no-show: $(cat "$tmp/sync.json")"
"$sim" appointments --db "$tmp/sim.db" >"$tmp/apts.jsonl" || fail "sim appointments"
python3 - "$tmp/apts.jsonl" "$apt_full" "$cid" "$apt_gone" "$apt_masked" <<'PY' || fail "the platform knows the arrival (with its case) and the no-show"
import json, sys
a = {x['appointment_id']: x for x in map(json.loads, open(sys.argv[1]))}
assert a[sys.argv[2]]['status'] == 'arrived' and a[sys.argv[2]]['case_id'] == sys.argv[3], a[sys.argv[2]]
assert a[sys.argv[4]]['status'] == 'no_show', a[sys.argv[4]]
# The masked one's case is a draft without applicant: its arrival is reported all the same.
assert a[sys.argv[5]]['status'] == 'arrived', a[sys.argv[5]]
PY
python3 - "$tmp/sim.db" "$cid" <<'PY' || fail "the green flags reached the platform"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
acts = [r[0] for r in db.execute("SELECT json_extract(record, '$.data.flag') || ':' || json_extract(record, '$.data.on') FROM case_events WHERE case_id = ? AND action = 'flag_green' ORDER BY seq", (sys.argv[2],))]
assert acts == ['elderly:1', 'elderly:0', 'disabled:1', 'elderly:1'], acts
PY
# Pulled again: the platform feeds the booking back, the outcome here stays.
sync_once
as clerk1 case queue appointments --json | json_of "[a['status'] for a in d['appointments']]" | grep -qx "\['no_show', 'arrived', 'arrived'\]" || fail "a later pull keeps the outcomes"
apt_late=$(book --name 钱进 --id-number 370102198001010015 --slot 16:00-16:30)
tomorrow=$(TZ=Asia/Shanghai date -d tomorrow +%F)
apt_next=$("$sim" appointment-add --db "$tmp/sim.db" --item $item --date "$tomorrow" --name 孙丽 --id-number 370102196203150025 \
  --slot 09:00-09:30 | json_of "d['appointment_id']")
sync_once
as clerk1 case queue appointments --json | json_of "d['count']" | grep -qx 4 || fail "an appointment booked later appears at the next sync (today's only)"
as clerk1 case queue appointments --today "$tomorrow" --json | json_of "[a['appointment_id'] for a in d['appointments']]" \
  | grep -qx "\['$apt_next'\]" || fail "tomorrow's appointment is in tomorrow's queue"
[[ $(rc_of as clerk1 case check-in "$apt_next") == 1 ]] && grep -q "not today" "$tmp/last.err" || fail "a check-in on another day is refused (1): $(cat "$tmp/last.err")"
[[ $(rc_of as clerk1 case no-show "$apt_next") == 1 ]] && grep -q "after the slot" "$tmp/last.err" || fail "a no-show before the slot's end is refused (1): $(cat "$tmp/last.err")"

as admin audit verify >/dev/null || fail "audit verify"
[[ $fails == 0 ]] && echo "cli_appoint: all checks passed"
exit $(( fails > 0 ))
