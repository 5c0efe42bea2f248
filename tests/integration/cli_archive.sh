#!/usr/bin/env bash
# The archive package (issue 19, docs/archive.md) from the CLI only: an immediate licensing item taken
# from draft to decided with the approval seal, issued with the applicant's signature and rated, then
# exported to a folder and to a .zip. verify passes; for EVERY file of the package a copy with one
# flipped byte, a copy without it, and a copy with an extra file are each named by verify (exit 1);
# a crafted PDF with JavaScript, an encrypted PDF and a zip with a '..' entry are named as security
# failures. The package is read without OneWindow: xmllint, pdfinfo, pdfsig, sha256sum, unzip -t.
# Refusals (exit 1, nothing written): a draft case, an unknown case, a taken output path.
set -uo pipefail
cli=$1
tmp=$(mktemp -d)
trap '[[ -n ${KEEP_TMP:-} ]] || rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails+1)); }
S=$tmp/store
for u in admin clerk1 chief_a; do printf '%s password 1\n' "$u" >"$tmp/$u.pw"; done
K=(--kdf-ops 1 --kdf-mem-mib 8)
as() { local u=$1; shift; "$cli" "$@" --store "$S" --password-file "$tmp/$u.pw" --user "$u"; }
json_of() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))" "$1"; }
rc_of() { "$@" >"$tmp/last.out" 2>"$tmp/last.err"; echo $?; }
# named PKG FILE [PROPERTY]: verify PKG exits 1 and a failure names FILE (and PROPERTY when given).
named() {
  local r
  r=$("$cli" archive verify "$1" --json >"$tmp/v.json" 2>"$tmp/v.err"; echo $?)
  [[ $r == 1 ]] || { echo "verify $1 exited $r, not 1"; return 1; }
  python3 - "$tmp/v.json" "$2" "${3:-}" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
f = [c for c in d['checks'] if not c['ok']]
assert d['sound'] is False and d['failures'] == len(f) and f, d
hit = [c for c in f if c['file'] == sys.argv[2] and (not sys.argv[3] or c['property'] == sys.argv[3])]
assert hit, f"{sys.argv[2]} {sys.argv[3]} not named; failures: {[(c['property'], c['file'], c['code']) for c in f]}"
PY
}

"$cli" store init --store "$S" --user admin --role admin --password-file "$tmp/admin.pw" "${K[@]}" >/dev/null || fail "store init"
as admin user add --new-user clerk1 --role clerk --display-name 王窗口 --new-password-file "$tmp/clerk1.pw" "${K[@]}" >/dev/null || fail "user add clerk1"
as admin user add --new-user chief_a --role chief --post A --display-name 张首席 --new-password-file "$tmp/chief_a.pw" "${K[@]}" >/dev/null || fail "user add chief_a"
"$cli" seal demo --org 济南市历下区行政审批服务局 -o "$tmp/seal" >/dev/null || fail "seal demo"
"$cli" seal assign --store "$S" --password-file "$tmp/admin.pw" --as admin --post A --p12 "$tmp/seal/seal.p12" \
  --pin-file "$tmp/seal/seal.pin" --image "$tmp/seal/seal.png" >/dev/null || fail "seal assign post A"

# ---- refusals first: a draft, an unknown case, usage --------------------------------------------
did=$(as clerk1 case new --item 370102-SC-0001-001 --json | json_of "d['id']")
[[ $(rc_of as clerk1 archive export --case "$did" -o "$tmp/draft") == 1 ]] || fail "exporting a draft should be refused (1)"
grep -q "only a concluded case" "$tmp/last.err" || fail "the refusal should say why: $(cat "$tmp/last.err")"
[[ -e $tmp/draft ]] && fail "a refused export left $tmp/draft"
ls -A "$tmp" | grep -q partial && fail "a refused export left a temporary folder"
[[ $(rc_of as clerk1 archive export --case 01a24a77-216d-7146-bb75-365bf8d3b55a -o "$tmp/nope") == 1 ]] || fail "an unknown case should be refused (1)"
[[ $(rc_of as clerk1 archive export --case not-a-uuid -o "$tmp/nope") == 2 ]] || fail "a malformed case ID is usage (2)"
[[ $(rc_of as clerk1 archive export -o "$tmp/nope") == 2 ]] || fail "export without --case is usage (2)"
[[ $(rc_of "$cli" archive verify) == 2 ]] || fail "verify without PATH is usage (2)"
[[ $(rc_of "$cli" archive verify "$tmp/does-not-exist") == 2 ]] || fail "verify of nothing is exit 2"

