#!/usr/bin/env python3
"""Seal and process-start benchmarks: ours vs `pdfsig -add-signature` on the same 100-page PDF and
the same key, in the same run, the commands interleaved (one of each per round, RUNS rounds).
usage: run_seal_bench.py BUILD_DIR [RUNS]   (prints Markdown)
Needs: qpdf, poppler-utils (pdfsig), libnss3-tools (certutil, pk12util)."""
import os, platform, shutil, statistics, subprocess, sys, tempfile, time

build = os.path.abspath(sys.argv[1]); runs = int(sys.argv[2]) if len(sys.argv) > 2 else 9
cli, bench = os.path.join(build, 'bin', 'onewindow-cli'), os.path.join(build, 'bin', 'bench_seal')
src = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
tmp = tempfile.mkdtemp(prefix='ow-seal-bench-')
run = lambda *a, **k: subprocess.run(a, check=True, capture_output=True, **k)
devnull = os.open(os.devnull, os.O_WRONLY)


def spawn_ms(cmd, env):
    """Wall time of one process, spawned directly (posix_spawn; stdout/stderr to /dev/null)."""
    actions = [(os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)]
    path = shutil.which(cmd[0]) or cmd[0]
    t = time.perf_counter()
    pid = os.posix_spawn(path, cmd, env, file_actions=actions)
    _, status = os.waitpid(pid, 0)
    ms = (time.perf_counter() - t) * 1000
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f'failed: {" ".join(cmd)}')
    return ms


def interleaved(commands, env=None, before_each=None):
    """{name: cmd} → {name: median ms}: each round runs every command once, in turn."""
    env = env or dict(os.environ)
    samples = {name: [] for name in commands}
    for _ in range(runs):
        for name, cmd in commands.items():
            if before_each: before_each(name)
            samples[name].append(spawn_ms(cmd, env))
    return {name: statistics.median(s) for name, s in samples.items()}


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
    env = dict(os.environ, ONEWINDOW_CACHE_DIR=os.path.join(tmp, 'cache'))
    ours_out, theirs_out = os.path.join(tmp, 'ours.pdf'), os.path.join(tmp, 'pdfsig.pdf')
    key = ['--p12', os.path.join(demo, 'seal.p12'), '--pin-file', os.path.join(demo, 'seal.pin')]
    image = ['--image', os.path.join(demo, 'seal.png')]
    place = ['--page', '1', '--rect', '400,60,120,120']

    start = interleaved({
        'true': ['true'],
        'version': [cli, '--version'],
        'help': [cli, '--help'],
        'pdfsig_v': ['pdfsig', '-v'],
    }, env)
    stamp = interleaved({
        'ours': [cli, 'seal', 'stamp', pdf, ours_out, *key, *image, *place],
        'ours_cold': [cli, 'seal', 'stamp', pdf, ours_out + '.cold.pdf', *key, *image, *place],
        'ours_invisible': [cli, 'seal', 'stamp', pdf, ours_out + '.inv.pdf', *key, *place],
        'pdfsig': ['pdfsig', '-add-signature', '-nssdir', 'sql:' + nss, '-nick', nick, pdf, theirs_out],
    }, env, before_each=lambda name: name == 'ours_cold' and shutil.rmtree(env['ONEWINDOW_CACHE_DIR'], ignore_errors=True))
    size = os.path.getsize(pdf)
    grow_ours = os.path.getsize(ours_out) - size
    grow_inv = os.path.getsize(ours_out + '.inv.pdf') - size
    grow_theirs = os.path.getsize(theirs_out) - size
    png = os.path.getsize(os.path.join(demo, 'seal.png'))
    for f in (ours_out, ours_out + '.cold.pdf', ours_out + '.inv.pdf', theirs_out):
        assert 'Signature is Valid' in run('pdfsig', f).stdout.decode(), f
    cur = pdf
    for i in range(3):
        nxt = os.path.join(tmp, f'three{i}.pdf')
        run(cli, 'seal', 'stamp', cur, nxt, *key, *image, '--page', '1', '--rect', f'{60 + 150 * i},60,120,120', env=env)
        cur = nxt
    verify = interleaved({'ours': [cli, 'seal', 'verify', cur], 'pdfsig': ['pdfsig', cur]}, env)
    inproc = run(bench, pdf, demo, str(runs), os.path.join(src, 'tests/data/seal/cairo.pdf')).stdout.decode().strip().splitlines()

    cpu = next((l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name')), '?')
    print(f'Machine: {cpu}, {os.cpu_count()} CPUs (shared), {platform.system()} {platform.release()}; '
          f'input: {pages}-page PDF ({size} bytes, Ghostscript pages joined by qpdf); medians of {runs} interleaved rounds.')
    btype = next((l.split('=', 1)[1].strip() for l in open(os.path.join(build, 'CMakeCache.txt'))
                  if l.startswith('CMAKE_BUILD_TYPE:')), '?')
    print(f'Command: `python3 bench/run_seal_bench.py {os.path.relpath(build, src)} {runs}` ({btype} build)\n')
    print('Process start (wall time from spawn to exit):\n')
    print('| process | ms |')
    print('|---|---|')
    print(f'| `true` (the floor: spawning any process) | {start["true"]:.1f} |')
    print(f'| `onewindow-cli --version` (the launcher alone) | {start["version"]:.1f} |')
    print(f'| `onewindow-cli --help` (the full module loaded) | {start["help"]:.1f} |')
    print(f'| `pdfsig -v` (a Poppler process) | {start["pdfsig_v"]:.1f} |')
    print('\nStamping (whole process):\n')
    print('| measure | ours | pdfsig -add-signature | ratio |')
    print('|---|---|---|---|')
    print(f'| stamp, visible seal with artwork, artwork cached (ms) | {stamp["ours"]:.1f} | {stamp["pdfsig"]:.1f} (invisible) '
          f'| {stamp["pdfsig"] / stamp["ours"]:.2f}× |')
    print(f'| stamp, visible seal, cache emptied before each run (ms) | {stamp["ours_cold"]:.1f} | | {stamp["pdfsig"] / stamp["ours_cold"]:.2f}× |')
    print(f'| stamp, empty appearance (ms) | {stamp["ours_invisible"]:.1f} | {stamp["pdfsig"]:.1f} (invisible) '
          f'| {stamp["pdfsig"] / stamp["ours_invisible"]:.2f}× |')
    print(f'| file growth per seal (bytes) | {grow_ours} with artwork ({png} B PNG); {grow_inv} without | {grow_theirs} | |')
    print(f'| verify a PDF with 3 seals (ms) | {verify["ours"]:.1f} | {verify["pdfsig"]:.1f} (`pdfsig FILE`) | |')
    print('\nIn process (`bench_seal`):\n')
    for l in inproc: print(f'- {l}')
finally:
    shutil.rmtree(tmp)
