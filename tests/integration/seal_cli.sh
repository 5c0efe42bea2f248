#!/usr/bin/env bash
# Seal contracts end to end: stamp with the CLI, check every result with Poppler's pdfsig (an
# independent implementation; it exits 0 even on a digest mismatch, so its output is parsed) and
# with qpdf --check; then our own verifier, tampering, disallowed later changes and bad input.
# usage: seal_cli.sh ONEWINDOW_CLI SOURCE_DIR
set -u
cli=$1; src=$2; data=$src/tests/data/seal
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fails=0; checks=0
ok() { checks=$((checks+1)); }
bad() { checks=$((checks+1)); fails=$((fails+1)); echo "FAIL: $*"; }
rc_of() { "$@" >/dev/null 2>&1; echo $?; }
valid_count() { pdfsig "$1" 2>/dev/null | grep -c 'Signature is Valid'; }
sig_count() { pdfsig "$1" 2>/dev/null | grep -c '^Signature #'; }
# expect_sigs FILE N: pdfsig sees N signatures, all valid; qpdf --check passes; our verify exits 0.
expect_sigs() {
  local f=$1 n=$2 roots=${3:-}
  [[ $(sig_count "$f") == "$n" && $(valid_count "$f") == "$n" ]] && ok || bad "$f: pdfsig wants $n valid of $n, got $(valid_count "$f") of $(sig_count "$f")"
  qpdf --check "$f" >/dev/null 2>&1 && ok || bad "$f: qpdf --check"
  [[ $(rc_of "$cli" seal verify "$f" ${roots:+--roots "$roots"}) == 0 ]] && ok || bad "$f: seal verify should exit 0"
}
last_xref_kind() { python3 - "$1" <<'PY'
import re, sys
d = open(sys.argv[1], 'rb').read()
off = int(re.findall(rb'startxref\s+(\d+)', d[-1024:])[-1])
print('table' if d[off:off+4] == b'xref' else 'stream')
PY
}

"$cli" seal demo --org 测试市行政审批局 -o "$tmp/demo" >/dev/null || { echo "FAIL: seal demo"; exit 1; }
for f in seal.png ca.pem seal.p12 seal.pin seal.json; do [[ -s $tmp/demo/$f ]] && ok || bad "seal demo did not write $f"; done
[[ $(stat -c %a "$tmp/demo/seal.pin") == 600 ]] && ok || bad "the PIN file should be mode 0600"
K=(--p12 "$tmp/demo/seal.p12" --pin-file "$tmp/demo/seal.pin" --image "$tmp/demo/seal.png")
CA=$tmp/demo/ca.pem

