#!/usr/bin/env python3
"""Seal benchmarks: ours vs `pdfsig -add-signature` on the same 100-page PDF and the same key,
in the same run. usage: run_seal_bench.py BUILD_DIR [RUNS]   (prints a Markdown table)
Needs: qpdf, poppler-utils (pdfsig), libnss3-tools (certutil, pk12util)."""
import os, platform, shutil, statistics, subprocess, sys, tempfile, time

build = os.path.abspath(sys.argv[1]); runs = int(sys.argv[2]) if len(sys.argv) > 2 else 7
cli, bench = os.path.join(build, 'bin', 'onewindow-cli'), os.path.join(build, 'bin', 'bench_seal')
src = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
tmp = tempfile.mkdtemp(prefix='ow-seal-bench-')
run = lambda *a, **k: subprocess.run(a, check=True, capture_output=True, **k)

def timed(*cmd):
    samples = []
    for _ in range(runs):
        t = time.perf_counter(); run(*cmd); samples.append((time.perf_counter() - t) * 1000)
    return statistics.median(samples)

try:
    pdf = os.path.join(tmp, 'hundred.pdf')
    run('qpdf', '--empty', '--pages', *([os.path.join(src, 'tests/data/seal/gs.pdf')] * 50), '--', pdf)
    pages = run('qpdf', '--show-npages', pdf).stdout.decode().strip()
    demo = os.path.join(tmp, 'demo')
    run(cli, 'seal', 'demo', '--org', '基准测试局', '-o', demo)
    pin = open(os.path.join(demo, 'seal.pin')).read().strip()
    nss = os.path.join(tmp, 'nss'); os.mkdir(nss)
    run('certutil', '-N', '-d', 'sql:' + nss, '--empty-password')
    run('pk12util', '-i', os.path.join(demo, 'seal.p12'), '-d', 'sql:' + nss, '-W', pin)
    nick = 'OneWindow demo seal'
    ours_out, theirs_out = os.path.join(tmp, 'ours.pdf'), os.path.join(tmp, 'pdfsig.pdf')
    key = ['--p12', os.path.join(demo, 'seal.p12'), '--pin-file', os.path.join(demo, 'seal.pin')]
    ours = timed(cli, 'seal', 'stamp', pdf, ours_out, *key, '--image', os.path.join(demo, 'seal.png'),
                 '--page', '1', '--rect', '400,60,120,120')
    ours_invisible = timed(cli, 'seal', 'stamp', pdf, ours_out + '.inv.pdf', *key, '--page', '1', '--rect', '400,60,120,120')
    theirs = timed('pdfsig', '-add-signature', '-nssdir', 'sql:' + nss, '-nick', nick, pdf, theirs_out)
    size = os.path.getsize(pdf)
    grow_ours = os.path.getsize(ours_out) - size
    grow_inv = os.path.getsize(ours_out + '.inv.pdf') - size
    grow_theirs = os.path.getsize(theirs_out) - size
    png = os.path.getsize(os.path.join(demo, 'seal.png'))
    assert 'Signature is Valid' in run('pdfsig', ours_out).stdout.decode()
    assert 'Signature is Valid' in run('pdfsig', theirs_out).stdout.decode()
    cur = pdf
    for i in range(3):
        nxt = os.path.join(tmp, f'three{i}.pdf')
        run(cli, 'seal', 'stamp', cur, nxt, *key, '--image', os.path.join(demo, 'seal.png'), '--page', '1',
            '--rect', f'{60 + 150 * i},60,120,120')
        cur = nxt
    verify_ours = timed(cli, 'seal', 'verify', cur)
    verify_pdfsig = timed('pdfsig', cur)
    inproc = run(bench, pdf, demo, str(runs)).stdout.decode().strip().splitlines()

    cpu = next((l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name')), '?')
    print(f'Machine: {cpu}, {os.cpu_count()} CPUs (shared), {platform.system()} {platform.release()}; '
          f'input: {pages}-page PDF ({size} bytes, Ghostscript pages joined by qpdf); medians of {runs} runs.')
    btype = next((l.split('=', 1)[1].strip() for l in open(os.path.join(build, 'CMakeCache.txt'))
                  if l.startswith('CMAKE_BUILD_TYPE:')), '?')
    print(f'Command: `python3 bench/run_seal_bench.py {os.path.relpath(build, src)} {runs}` ({btype} build)\n')
    print('| measure | ours | pdfsig -add-signature |')
    print('|---|---|---|')
    print(f'| stamp, visible seal with artwork (process, ms) | {ours:.0f} | — |')
    print(f'| stamp, empty appearance (process, ms) | {ours_invisible:.0f} | {theirs:.0f} (invisible) |')
    print(f'| file growth per seal (bytes) | {grow_ours} with artwork ({png} B PNG); {grow_inv} without | {grow_theirs} |')
    print(f'| verify a PDF with 3 seals (process, ms) | {verify_ours:.0f} | {verify_pdfsig:.0f} (`pdfsig FILE`) |')
    print('\nIn process (`bench_seal`):\n')
    for l in inproc: print(f'- {l}')
finally:
    shutil.rmtree(tmp)
