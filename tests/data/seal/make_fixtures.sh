#!/usr/bin/env bash
# Makes the seal test fixtures in this folder: PDFs written by other producers and a few keys.
# The outputs are committed, so running the tests needs none of these tools. Re-run by hand:
#   bash tests/data/seal/make_fixtures.sh
# Needs: ghostscript (ps2pdf), pango-view (cairo), qpdf, poppler-utils (pdfsig), libnss3-tools
# (certutil, pk12util), openssl.
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# Ghostscript (ps2pdf): classic xref table.
cat >"$tmp/doc.ps" <<'PS'
%!PS
/Helvetica findfont 14 scalefont setfont
72 720 moveto (Decision notice - Ghostscript fixture) show
72 690 moveto (The applicant's request is approved.) show
400 200 moveto (SEAL HERE) show
showpage
/Helvetica findfont 14 scalefont setfont
72 720 moveto (Page two) show
showpage
PS
ps2pdf -dPDFSETTINGS=/default "$tmp/doc.ps" gs.pdf

# cairo (through pango-view): CJK text with the anchor of our notices.
printf '受理通知书（cairo 样例）\n\n申请人：张三\n事项：个体工商户设立登记\n\n\n\n\n　　　　　　　　　　　　（盖章）\n' >"$tmp/notice.txt"
pango-view -q --font "Noto Sans CJK SC 14" --margin 72 --width 451 --output cairo.pdf "$tmp/notice.txt"

# Object streams + xref stream, and linearized, made by qpdf from the above.
qpdf --object-streams=generate gs.pdf objstm.pdf
qpdf --linearize cairo.pdf linearized.pdf

# Already signed by another implementation: pdfsig -add-signature (NSS, adbe.pkcs7.detached).
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/k.pem" -out "$tmp/c.pem" -days 3650 \
  -subj "/CN=Fixture pdfsig signer" -addext keyUsage=critical,digitalSignature,nonRepudiation 2>/dev/null
openssl pkcs12 -export -inkey "$tmp/k.pem" -in "$tmp/c.pem" -name fixture -out "$tmp/s.p12" -passout pass:fixture
mkdir "$tmp/nss"; certutil -N -d "sql:$tmp/nss" --empty-password
pk12util -i "$tmp/s.p12" -d "sql:$tmp/nss" -W fixture >/dev/null
pdfsig -add-signature -nssdir "sql:$tmp/nss" -nick fixture cairo.pdf pdfsig-signed.pdf

# A seal key whose certificate has expired (2020–2021); PIN 1234.
cat >"$tmp/ca.cnf" <<'CNF'
[ca]
default_ca = d
[d]
dir = TMP
database = $dir/index.txt
new_certs_dir = $dir
serial = $dir/serial
default_md = sha256
policy = p
copy_extensions = copy
[p]
commonName = supplied
CNF
sed -i "s|TMP|$tmp|" "$tmp/ca.cnf"; : >"$tmp/index.txt"; echo 01 >"$tmp/serial"
openssl req -new -newkey rsa:2048 -nodes -keyout "$tmp/ek.pem" -out "$tmp/e.csr" -subj "/CN=Expired fixture seal" 2>/dev/null
openssl ca -batch -config "$tmp/ca.cnf" -selfsign -keyfile "$tmp/ek.pem" -in "$tmp/e.csr" -out "$tmp/e.pem" \
  -startdate 20200101000000Z -enddate 20210101000000Z 2>/dev/null
openssl pkcs12 -export -inkey "$tmp/ek.pem" -in "$tmp/e.pem" -out expired.p12 -passout pass:1234
printf '1234\n' >expired.pin
echo "fixtures made: $(ls)"