# A minimal PDF with an xref table and no trailing newline after %%EOF.
python3 - "$tmp/in.pdf" <<'PY'
import sys
objs = [b'<< /Type /Catalog /Pages 2 0 R >>', b'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        b'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>']
c = b'BT /Helvetica 12 Tf 72 720 Td (window receipt) Tj ET'
objs.append(b'<< /Length %d >>\nstream\n' % len(c) + c + b'\nendstream')
out = bytearray(b'%PDF-1.4\n'); offs = []
for i, o in enumerate(objs, 1):
    offs.append(len(out)); out += b'%d 0 obj\n' % i + o + b'\nendobj\n'
x = len(out); out += b'xref\n0 %d\n0000000000 65535 f \n' % (len(objs) + 1)
for o in offs: out += b'%010d 00000 n \n' % o
out += b'trailer\n<< /Size %d /Root 1 0 R /ID [<0102> <0102>] >>\nstartxref\n%d\n%%%%EOF' % (len(objs) + 1, x)
open(sys.argv[1], 'wb').write(out)
PY

# One, two and three seals (window receipt seal, then two countersignatures).
prev=$tmp/in.pdf
for n in 1 2 3; do
  out=$tmp/seal$n.pdf
  "$cli" seal stamp "$prev" "$out" "${K[@]}" --page 1 --rect $((n*150-100)),40,120,120 --reason "会签 $n" >/dev/null 2>"$tmp/err" \
    && ok || bad "stamp $n: $(cat "$tmp/err")"
  expect_sigs "$out" $n "$CA"
  size=$(stat -c %s "$prev")
  cmp -s -n "$size" "$prev" "$out" && ok || bad "stamp $n changed the previous bytes"
  [[ $(last_xref_kind "$out") == table ]] && ok || bad "stamp $n: an xref table should follow an xref table"
  prev=$out
done
grep -aq '/ID \[<0102> ' "$tmp/seal3.pdf" && ok || bad "the first /ID element must stay unchanged"
grep -aq 'signing-time\|/SubFilter /ETSI.CAdES.detached' "$tmp/seal1.pdf" && ok || bad "SubFilter ETSI.CAdES.detached"
openssl_attrs=$(python3 - "$tmp/seal1.pdf" <<'PY'
import re, sys, binascii
d = open(sys.argv[1], 'rb').read()
h = re.search(rb'/Contents <([0-9a-fA-F]+)>', d).group(1)
der = binascii.unhexlify(h)  # zero-padded: the outer DER length says where it ends
n = der[1] & 0x7f if der[1] & 0x80 else 0
open(sys.argv[1] + '.p7', 'wb').write(der[:2 + n + (int.from_bytes(der[2:2 + n], 'big') if n else der[1])])
PY
openssl cms -cmsout -print -inform DER -in "$tmp/seal1.pdf.p7" 2>/dev/null)
grep -q 'messageDigest' <<<"$openssl_attrs" && grep -q 'contentType' <<<"$openssl_attrs" && ok || bad "content-type and message-digest attributes"
grep -q 'id-smime-aa-signingCertificateV2' <<<"$openssl_attrs" && ok || bad "signing-certificate-v2 attribute"
grep -q 'signingTime' <<<"$openssl_attrs" && bad "a signing-time attribute is present (forbidden in PAdES B-B)" || ok
[[ $(grep -c 'object: pkcs7-data\|eContent: <ABSENT>' <<<"$openssl_attrs") -ge 1 ]] && ok || bad "detached content"

# JSON report.
"$cli" seal verify "$tmp/seal3.pdf" --roots "$CA" --json >"$tmp/v.json"
python3 - "$tmp/v.json" <<'PY' && ok || bad "verify --json shape"
import json, sys
o = json.load(open(sys.argv[1]))
assert o['ok'] is True and len(o['signatures']) == 3
s = o['signatures']
assert [x['covers_whole_file'] for x in s] == [False, False, True]
assert all(x['digest_ok'] and x['signature_ok'] and x['trusted'] and x['valid'] and not x['later_changes'] for x in s)
assert all(x['signing_time'].startswith('D:') and '测试市' in x['signer'] for x in s)
PY

# Other roots: not trusted → exit 1.
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/ok.pem" -out "$tmp/other.pem" -days 3 -subj /CN=other >/dev/null 2>&1
[[ $(rc_of "$cli" seal verify "$tmp/seal3.pdf" --roots "$tmp/other.pem") == 1 ]] && ok || bad "verify with foreign roots should exit 1"

# A byte flipped inside a signed range: both verifiers see it.
python3 -c "
import sys; d = bytearray(open('$tmp/seal3.pdf','rb').read()); d[200] ^= 0x01; open('$tmp/flip.pdf','wb').write(d)"
pdfsig "$tmp/flip.pdf" 2>/dev/null | grep -q 'Digest Mismatch' && ok || bad "pdfsig should report the flipped byte"
[[ $(valid_count "$tmp/flip.pdf") == 0 ]] && ok || bad "pdfsig still says valid after a flipped byte"
[[ $(rc_of "$cli" seal verify "$tmp/flip.pdf") == 1 ]] && ok || bad "seal verify should exit 1 after a flipped byte"
"$cli" seal verify "$tmp/flip.pdf" 2>/dev/null | grep -q 'digest mismatch' && ok || bad "seal verify should say digest mismatch"

# A later revision that changes the page content: signatures intact, but the change is reported.
python3 - "$tmp/seal1.pdf" "$tmp/changed.pdf" <<'PY'
import re, sys
d = open(sys.argv[1], 'rb').read()
prev = int(re.findall(rb'startxref\s+(\d+)', d[-1024:])[-1])
size = int(re.findall(rb'/Size (\d+)', d)[-1])
c = b'BT /Helvetica 12 Tf 72 720 Td (REFUSED instead) Tj ET'
obj = b'\n4 0 obj\n<< /Length %d >>\nstream\n' % len(c) + c + b'\nendstream\nendobj\n'
off = len(d) + 1
x = len(d) + len(obj)
tail = b'xref\n4 1\n%010d 00000 n \ntrailer\n<< /Size %d /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n' % (off, size, prev, x)
open(sys.argv[2], 'wb').write(d + obj + tail)
PY
[[ $(valid_count "$tmp/changed.pdf") == 1 ]] && ok || bad "pdfsig: the bytes of the changed file are still intact"
[[ $(rc_of "$cli" seal verify "$tmp/changed.pdf") == 1 ]] && ok || bad "seal verify should refuse a content change after signing"
"$cli" seal verify "$tmp/changed.pdf" 2>/dev/null | grep -q 'later revision: object 4 0' && ok || bad "seal verify should name the changed object"

# Bytes appended after %%EOF that are not a revision: the signature no longer covers the file.
cp "$tmp/seal1.pdf" "$tmp/tail.pdf"; printf '\n%% appended comment\n%%%%EOF\n' >>"$tmp/tail.pdf"
[[ $(rc_of "$cli" seal verify "$tmp/tail.pdf") == 1 ]] && ok || bad "seal verify should refuse bytes appended without a revision"

# A later revision that adds an ordinary annotation (a square) to the page: reported too.
python3 - "$tmp/seal1.pdf" "$tmp/annot.pdf" <<'PY'
import re, sys
d = open(sys.argv[1], 'rb').read()
prev = int(re.findall(rb'startxref\s+(\d+)', d[-1024:])[-1])
size = int(re.findall(rb'/Size (\d+)', d)[-1])
page = re.findall(rb'\n3 0 obj\n(<<.*?>>)\nendobj', d, re.S)[-1]
annots = re.search(rb'/Annots \[([^\]]*)\]', page).group(1)
new_page = page.replace(b'/Annots [' + annots + b']', b'/Annots [' + annots + b' %d 0 R]' % size)
objs = [(size, b'<< /Type /Annot /Subtype /Square /Rect [10 10 50 50] /C [1 0 0] >>'), (3, new_page)]
out = bytearray(d + b'\n'); offs = {}
for n, body in objs:
    offs[n] = len(out); out += b'%d 0 obj\n' % n + body + b'\nendobj\n'
x = len(out)
out += b'xref\n3 1\n%010d 00000 n \n%d 1\n%010d 00000 n \n' % (offs[3], size, offs[size])
out += b'trailer\n<< /Size %d /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n' % (size + 1, prev, x)
open(sys.argv[2], 'wb').write(out)
PY
[[ $(valid_count "$tmp/annot.pdf") == 1 ]] && ok || bad "pdfsig: the bytes of the annotated file are still intact"
[[ $(rc_of "$cli" seal verify "$tmp/annot.pdf") == 1 ]] && ok || bad "seal verify should refuse a new square annotation after signing"
"$cli" seal verify "$tmp/annot.pdf" 2>/dev/null | grep -q '/Square annotation was added' && ok || bad "seal verify should name the added annotation"

# The shadow / "sneaky signature" family (PDF-insecurity research): a revision appended after a
# seal that changes what the page shows without touching the signed bytes. pdfsig still calls the
# seal valid (its bytes are intact); our verifier must name the change, say ok: false and exit 1.
forge=$src/tests/integration/seal_forge.py
declare -A forged_want=(
  [shadow]="with a visible appearance and no signature was added"
  [shadow-nofields]="with a visible appearance and no signature was added"
  [replay]="whose signature was not made after this one"
  [freetext]="a /FreeText annotation was added"
  [stamp]="a /Stamp annotation was added"
  [content]="object 4 0 (a stream) was modified"
  [noview-print]="with a visible appearance and no signature was added"
  [root]="the trailer's /Root names another catalog"
  [repoint]="object 4 0 (a stream) was modified"
  [dangling]="object 500 0 was added, and the signed revision already referred to it")
# repoint needs two bodies of object 4 before the seal, dangling a reference planted before it.
python3 "$forge" content "$tmp/in.pdf" "$tmp/in-v2.pdf" && "$cli" seal stamp "$tmp/in-v2.pdf" "$tmp/seal-v2.pdf" "${K[@]}" --page 1 --rect 50,40,120,120 >/dev/null
python3 "$forge" plant "$tmp/in.pdf" "$tmp/in-plant.pdf" && "$cli" seal stamp "$tmp/in-plant.pdf" "$tmp/seal-plant.pdf" "${K[@]}" --page 1 --rect 50,40,120,120 >/dev/null
for v in "${!forged_want[@]}"; do
  f=$tmp/forged-$v.pdf
  case $v in repoint) base=$tmp/seal-v2.pdf ;; dangling) base=$tmp/seal-plant.pdf ;; *) base=$tmp/seal1.pdf ;; esac
  [[ $(rc_of "$cli" seal verify "$base") == 0 ]] || bad "$v: the sealed file should verify before the forgery"
  python3 "$forge" "$v" "$base" "$f" || { bad "$v: cannot build the forged file"; continue; }
  qpdf --check "$f" >/dev/null 2>&1 && ok || bad "$v: the forged file should be a well-formed PDF"
  [[ $(valid_count "$f") -ge 1 ]] && ok || bad "$v: pdfsig should still see the seal's bytes intact"
  "$cli" seal verify "$f" --json >"$tmp/forged.json" 2>/dev/null; r=$?
  [[ $r == 1 ]] && ok || bad "$v: seal verify should exit 1 (got $r)"
  python3 - "$tmp/forged.json" "${forged_want[$v]}" <<'PY2' && ok || bad "$v: ok false and the change named in later_changes: $(cat "$tmp/forged.json")"