# ---- the case: accepted, decided with the seal, issued with a signature, rated ---------------------
gid=$(as clerk1 case new --item 370102-SC-0001-001 --json | json_of "d['id']")
as clerk1 case applicant "$gid" --id-number 11010519491231002X --name 李红 --phone 13800138000 >/dev/null || fail "applicant"
printf '%s' '{"operator_name": "李红", "operator_id": "11010519491231002X", "operator_phone": "13800138000", "organisation": "individual",
 "business_name": "李红小吃店", "business_scope": "小吃服务", "premises": {"region": "370102", "detail": "经十路2号"}, "capital_fen": 5000000,
 "employees": 2, "agent_present": false}' >"$tmp/g.json"
as clerk1 case answer "$gid" "$tmp/g.json" >/dev/null || fail "answer"
as clerk1 case material "$gid" application --status original >/dev/null || fail "material application"
as clerk1 case material "$gid" operator_id --status scanned --file "$tmp/seal/seal.png" >/dev/null || fail "scanned material"
as clerk1 case material "$gid" premises --status original >/dev/null || fail "material premises"
as clerk1 case accept "$gid" >/dev/null || fail "accept"
[[ $(rc_of as clerk1 archive export --case "$gid" -o "$tmp/early") == 1 ]] || fail "an accepted (open) case should be refused (1)"
as chief_a case decide "$gid" --decision approve --opinion 材料齐全，准予登记 >/dev/null 2>"$tmp/dec.err" || fail "decide: $(cat "$tmp/dec.err")"
as clerk1 case issue "$gid" --pickup --signature "$tmp/seal/seal.png" >/dev/null || fail "issue"
as clerk1 case rate "$gid" --level 5 >/dev/null || fail "rate"

# ---- export to a folder and to a zip ----------------------------------------------------------------
P=$tmp/pkg
as clerk1 archive export --case "$gid" -o "$P" --json >"$tmp/e.json" 2>"$tmp/e.err" || fail "export to a folder: $(cat "$tmp/e.err")"
python3 - "$tmp/e.json" <<'PY' || fail "export --json: counts"
import json, sys
d = json.load(open(sys.argv[1]))
assert d['format'] == 'folder' and d['documents'] == 3 and d['materials'] == 1 and d['attachments'] == 1 and d['records'] == 4, d
assert d['files'] == 12 and d['audit_chain_intact'] is True, d
PY
as clerk1 archive export --case "$gid" -o "$tmp/pkg.zip" >/dev/null 2>"$tmp/e.err" || fail "export to a zip: $(cat "$tmp/e.err")"
ls -A "$tmp" | grep -q partial && fail "an export left a temporary file"
[[ $(rc_of as clerk1 archive export --case "$gid" -o "$P") == 1 ]] || fail "an existing non-empty folder should be refused (1)"
grep -q "exists and is not empty" "$tmp/last.err" || fail "the refusal names the taken path: $(cat "$tmp/last.err")"
[[ $(rc_of as clerk1 archive export --case "$gid" -o "$tmp/pkg.zip") == 1 ]] || fail "an existing zip should be refused (1)"
mkdir "$tmp/empty"
as clerk1 archive export --case "$gid" -o "$tmp/empty" >/dev/null 2>&1 || fail "an empty folder may be the output"
[[ -f $tmp/empty/metadata.xml ]] || fail "the export into an empty folder"
as admin audit list 2>/dev/null | grep -c '"archive.exported"' | grep -qx 3 || fail "every export is audited (3)"

