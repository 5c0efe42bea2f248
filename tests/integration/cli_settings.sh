#!/usr/bin/env bash
# onewindow-cli settings list|get|set (issue 19): every key listed with its default; a good value
# stored, read back and audited; a bad value refused with the reason (exit 1) and nothing stored or
# audited; unknown keys exit 1; admin-only keys refused for a clerk; usage errors exit 2;
# --value-file for a PEM; ui.* land in desk.json (read before unlock); platform.* need a connected
# terminal.
set -uo pipefail
cli=$1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails+1)); }

S=$tmp/store; printf 'admin password 1\n' >"$tmp/pw"; printf 'clerk password 1\n' >"$tmp/cpw"
K=(--kdf-ops 1 --kdf-mem-mib 8)
"$cli" store init --store "$S" --user admin --role admin --password-file "$tmp/pw" "${K[@]}" >/dev/null || fail "store init"
"$cli" store add-user --store "$S" --password-file "$tmp/pw" --new-user clerk1 --role clerk --new-password-file "$tmp/cpw" "${K[@]}" >/dev/null || fail "add-user"
A=(--store "$S" --password-file "$tmp/pw")
C=(--store "$S" --password-file "$tmp/cpw" --user clerk1)
audits() { "$cli" audit list "${A[@]}" --action settings.changed | wc -l; }

# list: every key, all defaults on a new store.
"$cli" settings list "${A[@]}" --json >"$tmp/list.json" || fail "settings list --json"
python3 - "$tmp/list.json" <<'EOF' || fail "settings list --json shape"
import json, sys
rows = json.load(open(sys.argv[1]))
keys = [r["key"] for r in rows]
for k in ["platform.url", "platform.ca_bundle", "platform.client_cert", "platform.proxy", "lock.idle_minutes",
          "window.label", "print.printer", "print.paper", "ui.language", "ui.large_font", "devices.id_reader",
          "devices.scanner", "devices.rating_device", "devices.signature", "hours.regular", "hours.extended",
          "hours.staggered"]:
    assert k in keys, k
for r in rows:
    assert r["is_default"] and r["value"] == r["default"], r
    assert set(r) >= {"key", "type", "value", "default", "admin_only", "may_change", "description"}, r
d = {r["key"]: r for r in rows}
assert d["lock.idle_minutes"]["value"] == "10" and d["lock.idle_minutes"]["range"] == [1, 120]
assert d["print.paper"]["value"] == "A4" and "A5" in d["print.paper"]["choices"]
assert d["ui.language"]["value"] == "zh_CN"
EOF
"$cli" settings list "${A[@]}" | grep -q '^print.paper = A4  (default)$' || fail "settings list plain"

# get / set: good values stored, read back, normalised.
check() {  # check KEY VALUE WANT
  "$cli" settings set "$1" "$2" "${A[@]}" >/dev/null 2>"$tmp/err" || fail "set $1 '$2': $(cat "$tmp/err")"
  got=$("$cli" settings get "$1" "${A[@]}")
  [[ $got == "$3" ]] || fail "get $1 after set '$2': '$got' (want '$3')"
}
check lock.idle_minutes 15 15
check print.paper a5 A5
check print.printer 'HP LaserJet 1020' 'HP LaserJet 1020'
check window.label ' 3号窗口 ' '3号窗口'
check ui.large_font on true
check devices.id_reader idcard-sim idcard-sim
check hours.regular '9:00-12:00, 13:30-17:30' '09:00-12:00,13:30-17:30'
check hours.extended 'Mon-Fri 17:30-19:00' 'mon-fri 17:30-19:00'
check hours.staggered 'mon-fri 12:00-13:30; sat,sun 09:00-12:00' 'mon-fri 12:00-13:30; sat,sun 09:00-12:00'
check ui.language en en
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['language']=='en' and d['large_font'] is True" "$S/desk.json" \
  || fail "ui.* are not in desk.json: $(cat "$S/desk.json")"