import json, sys
o = json.load(open(sys.argv[1]))
s = o['signatures'][0]
assert o['ok'] is False and s['valid'] is False and s['field'] == 'Seal1'
assert any(sys.argv[2] in c for c in s['later_changes']), s['later_changes']
assert all(('later revision: ' + c) in s['problems'] for c in s['later_changes'])
PY2
done
# A later genuine seal does not launder a forgery made before it.
"$cli" seal stamp "$tmp/forged-shadow.pdf" "$tmp/forged-then-sealed.pdf" "${K[@]}" --page 1 --rect 300,40,100,100 >/dev/null 2>&1
[[ $(valid_count "$tmp/forged-then-sealed.pdf") == 2 ]] && ok || bad "pdfsig: both seals of the forged-then-sealed file are intact"
"$cli" seal verify "$tmp/forged-then-sealed.pdf" --json | python3 -c "
import json, sys; o = json.load(sys.stdin); s = o['signatures']
assert not o['ok'] and s[0]['later_changes'] and not s[1]['later_changes'] and s[1]['valid']" && ok || bad "a seal after a forgery should not hide it"
# Allowed: an empty signature field (no appearance) added to be signed later; a countersignature by
# a second chief representative with another key.
for v in empty-field hidden; do
  python3 "$forge" $v "$tmp/seal1.pdf" "$tmp/$v.pdf"
  [[ $(rc_of "$cli" seal verify "$tmp/$v.pdf") == 0 ]] && ok || bad "an added signature field that shows nothing ($v) is allowed"
done
# The document information updated after a seal (as other signers do with /ModDate): not shown, allowed.
python3 "$forge" info "$tmp/in.pdf" "$tmp/in-info.pdf" && "$cli" seal stamp "$tmp/in-info.pdf" "$tmp/seal-info.pdf" "${K[@]}" --page 1 --rect 50,40,120,120 >/dev/null \
  && python3 "$forge" info "$tmp/seal-info.pdf" "$tmp/info.pdf"
grep -aq '/Info 5 0 R' "$tmp/seal-info.pdf" && [[ $(grep -ac '^5 0 obj' "$tmp/info.pdf") == 2 ]] && ok || bad "info: the document information should be written again"
[[ $(rc_of "$cli" seal verify "$tmp/info.pdf") == 0 ]] && ok || bad "an updated document information is allowed"
# …unless the document information is also something shown (prepared so before the seal).
python3 "$forge" plant-info "$tmp/in.pdf" "$tmp/in-plant-info.pdf" && "$cli" seal stamp "$tmp/in-plant-info.pdf" "$tmp/seal-plant-info.pdf" "${K[@]}" --page 1 --rect 50,40,120,120 >/dev/null \
  && python3 "$forge" info "$tmp/seal-plant-info.pdf" "$tmp/plant-info.pdf"
[[ $(rc_of "$cli" seal verify "$tmp/seal-plant-info.pdf") == 0 && $(rc_of "$cli" seal verify "$tmp/plant-info.pdf") == 1 ]] \
  && ok || bad "a document information that is also an annotation may not change after the seal"
# The countersigning department's demo seal has an ECDSA P-256 key (--key ec, what the demo desk uses):
# a document sealed with RSA and then ECDSA, both valid in pdfsig and in our verify.
"$cli" seal demo --org 第二会签部门 -o "$tmp/demo-b" --key ec >/dev/null
openssl pkcs12 -in "$tmp/demo-b/seal.p12" -passin "file:$tmp/demo-b/seal.pin" -nocerts -nodes 2>/dev/null \
  | openssl pkey -noout -text 2>/dev/null | grep -q 'prime256v1' && ok || bad "seal demo --key ec should make a P-256 key"
