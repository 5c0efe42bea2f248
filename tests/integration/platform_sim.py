#!/usr/bin/env python3
"""The training platform (onewindow-platform-sim) end to end, as a terminal sees it.

Real server processes on loopback, talked to with http.client and a request signer written here
from the text of docs/platform-api.md (not from the simulator's code), so this test also checks
the contract. Covers: enrolment and both signature algorithms, every auth refusal, the push with
its per-record results and conflicts (incl. conflict.state after the back office decided), the
change feed with cursors, the state checksum (412) and the index, forget + snapshot, blobs,
ratings, Idempotency-Key replay, stats counting, catalogue, calendars, e-licences, the TSA
(checked with `openssl ts` and the project's own seal verifier), HTTPS with make-certs, and every
fault flag observed from the client side with effects committed exactly once.

usage: platform_sim.py SIM_BINARY [ONEWINDOW_CLI]
Exit 0 when every check passed, 1 otherwise. A sanitizer report in a server's stderr fails too.
"""
import base64, calendar, gzip, hashlib, hmac, http.client, json, os, re, select, signal, socket, ssl
import subprocess, sys, tempfile, time, urllib.parse, uuid, zlib

SIM = os.path.abspath(sys.argv[1])
CLI = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2] else None
TMP = tempfile.mkdtemp(prefix='platform-sim-')
FAILS, CHECKS = [], [0]
PROCS = []


def check(cond, what):
    CHECKS[0] += 1
    if not cond:
        FAILS.append(what)
        print('FAIL:', what, flush=True)
    return cond


def run(*args, ok_codes=(0,)):
    p = subprocess.run([SIM, *args], capture_output=True, text=True, timeout=120)
    if p.returncode not in ok_codes:
        print(f'command {args} exited {p.returncode}: {p.stderr}', flush=True)
    return p


def rc(*args):
    return subprocess.run([SIM, *args], capture_output=True, timeout=60).returncode


# ---------------------------------------------------------------- the server processes

class Sim:
    def __init__(self, db, *flags, tls=None):
        self.db = db
        self.err_path = os.path.join(TMP, f'sim-{len(PROCS)}.err')
        self.port_file = os.path.join(TMP, f'sim-{len(PROCS)}.port')
        args = [SIM, 'serve', '--db', db, '--listen', '127.0.0.1:0', '--port-file', self.port_file, '--quiet', *flags]
        if tls:
            args += ['--tls-cert', tls[0], '--tls-key', tls[1]]
        self.err = open(self.err_path, 'wb')
        self.p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self.err)
        PROCS.append(self)
        ready, _, _ = select.select([self.p.stdout], [], [], 30)
        line = self.p.stdout.readline().decode() if ready else ''
        m = re.match(r'listening on (https?)://127\.0\.0\.1:(\d+)$', line.strip())
        if not m:
            raise SystemExit(f'FAIL: the simulator did not start ({line!r}): {open(self.err_path).read()}')
        self.scheme, self.port = m.group(1), int(m.group(2))
        check(open(self.port_file).read().strip() == str(self.port), '--port-file holds the bound port')

    def stop(self):
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGTERM)
            try:
                code = self.p.wait(30)
            except subprocess.TimeoutExpired:
                self.p.kill()
                code = 'hung'
            check(code == 0, f'the simulator stops cleanly on SIGTERM (exit {code})')
        self.err.close()
        text = open(self.err_path, errors='replace').read()
        check('Sanitizer' not in text and 'runtime error' not in text, f'no sanitizer report from the simulator: {text[-3000:]}')


# ---------------------------------------------------------------- the contract, written from the document

def enc(s):
    return urllib.parse.quote(s, safe='-._~')  # RFC 3986: unreserved kept, upper-case %XX


def canonical_query(pairs):
    return '&'.join(f'{n}={v}' for n, v in sorted((enc(n), enc(v)) for n, v in pairs))


def signature_headers(creds, method, path, pairs, body, ts=None, nonce=None, algorithm=None, secret=None):
    alg = algorithm or creds['algorithm']
    ts = str(int(time.time()) if ts is None else ts)
    nonce = nonce or os.urandom(16).hex()
    digest = hashlib.sha256(body).hexdigest()
    text = '\n'.join(['OW1-HMAC', alg, creds['terminal_id'], method.upper(), path, canonical_query(pairs), ts, nonce, digest])
    key = base64.b64decode(secret or creds['secret'])
    mac = hmac.new(key, text.encode(), hashlib.sha256 if alg == 'hmac-sha256' else 'sm3').digest()
    return {'X-OW-Terminal': creds['terminal_id'], 'X-OW-Timestamp': ts, 'X-OW-Nonce': nonce,
            'X-OW-Content-SHA256': digest, 'X-OW-Signature': f'{alg}={base64.b64encode(mac).decode()}'}


class Reply:
    def __init__(self, status, headers, body, error=None):
        self.status, self.headers, self.body, self.error = status, headers, body, error

    def json(self):
        return json.loads(self.body)

    def header(self, name):
        return self.headers.get(name.lower())


class Client:
    def __init__(self, sim, creds, context=None):
        self.sim, self.creds, self.context = sim, creds, context
        self.clock_offset = 0

    def request(self, method, path, pairs=(), body=None, headers=None, sign=True, compress=False, **sig):
        raw = b'' if body is None else body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
        h = {'Accept-Encoding': 'identity'}
        if body is not None and not isinstance(body, bytes):
            h['Content-Type'] = 'application/json'
        if sign:
            sig.setdefault('ts', int(time.time()) + self.clock_offset)
            h.update(signature_headers(self.creds, method, path, list(pairs), raw, **sig))
        h.update(headers or {})
        wire = raw
        if compress:
            wire = gzip.compress(raw)
            h['Content-Encoding'] = 'gzip'
        target = path + ('?' + '&'.join(f'{enc(n)}={enc(v)}' for n, v in pairs) if pairs else '')
        if self.sim.scheme == 'https':
            conn = http.client.HTTPSConnection('127.0.0.1', self.sim.port, timeout=60, context=self.context)
        else:
            conn = http.client.HTTPConnection('127.0.0.1', self.sim.port, timeout=60)
        try:
            conn.request(method, target, body=wire, headers=h)
            r = conn.getresponse()
            data = r.read()
            return Reply(r.status, {k.lower(): v for k, v in r.getheaders()}, data)
        except (ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected, http.client.IncompleteRead,
                ConnectionAbortedError) as e:
            return Reply(None, {}, b'', e)
        finally:
            conn.close()

    def get(self, path, pairs=(), **kw):
        return self.request('GET', path, pairs, **kw)

    def post(self, path, body, key=None, **kw):
        headers = dict(kw.pop('headers', {}) or {})
        if key:
            headers['Idempotency-Key'] = key
        return self.request('POST', path, (), body, headers=headers, **kw)

    def push(self, mutations, key=None, **kw):
        return self.post('/v1/cases:push', {'batch_id': key or uuid7(), 'mutations': mutations}, key=key or uuid7(), **kw)


def uuid7():
    b = bytearray(int(time.time() * 1000).to_bytes(6, 'big') + os.urandom(10))
    b[6] = (b[6] & 0x0F) | 0x70
    b[8] = (b[8] & 0x3F) | 0x80
    return str(uuid.UUID(bytes=bytes(b)))


def resident_id(seq):
    body = '370102' + '1990' + '0307' + f'{seq % 1000:03d}'
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + '10X98765432'[sum(int(c) * x for c, x in zip(body, w)) % 11]


def receipt_no(seq):
    body = f'370102A-20251009-T07-{seq % 100000:05d}'
    p = 36
    for c in body:
        if c.isalnum():
            s = (p + int(c, 36)) % 36 or 36
            p = (s * 2) % 37
    a = (37 - p) % 36
    return body + '-' + '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'[a]


NOW = '2025-10-09T00:30:00.000Z'
SEQ = [0]


def case_record(case_id, state='accepted', kind='2', **over):
    SEQ[0] += 1
    c = {'case_id': case_id, 'receipt_no': receipt_no(SEQ[0]), 'case_no': '',
         'item': {'code': '370102-SC-0001-001', 'name': '个体工商户设立登记', 'case_kind': kind},
         'bundle_code': '',
         'applicant': {'name': '王芳', 'subject_type': '1', 'doc_type': '111', 'doc_number': resident_id(SEQ[0]),
                       'phone': '13800000000', 'address': '济南市历下区', 'postal_code': '250000',
                       'legal_representative': '', 'agent_name': '', 'agent_doc_number': ''},
         'channel': '1', 'state': state, 'applied_at': NOW, 'accepted_at': NOW, 'due_date': '2025-10-21',
         'time_limits': {'legal_days': 20, 'promised_days': 5, 'unit': 'working_day'},
         'form': {'version': '1', 'answers': {'name': '王芳'}},
         'materials': [{'code': 'M01', 'name': '身份证明', 'necessity': '1', 'status': 'original_received',
                        'originals': 1, 'copies': 0, 'promised_by': None, 'blob_sha256': None},
                       {'code': 'M02', 'name': '经营场所证明', 'necessity': '1', 'status': 'copy_received',
                        'originals': 0, 'copies': 1, 'promised_by': None, 'blob_sha256': None}]}
    c.update(over)
    return c


def create(case_id, **kw):
    return {'mutation_id': uuid7(), 'case_id': case_id, 'kind': 'create', 'created_at': NOW, 'case': case_record(case_id, **kw)}


def event(case_id, seq, action, frm, to, **data):
    return {'mutation_id': uuid7(), 'case_id': case_id, 'kind': 'event', 'created_at': NOW,
            'event': {'seq': seq, 'action': action, 'from': frm, 'to': to,
                      'actor': {'user_id': 'clerk-demo', 'role': 'clerk', 'post': 'none', 'acting_for': ''},
                      'at': NOW, 'reason': '', 'data': data}}