[[ $(rc_of "$cli" archive verify "$P") == 0 ]] || fail "verify the folder: $(cat "$tmp/last.out")"
grep -q "^sound" "$tmp/last.out" || fail "verify says sound"
[[ $(rc_of "$cli" archive verify "$tmp/pkg.zip") == 0 ]] || fail "verify the zip: $(cat "$tmp/last.out")"
"$cli" archive verify "$P" --json >"$tmp/ok.json" || fail "verify --json"
python3 - "$tmp/ok.json" <<'PY' || fail "verify --json: the shape, and every property checked"
import json, sys
d = json.load(open(sys.argv[1]))
assert d['sound'] is True and d['format'] == 'folder' and d['failures'] == 0 and d['files'] == 12, d
props = {c['property'] for c in d['checks']}
assert props == {'authenticity', 'integrity', 'usability', 'security'}, props
assert all(set(c) == {'property', 'file', 'ok', 'code', 'message'} for c in d['checks'])
assert any(c['code'] == 'seal_valid' and c['file'] == 'documents/02-approval_decision.pdf' for c in d['checks'])
assert any(c['code'] == 'audit_hashes' for c in d['checks'])
PY

# Seals against roots: the demo seal's own CA trusts them; another CA does not (authenticity).
[[ $(rc_of "$cli" archive verify "$P" --roots "$tmp/seal/ca.pem") == 0 ]] || fail "verify --roots with the seal's CA: $(cat "$tmp/last.out")"
"$cli" seal demo --org 另一个机关 -o "$tmp/other" >/dev/null || fail "seal demo (another CA)"
"$cli" archive verify "$P" --roots "$tmp/other/ca.pem" --json >"$tmp/roots.json"; r=$?
[[ $r == 1 ]] || fail "verify --roots with another CA should exit 1 (got $r)"
python3 - "$tmp/roots.json" <<'PY' || fail "verify --roots with another CA names the sealed decision (authenticity)"
import json, sys
f = [c for c in json.load(open(sys.argv[1]))['checks'] if not c['ok']]
assert f and all(c['property'] == 'authenticity' and c['file'] == 'documents/02-approval_decision.pdf' for c in f), f
PY
# Not a package at all.
printf 'not a package' >"$tmp/junk.zip"
[[ $(rc_of "$cli" archive verify "$tmp/junk.zip") == 1 ]] || fail "a file that is not a package should not verify (1)"

# A case refused at the window is concluded too: its package holds the refusal notice.
rid=$(as clerk1 case new --item 370102-SC-0002-001 --json | json_of "d['id']")
as clerk1 case applicant "$rid" --uscc 91350100MA01B2C37P --org-name 济南示例科技有限公司 --legal-rep 赵六 >/dev/null || fail "organisation applicant"
as clerk1 case refuse "$rid" --reason 申请事项不属于本机关职权范围 --basis 《中华人民共和国行政许可法》第三十二条 >/dev/null || fail "refuse"
as clerk1 archive export --case "$rid" -o "$tmp/refused" >/dev/null 2>"$tmp/e.err" || fail "export a refused case: $(cat "$tmp/e.err")"
[[ $(rc_of "$cli" archive verify "$tmp/refused") == 0 ]] || fail "verify the refused case's package: $(cat "$tmp/last.out")"
ls "$tmp/refused/documents" | grep -q refusal_notice || fail "the refused case's package holds the refusal notice"
grep -q "<refusal>" "$tmp/refused/metadata.xml" && grep -q 'kind="organisation"' "$tmp/refused/metadata.xml" || fail "the refusal and the organisation in the metadata"

# ---- readable without OneWindow -------------------------------------------------------------------
xmllint --noout "$P/metadata.xml" || fail "xmllint parses metadata.xml"
(cd "$P" && sha256sum --quiet --strict -c manifest-sha256.txt) || fail "sha256sum -c manifest-sha256.txt"
python3 - "$P" <<'PY' || fail "the SM3 manifest (hashlib sm3)"
import hashlib, os, sys
root = sys.argv[1]
for line in open(os.path.join(root, 'manifest-sm3.txt')):
    h, path = line.rstrip('\n').split('  ', 1)
    assert hashlib.new('sm3', open(os.path.join(root, path), 'rb').read()).hexdigest() == h, path
