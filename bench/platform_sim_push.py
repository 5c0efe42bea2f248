#!/usr/bin/env python3
"""Push throughput of the training platform (onewindow-platform-sim), no fault flags.

Starts the simulator on a fresh database, enrols a terminal, prepares signed push batches
(1,000 mutations each, bodies and signatures made before the clock starts), sends them over
keep-alive connections and reports mutations per second as the client sees them (send to last
answer). Nothing here asserts on time; see docs/benchmarks.md for the numbers.

usage: platform_sim_push.py SIM_BINARY [--batches N] [--batch-size N] [--kind create|event|mix]
                            [--connections N] [--gzip]
"""
import argparse, base64, gzip, hashlib, hmac, http.client, json, os, re, select, signal, subprocess
import sys, tempfile, threading, time, uuid


def uuid7(ms):
    b = bytearray(ms.to_bytes(6, 'big') + os.urandom(10))
    b[6] = (b[6] & 0x0F) | 0x70
    b[8] = (b[8] & 0x3F) | 0x80
    return str(uuid.UUID(bytes=bytes(b)))


def resident_id(n):
    body = '370102' + '1990' + '0307' + f'{n % 1000:03d}'
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + '10X98765432'[sum(int(c) * x for c, x in zip(body, w)) % 11]


NOW = '2025-10-09T00:30:00.000Z'
ACTOR = {'user_id': 'clerk-demo', 'role': 'clerk', 'post': 'none', 'acting_for': ''}


def case(cid, n):
    return {'case_id': cid, 'receipt_no': '', 'case_no': '',
            'item': {'code': '370102-SC-0001-001', 'name': '个体工商户设立登记', 'case_kind': '1'}, 'bundle_code': '',
            'applicant': {'name': '王芳', 'subject_type': '1', 'doc_type': '111', 'doc_number': resident_id(n),
                          'phone': '13800000000', 'address': '济南市历下区泉城路1号', 'postal_code': '250000',
                          'legal_representative': '', 'agent_name': '', 'agent_doc_number': ''},
            'channel': '1', 'state': 'received', 'applied_at': NOW, 'accepted_at': None, 'due_date': None,
            'time_limits': {'legal_days': 15, 'promised_days': 0, 'unit': 'working_day'},
            'form': {'version': '2025.1', 'answers': {'operator_name': '王芳', 'business_name': '泉城便民商店',
                                                     'business_scope': '日用百货零售', 'capital_fen': 5000000}},
            'materials': [{'code': f'M0{i}', 'name': '材料', 'necessity': '1', 'status': 'original_received',
                           'originals': 1, 'copies': 0, 'promised_by': None, 'blob_sha256': None} for i in range(1, 4)]}


def ev(cid, seq, action, frm, to):
    return {'seq': seq, 'action': action, 'from': frm, 'to': to, 'actor': ACTOR, 'at': NOW, 'reason': '', 'data': {}}


def batches(kind, count, size):
    """(timed batches, setup batches): `create` = creates only; `mix` = each case's create and its
    accept and three fulfil_material events; `event` = the same events for cases created in an
    untimed setup."""
    ms = int(time.time() * 1000)
    steps = [('accept', 'received', 'accepted')] + [('fulfil_material', 'accepted', 'accepted')] * 3
    timed, setup, n = [], [], 0
    while len(timed) < count * size:
        cid = uuid7(ms)
        n += 1
        created = {'mutation_id': uuid7(ms), 'case_id': cid, 'kind': 'create', 'created_at': NOW, 'case': case(cid, n)}
        (setup if kind == 'event' else timed).append(created)
        if kind != 'create':
            for seq, (a, f, t) in enumerate(steps, 1):
                timed.append({'mutation_id': uuid7(ms), 'case_id': cid, 'kind': 'event', 'created_at': NOW,
                              'event': ev(cid, seq, a, f, t)})
    chunk = lambda ms_: [ms_[i:i + size] for i in range(0, len(ms_), size)]
    return chunk(timed[:count * size]), chunk(setup)