def checksum(case_ids):
    x = 0
    for c in case_ids:
        x ^= int.from_bytes(hashlib.sha256(c.encode()).digest(), 'big')
    return f'{len(case_ids)}:{x:064x}'


def stats(db):
    p = run('stats', '--db', db)
    return json.loads(p.stdout) if p.returncode == 0 else {}


def enroll(db, name, *extra):
    p = run('enroll', '--db', db, '--terminal', name, *extra)
    return json.loads(p.stdout)


def wait_for(pred, what, timeout=30):
    end = time.time() + timeout
    while time.time() < end:
        v = pred()
        if v:
            return v
        time.sleep(0.1)
    check(False, f'timed out waiting for {what}')
    return None


def error_code(r):
    try:
        return r.json()['error']['code']
    except Exception:
        return None


def results(r):
    if not check(r.status == 200, f'push answered {r.status}: {r.body[:300]!r}'):
        return []
    return r.json()['results']


def feed(cl, limit=500):
    out, cursor = [], ''
    while True:
        r = cl.get('/v1/changes', [('cursor', cursor), ('limit', str(limit))])
        if not check(r.status == 200, f'GET /v1/changes answered {r.status}: {r.body[:200]!r}'):
            return out, cursor
        j = r.json()
        out += j['changes']
        cursor = j['next_cursor']
        if not j['has_more']:
            return out, cursor


# ================================================================= the main platform

def appointment_checks(sim, db, ca, cb):
    """Issue 19: appointments booked on the platform, fed to the centre's terminals, outcomes
    reported once; a blob's content only for the terminal whose case links it."""
    today = time.strftime('%Y-%m-%d', time.gmtime(time.time() + 8 * 3600))
    p = run('appointment-add', '--db', db, '--name', '王芳', '--id-number', resident_id(901), '--phone', '13800000001',
            '--item', '370102-RS-0211-001', '--date', today, '--slot', '09:00-09:30', '--mask')
    apt = json.loads(p.stdout) if p.returncode == 0 else {}
    check(apt.get('applicant', {}).get('doc_number_masked') is True and '*' in apt['applicant']['doc_number']
          and apt['applicant']['doc_number'][-4:] == resident_id(901)[-4:], f'appointment-add --mask: {apt}')
    check(rc('appointment-add', '--db', db, '--name', 'x', '--id-number', resident_id(902), '--item', 'NOPE', '--date', today,
             '--slot', '09:00-09:30') == 1, 'an appointment for an unknown item exits 1')
    r = ca.get('/v1/appointments', [('cursor', ''), ('limit', '10')])
    page = r.json() if r.status == 200 else {}
    ids = [a['appointment_id'] for a in page.get('appointments', [])]
    check(r.status == 200 and ids == [apt.get('appointment_id')] and page['has_more'] is False and page['next_cursor'],
          f'GET /v1/appointments lists the centre\'s booking ({r.status} {r.body[:300]!r})')
    r = ca.get('/v1/appointments', [('cursor', page.get('next_cursor', '')), ('limit', '10')])
    check(r.status == 200 and r.json()['appointments'] == [], 'nothing new after the cursor')
    check(ca.get('/v1/appointments', [('cursor', 'garbage')]).status == 400, 'a foreign cursor is 400')
    report = {'report_id': uuid7(), 'appointment_id': apt.get('appointment_id'), 'status': 'arrived', 'case_id': uuid7(), 'at': NOW}
    r = ca.post('/v1/appointments:report', {'reports': [report]}, key=uuid7())
    check(r.status == 200 and r.json()['results'][0]['status'] == 'accepted', f'an arrival is accepted ({r.body[:300]!r})')
    r = ca.post('/v1/appointments:report', {'reports': [report]}, key=uuid7())
    check(r.status == 200 and r.json()['results'][0]['status'] == 'duplicate', 'the same report again is a duplicate')
    other = dict(report, report_id=uuid7(), status='no_show', case_id='')
    bad = [other, dict(report, report_id=uuid7(), appointment_id='apt-nope'), dict(report, report_id=uuid7(), status='late'),
           dict(report, report_id=uuid7(), case_id='')]
    r = cb.post('/v1/appointments:report', {'reports': bad}, key=uuid7())
    codes = [x.get('reason', {}).get('code') for x in r.json()['results']] if r.status == 200 else []
    check(codes == ['conflict.status', 'unknown_appointment', 'invalid.status', 'invalid.case_id'], f'refused reports: {codes}')
    listed = [json.loads(l) for l in run('appointments', '--db', db).stdout.splitlines()]
    check(len(listed) == 1 and listed[0]['status'] == 'arrived' and listed[0]['case_id'] == report['case_id'], f'appointments: {listed}')

    # GET /v1/blobs/{sha256}/content: the bytes of a blob linked to the caller's own case only.
    data = os.urandom(2000)
    sha = hashlib.sha256(data).hexdigest()
    check(ca.request('PUT', '/v1/blobs/' + sha, body=data, headers={'Content-Type': 'image/png'}).status == 201, 'PUT a scan')
    check(ca.get(f'/v1/blobs/{sha}/content').status == 404, 'a blob no case of the terminal links is not served')
    cid = uuid7()
    att = {'mutation_id': uuid7(), 'case_id': cid, 'kind': 'attach_blob', 'created_at': NOW,
           'blob': {'sha256': sha, 'role': 'scan', 'material_code': 'M01'}}
    res = results(ca.push([create(cid), att]))
    check([x['status'] for x in res] == ['accepted', 'accepted'], f'a case and its scan: {res}')
    r = ca.get(f'/v1/blobs/{sha}/content')
    check(r.status == 200 and r.body == data and r.header('Content-Type').startswith('image/png'), f'its own case\'s scan ({r.status})')
    check(cb.get(f'/v1/blobs/{sha}/content').status == 404, 'another terminal does not get it by its digest')

    # 通办: an escalate event with data.cross_region; the platform plays the other region, whose
    # back office decides after --decide-after-s (0 here) with its decision document.
    tid = uuid7()
    cross = {'region_code': '370600', 'region': '烟台市', 'authority': '烟台市行政审批服务局'}
    esc = event(tid, 1, 'escalate', 'accepted', 'escalated', cross_region=cross)
    esc['event']['data']['to'] = cross['authority']
    res = results(ca.push([create(tid), esc]))
    check([x['status'] for x in res] == ['accepted', 'accepted'], f'a 通办 case sent: {res}')

    def decided():
        return [c for c in feed(ca)[0] if c['case_id'] == tid and c['type'] in ('approved', 'denied')]
    ch = wait_for(decided, 'the other region\'s decision')
    if ch:
        c = ch[0]
        check(c['department'] == cross['authority'] and c.get('cross_region') == cross and c['document']['media_type'] == 'application/pdf',
              f'the decision names the authority and carries its document: {c}')
        r = ca.get(f"/v1/blobs/{c['document']['sha256']}/content")
        check(r.status == 200 and r.body.startswith(b'%PDF-') and hashlib.sha256(r.body).hexdigest() == c['document']['sha256']
              and len(r.body) == c['document']['size'], f'the decision document ({r.status})')
        check(cb.get(f"/v1/blobs/{c['document']['sha256']}/content").status == 404, 'not for another terminal')
        check(rc('region-decide', '--db', db, '--case', tid) == 1, 'region-decide of a decided case exits 1')


def main_platform():
    db = os.path.join(TMP, 'main.db')
    a = enroll(db, '历下区政务服务中心 3号窗口', '--terminal-code', 'T03')
    check(set(a) == {'terminal_id', 'secret', 'algorithm', 'centre', 'terminal_code', 'platform'},
          f'enroll prints exactly the credentials object: {sorted(a)}')
    check(a['algorithm'] == 'hmac-sha256' and a['terminal_code'] == 'T03' and len(base64.b64decode(a['secret'])) == 32,
          'enroll: hmac-sha256, the given terminal code, a 32-byte secret')
    b = enroll(db, '历下区政务服务中心 4号窗口', '--algorithm', 'hmac-sm3')
    check(b['algorithm'] == 'hmac-sm3' and b['terminal_code'] != a['terminal_code'], 'enroll: hmac-sm3, another code')
    check(rc('enroll', '--db', db, '--terminal', 'x', '--terminal-code', 'T03') == 1, 'a taken terminal code exits 1')
    check(rc('enroll', '--db', db, '--terminal', 'x', '--algorithm', 'md5') == 1, 'an unknown algorithm exits 1')

    sim = Sim(db, '--decide-after-s', '0', '--seed', '7')
    ca, cb = Client(sim, a), Client(sim, b)
    try:
        auth_checks(sim, db, ca, cb)
        push_checks(sim, db, ca, cb)
        blob_checks(sim, db, ca)
        appointment_checks(sim, db, ca, cb)
        catalogue_checks(sim, db, ca, cb)
        tsa_checks(sim, db, ca)
        minimal_answer_checks(sim, db)
    finally:
        sim.stop()


