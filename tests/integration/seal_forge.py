#!/usr/bin/env python3
"""Appends a hostile incremental update to a PDF sealed by onewindow-cli (an xref-table file whose
page is object 3 and whose catalog is object 1), as an attacker would after the seal:

  shadow       an unsigned /FT /Sig widget whose appearance covers the page (white box + new
               text), listed in the page's /Annots and the AcroForm's /Fields
  shadow-nofields   the same widget in /Annots only
  replay       the same widget, its /V pointing at the existing seal's signature dictionary
  freetext     a /FreeText annotation with an appearance, in /Annots
  stamp        a /Stamp annotation with an appearance, in /Annots
  content      the page's content stream replaced
  empty-field  an unsigned signature field with no appearance (allowed: an empty field to sign later)
  hidden       the shadow widget flagged Hidden (allowed: it shows nothing, on screen or paper)
  noview-print the shadow widget flagged NoView but Print (not on screen, but on paper)
  root         a new catalog and page tree with a forged page, named by the trailer's /Root
  repoint      object 4 (the page content) pointed back at its older body in the same file
  plant        (before sealing) the page's /Contents also names object 500, which does not exist
  dangling     object 500 created, which the signed page's /Contents already named (planted)
  info         the document information written again with a new /ModDate (allowed: not shown),
               or created when there is none
  plant-info   (before sealing) a square annotation on the page that is also the trailer's /Info
  size         (for stamping, not verifying) the trailer's /Size set to 2147483647

usage: seal_forge.py VARIANT IN.pdf OUT.pdf
"""
import re
import sys

variant, src, dst = sys.argv[1:4]
d = open(src, 'rb').read()
prev = int(re.findall(rb'startxref\s+(\d+)', d[-1024:])[-1])
size = int(re.findall(rb'/Size (\d+)', d)[-1])


def latest(num):
    """The body of the last written version of object `num` (between 'N 0 obj' and 'endobj')."""
    return re.findall(rb'(?:^|\n)%d 0 obj\s*(.*?)\s*endobj' % num, d, re.S)[-1]


def append_ref(body, key, ref):
    m = re.search(key + rb'\s*\[([^\]]*)\]', body)
    return body[:m.start(1)] + m.group(1) + b' ' + ref + body[m.end(1):]


objs = {}
nxt = size
def new(body):
    global nxt
    objs[nxt] = body
    nxt += 1
    return b'%d 0 R' % (nxt - 1)


page = latest(3)
cover = b'q 1 1 1 rg 0 0 595 842 re f Q BT /F1 28 Tf 72 700 Td (REFUSED - forged after sealing) Tj ET'
font = b'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'
def appearance():
    f = new(font)
    return new(b'<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 %s >> >> '
               b'/Length %d >>\nstream\n%s\nendstream' % (f, len(cover), cover))

root = b'1 0 R'
info = b''
if variant in ('shadow', 'shadow-nofields', 'replay', 'empty-field', 'hidden', 'noview-print'):
    extra = b''
    if variant == 'replay':
        sig = re.search(rb'/V (\d+ 0 R)', d).group(1)  # the first seal's signature dictionary
        extra = b' /V ' + sig
    ap = b'' if variant == 'empty-field' else b' /AP << /N %s >>' % appearance()
    rect = b'[0 0 0 0]' if variant == 'empty-field' else b'[0 0 595 842]'
    flags = {'hidden': 2 | 4, 'noview-print': 32 | 4}.get(variant, 4)
    w = new(b'<< /Type /Annot /Subtype /Widget /FT /Sig /T (Forged%d) /F %d /P 3 0 R /Rect %s%s%s >>'
            % (nxt, flags, rect, ap, extra))
    objs[3] = append_ref(page, rb'/Annots', w)
    if variant != 'shadow-nofields':
        af = int(re.search(rb'/AcroForm (\d+) 0 R', latest(1)).group(1))
        objs[af] = append_ref(latest(af), rb'/Fields', w)
elif variant in ('freetext', 'stamp'):
    sub = b'/FreeText /DA (/Helv 28 Tf 0 g) /Contents (REFUSED)' if variant == 'freetext' else b'/Stamp /Name /Approved'
    a = new(b'<< /Type /Annot /Subtype %s /F 4 /P 3 0 R /Rect [0 0 595 842] /AP << /N %s >> >>' % (sub, appearance()))
    objs[3] = append_ref(page, rb'/Annots', a)
elif variant == 'content':
    c = int(re.search(rb'/Contents (\d+) 0 R', page).group(1))
    objs[c] = b'<< /Length %d >>\nstream\n%s\nendstream' % (len(cover), cover)
elif variant == 'root':
    c = new(b'<< /Length %d >>\nstream\n%s\nendstream' % (len(cover), cover))
    f = new(font)
    pg, pages = nxt, nxt + 1
    nxt += 2
    objs[pg] = b'<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %s /Resources << /Font << /F1 %s >> >> >>' % (pages, c, f)
    objs[pages] = b'<< /Type /Pages /Kids [%d 0 R] /Count 1 >>' % pg
    root = new(re.sub(rb'/Pages \d+ 0 R', b'/Pages %d 0 R' % pages, latest(1)))
elif variant == 'repoint':
    first = re.search(rb'(?:^|\n)(4 0 obj)', d).start(1)
    objs[4] = None  # an xref entry only: the first body of object 4
    offs_override = {4: first}
elif variant == 'plant':
    objs[3] = re.sub(rb'/Contents (\d+ 0 R)', rb'/Contents [\1 500 0 R]', page)
elif variant == 'dangling':
    objs[500] = b'<< /Length %d >>\nstream\n%s\nendstream' % (len(cover), cover)
    nxt = max(nxt, 501)
elif variant == 'info':
    m = re.findall(rb'/Info (\d+) 0 R', d)
    body = b'<< /Producer (forge) /ModDate (D:20261205120000Z) >>'
    if m:
        objs[int(m[-1])] = body.replace(b'05120000Z', b'06093000Z')
        info = b' /Info %s 0 R' % m[-1]
    else:
        info = b' /Info ' + new(body)
elif variant == 'plant-info':
    a = new(b'<< /Type /Annot /Subtype /Square /Rect [10 10 20 20] /C [1 0 0] >>')
    objs[3] = page.replace(b'/Contents', b'/Annots [%s] /Contents' % a, 1)
    info = b' /Info ' + a
elif variant == 'size':
    pass
else:
    sys.exit('unknown variant ' + variant)

out = bytearray(d if d.endswith(b'\n') else d + b'\n')
offs = dict(globals().get('offs_override', {}))
for n in sorted(objs):
    if objs[n] is None:
        continue
    offs[n] = len(out)
    out += b'%d 0 obj\n' % n + objs[n] + b'\nendobj\n'
x = len(out)
out += b'xref\n'
if not objs:
    out += b'0 1\n0000000000 65535 f \n'
for n in sorted(objs):
    out += b'%d 1\n%010d 00000 n \n' % (n, offs[n])
total = 2147483647 if variant == 'size' else max(nxt, size)
out += b'trailer\n<< /Size %d /Root %s%s /Prev %d >>\nstartxref\n%d\n%%%%EOF\n' % (total, root, info, prev, x)
open(dst, 'wb').write(out)