def sign(creds, path, body):
    ts, nonce, digest = str(int(time.time())), os.urandom(16).hex(), hashlib.sha256(body).hexdigest()
    text = '\n'.join(['OW1-HMAC', creds['algorithm'], creds['terminal_id'], 'POST', path, '', ts, nonce, digest])
    mac = hmac.new(base64.b64decode(creds['secret']), text.encode(), hashlib.sha256).digest()
    return {'X-OW-Terminal': creds['terminal_id'], 'X-OW-Timestamp': ts, 'X-OW-Nonce': nonce, 'X-OW-Content-SHA256': digest,
            'X-OW-Signature': 'hmac-sha256=' + base64.b64encode(mac).decode()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('sim')
    ap.add_argument('--batches', type=int, default=100)
    ap.add_argument('--batch-size', type=int, default=1000)
    ap.add_argument('--kind', choices=['create', 'event', 'mix'], default='mix')
    ap.add_argument('--connections', type=int, default=2)
    ap.add_argument('--gzip', action='store_true')
    o = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix='sim-bench-')
    db = os.path.join(tmp, 'bench.db')
    creds = json.loads(subprocess.run([o.sim, 'enroll', '--db', db, '--terminal', 'bench'], capture_output=True, check=True, text=True).stdout)
    p = subprocess.Popen([o.sim, 'serve', '--db', db, '--listen', '127.0.0.1:0', '--quiet'], stdout=subprocess.PIPE)
    select.select([p.stdout], [], [], 10)
    port = int(re.search(r':(\d+)$', p.stdout.readline().decode().strip()).group(1))

    # Everything the client does before sending is done before the clock starts.
    def prepare(muts):
        body = json.dumps({'batch_id': str(uuid.uuid4()), 'mutations': muts}, ensure_ascii=False).encode()
        h = {'Content-Type': 'application/json', 'Idempotency-Key': str(uuid.uuid4())}
        h.update(sign(creds, '/v1/cases:push', body))
        if o.gzip:
            body = gzip.compress(body, 1)
            h['Content-Encoding'] = 'gzip'
        return body, h, len(muts)

    timed, setup = batches(o.kind, o.batches, o.batch_size)
    conn = http.client.HTTPConnection('127.0.0.1', port, timeout=300)
    for muts in setup:  # untimed: the cases the events belong to
        body, h, _ = prepare(muts)
        conn.request('POST', '/v1/cases:push', body=body, headers=h)
        conn.getresponse().read()
    conn.close()
    prepared = [prepare(m) for m in timed]
    total = sum(n for _, _, n in prepared)
    raw_bytes = sum(len(b) for b, _, _ in prepared)

    errors = []
    lock = threading.Lock()
    queue = list(range(len(prepared)))

    def worker():
        conn = http.client.HTTPConnection('127.0.0.1', port, timeout=300)
        while True:
            with lock:
                if not queue:
                    break
                i = queue.pop(0)
            body, h, n = prepared[i]
            conn.request('POST', '/v1/cases:push', body=body, headers=h)
            r = conn.getresponse()
            data = r.read()
            if r.status != 200 or b'"rejected"' in data:
                errors.append((r.status, data[:300]))
        conn.close()

    def cpu_seconds(pid):  # user + system time of the server process
        f = open(f'/proc/{pid}/stat').read().rsplit(')', 1)[1].split()
        return (int(f[11]) + int(f[12])) / os.sysconf('SC_CLK_TCK')

    threads = [threading.Thread(target=worker) for _ in range(o.connections)]
    cpu0 = cpu_seconds(p.pid)
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    cpu = cpu_seconds(p.pid) - cpu0
    stats = json.loads(subprocess.run([o.sim, 'stats', '--db', db, '--no-verify'], capture_output=True, text=True).stdout)
    p.send_signal(signal.SIGTERM)
    p.wait(30)
    subprocess.run(['rm', '-rf', tmp])
    print(json.dumps({'kind': o.kind, 'batches': o.batches, 'batch_size': o.batch_size, 'connections': o.connections,
                      'gzip': o.gzip, 'mutations': total, 'body_mib': round(raw_bytes / 2**20, 1), 'seconds': round(elapsed, 3),
                      'mutations_per_s': round(total / elapsed), 'server_cpu_s': round(cpu, 3),
                      'mutations_per_server_cpu_s': round(total / cpu) if cpu else None, 'errors': len(errors),
                      'applied': stats.get('mutations_applied'), 'cases': stats.get('cases')}))
    if errors:
        print('first error:', errors[0], file=sys.stderr)
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())