"$cli" settings get print.paper "${A[@]}" --json | python3 -c "import json,sys; d=json.load(sys.stdin); assert d['value']=='A5' and not d['is_default']" \
  || fail "settings get --json"
[[ $(audits) == 10 ]] || fail "10 changes, $(audits) audit entries"
"$cli" audit list "${A[@]}" --action settings.changed | grep -q '"key":"lock.idle_minutes"' || fail "the audit entry names the key"

# bad values: exit 1, the reason on stderr, nothing stored, nothing audited.
refuse() {  # refuse KEY VALUE REASON-CODE
  local before; before=$("$cli" settings get "$1" "${A[@]}")
  "$cli" settings set "$1" "$2" "${A[@]}" >/dev/null 2>"$tmp/err"; rc=$?
  [[ $rc == 1 ]] && grep -q "\[settings.$3\]" "$tmp/err" && grep -q "$1" "$tmp/err" \
    || fail "set $1 '$2': rc=$rc err='$(cat "$tmp/err")' (want 1, settings.$3)"
  [[ $("$cli" settings get "$1" "${A[@]}") == "$before" ]] || fail "a refused $1 changed the value"
}
n=$(audits)
refuse lock.idle_minutes 0 out_of_range
refuse lock.idle_minutes 121 out_of_range
refuse lock.idle_minutes ten not_a_number
refuse print.paper A9 not_a_choice
refuse ui.language fr not_a_choice
refuse ui.large_font maybe not_boolean
refuse window.label '这是一个非常非常非常非常非常非常长的窗口名称' too_long
refuse devices.scanner 'bad name' bad_plugin
refuse hours.regular '17:00-09:00' bad_hours
refuse hours.regular '09:00-12:00,11:00-13:00' overlap
refuse hours.extended 'mon-fri 25:00-26:00' bad_hours
refuse hours.extended 'fri-mon 17:00-19:00' bad_hours
refuse platform.url 'ftp://platform.example' bad_url
refuse platform.url 'http://platform.example.cn' insecure_url
refuse platform.url 'https://' bad_url
refuse platform.proxy 'gopher://proxy:8080' bad_proxy
refuse platform.url 'https://platform.example.cn' not_connected   # a good address, but no platform yet
[[ $(audits) == "$n" ]] || fail "refused values were audited"
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['language']=='en'" "$S/desk.json" || fail "a refused ui.language touched desk.json"

# PEM through --value-file (and stdin); a private key or garbage is refused.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$tmp/key.pem" -out "$tmp/cert.pem" \
  -subj "/CN=OneWindow test terminal" -days 2 2>/dev/null || fail "openssl req"
# The client certificate is the terminal's own, issued at enrolment with a key made here: read only.
"$cli" settings set platform.client_cert --value-file "$tmp/cert.pem" "${A[@]}" >/dev/null 2>"$tmp/err"
[[ $? == 1 ]] && grep -q 'settings.read_only' "$tmp/err" || fail "client_cert set by hand: $(cat "$tmp/err")"
[[ -z $("$cli" settings get platform.client_cert "${A[@]}") ]] || fail "a refused client certificate was stored"

# roles: a clerk may change print.paper but not admin-only keys; unknown keys exit 1.
"$cli" settings set print.paper A4 "${C[@]}" >/dev/null 2>"$tmp/err" || fail "a clerk sets print.paper: $(cat "$tmp/err")"
"$cli" settings set lock.idle_minutes 60 "${C[@]}" >/dev/null 2>"$tmp/err"
[[ $? == 1 ]] && grep -q 'only an administrator may change lock.idle_minutes' "$tmp/err" || fail "a clerk sets the idle lock: $(cat "$tmp/err")"
[[ $("$cli" settings get lock.idle_minutes "${A[@]}") == 15 ]] || fail "a clerk changed the idle lock"
"$cli" settings get no.such.key "${A[@]}" >/dev/null 2>"$tmp/err"; [[ $? == 1 ]] && grep -q 'settings.unknown_key' "$tmp/err" || fail "get unknown key"
"$cli" settings set no.such.key 1 "${A[@]}" >/dev/null 2>&1; [[ $? == 1 ]] || fail "set unknown key must exit 1"

