#!/usr/bin/env bash
# Makes the seal test fixtures in this folder: PDFs written by other producers and a few keys.
# The outputs are committed, so running the tests needs none of these tools. Re-run by hand:
#   bash tests/data/seal/make_fixtures.sh [gs cairo derived pdfsig expired pdftex libreoffice]
# (no argument: all). Needs: ghostscript (ps2pdf), pango-view (cairo), qpdf, poppler-utils
# (pdfsig), libnss3-tools (certutil, pk12util), openssl, texlive-base (pdftex),
# libreoffice-writer-nogui (soffice).
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

targets=("$@")
all=$(( $# == 0 ))
want() { (( all )) || [[ " ${targets[*]} " == *" $1 "* ]]; }

# Ghostscript (ps2pdf): classic xref table.
if want gs; then
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
fi

# cairo (through pango-view): CJK text with the anchor of our notices.
if want cairo; then
printf '受理通知书（cairo 样例）\n\n申请人：张三\n事项：个体工商户设立登记\n\n\n\n\n　　　　　　　　　　　　（盖章）\n' >"$tmp/notice.txt"
pango-view -q --font "Noto Sans CJK SC 14" --margin 72 --width 451 --output cairo.pdf "$tmp/notice.txt"
fi

# Object streams + xref stream, and linearized, made by qpdf from the above.
if want derived; then
qpdf --object-streams=generate gs.pdf objstm.pdf
qpdf --linearize cairo.pdf linearized.pdf
fi

# Already signed by another implementation: pdfsig -add-signature (NSS, adbe.pkcs7.detached).
if want pdfsig; then
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/k.pem" -out "$tmp/c.pem" -days 3650 \
  -subj "/CN=Fixture pdfsig signer" -addext keyUsage=critical,digitalSignature,nonRepudiation 2>/dev/null
openssl pkcs12 -export -inkey "$tmp/k.pem" -in "$tmp/c.pem" -name fixture -out "$tmp/s.p12" -passout pass:fixture
mkdir "$tmp/nss"; certutil -N -d "sql:$tmp/nss" --empty-password
pk12util -i "$tmp/s.p12" -d "sql:$tmp/nss" -W fixture >/dev/null
pdfsig -add-signature -nssdir "sql:$tmp/nss" -nick fixture cairo.pdf pdfsig-signed.pdf
fi

# A seal key whose certificate has expired (2020–2021); PIN 1234.
if want expired; then
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
fi

# pdfTeX (plain TeX): object streams and an xref stream (\pdfobjcompresslevel=2).
if want pdftex; then
cat >"$tmp/doc.tex" <<'TEX'
\pdfobjcompresslevel=2
\nopagenumbers
Decision notice --- pdfTeX fixture.
\vskip 2in
\hskip 3in SEAL HERE
\bye
TEX
(cd "$tmp" && pdftex -interaction=batchmode doc.tex >/dev/null)
cp "$tmp/doc.pdf" pdftex.pdf
fi

# LibreOffice (Writer, headless): CJK text with the anchor, xref table.
if want libreoffice; then
printf '不予受理通知书（LibreOffice 样例）\n\n申请人：李四\n\n经审查，申请材料不齐全。\n\n\n（盖章）\n' >"$tmp/lo.txt"
soffice -env:UserInstallation="file://$tmp/lo-profile" --headless --convert-to pdf --outdir "$tmp" "$tmp/lo.txt" >/dev/null 2>&1
cp "$tmp/lo.pdf" libreoffice.pdf
fi
echo "fixtures made: $(ls)"
