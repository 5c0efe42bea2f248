#!/usr/bin/env python3
"""A small forward HTTP proxy for tests: absolute-URI requests (GET/POST/PUT/PATCH http://host:port/…)
are forwarded to their origin and answered back; every request line is appended to LOG.
CONNECT (for https) is tunnelled. With BODY_DIR, each forwarded answer's body (decompressed) is
also kept there as NNNN-STATUS-METHOD-PATH (the fuzz seeds of tests/fuzz/make_seeds.sh).
Usage: http_proxy.py PORT_FILE LOG [BODY_DIR]"""
import http.client, http.server, itertools, os, re, select, socket, socketserver, sys, threading, urllib.parse, zlib

port_file, log = sys.argv[1], sys.argv[2]
body_dir = sys.argv[3] if len(sys.argv) > 3 else None
lock = threading.Lock()
serial = itertools.count(1)


def note(line):
    with lock, open(log, 'a') as f:
        f.write(line + '\n')


def keep(method, path, status, encoding, data):
    if encoding in ('gzip', 'deflate'):
        data = zlib.decompress(data, 47)  # gzip or zlib header
    elif encoding:
        return  # e.g. br: not kept
    name = re.sub(r'[^A-Za-z0-9._-]+', '_', urllib.parse.urlsplit(path).path)[:80]
    with open(os.path.join(body_dir, f'{next(serial):04d}-{status}-{method}{name}'), 'wb') as f:
        f.write(data)


class Proxy(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def log_message(self, *args):
        pass

    def forward(self):
        note(f'{self.command} {self.path}')
        u = urllib.parse.urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get('Content-Length', 0) or 0))
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ('proxy-connection', 'connection', 'keep-alive')}
        conn = http.client.HTTPConnection(u.hostname, u.port or 80, timeout=60)
        try:
            conn.request(self.command, u.path + (('?' + u.query) if u.query else ''), body=body, headers=headers)
            r = conn.getresponse()
            data = r.read()
        except OSError as e:
            self.send_error(502, str(e))
            return
        finally:
            conn.close()
        if body_dir:
            keep(self.command, self.path, r.status, r.getheader('Content-Encoding'), data)
        self.send_response(r.status)
        for k, v in r.getheaders():
            if k.lower() not in ('transfer-encoding', 'connection', 'content-length'):
                self.send_header(k, v)
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_PATCH = do_HEAD = forward

    def do_CONNECT(self):
        note(f'CONNECT {self.path}')
        host, port = self.path.rsplit(':', 1)
        try:
            upstream = socket.create_connection((host, int(port)), timeout=60)
        except OSError as e:
            self.send_error(502, str(e))
            return
        self.send_response(200, 'Connection established')
        self.end_headers()
        socks = [self.connection, upstream]
        while True:
            ready, _, _ = select.select(socks, [], [], 60)
            if not ready:
                break
            for s in ready:
                data = s.recv(65536)
                if not data:
                    upstream.close()
                    return
                (upstream if s is self.connection else self.connection).sendall(data)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


srv = Server(('127.0.0.1', 0), Proxy)
with open(port_file, 'w') as f:
    f.write(str(srv.server_address[1]))
srv.serve_forever()