# usage errors: exit 2.
"$cli" settings set print.paper "${A[@]}" >/dev/null 2>&1; [[ $? == 2 ]] || fail "set without a value must exit 2"
"$cli" settings get "${A[@]}" >/dev/null 2>&1; [[ $? == 2 ]] || fail "get without a key must exit 2"
"$cli" settings list --bogus "${A[@]}" >/dev/null 2>&1; [[ $? == 2 ]] || fail "an unknown option must exit 2"
grep -q 'settings set' <<<"$("$cli" --help)" || fail "settings not in --help"  # (not a pipe: grep -q ends early and pipefail saw SIGPIPE)

# platform.*: with a connected terminal the address, CA bundle and proxy change; the secret stays.
printf '{"terminal_id":"T-1","secret":"c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0","algorithm":"hmac-sha256"}\n' >"$tmp/cred.json"
"$cli" platform connect "${A[@]}" --url https://platform.example.cn --credentials "$tmp/cred.json" --offline >/dev/null 2>"$tmp/err" \
  || fail "platform connect --offline: $(cat "$tmp/err")"
check platform.url 'HTTPS://Platform.Example.cn:8443/api/' 'https://platform.example.cn:8443/api'
check platform.proxy 'http://user:pw@proxy.local:3128' 'http://user:***@proxy.local:3128'   # the password is never printed
"$cli" settings set platform.ca_bundle --value-file "$tmp/cert.pem" "${A[@]}" >/dev/null 2>"$tmp/err" || fail "ca_bundle: $(cat "$tmp/err")"
diff <("$cli" settings get platform.ca_bundle "${A[@]}") "$tmp/cert.pem" >/dev/null || fail "ca_bundle not read back whole"
"$cli" audit list "${A[@]}" --action settings.changed | grep -q "sha256:$(sha256sum "$tmp/cert.pem" | cut -c1-64)" \
  || fail "the audit entry of a certificate is its SHA-256"
"$cli" settings set platform.ca_bundle --value-file "$tmp/key.pem" "${A[@]}" >/dev/null 2>"$tmp/err"
[[ $? == 1 ]] && grep -q 'settings.bad_pem' "$tmp/err" || fail "a private key as CA bundle: $(cat "$tmp/err")"
printf 'not a certificate\n' | "$cli" settings set platform.ca_bundle --value-file - "${A[@]}" >/dev/null 2>"$tmp/err"
[[ $? == 1 ]] && grep -q 'settings.bad_pem' "$tmp/err" || fail "garbage on stdin as CA bundle: $(cat "$tmp/err")"
diff <("$cli" settings get platform.ca_bundle "${A[@]}") "$tmp/cert.pem" >/dev/null || fail "a refused CA bundle replaced the stored one"
"$cli" platform show "${A[@]}" | python3 -c "
import json,sys; d=json.load(sys.stdin)
assert d['platform_url']=='https://platform.example.cn:8443/api' and d['terminal_id']=='T-1' and d['ca_bundle'] is True, d" \
  || fail "platform show after settings set"
"$cli" audit list "${A[@]}" --action settings.changed | grep -q 'pw@' && fail "the proxy password reached the audit trail"
"$cli" settings list "${A[@]}" --json | grep -q 'pw@' && fail "settings list printed the proxy password"
refuse platform.url 'http://platform.example.cn' insecure_url
check platform.url 'http://127.0.0.1:8080' 'http://127.0.0.1:8080'

[[ $fails == 0 ]] && echo "cli_settings: all passed"
exit $((fails > 0))
