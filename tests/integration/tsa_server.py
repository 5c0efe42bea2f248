#!/usr/bin/env python3
"""A throw-away RFC 3161 timestamp authority on loopback for tests: each POST body (a DER
TimeStampReq) is answered by `openssl ts -reply` with a TSA key made at start in WORKDIR.
usage: tsa_server.py WORKDIR   (prints the port on stdout, then serves until killed)"""
import http.server, os, subprocess, sys, tempfile

work = sys.argv[1]
os.makedirs(work, exist_ok=True)
key, cert = os.path.join(work, 'tsa.key'), os.path.join(work, 'tsa.pem')
subprocess.run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert,
                '-days', '30', '-subj', '/CN=OneWindow test TSA',
                '-addext', 'extendedKeyUsage=critical,timeStamping',
                '-addext', 'keyUsage=critical,digitalSignature'], check=True, capture_output=True)
open(os.path.join(work, 'serial'), 'w').write('01\n')
cnf = os.path.join(work, 'tsa.cnf')
open(cnf, 'w').write(f"""[tsa]
default_tsa = t
[t]
dir = {work}
serial = $dir/serial
crypto_device = builtin
signer_cert = {cert}
signer_key = {key}
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
""")

class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get('Content-Length', 0)))
        with tempfile.TemporaryDirectory() as d:
            q, r = os.path.join(d, 'q.tsq'), os.path.join(d, 'r.tsr')
            open(q, 'wb').write(body)
            p = subprocess.run(['openssl', 'ts', '-reply', '-config', cnf, '-queryfile', q, '-out', r],
                               capture_output=True)
            if p.returncode != 0:
                self.send_response(400); self.end_headers(); return
            data = open(r, 'rb').read()
        self.send_response(200)
        self.send_header('Content-Type', 'application/timestamp-reply')
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)
    def log_message(self, *args):
        pass

server = http.server.HTTPServer(('127.0.0.1', 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