[[ $(rc_of "$cli" seal demo --org X -o "$tmp/demo-x" --key dsa) == 2 && ! -e $tmp/demo-x/seal.p12 ]] \
  && ok || bad "seal demo --key dsa should exit 2 and make nothing"
"$cli" seal stamp "$tmp/seal1.pdf" "$tmp/counter.pdf" --p12 "$tmp/demo-b/seal.p12" --pin-file "$tmp/demo-b/seal.pin" \
  --image "$tmp/demo-b/seal.png" --page 1 --rect 300,40,120,120 >/dev/null 2>"$tmp/err" && ok || bad "countersignature: $(cat "$tmp/err")"
expect_sigs "$tmp/counter.pdf" 2
"$cli" seal verify "$tmp/counter.pdf" --json | python3 -c "
import json, sys; o = json.load(sys.stdin); s = o['signatures']
assert o['ok'] and len(s) == 2 and not s[0]['later_changes'] and '第二会签部门' in s[1]['signer']" && ok || bad "countersignature: verify --json"

# Certification seals (DocMDP): P=1 allows no change at all (and stamping again is refused), P=2
# later signatures, P=3 also annotations; a forged page stays refused at every level.
for p in 1 2 3; do
  c=$tmp/cert$p.pdf
  "$cli" seal stamp "$tmp/in.pdf" "$c" "${K[@]}" --page 1 --rect 50,40,120,120 --certify $p >/dev/null 2>"$tmp/err" && ok || bad "certify $p: $(cat "$tmp/err")"
  expect_sigs "$c" 1
  grep -aq "/TransformMethod /DocMDP /TransformParams << /Type /TransformParams /P $p " "$c" && grep -aq '/Perms << /DocMDP ' "$c" \
    && ok || bad "certify $p: /Reference and /Perms written"
  rm -f "$tmp/out.pdf"
  r=$(rc_of "$cli" seal stamp "$c" "$tmp/out.pdf" "${K[@]}" --page 1 --rect 250,40,120,120)
  if [[ $p == 1 ]]; then
    [[ $r == 1 && ! -e $tmp/out.pdf ]] && ok || bad "stamping a P=1 certified file should be refused (exit $r)"
  else
    [[ $r == 0 ]] && expect_sigs "$tmp/out.pdf" 2 || bad "certify $p: a later seal should be allowed (exit $r)"
  fi
  for v in freetext shadow empty-field; do
    python3 "$forge" $v "$c" "$tmp/cert$p-$v.pdf"
    r=$(rc_of "$cli" seal verify "$tmp/cert$p-$v.pdf")
    case $p/$v in 1/*|*/shadow|2/freetext) want=1 ;; *) want=0 ;; esac
    [[ $r == "$want" ]] && ok || bad "certify $p then $v: verify exit $r, want $want"
  done
done
"$cli" seal verify "$tmp/cert1-empty-field.pdf" 2>/dev/null | grep -q 'DocMDP P=1' && ok || bad "P=1: the change should be named"
rm -f "$tmp/out.pdf"
r=$(rc_of "$cli" seal stamp "$tmp/seal1.pdf" "$tmp/out.pdf" "${K[@]}" --page 1 --rect 250,40,120,120 --certify 2)
[[ $r == 2 && ! -e $tmp/out.pdf ]] && ok || bad "a certification seal after another signature should exit 2 (got $r)"
rm -f "$tmp/out.pdf"

# PDFs written by others (committed fixtures): stamp twice (anchor, then rectangle), all valid.
for f in gs objstm cairo linearized pdfsig-signed pdftex libreoffice; do
  case $f in gs|objstm|pdftex) anchor=SEAL ;; *) anchor=（盖章） ;; esac
  before=$(sig_count "$data/$f.pdf")
  "$cli" seal stamp "$data/$f.pdf" "$tmp/$f-1.pdf" "${K[@]}" --anchor "$anchor" --anchor-size 90 >/dev/null 2>"$tmp/err" && ok || bad "$f: anchor stamp: $(cat "$tmp/err")"
  "$cli" seal stamp "$tmp/$f-1.pdf" "$tmp/$f-2.pdf" "${K[@]}" --page 1 --rect 20,20,60,60 >/dev/null 2>"$tmp/err" && ok || bad "$f: second stamp: $(cat "$tmp/err")"
  expect_sigs "$tmp/$f-2.pdf" $((before + 2))
  want=$(last_xref_kind "$data/$f.pdf")
  [[ $(last_xref_kind "$tmp/$f-2.pdf") == "$want" ]] && ok || bad "$f: the new xref section should be a $want like the previous one"
done

# Rotated pages: the anchor is found at the same place in user space and the seal stays valid.
want_rect=$("$cli" seal stamp "$data/gs.pdf" "$tmp/rot0.pdf" "${K[@]}" --anchor SEAL --anchor-size 100 2>/dev/null | grep -o 'rect=[^ ]*')
for r in 90 180 270; do
  qpdf --rotate=+$r:1 "$data/gs.pdf" "$tmp/rot$r-in.pdf"
  got=$("$cli" seal stamp "$tmp/rot$r-in.pdf" "$tmp/rot$r.pdf" "${K[@]}" --anchor SEAL --anchor-size 100 2>/dev/null | grep -o 'rect=[^ ]*')
  [[ -n $want_rect && $got == "$want_rect" ]] && ok || bad "/Rotate $r: anchor at $got, want $want_rect"
  grep -aq "/Matrix \[" "$tmp/rot$r.pdf" && ok || bad "/Rotate $r: the appearance should be counter-rotated"
  expect_sigs "$tmp/rot$r.pdf" 1
done

# B-T (signature timestamp) and a later document timestamp from a loopback TSA (openssl ts).
python3 "$src/tests/integration/tsa_server.py" "$tmp/tsa" >"$tmp/tsa.port" 2>"$tmp/tsa.err" &
tsa_pid=$!
for _ in $(seq 300); do [[ -s $tmp/tsa.port ]] && break; sleep 0.1; done  # up to 30 s on a loaded machine
TSA=http://127.0.0.1:$(cat "$tmp/tsa.port")/
"$cli" seal stamp "$tmp/in.pdf" "$tmp/bt.pdf" "${K[@]}" --page 1 --rect 40,40,100,100 --tsa "$TSA" >/dev/null 2>"$tmp/err" \
  && ok || bad "stamp with --tsa: $(cat "$tmp/err")"