PY
for f in "$P"/documents/*.pdf; do
  pdfinfo "$f" >/dev/null 2>&1 || fail "pdfinfo opens $f"
done
pdfsig "$P/documents/02-approval_decision.pdf" 2>&1 | grep -q "Signature Validation: Signature is Valid" || fail "pdfsig confirms the decision's seal"
for j in "$P"/records/*.json; do python3 -m json.tool "$j" >/dev/null || fail "JSON $j"; done
unzip -tq "$tmp/pkg.zip" >/dev/null || fail "unzip -t the zip"
mkdir "$tmp/unzipped" && (cd "$tmp/unzipped" && unzip -q "$tmp/pkg.zip") || fail "unzip"
# The same files; the same documents and scans (the records differ: the zip's audit extract holds the folder's export).
diff <(cd "$P" && find . -type f | sort) <(cd "$tmp/unzipped" && find . -type f | sort) >/dev/null || fail "the zip holds the same files as the folder"
diff -r "$P/documents" "$tmp/unzipped/documents" >/dev/null && diff -r "$P/materials" "$tmp/unzipped/materials" >/dev/null || fail "the zip's documents and scans"
python3 - "$P/metadata.xml" "$gid" <<'PY' || fail "metadata: the case, the applicant, the sealed decision"
import sys, xml.etree.ElementTree as ET
ns = {'a': 'urn:onewindow:archive:1'}
r = ET.parse(sys.argv[1]).getroot()
assert r.find('a:case/a:case-id', ns).text == sys.argv[2]
assert r.find('a:case/a:state', ns).text == 'rated'
assert r.find('a:applicant', ns).get('doc-number') == '11010519491231002X'
d = [x for x in r.findall('a:documents/a:document', ns) if x.get('kind') == 'approval_decision'][0]
assert d.get('sealed') == 'true' and d.find('a:seal', ns).get('signer'), ET.tostring(d)
PY

# ---- every file: a flipped byte, a removal; an extra file --------------------------------------------
mapfile -t files < <(cd "$P" && find . -type f | sed 's|^\./||' | sort)
(( ${#files[@]} == 12 )) || fail "12 files in the package, found ${#files[@]}"
i=0
for f in "${files[@]}"; do
  size=$(stat -c %s "$P/$f")
  for off in 0 $((size / 2)) $((size - 1)); do
    i=$((i+1)); c=$tmp/flip$i
    cp -a "$P" "$c"
    python3 -c "
import sys; p, o = sys.argv[1], int(sys.argv[2]); b = bytearray(open(p, 'rb').read()); b[o] ^= 0x01; open(p, 'wb').write(b)" "$c/$f" "$off"
    named "$c" "$f" || fail "a flipped byte at $off of $f is not named"
    rm -rf "$c"
  done
  c=$tmp/removed; cp -a "$P" "$c"; rm "$c/$f"
  named "$c" "$f" integrity || fail "a removed $f is not named"
  rm -rf "$c"
done
c=$tmp/extra; cp -a "$P" "$c"
cp "$P/documents/01-acceptance_receipt.pdf" "$c/documents/99-extra.pdf"
named "$c" documents/99-extra.pdf integrity || fail "an extra PDF is not named"
echo note >"$c/notes.txt"
named "$c" notes.txt integrity || fail "an extra text file is not named"
rm -rf "$c"
c=$tmp/link; cp -a "$P" "$c"; ln -s /etc/passwd "$c/records/passwd"
named "$c" records/passwd security || fail "a symbolic link is not named as a security failure"
rm -rf "$c"

# ---- zips: a flipped byte, a '..' entry ---------------------------------------------------------------
cp "$tmp/pkg.zip" "$tmp/flip.zip"
python3 -c "
import sys; p = sys.argv[1]; b = bytearray(open(p, 'rb').read()); b[len(b) // 3] ^= 0x01; open(p, 'wb').write(b)" "$tmp/flip.zip"
[[ $(rc_of "$cli" archive verify "$tmp/flip.zip" --json) == 1 ]] || fail "a zip with a flipped byte should not verify"
python3 - "$tmp/last.out" <<'PY' || fail "a zip with a flipped byte: the damaged entry is named"
import json, sys
f = [c for c in json.load(open(sys.argv[1]))['checks'] if not c['ok']]
assert any(c['code'] == 'zip_data_error' and c['file'].startswith('documents/') for c in f), f
PY
python3 - "$tmp/pkg.zip" "$tmp/evil.zip" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as src, zipfile.ZipFile(sys.argv[2], 'w') as dst:
    for n in src.namelist():
        dst.writestr(n, src.read(n))
    dst.writestr('../evil.txt', 'outside')
PY
named "$tmp/evil.zip" ../evil.txt security || fail "a '..' entry in a zip is not named as a security failure"
[[ -e $tmp/evil.txt || -e /tmp/evil.txt ]] && fail "a '..' entry was extracted"

# ---- PDFs with active content or encryption (re-listed, so only the content is at fault) --------------
# relist PKG FILE: records FILE's new digests and size in metadata.xml and both manifests.
relist() {
  python3 - "$1" "$2" <<'PY'
import hashlib, os, re, sys
root, rel = sys.argv[1], sys.argv[2]
data = open(os.path.join(root, rel), 'rb').read()
sha, sm3 = hashlib.sha256(data).hexdigest(), hashlib.new('sm3', data).hexdigest()
meta = os.path.join(root, 'metadata.xml')
x = open(meta, encoding='utf-8').read()
x = re.sub(r'(<file path="' + re.escape(rel) + r'"[^>]*?) size="\d+" sha256="[0-9a-f]+" sm3="[0-9a-f]+"',
           lambda m: f'{m.group(1)} size="{len(data)}" sha256="{sha}" sm3="{sm3}"', x)
open(meta, 'w', encoding='utf-8').write(x)
for name, algo in (('manifest-sha256.txt', 'sha256'), ('manifest-sm3.txt', 'sm3')):
    lines = []
    for line in open(os.path.join(root, name)):
        p = line.rstrip('\n').split('  ', 1)[1]
        lines.append(f"{hashlib.new(algo, open(os.path.join(root, p), 'rb').read()).hexdigest()}  {p}\n")
    open(os.path.join(root, name), 'w').writelines(lines)
PY
}
c=$tmp/js; cp -a "$P" "$c"
python3 - "$c/documents/01-acceptance_receipt.pdf" <<'PY'
import sys
objs = [b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>"]
out = bytearray(b"%PDF-1.7\n")
offs = []
for i, o in enumerate(objs, 1):
    offs.append(len(out)); out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
x = len(out)
out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
for o in offs: out += b"%010d 00000 n \n" % o
out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, x)
open(sys.argv[1], 'wb').write(out)
PY
relist "$c" documents/01-acceptance_receipt.pdf
named "$c" documents/01-acceptance_receipt.pdf security || fail "a PDF with JavaScript is not named as a security failure"
python3 - "$tmp/v.json" <<'PY' || fail "the JavaScript PDF: only security at fault (integrity holds after relisting)"
import json, sys
f = [c for c in json.load(open(sys.argv[1]))['checks'] if not c['ok']]
assert {c['property'] for c in f} == {'security'}, f
PY
rm -rf "$c"
c=$tmp/enc; cp -a "$P" "$c"
qpdf --encrypt user owner 256 -- "$P/documents/03-pickup_receipt.pdf" "$c/documents/03-pickup_receipt.pdf" || fail "qpdf --encrypt"
relist "$c" documents/03-pickup_receipt.pdf
named "$c" documents/03-pickup_receipt.pdf security || fail "an encrypted PDF is not named as a security failure"
rm -rf "$c"
# A sealed decision replaced by an unsealed document (re-listed): the seal the metadata names is missing.
c=$tmp/unsealed; cp -a "$P" "$c"
cp "$P/documents/01-acceptance_receipt.pdf" "$c/documents/02-approval_decision.pdf"
relist "$c" documents/02-approval_decision.pdf
named "$c" documents/02-approval_decision.pdf authenticity || fail "a decision without its seal is not named (authenticity)"
rm -rf "$c"
# An audit entry altered (re-listed): its hash no longer matches.
c=$tmp/audit; cp -a "$P" "$c"
python3 - "$c/records/audit.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); d['entries'][0]['user_id'] = 'someone_else'
open(sys.argv[1], 'w').write(json.dumps(d, indent=2, ensure_ascii=False) + '\n')
PY
relist "$c" records/audit.json
named "$c" records/audit.json authenticity || fail "an altered audit entry is not named (authenticity)"
rm -rf "$c"

echo "cli_archive: $i flipped copies checked"
(( fails == 0 )) && echo "cli_archive: all checks passed"
(( fails == 0 ))