def gzip_bomb(size=1 << 30):
    """`size` zero bytes gzip-compressed (about 1 MB for 1 GiB), and the digest of the inflated body."""
    z, digest, chunk, parts = zlib.compressobj(9, zlib.DEFLATED, 31), hashlib.sha256(), bytes(1 << 20), []
    for _ in range(size // len(chunk)):
        parts.append(z.compress(chunk))
        digest.update(chunk)
    parts.append(z.flush())
    return b''.join(parts), digest.hexdigest()


def peak_rss_mib(pid):
    for line in open(f'/proc/{pid}/status'):
        if line.startswith('VmHWM:'):
            return int(line.split()[1]) // 1024
    return -1


def bomb_checks():
    """A gzip bomb (1 GiB of zeros in ~1 MB) is never inflated in memory: an unsigned or badly
    signed one is refused from its headers before the body is read, a well-signed one stops at the
    8 MiB cap with 413."""
    db = os.path.join(TMP, 'bomb.db')
    creds = enroll(db, 'bomb window')
    sim = Sim(db)
    try:
        bomb, digest = gzip_bomb()
        cl = Client(sim, creds)
        base = peak_rss_mib(sim.p.pid)

        def send(headers, method='POST', path='/v1/cases:push'):
            conn = http.client.HTTPConnection('127.0.0.1', sim.port, timeout=120)
            try:
                conn.request(method, path, body=bomb, headers={'Content-Type': 'application/json',
                                                                           'Content-Encoding': 'gzip', **headers})
                r = conn.getresponse()
                return r.status, r.read()
            except (ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected) as e:
                return None, repr(e).encode()  # refused before the body was read: the rest was not taken
            finally:
                conn.close()

        status, body = send({})
        check(status in (401, None), f'an unsigned gzip bomb is refused before it is read ({status} {body[:200]!r})')
        fake = signature_headers(creds, 'POST', '/v1/cases:push', [], b'')
        fake['X-OW-Content-SHA256'] = digest  # the digest of the bomb, but a signature over another body
        status, body = send(fake)
        check(status in (401, None), f'a badly signed gzip bomb is refused before it is read ({status} {body[:200]!r})')
        for method, path in (('POST', '/v1/no-such-route'), ('DELETE', '/v1/terminal'), ('PUT', '/nope')):
            status, body = send({}, method, path)
            check(status in (404, None), f'a gzip bomb to {method} {path} is answered before it is read ({status} {body[:200]!r})')
        ts, nonce = str(int(time.time())), os.urandom(16).hex()
        text = '\n'.join(['OW1-HMAC', creds['algorithm'], creds['terminal_id'], 'POST', '/v1/cases:push', '', ts, nonce, digest])
        mac = hmac.new(base64.b64decode(creds['secret']), text.encode(), hashlib.sha256).digest()
        signed = {'X-OW-Terminal': creds['terminal_id'], 'X-OW-Timestamp': ts, 'X-OW-Nonce': nonce,
                  'X-OW-Content-SHA256': digest, 'X-OW-Signature': f"{creds['algorithm']}={base64.b64encode(mac).decode()}"}
        status, body = send(signed)
        check(status == 413 and b'request.too_large' in body, f'a signed gzip bomb stops at the cap with 413 ({status} {body[:200]!r})')
        peak = peak_rss_mib(sim.p.pid)
        check(0 <= peak < base + 200, f'the simulator did not inflate the bombs in memory (peak RSS {base} -> {peak} MiB)')
        check(cl.get('/v1/ping', sign=False).status == 200 and cl.get('/v1/terminal').status == 200,
              'the simulator serves on after the bombs')
        r = cl.push([create(uuid7())], compress=True)
        check(r.status == 200 and [x['status'] for x in results(r)] == ['accepted'], f'a normal gzip push still works ({r.status} {r.body[:200]!r})')
    finally:
        sim.stop()


def auth_checks(sim, db, ca, cb):
    r = ca.get('/v1/ping', sign=False)
    check(r.status == 200 and r.json()['status'] == 'ok' and r.json()['api_version'] == 1, 'ping answers unsigned')
    check(r.header('X-OW-Server-Time') and abs(int(r.header('X-OW-Server-Time')) - time.time()) < 60, 'X-OW-Server-Time on ping')
    for cl, alg in ((ca, 'hmac-sha256'), (cb, 'hmac-sm3')):
        r = cl.get('/v1/terminal')
        ok = check(r.status == 200, f'GET /v1/terminal signed with {alg}: {r.status} {r.body[:200]!r}')
        if ok:
            j = r.json()
            check(j.get('status') == 'active' and 'secret' not in j and j['terminal_id'] == cl.creds['terminal_id']
                  and j['algorithm'] == alg, f'GET /v1/terminal fields ({alg})')
    # The canonical query sorts parameters; these are sent in another order.
    r = ca.get('/v1/elicences', [('doc_number', resident_id(5)), ('doc_type', '111')])
    check(r.status == 200 and any(l['name'] == '居民身份证' for l in r.json()['licences']),
          f'e-licences: a resident ID has a 居民身份证 ({r.status} {r.body[:200]!r})')
    r = cb.get('/v1/elicences', [('doc_type', '111'), ('doc_number', '12345')])
    check(r.status == 200 and r.json()['licences'] == [], 'e-licences: none for an invalid number')
    r = ca.get('/v1/changes', [('limit', '5'), ('cursor', '')])
    check(r.status == 200, f'an empty query value signs as name= ({r.status} {r.body[:200]!r})')

    nonce = os.urandom(16).hex()
    r1 = ca.get('/v1/terminal', nonce=nonce)
    r2 = ca.get('/v1/terminal', nonce=nonce)
    check(r1.status == 200 and r2.status == 401 and error_code(r2) == 'auth.replay', f'a replayed nonce is 401 auth.replay ({r2.status})')
    r = ca.get('/v1/terminal', ts=int(time.time()) - 1000)
    check(r.status == 401 and error_code(r) == 'auth.stale_timestamp' and r.header('X-OW-Server-Time'),
          'a stale timestamp is 401 auth.stale_timestamp with X-OW-Server-Time')
    r = ca.get('/v1/terminal', secret=base64.b64encode(os.urandom(32)).decode())
    check(r.status == 401 and error_code(r) == 'auth.bad_signature', 'a wrong MAC is 401 auth.bad_signature')
    h = signature_headers(ca.creds, 'POST', '/v1/cases:push', [], b'{"mutations": []}')
    r = ca.request('POST', '/v1/cases:push', body=b'{"mutations": [1]}', headers=h, sign=False)
    check(r.status == 401 and error_code(r) == 'auth.bad_signature', 'a body that does not match its digest is auth.bad_signature')
    r = ca.get('/v1/terminal', algorithm='hmac-sm3')
    check(r.status == 401 and error_code(r) == 'auth.bad_signature', "a MAC with another algorithm than the terminal's is refused")
    r = Client(sim, dict(ca.creds, terminal_id='trm-NOBODY')).get('/v1/terminal')
    check(r.status == 401 and error_code(r) == 'auth.unknown_terminal', 'an unknown terminal is 401 auth.unknown_terminal')
    r = ca.get('/v1/terminal', sign=False)
    check(r.status == 401 and error_code(r) == 'auth.missing', 'an unsigned request is 401 auth.missing')
    c = enroll(db, 'revoked window')
    cc = Client(sim, c)
    check(cc.get('/v1/terminal').status == 200, 'a new terminal works while the server runs')
    check(run('revoke', '--db', db, '--terminal', c['terminal_id']).returncode == 0, 'revoke exits 0')
    r = cc.get('/v1/terminal')
    check(r.status == 403 and error_code(r) == 'auth.revoked', f'a revoked terminal is 403 auth.revoked ({r.status})')
    check(rc('revoke', '--db', db, '--terminal', 'trm-NOBODY') == 1, 'revoking an unknown terminal exits 1')

    # Enrolment with a one-time code.
    code = run('enrol-code', '--db', db, '--algorithm', 'hmac-sm3').stdout.strip()
    check(re.fullmatch(r'[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}', code), f'enrol-code prints a code ({code})')
    r = ca.post('/v1/terminals:enrol', {'enrolment_code': code, 'name': '历城区便民服务中心'}, sign=False)
    ok = check(r.status == 201, f'enrolment with a code is 201 ({r.status} {r.body[:200]!r})')
    if ok:
        creds = r.json()
        check(set(creds) == {'terminal_id', 'secret', 'algorithm', 'centre', 'terminal_code', 'platform'}
              and creds['algorithm'] == 'hmac-sm3', 'the enrolment answer is the credentials object')
        check(Client(sim, creds).get('/v1/terminal').status == 200, 'an enrolled terminal signs with its new secret')
    r = ca.post('/v1/terminals:enrol', {'enrolment_code': code, 'name': 'again'}, sign=False)
    check(r.status == 422 and error_code(r) == 'enrol.code_used', 'a used enrolment code is 422 enrol.code_used')
    r = ca.post('/v1/terminals:enrol', {'enrolment_code': 'NOPE-NOPE', 'name': 'x'}, sign=False)
    check(r.status == 422 and error_code(r) == 'enrol.code_unknown', 'an unknown enrolment code is 422')


def minimal_answer_checks(sim, db):
    """A terminal of its own: its cases change no other check's counts."""
    cm = Client(sim, enroll(db, '历下区政务服务中心 9号窗口'))
    # Prefer: return=minimal (RFC 7240): only what was not accepted is listed, with the count of
    # the accepted and the case numbers of the cases created.
    c1, c4, c5 = uuid7(), uuid7(), uuid7()
    check(results(cm.push([create(c1)]))[0]['status'] == 'accepted', 'a first case')
    m4 = create(c4, state='received', kind='1')
    mini = [m4, event(c4, 1, 'accept', 'received', 'accepted'), create(c1), create(c5)]
    r = cm.push(mini, headers={'Prefer': 'respond-async, return=minimal; foo=1'})
    body = r.json() if r.status == 200 else {}
    check(r.status == 200 and r.header('Preference-Applied') == 'return=minimal', f'a minimal answer says so ({r.status} {r.headers})')
    check(body.get('accepted') == 3 and [x['mutation_id'] for x in body.get('results', [])] == [mini[2]['mutation_id']]
          and body['results'][0]['reason']['code'] == 'conflict.exists', f'the minimal answer lists only what was not accepted: {body}')
    nos = body.get('case_nos', {})
    check(set(nos) == {c4, c5} and all(re.fullmatch(r'370102A-\d{8}-\d{6}', n) for n in nos.values()) and nos[c4] != nos[c5],
          f'and names the new cases\' numbers: {nos}')
    r = cm.push(mini, headers={'Prefer': 'return=representation'})
    check(r.status == 200 and 'accepted' not in r.json() and len(r.json()['results']) == 4 and not r.header('Preference-Applied'),
          f'without return=minimal every record has its result ({r.body[:200]!r})')


def push_checks(sim, db, ca, cb):
    s0 = stats(db)
    c1, c2, c3 = uuid7(), uuid7(), uuid7()
    m1 = create(c1)  # promised, accepted: the back office will take it
    m2 = create(c2, state='received', kind='1')  # immediate: never taken by the back office
    batch = [m1, m2, event(c2, 1, 'accept', 'received', 'accepted'), {'mutation_id': uuid7(), 'case_id': c2,
             'kind': 'attach_blob', 'created_at': NOW, 'blob': {'sha256': 'a' * 64, 'role': 'scan', 'material_code': 'M01'}}]
    res = results(ca.push(batch, compress=True))
    check([x['status'] for x in res] == ['accepted'] * 4, f'a gzip-compressed batch is applied in order: {res}')
    case_nos = {x['mutation_id']: x.get('case_no', '') for x in res}
    check(all(re.fullmatch(r'370102A-\d{8}-\d{6}', n) for n in case_nos.values()), f'case numbers are assigned: {case_nos}')
    check(case_nos[m1['mutation_id']] != case_nos[m2['mutation_id']], 'two cases, two case numbers')
    s1 = stats(db)
    check(s1['mutations_applied'] - s0['mutations_applied'] == 4 and s1['cases'] - s0['cases'] == 2, 'stats count the applied batch')

    # The same batch again (a new key): every record is a duplicate, nothing is applied again.
    res = results(ca.push(batch))
    check([x['status'] for x in res] == ['duplicate'] * 4, f're-sent mutations are duplicates: {res}')
    check(res[0].get('case_no') == case_nos[m1['mutation_id']], 'a duplicate carries the case number')
    s2 = stats(db)
    check(s2['mutations_applied'] == s1['mutations_applied'] and s2['duplicates_refused'] - s1['duplicates_refused'] == 4
          and s2['cases'] == s1['cases'] == s2['distinct_cases'] and s2['mutations_distinct'] == s2['mutations_applied'],
          f'a re-sent batch raises duplicates_refused, not mutations_applied: {s1} {s2}')

    # Rejections, each with its reason.
    bad_doc = create(c3)
    bad_doc['case']['applicant']['doc_type'] = '112'
    bad_id = create(uuid7())
    bad_id['case']['applicant']['doc_number'] = resident_id(9)[:-1] + ('0' if resident_id(9)[-1] != '0' else '1')
    no_kind = create(uuid7())
    del no_kind['case']['item']['case_kind']
    bad_nec = create(uuid7())
    bad_nec['case']['materials'][1]['necessity'] = '4'
    bad_kind = dict(create(uuid7()), kind='merge')
    bad_seq = event(c2, 'two', 'mark_material', 'accepted', 'accepted')
    good_receipt = receipt_no(1)
    bad_receipt = create(uuid7(), receipt_no=good_receipt[:-1] + ('0' if good_receipt[-1] != '0' else '1'))
    first = results(ca.push([bad_doc, bad_id, no_kind, bad_nec, bad_kind, bad_seq, 'not a record', bad_receipt,
                             create(c1),  # the case exists under another mutation id
                             event(uuid7(), 1, 'accept', 'received', 'accepted'),
                             event(c2, 1, 'fulfil_material', 'accepted', 'accepted')]))  # c2 was rejected above: held
    codes = [x.get('reason', {}).get('code') if x['status'] == 'rejected' else x['status'] for x in first]
    want = ['invalid.applicant.doc_type', 'invalid.applicant.doc_number', 'invalid.item.case_kind', 'invalid.materials.necessity',
            'invalid.kind', 'invalid.seq', 'invalid.record', 'invalid.receipt_no', 'conflict.exists', 'unknown_case', 'held']
    # Conflicts of one case, each in its own batch (a case's later mutations after a rejection are held).
    second = results(ca.push([event(c2, 1, 'fulfil_material', 'accepted', 'accepted')]))
    third = results(ca.push([event(c2, 2, 'mark_material', 'received', 'received'), event(c2, 3, 'mark_material', 'received', 'received')]))
    res = first + second + third
    codes += [x.get('reason', {}).get('code') for x in second + third]
    want += ['conflict.duplicate_event', 'conflict.state', 'held']
    check(codes == want, f'rejections with their reasons:\n  got  {codes}\n  want {want}')
    if len(res) == len(want):
        check(res[0]['reason']['message'].startswith('/mutations/0/case/applicant/doc_type'), f'the message names the pointer: {res[0]}')
        check(res[12]['reason'].get('platform_state') == 'accepted', f'conflict.state says the platform state: {res[12]}')
        check(res[8].get('case_no') == case_nos[m1['mutation_id']], 'conflict.exists carries the case number')
    check(stats(db)['refused'].get('held', 0) == 0, 'a held mutation is not counted as refused')
    s3 = stats(db)
    check(s3['mutations_applied'] == s2['mutations_applied'], 'rejected records are not applied')
    check(s3['refused'].get('conflict.exists', 0) >= 1 and s3['refused'].get('invalid.applicant.doc_type', 0) >= 1,
          f'stats.refused counts by reason: {s3["refused"]}')

    # Envelope errors.
    r = ca.post('/v1/cases:push', b'{"mutations": ', key=uuid7())
    check(r.status == 400 and error_code(r), f'a body that is not JSON is 400 ({r.status})')
    r = ca.post('/v1/cases:push', {'mutations': {}}, key=uuid7())
    check(r.status == 400, 'mutations that are not an array is 400')
    r = ca.post('/v1/cases:push', {'mutations': [1] * 1001}, key=uuid7())
    check(r.status == 413, f'more than 1000 mutations is 413 ({r.status})')

    # Idempotency-Key: the same key and body replays the first answer; another body is 422.
    c4 = uuid7()
    body = {'batch_id': 'b-idem', 'mutations': [create(c4)]}
    key = uuid7()
    r1 = ca.post('/v1/cases:push', body, key=key)
    before = stats(db)
    r2 = ca.post('/v1/cases:push', body, key=key)
    check(r1.status == r2.status == 200 and r1.body == r2.body and r2.header('Idempotent-Replayed') == 'true',
          f'a retried key replays the first answer ({r2.status} {r2.header("Idempotent-Replayed")})')
    check(stats(db)['mutations_applied'] == before['mutations_applied'], 'a replay applies nothing')
    r3 = ca.post('/v1/cases:push', {'batch_id': 'b-idem', 'mutations': []}, key=key)
    check(r3.status == 422 and error_code(r3) == 'idempotency.key_reused', 'the same key with another body is 422 idempotency.key_reused')
    r4 = cb.post('/v1/cases:push', {'batch_id': 'b-idem', 'mutations': [create(c4)]}, key=key)
    check(r4.status == 200 and results(r4)[0]['status'] == 'rejected' and results(r4)[0]['reason']['code'] == 'conflict.exists',
          "keys are per terminal; another terminal's create of the case is conflict.exists")

    # More promised cases so that the back office shows approvals, denials and corrections.
    many = [uuid7() for _ in range(24)]
    res = results(ca.push([create(c) for c in many]))
    check(all(x['status'] == 'accepted' for x in res), 'a batch of creates is accepted')
    mine = [c1, c2, c4] + many

    # The back office decides (--decide-after-s 0): review_started then a decision, in A's feed.
    def decided():
        changes, _ = feed(ca)
        kinds = {}
        for ch in changes:
            kinds.setdefault(ch['case_id'], []).append(ch['type'])
        done = all(any(t in ('approved', 'denied', 'correction_requested') for t in kinds.get(c, [])) for c in [c1, c4] + many)
        results_ready = all('result_ready' in v for v in kinds.values() if 'approved' in v)
        return (changes, kinds) if done and results_ready else None
    got = wait_for(decided, 'the back office to decide every promised case')
    if got:
        changes, kinds = got
        check(c2 not in kinds, 'an immediate case is never taken by the back office')
        seen = {t for v in kinds.values() for t in v}
        check({'review_started', 'approved', 'result_ready'} <= seen, f'the feed has review_started, approved, result_ready: {seen}')
        check(seen <= {'review_started', 'approved', 'denied', 'correction_requested', 'result_ready'}, f'only contract types: {seen}')
        for v in kinds.values():
            check(v[0] == 'review_started', f'review_started comes first: {v}')
        for ch in changes:
            check(re.fullmatch(r'chg-\d{6,}', ch['change_id']) and ch['case_no'] and ch['at'].endswith('Z')
                  and 'department' in ch and 'officer' in ch and 'opinion' in ch, f'a change has the documented fields: {ch}')
            if ch['type'] == 'correction_requested':
                check(ch['materials'] and all(m['status'] in ('missing', 'defective') and m['material_code'] for m in ch['materials']),
                      f'a correction request lists materials: {ch}')
            if ch['type'] == 'result_ready':
                check(ch['result']['name'] and ch['result']['number'] and ch['result']['ready_at'], f'result_ready has a result: {ch}')
        check(all(ch['case_id'] in mine for ch in changes), "a terminal's feed holds only its own cases")
        # conflict.state: the terminal still thinks c1 is accepted.
        res = results(ca.push([event(c1, 1, 'start_review', 'accepted', 'under_review')]))
        platform_state = {'approved': 'approved', 'denied': 'denied', 'correction_requested': 'correction_requested'}
        final = [t for t in kinds[c1] if t in platform_state][-1]
        check(res and res[0]['status'] == 'rejected' and res[0]['reason']['code'] == 'conflict.state'
              and res[0]['reason'].get('platform_state') == platform_state[final],
              f'a push that disagrees with the back office is conflict.state ({final}): {res}')

        # Cursors: one change per page gives the same feed.
        one, cursor, pages = [], '', 0
        while pages < 1000:
            r = ca.get('/v1/changes', [('cursor', cursor), ('limit', '1')])
            j = r.json()
            one += j['changes']
            cursor = j['next_cursor']
            pages += 1
            if not j['has_more']:
                break
        check([c['change_id'] for c in one] == [c['change_id'] for c in changes], 'paging by one change gives the same feed')
        r = ca.get('/v1/changes', [('cursor', cursor)])
        check(r.status == 200 and r.json()['changes'] == [] and r.json()['next_cursor'] == cursor,
              'the last cursor gives no changes and itself back')
        check(cb.get('/v1/changes').json()['changes'] == [], "terminal B's feed is empty (it holds no cases)")
    r = ca.get('/v1/changes', [('cursor', 'garbage!')])
    check(r.status == 400, f'a malformed cursor is 400 ({r.status})')

    # The state checksum and the index.
    right = checksum(mine)
    r = ca.get('/v1/changes', [('limit', '1')], headers={'X-OW-State': right})
    check(r.status == 200, f'the right X-OW-State is accepted ({r.status} {r.body[:200]!r})')
    r = ca.get('/v1/changes', [('limit', '1')], headers={'X-OW-State': checksum(mine[:-1])})
    check(r.status == 412 and error_code(r) == 'sync.resync_required' and r.json()['error'].get('platform_state') == right
          and r.json().get('platform_state') == right, f'a wrong X-OW-State is 412 with the platform state ({r.status} {r.body[:300]!r})')
    check(cb.get('/v1/changes', headers={'X-OW-State': '0:' + '0' * 64}).status == 200, '0:000… is the checksum of no cases')
    index, cursor, first = [], '', None
    while True:
        r = ca.get('/v1/cases:index', [('cursor', cursor), ('limit', '5')])
        if not check(r.status == 200, f'GET /v1/cases:index {r.status}'):
            break
        j = r.json()
        first = first or j
        index += j['cases']
        cursor = j['next_cursor']
        if not j['has_more']:
            break
    check(sorted(c['case_id'] for c in index) == sorted(mine), 'the index lists exactly the terminal\'s cases')
    check(first and first.get('changes_cursor'), 'the first index page has changes_cursor')
    check(all(set(c) >= {'case_id', 'case_no', 'state', 'last_seq'} for c in index), 'index entries have their fields')
    by_id = {c['case_id']: c for c in index}
    check(by_id.get(c2, {}).get('last_seq') == 1 and by_id[c2]['state'] == 'accepted', f'the index has state and last_seq: {by_id.get(c2)}')
    if first:
        r = ca.get('/v1/changes', [('cursor', first['changes_cursor'])])
        check(r.status == 200 and r.json()['changes'] == [], 'changes_cursor continues after the current feed')

    # forget: the platform loses a case; the checksum changes; a snapshot restores it.
    lost_no = by_id.get(c2, {}).get('case_no')
    s4 = stats(db)
    check(run('forget', '--db', db, '--case', c2).returncode == 0, 'forget exits 0')
    check(rc('forget', '--db', db, '--case', c2) == 1, 'forgetting a case the platform does not hold exits 1')
    s5 = stats(db)
    check(s5['cases'] == s4['cases'] - 1, 'stats: one case fewer after forget')
    r = ca.get('/v1/changes', headers={'X-OW-State': right})
    without = checksum([c for c in mine if c != c2])
    check(r.status == 412 and r.json()['error']['platform_state'] == without, f'after forget the checksum differs (412): {r.body[:200]!r}')
    snap = case_record(c2, state='accepted', kind='1', case_no=lost_no)
    snap['history'] = [event(c2, 1, 'accept', 'received', 'accepted')['event']]
    res = results(ca.push([{'mutation_id': uuid7(), 'case_id': c2, 'kind': 'snapshot', 'created_at': NOW, 'case': snap}]))
    check(res and res[0]['status'] == 'accepted' and res[0].get('case_no') == lost_no, f'a snapshot restores the case with its number: {res}')
    check(ca.get('/v1/changes', headers={'X-OW-State': right}).status == 200, 'after the snapshot the checksum matches again')
    res = results(ca.push([event(c2, 1, 'fulfil_material', 'accepted', 'accepted')]))
    check(res and res[0].get('reason', {}).get('code') == 'conflict.duplicate_event', 'the snapshot brought the history back')

    # Ratings: the provincial order is the reverse of GB/T 39046.
    r = ca.post('/v1/ratings', {'ratings': [
        {'mutation_id': uuid7(), 'case_id': c4, 'case_no': '', 'satisfaction': '5', 'channel': '4', 'reason': '', 'comment': '好', 'rated_at': NOW},
        {'mutation_id': uuid7(), 'case_id': c4, 'case_no': '', 'satisfaction': '1', 'channel': '4', 'reason': '', 'comment': '', 'rated_at': NOW},
        {'mutation_id': uuid7(), 'case_id': c4, 'case_no': '', 'satisfaction': '1', 'channel': '4', 'reason': '等待时间长', 'comment': '', 'rated_at': NOW},
        {'mutation_id': uuid7(), 'case_id': c4, 'case_no': '', 'satisfaction': '3', 'channel': '8', 'reason': '', 'comment': '', 'rated_at': NOW},
        {'mutation_id': uuid7(), 'case_id': uuid7(), 'case_no': '', 'satisfaction': '4', 'channel': '1', 'reason': '', 'comment': '', 'rated_at': NOW},
        {'mutation_id': uuid7(), 'case_id': c4, 'case_no': '', 'satisfaction': '6', 'channel': '1', 'reason': '', 'comment': '', 'rated_at': NOW},
    ]}, key=uuid7())
    res = results(r)
    codes = [x.get('reason', {}).get('code') if x['status'] == 'rejected' else x['status'] for x in res]
    check(codes == ['accepted', 'invalid.reason', 'accepted', 'invalid.channel', 'unknown_case', 'invalid.satisfaction'],
          f'ratings results: {codes}')
    s6 = stats(db)
    check(s6['ratings'] == 2 and s6['ratings_by_gb_level'] == {'1': 1, '5': 1} and s6['ratings_by_provincial_satisfaction'] == {'5': 1, '1': 1},
          f'provincial 5 is GB/T 39046 level 1 (and 1 is 5): {s6["ratings_by_gb_level"]}')
    check(s6['mutations_applied'] == s6['mutations_distinct'] == s6['mutations_rows'] and s6['cases'] == s6['distinct_cases'],
          f'stats: nothing applied twice: {s6}')


def blob_checks(sim, db, ca):
    data = os.urandom(10000)
    sha = hashlib.sha256(data).hexdigest()
    r = ca.post('/v1/blobs', {'sha256': sha, 'size': len(data), 'media_type': 'application/pdf'}, key='blob-' + sha)
    ok = check(r.status == 201 and r.json()['status'] == 'open' and r.json()['offset'] == 0 and r.json()['chunk_max'] == 4194304,
               f'a new blob opens an upload ({r.status} {r.body[:200]!r})')
    if not ok:
        return
    up = r.json()['upload_id']
    path = f'/v1/blobs/uploads/{up}'

    def patch(offset, chunk):
        return ca.request('PATCH', path, body=chunk, headers={'Upload-Offset': str(offset), 'Content-Type': 'application/offset+octet-stream'})
    r = ca.get(path)
    check(r.status == 200 and r.json() == {'upload_id': up, 'sha256': sha, 'size': 10000, 'offset': 0} and r.header('Upload-Offset') == '0',
          f'the offset query ({r.body[:200]!r})')
    r = patch(0, data[:4000])
    check(r.status == 204 and r.header('Upload-Offset') == '4000', f'a chunk is stored ({r.status})')
    r = patch(0, data[:4000])
    check(r.status == 409 and error_code(r) == 'upload.offset_mismatch' and r.json().get('offset') == 4000
          and r.json()['error'].get('offset') == 4000, f'a chunk at another offset is 409 with the offset ({r.body[:200]!r})')
    r = ca.post('/v1/blobs', {'sha256': sha, 'size': len(data), 'media_type': 'application/pdf'}, key='blob-' + sha)
    check(r.status == 201 and r.json()['upload_id'] == up and r.json()['offset'] == 4000, 'creating again returns the open upload and its offset')
    r = ca.post(path + ':finalize', None)
    check(r.status == 409 and error_code(r) == 'upload.incomplete', f'finalize before the end is 409 upload.incomplete ({r.status})')
    r = patch(4000, data[4000:] + b'x')
    check(r.status == 413, f'bytes past the size are 413 ({r.status})')
    check(ca.get(path).json()['offset'] == 4000, 'a refused chunk stores nothing')
    r = patch(4000, data[4000:])
    check(r.status == 204 and r.header('Upload-Offset') == '10000', 'the last chunk')
    r = ca.post(path + ':finalize', None)
    check(r.status == 201 and r.json() == {'status': 'complete', 'sha256': sha}, f'finalize is 201 complete ({r.body[:200]!r})')
    r = ca.post(path + ':finalize', None)
    check(r.status == 201 and r.json()['status'] == 'complete', 'finalize again gives the same answer')
    r = ca.post('/v1/blobs', {'sha256': sha, 'size': len(data), 'media_type': 'application/pdf'}, key='blob-' + sha)
    check(r.status == 200 and r.json() == {'status': 'complete', 'sha256': sha}, 'a known digest is 200 complete (no upload)')
    r = ca.get('/v1/blobs/' + sha)
    check(r.status == 200 and r.json() == {'sha256': sha, 'size': 10000, 'media_type': 'application/pdf'}, 'GET /v1/blobs/{sha256}')
    check(ca.get('/v1/blobs/' + '0' * 64).status == 404, 'an unknown blob is 404')
    check(ca.get('/v1/blobs/uploads/upl-nothing').status == 404, 'an unknown upload is 404')

    # A digest mismatch discards the upload.
    other = os.urandom(5000)
    sha2 = hashlib.sha256(other).hexdigest()
    r = ca.post('/v1/blobs', {'sha256': sha2, 'size': 5000, 'media_type': 'image/png'}, key='blob-' + sha2)
    up2 = r.json()['upload_id']
    r = ca.request('PATCH', f'/v1/blobs/uploads/{up2}', body=os.urandom(5000),
                   headers={'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream'})
    check(r.status == 204, 'chunk of the wrong bytes')
    r = ca.post(f'/v1/blobs/uploads/{up2}:finalize', None)
    check(r.status == 422 and error_code(r) == 'blob.digest_mismatch', f'a digest mismatch is 422 blob.digest_mismatch ({r.status})')
    check(ca.get(f'/v1/blobs/uploads/{up2}').status == 404, 'the mismatched upload is gone')
    r = ca.post('/v1/blobs', {'sha256': sha2, 'size': 5000, 'media_type': 'image/png'}, key='blob-' + sha2)
    check(r.status == 201 and r.json()['upload_id'] != up2 and r.json()['offset'] == 0, 'starting again opens a new upload')
    check(ca.get('/v1/blobs/' + sha2).status == 404, 'nothing stored for the mismatch')
    r = ca.post('/v1/blobs', {'sha256': 'XYZ', 'size': 1, 'media_type': 'a/b'}, key='blob-x')
    check(r.status == 422, 'a malformed digest is 422')

    lines = [json.loads(l) for l in run('blob-digests', '--db', db).stdout.splitlines()]
    check([(l['sha256'], l['size'], l['ok']) for l in lines] == [(sha, 10000, True)], f'blob-digests: {lines}')
    s = stats(db)
    check(s['blobs'] == 1 and s['blobs_corrupt'] == 0 and s['uploads_open'] == 1 and s['upload_bytes_received'] == 15000,
          f'stats: blobs {s.get("blobs")}, corrupt {s.get("blobs_corrupt")}, open {s.get("uploads_open")}, bytes {s.get("upload_bytes_received")}')

    # A small blob in one request: stored once, checked against its digest.
    small = os.urandom(3000)
    ssha = hashlib.sha256(small).hexdigest()
    r = ca.request('PUT', '/v1/blobs/' + hashlib.sha256(b'other').hexdigest(), body=small, headers={'Content-Type': 'image/png'})
    check(r.status == 422 and error_code(r) == 'blob.digest_mismatch', f'PUT with bytes of another digest is 422 ({r.status})')
    r = ca.request('PUT', '/v1/blobs/' + ssha, body=small, headers={'Content-Type': 'image/png'})
    check(r.status == 201 and r.json() == {'status': 'complete', 'sha256': ssha}, f'PUT stores a small blob ({r.status})')
    r = ca.request('PUT', '/v1/blobs/' + ssha, body=small, headers={'Content-Type': 'image/png'})
    check(r.status == 200, f'PUT of held content is 200 ({r.status})')
    r = ca.request('PUT', '/v1/blobs/' + hashlib.sha256(b'x' * (5 << 20)).hexdigest(), body=b'x' * (5 << 20), headers={'Content-Type': 'image/png'})
    check(r.status == 413, f'PUT of more than 4 MiB is 413 ({r.status})')
    info = ca.get('/v1/blobs/' + ssha)
    check(info.status == 200 and info.json()['size'] == 3000 and info.json()['media_type'] == 'image/png', 'the PUT blob is held')
    check(stats(db)['blobs'] == 2, 'stats count the PUT blob once')


def catalogue_checks(sim, db, ca, cb):
    entries, cursor, version, pages = [], '', None, 0
    while True:
        r = ca.get('/v1/catalogue', [('cursor', cursor), ('limit', '5')])
        if not check(r.status == 200, f'GET /v1/catalogue {r.status} {r.body[:200]!r}'):
            return
        j = r.json()
        version = version or j['version']
        check(j['version'] == version and j['unchanged'] is False, 'one version while paging')
        entries += j['entries']
        pages += 1
        cursor = j['next_cursor']
        if not j['has_more']:
            break
    types = [e['type'] for e in entries]
    check(pages == 5 and types == ['item'] * 17 + ['bundle'] * 4, f'17 items then 4 bundles in pages of 5: {types}')
    check(all('code' in e['body'] and 'name' in e['body'] for e in entries), 'entry bodies are catalogue definitions')
    check(any('form' in e['body'] for e in entries), 'entry bodies carry the form section')
    r = cb.get('/v1/catalogue', [('since', version)])
    check(r.status == 200 and r.json() == {'version': version, 'unchanged': True, 'entries': [], 'has_more': False, 'next_cursor': ''},
          f'since the current version: unchanged ({r.body[:200]!r})')
    mid = ca.get('/v1/catalogue', [('limit', '5')]).json()['next_cursor']
    p = run('catalogue-revise', '--db', db)
    new_version = json.loads(p.stdout)['version'] if p.returncode == 0 else None
    check(new_version and new_version != version, 'catalogue-revise makes a new version')
    r = ca.get('/v1/catalogue', [('cursor', mid), ('limit', '5')])
    check(r.status == 409 and error_code(r) == 'catalogue.changed', f'a cursor of an older version is 409 catalogue.changed ({r.status})')
    r = ca.get('/v1/calendars')
    ok = check(r.status == 200, f'GET /v1/calendars {r.status}')
    if ok:
        cals = r.json()['calendars']
        check([c['year'] for c in cals] == [2024, 2025, 2026] and all(c['revision'] and c['body']['year'] == c['year'] for c in cals),
              'calendars 2024-2026 in the calendar format')
    # calendar-publish: an admin publishes a new year (or replaces one); terminals get it from /v1/calendars.
    cal_file = os.path.join(TMP, 'cn-2027.json')
    body = {'format': 'onewindow-calendar', 'format_version': 1, 'year': 2027, 'document': 'TEST 2027',
            'holidays': [{'name': '元旦', 'from': '2027-01-01', 'to': '2027-01-01'}], 'workdays': []}
    json.dump(body, open(cal_file, 'w'), ensure_ascii=False)
    p = run('calendar-publish', '--db', db, '--file', cal_file)
    published = json.loads(p.stdout) if p.returncode == 0 else {}
    check(published.get('year') == 2027 and published.get('revision', '').startswith('sim-'), f'calendar-publish prints year and revision ({p.stdout!r})')
    cals = ca.get('/v1/calendars').json()['calendars']
    check([c['year'] for c in cals] == [2024, 2025, 2026, 2027] and cals[-1]['body'] == body and cals[-1]['revision'] == published.get('revision'),
          'a published 2027 is served by /v1/calendars')
    body['holidays'][0]['to'] = '2027-01-04'
    json.dump(body, open(cal_file, 'w'), ensure_ascii=False)
    p = run('calendar-publish', '--db', db, '--file', cal_file)
    again = json.loads(p.stdout) if p.returncode == 0 else {}
    cals = ca.get('/v1/calendars').json()['calendars']
    check(len(cals) == 4 and cals[-1]['body'] == body and again.get('revision') not in (None, published.get('revision')),
          'publishing 2027 again replaces it with a new revision')
    bad = os.path.join(TMP, 'cn-bad.json')
    open(bad, 'w').write('{"format": "onewindow-calendar", "format_version": 1, "year": 2027, "holidays": [{"name": "x", "from": "2026-12-31", "to": "2027-01-01"}], "workdays": []}')
    p = run('calendar-publish', '--db', db, '--file', bad, ok_codes=(1,))
    check(p.returncode == 1 and 'cn-bad.json' in p.stderr, f'a bad calendar file is refused (exit 1, named): {p.returncode} {p.stderr!r}')
    p = run('calendar-publish', '--db', db, ok_codes=(2,))
    check(p.returncode == 2, 'calendar-publish without --file is a usage error')
    check(len(ca.get('/v1/calendars').json()['calendars']) == 4, 'a refused publication changes nothing')
    r = ca.get('/v1/elicences', [('doc_type', '999'), ('doc_number', 'x')])
    check(r.status == 422, 'an unknown document type is refused')


def tsa_checks(sim, db, ca):
    work = os.path.join(TMP, 'tsa')
    os.makedirs(work, exist_ok=True)
    data = os.path.join(work, 'data.txt')
    open(data, 'w').write('一窗通 timestamp test\n')
    q, rep = os.path.join(work, 'q.tsq'), os.path.join(work, 'r.tsr')
    subprocess.run(['openssl', 'ts', '-query', '-data', data, '-sha256', '-cert', '-out', q], check=True, capture_output=True)
    r = ca.request('POST', '/v1/tsa', body=open(q, 'rb').read(), headers={'Content-Type': 'application/timestamp-query'}, sign=False)
    ok = check(r.status == 200 and r.header('Content-Type') == 'application/timestamp-reply', f'POST /v1/tsa ({r.status})')
    if not ok:
        return
    open(rep, 'wb').write(r.body)
    text = subprocess.run(['openssl', 'ts', '-reply', '-in', rep, '-text'], capture_output=True, text=True)
    check(text.returncode == 0 and 'Status: Granted' in text.stdout and 'Hash Algorithm: sha256' in text.stdout,
          f'openssl ts -reply -text: {text.stdout[:400]} {text.stderr[:400]}')
    r = ca.get('/v1/tsa/certificate')
    pems = re.findall(r'-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----\n', r.body.decode(), re.S)
    check(r.status == 200 and len(pems) == 2, 'GET /v1/tsa/certificate: the TSA certificate and its root')
    check(run('tsa-certificate', '--db', db).stdout == r.body.decode(), 'tsa-certificate prints the same chain')
    if len(pems) != 2:
        return
    tsa_pem, root_pem = os.path.join(work, 'tsa.pem'), os.path.join(work, 'root.pem')
    open(tsa_pem, 'w').write(pems[0])
    open(root_pem, 'w').write(pems[1])
    v = subprocess.run(['openssl', 'ts', '-verify', '-in', rep, '-queryfile', q, '-CAfile', root_pem, '-untrusted', tsa_pem],
                       capture_output=True, text=True)
    check(v.returncode == 0 and 'Verification: OK' in v.stdout, f'openssl ts -verify: {v.stdout} {v.stderr}')
    if not CLI:
        return
    demo = os.path.join(work, 'demo')
    d = subprocess.run([CLI, 'seal', 'demo', '--org', '测试市行政审批局', '-o', demo], capture_output=True, text=True)
    if not check(d.returncode == 0, f'onewindow-cli seal demo: {d.stderr}'):
        return
    pdf = os.path.join(work, 'in.pdf')
    write_pdf(pdf)
    url = f'http://127.0.0.1:{sim.port}/v1/tsa'
    K = ['--p12', os.path.join(demo, 'seal.p12'), '--pin-file', os.path.join(demo, 'seal.pin'), '--image', os.path.join(demo, 'seal.png')]
    st = subprocess.run([CLI, 'seal', 'stamp', pdf, os.path.join(work, 'bt.pdf'), *K, '--page', '1', '--rect', '40,40,100,100', '--tsa', url],
                        capture_output=True, text=True)
    check(st.returncode == 0, f'seal stamp --tsa the platform: {st.stderr}')
    ts = subprocess.run([CLI, 'seal', 'timestamp', os.path.join(work, 'bt.pdf'), os.path.join(work, 'bt-ts.pdf'), '--tsa', url],
                        capture_output=True, text=True)
    check(ts.returncode == 0, f'seal timestamp --tsa the platform: {ts.stderr}')
    # The roots: the seal's CA and the platform TSA's root (a document timestamp is judged by it).
    roots = os.path.join(work, 'roots.pem')
    open(roots, 'w').write(open(os.path.join(demo, 'ca.pem')).read() + pems[1])
    vr = subprocess.run([CLI, 'seal', 'verify', os.path.join(work, 'bt-ts.pdf'), '--roots', roots, '--json'],
                        capture_output=True, text=True)
    ok = check(vr.returncode == 0, f'seal verify accepts the platform\'s timestamps: {vr.stdout[:600]} {vr.stderr}')
    if ok:
        sigs = json.loads(vr.stdout)['signatures']
        check([s['doc_timestamp'] for s in sigs] == [False, True] and all(s['timestamp_time'] and s['trusted'] for s in sigs),
              f'a B-T signature and a document timestamp, both with times: {sigs}')


def write_pdf(path):
    objs = [b'<< /Type /Catalog /Pages 2 0 R >>', b'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
            b'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>']
    c = b'BT /Helvetica 12 Tf 72 720 Td (window receipt) Tj ET'
    objs.append(b'<< /Length %d >>\nstream\n' % len(c) + c + b'\nendstream')
    out = bytearray(b'%PDF-1.4\n')
    offs = []
    for i, o in enumerate(objs, 1):
        offs.append(len(out))
        out += b'%d 0 obj\n' % i + o + b'\nendobj\n'
    x = len(out)
    out += b'xref\n0 %d\n0000000000 65535 f \n' % (len(objs) + 1)
    for o in offs:
        out += b'%010d 00000 n \n' % o
    out += b'trailer\n<< /Size %d /Root 1 0 R /ID [<0102> <0102>] >>\nstartxref\n%d\n%%%%EOF' % (len(objs) + 1, x)
    open(path, 'wb').write(out)


# ================================================================= faults

def fault_platform(name, *flags):
    db = os.path.join(TMP, name + '.db')
    creds = enroll(db, name)
    sim = Sim(db, *flags)
    return db, sim, Client(sim, creds)


def push_until_settled(cl, muts, same_key=True, tries=60):
    """Sends one batch until a well-formed 200 arrives; returns (results, transport failures seen)."""
    key, body = uuid7(), {'batch_id': 'b', 'mutations': muts}
    failures = []
    for _ in range(tries):
        r = cl.post('/v1/cases:push', body, key=key if same_key else uuid7())
        if r.status == 200:
            try:
                res = r.json()['results']
                if all(x['status'] in ('accepted', 'duplicate') for x in res):
                    return res, failures
            except ValueError:
                pass
        failures.append(r.error or r.status)
    return None, failures


def fault_checks():
    # --fail-rate 1: 503 (half with Retry-After: 1) or 500, before anything is done.
    db, sim, cl = fault_platform('fail', '--fail-rate', '1', '--seed', '3')
    try:
        seen = [cl.push([create(uuid7())]) for _ in range(40)]
        statuses = {r.status for r in seen}
        check(statuses == {503, 500}, f'--fail-rate 1 answers 503 and 500: {statuses}')
        check(any(r.status == 503 and r.header('Retry-After') == '1' for r in seen), 'some 503 carry Retry-After: 1')
        check(any(r.status == 503 and not r.header('Retry-After') for r in seen), 'some 503 carry no Retry-After')
        check(all(r.header('X-OW-Server-Time') and error_code(r) for r in seen), 'injected errors have the error body and X-OW-Server-Time')
        s = stats(db)
        check(s['mutations_applied'] == 0 and s['cases'] == 0, 'a failed request applies nothing')
        check(s['faults'].get('unavailable_503', 0) + s['faults'].get('error_500', 0) == 40, f'stats.faults counts them: {s["faults"]}')
    finally:
        sim.stop()

    # --reset-rate and --truncate-rate: effects exactly once though answers are lost.
    for name, flag in (('reset', '--reset-rate'), ('truncate', '--truncate-rate')):
        db, sim, cl = fault_platform(name, flag, '0.5', '--seed', '11')
        try:
            ids = [uuid7() for _ in range(30)]
            failures, settled = [], 0
            for i, c in enumerate(ids):
                res, f = push_until_settled(cl, [create(c), event(c, 1, 'fulfil_material', 'accepted', 'accepted')], same_key=i % 2 == 0)
                failures += f
                settled += res is not None
            kinds = {type(f).__name__ for f in failures}
            check(settled == len(ids), f'{name}: every batch settles by retrying ({settled}/{len(ids)})')
            if name == 'reset':
                check('ConnectionResetError' in kinds or 'BrokenPipeError' in kinds, f'--reset-rate: the client sees resets: {kinds}')
            else:
                check('IncompleteRead' in kinds, f'--truncate-rate: the client sees truncated bodies: {kinds}')
            s = stats(db)
            check(s['cases'] == s['distinct_cases'] == 30 and s['mutations_applied'] == s['mutations_distinct'] == 60
                  and s['events'] == 30, f'{name}: effects committed exactly once: cases {s["cases"]}/{s["distinct_cases"]}, '
                                         f'applied {s["mutations_applied"]}, distinct {s["mutations_distinct"]}, events {s["events"]}')
            if name == 'reset':
                check(s['faults'].get('reset_before', 0) > 0 and s['faults'].get('reset_after', 0) > 0,
                      f'resets before and after the commit: {s["faults"]}')
                check(s['counters'].get('idempotency.replayed', 0) > 0 and s['duplicates_refused'] > 0,
                      'a reset after the commit is answered by replay (same key) or as duplicate (new key)')
            else:
                check(s['faults'].get('truncated', 0) > 0, f'truncations counted: {s["faults"]}')
        finally:
            sim.stop()

    # --malformed-rate 1 with each kind: a 200 whose body a terminal must not apply.
    for kind in ('json', 'types', 'enum', 'huge'):
        db, sim, cl = fault_platform('malformed-' + kind, '--malformed-rate', '1', '--malformed-kinds', kind, '--decide-after-s', '0')
        try:
            c = uuid7()
            key, body = uuid7(), {'batch_id': 'b', 'mutations': [create(c)]}
            r1 = cl.post('/v1/cases:push', body, key=key)
            r2 = cl.post('/v1/cases:push', body, key=key)
            check(r1.status == r2.status == 200, f'{kind}: malformed answers are 200')
            wait_for(lambda: stats(db)['changes'] >= 2, 'the back office (for a non-empty feed)')
            rc_ = cl.get('/v1/changes')
            rk = cl.get('/v1/catalogue', [('limit', '2')])
            for what, r in (('push', r1), ('changes', rc_), ('catalogue', rk)):
                check(r.status == 200, f'{kind}/{what}: 200')
                if kind == 'huge':
                    check(r.header('Content-Length') == str(64 << 20) and len(r.body) == 64 << 20, f'huge/{what}: a 64 MiB body')
                    continue
                try:
                    j = json.loads(r.body)
                except ValueError:
                    j = None
                if kind == 'json':
                    check(j is None and len(r.body) == int(r.header('Content-Length')), f'json/{what}: cut JSON with a matching length')
                elif kind == 'types':
                    bad = (what == 'push' and not isinstance(j['results'][0]['status'], str)) or \
                          (what == 'changes' and not isinstance(j['changes'][0]['at'], str)) or \
                          (what == 'catalogue' and not isinstance(j['entries'][0]['body'], dict))
                    check(j is not None and bad, f'types/{what}: a value of the wrong type: {r.body[:200]!r}')
                else:
                    bad = (what == 'push' and j['results'][0]['status'] not in ('accepted', 'duplicate', 'rejected')) or \
                          (what == 'changes' and any(ch['type'] == 'teleported' for ch in j['changes'])) or \
                          (what == 'catalogue' and any(e['type'] not in ('item', 'bundle') for e in j['entries']))
                    check(j is not None and bad, f'enum/{what}: an unknown code: {r.body[:200]!r}')
            rp = cl.get('/v1/ping', sign=False)
            check(rp.status == 200 and rp.json()['status'] == 'ok', f'{kind}: other routes are not malformed')
            rt = cl.get('/v1/terminal')
            check(rt.status == 200 and rt.json()['status'] == 'active', f'{kind}: signed routes outside the three are intact')
            s = stats(db)
            check(s['mutations_applied'] == 1 and s['cases'] == 1, f'{kind}: the push was applied once: {s["mutations_applied"]}')
        finally:
            sim.stop()

    # --drip-bps: the body arrives in many small pieces and intact.
    db, sim, cl = fault_platform('drip', '--drip-bps', '4000')
    try:
        path = '/v1/catalogue'
        pairs = [('limit', '1')]
        h = signature_headers(cl.creds, 'GET', path, pairs, b'')
        s = socket.create_connection(('127.0.0.1', sim.port), timeout=60)
        req = f'GET {path}?limit=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n' + ''.join(f'{k}: {v}\r\n' for k, v in h.items()) + '\r\n'
        s.sendall(req.encode())
        pieces, data = 0, b''
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            pieces += 1
            data += chunk
        s.close()
        head, _, body = data.partition(b'\r\n\r\n')
        check(b' 200 ' in head.split(b'\r\n')[0] and json.loads(body)['entries'], 'drip: the body is intact')
        check(pieces >= 10, f'drip: the body came in many pieces ({pieces} reads for {len(body)} bytes)')
    finally:
        sim.stop()

    # --latency-ms: every answer is at least that late.
    db, sim, cl = fault_platform('latency', '--latency-ms', '300')
    try:
        t = time.monotonic()
        r = cl.get('/v1/ping', sign=False)
        check(r.status == 200 and time.monotonic() - t >= 0.3, '--latency-ms 300 delays the answer')
    finally:
        sim.stop()

    # --clock-skew-s: the platform's clock is an hour ahead; the terminal corrects from X-OW-Server-Time.
    db, sim, cl = fault_platform('skew', '--clock-skew-s', '3600')
    try:
        r = cl.get('/v1/terminal')
        server = int(r.header('X-OW-Server-Time') or 0)
        check(r.status == 401 and error_code(r) == 'auth.stale_timestamp' and abs(server - time.time() - 3600) < 60,
              f'--clock-skew-s: stale by the platform clock, X-OW-Server-Time an hour ahead ({r.status})')
        cl.clock_offset = server - int(time.time())
        check(cl.get('/v1/terminal').status == 200, 'signed with the corrected clock it works')
        q = os.path.join(TMP, 'skew.tsq')
        open(os.path.join(TMP, 'skew.txt'), 'w').write('x')
        subprocess.run(['openssl', 'ts', '-query', '-data', os.path.join(TMP, 'skew.txt'), '-sha256', '-cert', '-out', q], check=True, capture_output=True)
        r = cl.request('POST', '/v1/tsa', body=open(q, 'rb').read(), headers={'Content-Type': 'application/timestamp-query'}, sign=False)
        rep = os.path.join(TMP, 'skew.tsr')
        open(rep, 'wb').write(r.body)
        text = subprocess.run(['openssl', 'ts', '-reply', '-in', rep, '-text'], capture_output=True, text=True).stdout
        m = re.search(r'Time stamp: (.*)', text)
        when = calendar.timegm(time.strptime(m.group(1).strip().replace(' GMT', ''), '%b %d %H:%M:%S %Y')) if m else 0
        check(abs(when - time.time() - 3600) < 120, f'the TSA uses the platform clock too: {m and m.group(1)}')
    finally:
        sim.stop()

    # --cut-uploads-at 0.5: the chunk that would pass the middle is reset once; the upload resumes.
    db, sim, cl = fault_platform('cut', '--cut-uploads-at', '0.5')
    try:
        data = os.urandom(1 << 20)
        sha = hashlib.sha256(data).hexdigest()
        up = cl.post('/v1/blobs', {'sha256': sha, 'size': len(data), 'media_type': 'application/pdf'}, key='blob-' + sha).json()['upload_id']
        offset, cuts, rounds = 0, 0, 0
        while offset < len(data) and rounds < 100:
            rounds += 1
            r = cl.request('PATCH', f'/v1/blobs/uploads/{up}', body=data[offset:offset + 65536],
                           headers={'Upload-Offset': str(offset), 'Content-Type': 'application/offset+octet-stream'})
            if r.status == 204:
                offset = int(r.header('Upload-Offset'))
            else:
                cuts += 1
                check(r.error is not None, f'cut: the failure is a transport failure ({r.status} {r.error!r})')
                offset = cl.get(f'/v1/blobs/uploads/{up}').json()['offset']
        check(cuts == 1, f'the upload was cut exactly once ({cuts})')
        check(offset == len(data) and cl.post(f'/v1/blobs/uploads/{up}:finalize', None).status == 201, 'the upload resumed and completed')
        s = stats(db)
        check(s['faults'].get('cut_upload') == 1 and s['blobs'] == 1 and s['blobs_corrupt'] == 0, f'cut upload stats: {s["faults"]}')
    finally:
        sim.stop()


# ================================================================= HTTPS

def tls_checks():
    certs = os.path.join(TMP, 'certs')
    p = run('make-certs', '--dir', certs, '--host', '127.0.0.1')
    if not check(p.returncode == 0, f'make-certs: {p.stderr}'):
        return
    made = json.loads(p.stdout)
    check(set(made) == {'ca', 'server', 'expired', 'wrong-host', 'self-signed'}, f'make-certs names its files: {sorted(made)}')
    ctx = ssl.create_default_context(cafile=os.path.join(certs, 'ca.pem'))
    db = os.path.join(TMP, 'tls.db')
    creds = enroll(db, 'tls window')
    for name, good in (('server', True), ('expired', False), ('wrong-host', False), ('self-signed', False)):
        # `enroll` gives no client certificate: mTLS is tested by tests/integration/sync/test_trust.cpp.
        sim = Sim(db, '--client-certs', 'optional', tls=(made[name]['cert'], made[name]['key']))
        try:
            check(sim.scheme == 'https', f'{name}: https in the listening line')
            try:
                conn = http.client.HTTPSConnection('127.0.0.1', sim.port, timeout=30, context=ctx)
                conn.request('GET', '/v1/ping')
                status = conn.getresponse().status
                conn.close()
                outcome = status
            except ssl.SSLCertVerificationError as e:
                outcome = 'verify: ' + e.verify_message
            except (ssl.SSLError, OSError) as e:
                outcome = 'error: ' + str(e)
            if good:
                check(outcome == 200, f'the good certificate verifies against ca.pem ({outcome})')
                r = Client(sim, creds, ctx).get('/v1/terminal')
                check(r.status == 200, 'signed requests over HTTPS')
            else:
                check(isinstance(outcome, str) and outcome.startswith('verify'), f'{name}: verification fails ({outcome})')
        finally:
            sim.stop()


# ================================================================= the command line

def cli_checks():
    db = os.path.join(TMP, 'cli.db')
    check(rc('stats', '--db', os.path.join(TMP, 'missing.db')) == 1, 'stats of a missing database exits 1')
    open(os.path.join(TMP, 'junk.db'), 'w').write('not a database at all, not at all' * 50)
    check(rc('stats', '--db', os.path.join(TMP, 'junk.db')) == 1, 'stats of a file that is no database exits 1')
    check(rc('serve', '--db', db, '--fail-rate', '2') == 1, 'a bad fault rate exits 1')
    check(rc('serve', '--db', db, '--malformed-kinds', 'json,poetry') == 1, 'an unknown malformed kind exits 1')
    check(rc('serve', '--db', db, '--listen', 'nowhere') == 1, 'a bad --listen exits 1')
    check(rc('serve', '--db', db, '--tls-cert', 'x.pem') == 2, '--tls-cert without --tls-key is a usage error')
    check(rc('serve', '--db', db, '--bogus') == 2, 'an unknown flag exits 2')
    check(rc('frobnicate') == 2 and rc() == 2, 'an unknown or missing command exits 2')
    check(rc('enroll', '--db', db) == 2, 'enroll without --terminal exits 2')
    check(rc('forget', '--db', db, '--case', 'nope') in (1,), 'forget with a bad case id exits 1')
    check(rc('--help') == 0 and rc('--version') == 0, '--help and --version exit 0')
    # A stop right after the listening line (before the accept loop runs) still stops cleanly.
    for _ in range(5):
        p = subprocess.Popen([SIM, 'serve', '--db', db, '--quiet'], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        ready, _, _ = select.select([p.stdout], [], [], 30)
        line = p.stdout.readline() if ready else b''
        p.send_signal(signal.SIGTERM)
        try:
            code = p.wait(30)
        except subprocess.TimeoutExpired:
            p.kill()
            code = 'hung'
        check(line.startswith(b'listening on http://127.0.0.1:') and code == 0, f'SIGTERM right after start: exit {code}')


def main():
    try:
        main_platform()
        bomb_checks()
        fault_checks()
        tls_checks()
        cli_checks()
    finally:
        for p in PROCS:
            if p.p.poll() is None:
                p.p.kill()
        subprocess.run(['rm', '-rf', TMP])
    print(f'platform_sim: {CHECKS[0] - len(FAILS)}/{CHECKS[0]} checks passed')
    sys.exit(1 if FAILS else 0)


if __name__ == '__main__':
    main()