expect_sigs "$tmp/bt.pdf" 1
"$cli" seal verify "$tmp/bt.pdf" --json | python3 -c "
import json, sys; s = json.load(sys.stdin)['signatures'][0]; assert s['timestamp_time'] and s['valid']" && ok || bad "B-T: the signature timestamp should be reported and valid"
# The timestamp authority is judged against the roots too: the seal's CA alone does not vouch
# for the test TSA (its own self-signed root), so the signature is not valid with those roots.
[[ $(rc_of "$cli" seal verify "$tmp/bt.pdf" --roots "$CA") == 1 ]] && ok || bad "B-T: a TSA outside the roots should make verify exit 1"
"$cli" seal verify "$tmp/bt.pdf" --roots "$CA" --json | python3 -c "
import json, sys; s = json.load(sys.stdin)['signatures'][0]
assert s['trusted'] is True and s['timestamp_trusted'] is False and 'OneWindow test TSA' in s['timestamp_trust_error'] and not s['valid'], s" \
  && ok || bad "B-T: the untrusted TSA should be named in the JSON"
cat "$CA" "$tmp/tsa/tsa.pem" >"$tmp/roots-tsa.pem"
[[ $(rc_of "$cli" seal verify "$tmp/bt.pdf" --roots "$tmp/roots-tsa.pem") == 0 ]] && ok || bad "B-T: trusted at the timestamp's time, TSA in the roots"
"$cli" seal verify "$tmp/bt.pdf" --roots "$tmp/roots-tsa.pem" --json | python3 -c "
import json, sys; s = json.load(sys.stdin)['signatures'][0]; assert s['timestamp_trusted'] is True and s['valid'], s" \
  && ok || bad "B-T: a TSA in the roots should be reported trusted"
