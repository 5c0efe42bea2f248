#!/usr/bin/env python3
"""docs/platform-api.openapi.yaml parses (OpenAPI 3.0.3), every $ref resolves, and it names
exactly the routes that onewindow-platform-sim serves (read from tools/platform-sim/handlers_*.cpp),
with the contract's unsigned routes marked `security: []`, X-OW-Server-Time on every response and
every error code of docs/platform-api.md.
usage: platform_sim_openapi.py SOURCE_DIR   (exit 77 = skipped: python3-yaml missing)"""
import glob, os, re, sys

try:
    import yaml
except ImportError:
    print('python3-yaml is not installed: skipped')
    sys.exit(77)

src = sys.argv[1]
fails = []


def check(cond, what):
    if not cond:
        fails.append(what)
        print('FAIL:', what)


doc = yaml.safe_load(open(os.path.join(src, 'docs/platform-api.openapi.yaml'), encoding='utf-8'))
check(doc.get('openapi') == '3.0.3', f"openapi is 3.0.3 ({doc.get('openapi')})")
check(doc.get('info', {}).get('title') and doc.get('paths'), 'info and paths')


def walk(node, path=''):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from walk(v, f'{path}/{k}')
        if '$ref' in node:
            yield path, node['$ref']
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from walk(v, f'{path}/{i}')


def resolve(ref):
    if not ref.startswith('#/'):
        return None
    node = doc
    for part in ref[2:].split('/'):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


for where, ref in walk(doc):
    check(resolve(ref) is not None, f'{where}: $ref {ref} resolves')

# The routes the simulator registers.
served = set()
for f in glob.glob(os.path.join(src, 'tools/platform-sim/handlers_*.cpp')):
    for m in re.finditer(r'routes\.(get|post|patch|put|get_unsigned|post_unsigned)\(\s*(?:R"\((.*?)\)"|"(.*?)")', open(f).read()):
        method, pattern = m.group(1), m.group(2) or m.group(3)
        path = pattern.replace('([A-Za-z0-9_-]{1,64})', '{upload_id}').replace('([0-9a-f]{64})', '{sha256}')
        served.add((method.split('_')[0].upper(), path, not method.endswith('_unsigned')))
check(len(served) >= 17, f'the simulator serves the routes of the contract ({len(served)} found)')

documented = set()
for path, item in doc['paths'].items():
    for method, op in item.items():
        if method not in ('get', 'post', 'patch', 'put', 'delete'):
            continue
        signed = op.get('security', None) != []
        documented.add((method.upper(), path, signed))
        check(op.get('operationId') and op.get('responses'), f'{method} {path}: operationId and responses')
        for status, resp in op['responses'].items():
            r = resolve(resp['$ref']) if '$ref' in resp else resp
            check('X-OW-Server-Time' in (r or {}).get('headers', {}), f'{method} {path} {status}: documents X-OW-Server-Time')
        if signed:
            check('401' in op['responses'] and '403' in op['responses'], f'{method} {path}: a signed route documents 401 and 403')

check(served == documented, 'the document names exactly the served routes:\n  served only: %s\n  documented only: %s'
      % (sorted(served - documented), sorted(documented - served)))
unsigned = {(m, p) for m, p, s in documented if not s}
check(unsigned == {('GET', '/v1/ping'), ('POST', '/v1/terminals:enrol'), ('POST', '/v1/tsa')},
      f'exactly the contract\'s unsigned routes: {sorted(unsigned)}')
schemes = doc['components']['securitySchemes']
check({s['name'] for s in schemes.values()} == {'X-OW-Terminal', 'X-OW-Timestamp', 'X-OW-Nonce', 'X-OW-Content-SHA256', 'X-OW-Signature'},
      'the five signing headers are security schemes')

# Every error and reason code of the prose contract is in the machine-readable one.
text = open(os.path.join(src, 'docs/platform-api.openapi.yaml'), encoding='utf-8').read()
prose = open(os.path.join(src, 'docs/platform-api.md'), encoding='utf-8').read()
codes = set(re.findall(r'`(?:\d{3} )?((?:auth|upload|blob|sync|idempotency|enrol|catalogue|request|cursor|conflict)\.[a-z_]+)`', prose))
codes |= {'unknown_case', 'invalid.<field>'}
check(len(codes) >= 15, f'codes found in the prose: {sorted(codes)}')
for c in sorted(codes):
    check(c in text, f'error code {c} is named in the OpenAPI document')
for h in ('Idempotency-Key', 'Idempotent-Replayed', 'Upload-Offset', 'Retry-After', 'X-OW-State'):
    check(h in text, f'header {h} is documented')

print(f'platform_sim_openapi: {len(served)} routes, {len(codes)} codes; {"FAILED" if fails else "ok"}')
sys.exit(1 if fails else 0)
