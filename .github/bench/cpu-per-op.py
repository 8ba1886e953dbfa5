#!/usr/bin/env python3
"""CPU time per iteration of one Go benchmark, for several test binaries, interleaved.

On a shared, loaded machine wall time per op swings several-fold; the CPU time the
benchmark process uses does not. Each round runs every binary with -test.benchtime Nx
and with 1x, and charges (CPU(N) - CPU(1)) / (N - 1) to one iteration, so the
setup (seeding the database) cancels out.

  go test -c -o /tmp/head.test ./handlers
  (cd /path/to/base && go test -c -o /tmp/base.test ./handlers)
  python3 .github/bench/cpu-per-op.py --dir handlers --rounds 7 --n 4000 \
      base=/tmp/base.test head=/tmp/head.test
"""
import argparse, resource, statistics, subprocess

ap = argparse.ArgumentParser()
ap.add_argument('--bench', default='PostContext$')
ap.add_argument('--dir', default='handlers', help='working directory of the runs (the package folder, for testdata)')
ap.add_argument('--rounds', type=int, default=7)
ap.add_argument('--n', type=int, default=4000)
ap.add_argument('binaries', nargs='+', help='name=path of a test binary')
args = ap.parse_args()
binaries = dict(b.split('=', 1) for b in args.binaries)

def cpu(path, n, mem):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run([path, '-test.run', '^$', '-test.bench', args.bench, '-test.benchtime', f'{n}x',
                          '-test.count', '1', '-test.benchmem'], cwd=args.dir, capture_output=True, text=True, check=True).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    for line in out.splitlines():
        if line.startswith('Benchmark') and n > 1:
            mem[path] = ' '.join(line.split()[-4:])
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime

per_op = {name: [] for name in binaries}
mem = {}
for r in range(args.rounds):
    for name, path in binaries.items():
        per_op[name].append((cpu(path, args.n, mem) - cpu(path, 1, mem)) / (args.n - 1) * 1e6)
        print(r, name, f'{per_op[name][-1]:.1f} µs', flush=True)
for name, path in binaries.items():
    print(f'{name}: median {statistics.median(per_op[name]):.1f} µs CPU/op;',
          'runs', ' '.join(f'{x:.0f}' for x in per_op[name]), ';', mem.get(path, ''))