"$cli" seal timestamp "$tmp/bt.pdf" "$tmp/bt-ts.pdf" --tsa "$TSA" >/dev/null 2>"$tmp/err" && ok || bad "seal timestamp: $(cat "$tmp/err")"
"$cli" seal stamp "$tmp/bt-ts.pdf" "$tmp/bt-ts-2.pdf" "${K[@]}" --page 1 --rect 200,40,100,100 >/dev/null 2>"$tmp/err" && ok || bad "stamp after a document timestamp: $(cat "$tmp/err")"
# pdfsig 22.12 cannot validate ETSI.RFC3161 ("unknown" type): the two seals must still be valid.
[[ $(valid_count "$tmp/bt-ts-2.pdf") == 2 && $(sig_count "$tmp/bt-ts-2.pdf") == 3 ]] && ok || bad "pdfsig after a document timestamp: $(valid_count "$tmp/bt-ts-2.pdf") valid"
qpdf --check "$tmp/bt-ts-2.pdf" >/dev/null 2>&1 && ok || bad "qpdf --check after a document timestamp"
"$cli" seal verify "$tmp/bt-ts-2.pdf" --json >"$tmp/ts.json"; r=$?
[[ $r == 0 ]] && ok || bad "seal verify after a document timestamp should exit 0 (got $r)"
python3 - "$tmp/ts.json" <<'PY' && ok || bad "verify --json: the document timestamp should be reported"
import json, sys
s = json.load(open(sys.argv[1]))['signatures']
assert [x['doc_timestamp'] for x in s] == [False, True, False] and s[1]['sub_filter'] == '/ETSI.RFC3161'
assert s[1]['timestamp_time'] and all(x['valid'] for x in s)
PY
"$cli" seal verify "$tmp/bt-ts-2.pdf" --roots "$tmp/roots-tsa.pem" --json >"$tmp/ts-roots.json"; r=$?
[[ $r == 0 ]] && ok || bad "verify a document timestamp with its TSA in the roots should exit 0 (got $r)"
"$cli" seal verify "$tmp/bt-ts-2.pdf" --roots "$CA" --json >"$tmp/ts-foreign.json"; r=$?
[[ $r == 1 ]] && ok || bad "verify a document timestamp whose TSA is not in the roots should exit 1 (got $r)"
python3 - "$tmp/ts-roots.json" "$tmp/ts-foreign.json" <<'PY' && ok || bad "verify --json: the document timestamp's authority should be judged"
import json, sys
good = json.load(open(sys.argv[1]))['signatures']
assert good[1]['doc_timestamp'] and good[1]['timestamp_trusted'] is True, good[1]
bad = json.load(open(sys.argv[2]))['signatures']
assert bad[1]['timestamp_trusted'] is False and not bad[1]['valid'] and bad[1]['timestamp_trust_error'], bad[1]
assert bad[2]['valid'] and bad[2]['timestamp_trusted'] is None, bad[2]  # the later seal has no token
PY
r=$(rc_of "$cli" seal timestamp "$tmp/in.pdf" "$tmp/out.pdf" --tsa http://127.0.0.1:9/); [[ $r == 2 && ! -e $tmp/out.pdf ]] && ok || bad "an unreachable TSA should exit 2 and leave no file (got $r)"
kill "$tsa_pid" 2>/dev/null; wait "$tsa_pid" 2>/dev/null

# A seal key on a PKCS#11 token (SoftHSM2 through the libp11 engine).
hsm_module=/usr/lib/softhsm/libsofthsm2.so
if command -v softhsm2-util >/dev/null && command -v pkcs11-tool >/dev/null && [[ -e $hsm_module ]]; then
  mkdir -p "$tmp/hsm/tokens"
  printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' "$tmp/hsm/tokens" >"$tmp/hsm/conf"
  export SOFTHSM2_CONF=$tmp/hsm/conf
  softhsm2-util --init-token --free --label ow-seal --pin 4321 --so-pin 87654321 >/dev/null
  openssl pkcs12 -in "$tmp/demo/seal.p12" -passin "file:$tmp/demo/seal.pin" -nocerts -nodes 2>/dev/null | openssl pkey -out "$tmp/hsm/key.pem"
  openssl pkcs12 -in "$tmp/demo/seal.p12" -passin "file:$tmp/demo/seal.pin" -clcerts -nokeys 2>/dev/null | openssl x509 -outform DER -out "$tmp/hsm/cert.der"
  softhsm2-util --import "$tmp/hsm/key.pem" --token ow-seal --label seal --id 01 --pin 4321 >/dev/null
  pkcs11-tool --module $hsm_module --token-label ow-seal --login --pin 4321 --write-object "$tmp/hsm/cert.der" --type cert --id 01 --label seal >/dev/null 2>&1
  rm -f "$tmp/hsm/key.pem"
  printf '4321\n' >"$tmp/hsm/pin"; printf '1111\n' >"$tmp/hsm/bad"
  U=(--pkcs11-uri "pkcs11:token=ow-seal;object=seal;type=private" --pkcs11-module $hsm_module)
  "$cli" seal stamp "$tmp/seal1.pdf" "$tmp/hsm.pdf" "${U[@]}" --pin-file "$tmp/hsm/pin" --image "$tmp/demo/seal.png" --page 1 --rect 300,300,100,100 >/dev/null 2>"$tmp/err" \
    && ok || bad "PKCS#11 stamp: $(cat "$tmp/err")"
  expect_sigs "$tmp/hsm.pdf" 2 "$CA"
  r=$(rc_of "$cli" seal stamp "$tmp/in.pdf" "$tmp/out.pdf" "${U[@]}" --pin-file "$tmp/hsm/bad" --page 1 --rect 10,10,50,50)
  [[ $r == 2 && ! -e $tmp/out.pdf ]] && ok || bad "PKCS#11 wrong PIN should exit 2 and leave no file (got $r)"
  # Only our own messages on stderr (libp11 prints its own unless told to be quiet).
  "$cli" seal stamp "$tmp/in.pdf" "$tmp/out.pdf" "${U[@]}" --pin-file "$tmp/hsm/bad" --page 1 --rect 10,10,50,50 >/dev/null 2>"$tmp/err"
  [[ $(grep -vc '^onewindow-cli: ' "$tmp/err") == 0 && -s $tmp/err ]] && ok || bad "PKCS#11 wrong PIN: foreign messages on stderr: $(cat "$tmp/err")"
  # A missing module is not a wrong PIN.
  r=$(rc_of "$cli" seal stamp "$tmp/in.pdf" "$tmp/out.pdf" --pkcs11-uri "pkcs11:token=ow-seal;object=seal;type=private" \
      --pkcs11-module "$tmp/no-such-module.so" --pin-file "$tmp/hsm/pin" --page 1 --rect 10,10,50,50)
  "$cli" seal stamp "$tmp/in.pdf" "$tmp/out.pdf" --pkcs11-uri "pkcs11:token=ow-seal;object=seal;type=private" \
      --pkcs11-module "$tmp/no-such-module.so" --pin-file "$tmp/hsm/pin" --page 1 --rect 10,10,50,50 2>"$tmp/err" >/dev/null
  [[ $r == 2 && ! -e $tmp/out.pdf ]] && grep -q "PKCS#11 module not found: $tmp/no-such-module.so" "$tmp/err" \
    && [[ $(wc -l <"$tmp/err") == 1 ]] && ok || bad "a missing PKCS#11 module should be named (exit $r): $(cat "$tmp/err")"
  # A PIN inside the URI is refused (it would override --pin-file and shows in ps); never echoed.
  for attr in "?pin-value=4321" ";pin-value=4321" "?pin%2Dvalue=4321" "?pin-source=file:$tmp/hsm/pin"; do
    "$cli" seal stamp "$tmp/in.pdf" "$tmp/out.pdf" --pkcs11-uri "pkcs11:token=ow-seal;object=seal;type=private$attr" --pkcs11-module $hsm_module \
      --pin-file "$tmp/hsm/bad" --page 1 --rect 10,10,50,50 >/dev/null 2>"$tmp/err"; r=$?
    [[ $r == 2 && ! -e $tmp/out.pdf ]] && grep -q 'seal.pkcs11_pin_in_uri' "$tmp/err" && ! grep -q 4321 "$tmp/err" \
      && ok || bad "a PKCS#11 URI with $attr should be refused (exit $r): $(cat "$tmp/err")"
  done
  # The PIN from standard input.
  printf '4321\n' | "$cli" seal stamp "$tmp/in.pdf" "$tmp/stdin-pin.pdf" "${U[@]}" --pin-file - --page 1 --rect 10,10,50,50 >/dev/null 2>"$tmp/err" \
    && expect_sigs "$tmp/stdin-pin.pdf" 1 || bad "PKCS#11 with the PIN on stdin: $(cat "$tmp/err")"
  unset SOFTHSM2_CONF
else
  echo "SKIP: PKCS#11 (softhsm2, opensc or libengine-pkcs11-openssl missing; scripts/bootstrap installs them)"
fi

# The SM2 profile: GB/T 38540 SES_Signature (SM2-with-SM3) in its own revision, then a PAdES
# countersignature. pdfsig cannot validate the SM2 one ("unknown" type); ours checks both.
S2=(--p12 "$tmp/demo/sm2/seal.p12" --pin-file "$tmp/demo/seal.pin" --profile sm2 --ses-seal "$tmp/demo/sm2/seal.ses")
"$cli" seal stamp "$tmp/in.pdf" "$tmp/sm2.pdf" "${S2[@]}" --page 1 --rect 40,300,120,120 >/dev/null 2>"$tmp/err" && ok || bad "SM2 stamp: $(cat "$tmp/err")"
"$cli" seal stamp "$tmp/sm2.pdf" "$tmp/sm2-2.pdf" "${K[@]}" --page 1 --rect 200,300,120,120 >/dev/null 2>"$tmp/err" && ok || bad "PAdES after SM2: $(cat "$tmp/err")"
[[ $(sig_count "$tmp/sm2-2.pdf") == 2 && $(valid_count "$tmp/sm2-2.pdf") == 1 ]] && ok || bad "pdfsig after SM2 + PAdES"
qpdf --check "$tmp/sm2-2.pdf" >/dev/null 2>&1 && ok || bad "qpdf --check after SM2"
cat "$tmp/demo/sm2/ca.pem" "$CA" >"$tmp/roots.pem"
[[ $(rc_of "$cli" seal verify "$tmp/sm2-2.pdf" --roots "$tmp/roots.pem") == 0 ]] && ok || bad "verify SM2 + PAdES with both roots should exit 0"
"$cli" seal verify "$tmp/sm2-2.pdf" --json | python3 -c "
import json, sys; s = json.load(sys.stdin)['signatures']
assert s[0]['sub_filter'] == '/GBT38540.SES_Signature' and s[0]['valid'] and 'SM2' in s[0]['signer']" && ok || bad "verify --json for the SM2 signature"
python3 - "$tmp/sm2.pdf" "$tmp/ses.der" <<'PY'
import re, sys, binascii
d = open(sys.argv[1], 'rb').read()
der = binascii.unhexlify(re.search(rb'/Contents <([0-9a-fA-F]+)>', d).group(1))  # zero-padded (not rstrip: the DER may end in 00)
n = der[1] & 0x7f if der[1] & 0x80 else 0
open(sys.argv[2], 'wb').write(der[:2 + n + (int.from_bytes(der[2:2 + n], 'big') if n else der[1])])
PY
asn=$(openssl asn1parse -inform DER -in "$tmp/ses.der" 2>/dev/null)
grep -q 'IA5STRING *:ES' <<<"$asn" && [[ $(grep -c 'SM2-with-SM3' <<<"$asn") == 2 ]] && grep -q 'IA5STRING *:PNG' <<<"$asn" \
  && ok || bad "SES_Signature structure (header ES, two SM2-with-SM3 signatures, PNG picture)"
python3 -c "
d = bytearray(open('$tmp/sm2-2.pdf','rb').read()); d[200] ^= 1; open('$tmp/sm2-flip.pdf','wb').write(d)"
[[ $(rc_of "$cli" seal verify "$tmp/sm2-flip.pdf") == 1 ]] && ok || bad "a flipped byte under an SM2 signature should exit 1"
"$cli" seal demo --org 另一个局 -o "$tmp/demo2" >/dev/null
expect_fail_sm2() { rm -f "$tmp/out.pdf"; local r; r=$(rc_of "$cli" seal stamp "$tmp/in.pdf" "$tmp/out.pdf" "$@" --page 1 --rect 10,10,50,50)
  echo "$r"; }
[[ $(expect_fail_sm2 --p12 "$tmp/demo2/sm2/seal.p12" --pin-file "$tmp/demo2/seal.pin" --profile sm2 --ses-seal "$tmp/demo/sm2/seal.ses") == 1 && ! -e $tmp/out.pdf ]] \
  && ok || bad "an SM2 key not listed in the SES_Seal should be refused (exit 1, no file)"
[[ $(expect_fail_sm2 --p12 "$tmp/demo/seal.p12" --pin-file "$tmp/demo/seal.pin" --profile sm2 --ses-seal "$tmp/demo/sm2/seal.ses") == 2 && ! -e $tmp/out.pdf ]] \
  && ok || bad "an RSA key with the SM2 profile should exit 2"

# Bad input: clear error, the exit code of the contract, no output file.
expect_fail() { # CODE DESCRIPTION ARGS…
  local want=$1 what=$2; shift 2
  rm -f "$tmp/out.pdf"
  local r; r=$(rc_of "$cli" seal stamp "$@")
  [[ $r == "$want" ]] && ok || bad "$what: exit $r, want $want"
  [[ ! -e $tmp/out.pdf ]] && ok || bad "$what: an output file was left"
  [[ -z $(find "$tmp" -maxdepth 1 -name 'out.pdf.tmp-*') ]] && ok || bad "$what: a temporary file was left"
}
printf 'hello, not a PDF\n' >"$tmp/not.pdf"
head -c 700 "$tmp/seal1.pdf" >"$tmp/trunc.pdf"
qpdf --encrypt user owner 256 -- "$tmp/in.pdf" "$tmp/enc.pdf"
qpdf --encrypt "" owner 256 -- "$tmp/in.pdf" "$tmp/enc2.pdf"
printf '000000\n' >"$tmp/wrong.pin"
R=(--page 1 --rect 10,10,50,50)
expect_fail 2 "not a PDF" "$tmp/not.pdf" "$tmp/out.pdf" "${K[@]}" "${R[@]}"
expect_fail 2 "truncated" "$tmp/trunc.pdf" "$tmp/out.pdf" "${K[@]}" "${R[@]}"
expect_fail 2 "encrypted (user password)" "$tmp/enc.pdf" "$tmp/out.pdf" "${K[@]}" "${R[@]}"
expect_fail 2 "encrypted (owner password only)" "$tmp/enc2.pdf" "$tmp/out.pdf" "${K[@]}" "${R[@]}"
expect_fail 2 "wrong PIN" "$tmp/in.pdf" "$tmp/out.pdf" --p12 "$tmp/demo/seal.p12" --pin-file "$tmp/wrong.pin" "${R[@]}"
expect_fail 1 "expired certificate" "$tmp/in.pdf" "$tmp/out.pdf" --p12 "$data/expired.p12" --pin-file "$data/expired.pin" "${R[@]}"
expect_fail 2 "anchor not found" "$tmp/in.pdf" "$tmp/out.pdf" "${K[@]}" --anchor "（盖章）"
expect_fail 1 "a seal the user does not hold" "$tmp/in.pdf" "$tmp/out.pdf" "${K[@]}" "${R[@]}" --policy "$tmp/demo/seal.json" --user clerk-x
expect_fail 1 "post B not acting for A" "$tmp/in.pdf" "$tmp/out.pdf" "${K[@]}" "${R[@]}" --policy "$tmp/demo/seal.json" --user demo-b
expect_fail 1 "post B acting for a non-holder" "$tmp/in.pdf" "$tmp/out.pdf" "${K[@]}" "${R[@]}" --policy "$tmp/demo/seal.json" --user demo-b --acting-for clerk-x
for who in "--user demo-a" "--user demo-b --acting-for demo-a"; do
  rm -f "$tmp/out.pdf"
  "$cli" seal stamp "$tmp/in.pdf" "$tmp/out.pdf" "${K[@]}" "${R[@]}" --policy "$tmp/demo/seal.json" $who >/dev/null 2>&1 && [[ -s $tmp/out.pdf ]] \
    && ok || bad "seal holder ($who) should be allowed"
done
rm -f "$tmp/out.pdf"
python3 "$src/tests/integration/seal_forge.py" size "$tmp/in.pdf" "$tmp/size.pdf"
qpdf --check "$tmp/size.pdf" >/dev/null 2>&1; [[ $? != 2 ]] && ok || bad "the /Size 2147483647 file should be readable by qpdf"
expect_fail 2 "trailer /Size 2147483647" "$tmp/size.pdf" "$tmp/out.pdf" "${K[@]}" "${R[@]}"
"$cli" seal stamp "$tmp/size.pdf" "$tmp/out.pdf" "${K[@]}" "${R[@]}" 2>&1 | grep -q 'largest object number' \
  && ok || bad "an impossible /Size should be named"
expect_fail 2 "no such page" "$tmp/in.pdf" "$tmp/out.pdf" "${K[@]}" --page 9 --rect 10,10,50,50
expect_fail 2 "missing --rect" "$tmp/in.pdf" "$tmp/out.pdf" "${K[@]}" --page 1
expect_fail 2 "not a PNG" "$tmp/in.pdf" "$tmp/out.pdf" --p12 "$tmp/demo/seal.p12" --pin-file "$tmp/demo/seal.pin" --image "$tmp/not.pdf" "${R[@]}"
"$cli" seal stamp "$tmp/in.pdf" "$tmp/out.pdf" --p12 "$tmp/demo/seal.p12" --pin-file "$tmp/wrong.pin" "${R[@]}" 2>&1 | grep -q 000000 \
  && bad "the PIN appears in a message" || ok
[[ $(rc_of "$cli" seal verify "$tmp/in.pdf") == 1 ]] && ok || bad "verify of an unsigned PDF should exit 1"
[[ $(rc_of "$cli" seal verify "$tmp/not.pdf") == 2 ]] && ok || bad "verify of a non-PDF should exit 2"
[[ $(rc_of "$cli" seal verify) == 2 ]] && ok || bad "verify without a file should exit 2"

# A stamp killed while it writes leaves no file: the output is an unnamed O_TMPFILE until it is
# complete and checked (a killed writer's named temporary, where O_TMPFILE is missing, is removed
# by the next stamp; tests/unit/seal covers that).
python3 - "$tmp/large.pdf" <<'PY'
import sys
c = b'BT /Helvetica 12 Tf 72 720 Td (large) Tj ET'
pad = b'%' + b'x' * 1022 + b'\n'
objs = [b'<< /Type /Catalog /Pages 2 0 R >>', b'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        b'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>',
        b'<< /Length %d >>\nstream\n' % len(c) + c + b'\nendstream',
        b'<< /Length %d >>\nstream\n' % (len(pad) * 160 * 1024) + pad * (160 * 1024) + b'\nendstream']
out = bytearray(b'%PDF-1.4\n'); offs = []
for i, o in enumerate(objs, 1):
    offs.append(len(out)); out += b'%d 0 obj\n' % i + o + b'\nendobj\n'
x = len(out); out += b'xref\n0 %d\n0000000000 65535 f \n' % (len(objs) + 1)
for o in offs: out += b'%010d 00000 n \n' % o
out += b'trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n' % (len(objs) + 1, x)
open(sys.argv[1], 'wb').write(out)
PY
mkdir -p "$tmp/kill"
caught=0
for attempt in 1 2 3; do
  "$cli" seal stamp "$tmp/large.pdf" "$tmp/kill/out.pdf" "${K[@]}" "${R[@]}" >/dev/null 2>&1 &
  pid=$!
  # Wait until the output is being written (an open file in kill/ of some size), then kill -9.
  for _ in $(seq 2000); do
    for fd in /proc/$pid/fd/*; do
      t=$(readlink "$fd" 2>/dev/null) || continue
      [[ $t == "$tmp/kill/"* ]] && (( $(stat -L -c %s "$fd" 2>/dev/null || echo 0) > 20000000 )) && { kill -9 $pid; caught=1; break 2; }
    done
    kill -0 $pid 2>/dev/null || break
    sleep 0.005
  done
  wait $pid 2>/dev/null
  status=$?
  # Under load the stamp may finish (and rename its output into place) between the look and the
  # kill: a complete run (exit 0) was not caught — try again.
  (( caught && status == 0 )) && caught=0
  (( caught )) && break
  rm -f "$tmp/kill/out.pdf"
done
(( caught )) && ok || bad "could not catch the stamp while it wrote (machine too fast?)"
left=$(ls -A "$tmp/kill")
[[ -z $left ]] && ok || bad "a killed stamp left files: $left"
"$cli" seal stamp "$tmp/large.pdf" "$tmp/kill/out.pdf" "${K[@]}" "${R[@]}" >/dev/null 2>"$tmp/err" && ok || bad "stamp after a killed one: $(cat "$tmp/err")"
[[ $(ls -A "$tmp/kill") == out.pdf ]] && ok || bad "after a stamp, only the output: $(ls -A "$tmp/kill")"
rm -rf "$tmp/kill" "$tmp/large.pdf"

echo "$checks checks, $fails failed"
(( fails == 0 ))
