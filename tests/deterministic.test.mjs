// Deterministic mode (invariant 6): one process runs at a time, every
// syscall is a scheduling point chosen by a seeded PRNG, time is virtual.
// Same programs + same seed => byte-identical trace and output.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { boot } from '../dist/index.js';
import { ROOT, guarded, withTimeout } from './helpers/index.mjs';

const t = suite('deterministic');

const SCRIPT = 'seq 1 300 | cat | cat | wc -l; mkfifo /tmp/f; cat /tmp/f & echo via-fifo > /tmp/f; wait; '
  + 'yes | head -n 2; sleep 30; echo slept; ls /bin | head -n 2; ps';

function cli(seed) {
  return spawnSync(process.execPath, ['bin/wasmux.js', '--seed', String(seed), '--trace', 'sh', '-c', SCRIPT],
    { cwd: ROOT, input: '', encoding: 'utf8', timeout: 60000 });
}

t('the same seed gives a byte-identical trace and output', () => {
  const a = cli(42);
  const b = cli(42);
  assert.is(a.status, 0, a.stderr.slice(-2000));
  assert.ok(a.stderr.split('\n').length > 100, 'a real trace');
  assert.ok(a.stdout.startsWith('300\nvia-fifo\ny\ny\nslept\n'), a.stdout);
  assert.is(a.stdout, b.stdout);
  assert.is(a.stderr, b.stderr);
});

t('another seed gives another interleaving with the same results', () => {
  const a = cli(42);
  const c = cli(1234567);
  assert.is(c.status, 0, c.stderr.slice(-2000));
  assert.ok(c.stdout.startsWith('300\nvia-fifo\ny\ny\nslept\n'), c.stdout);
  assert.is.not(a.stderr, c.stderr, 'the schedules differ');
});

t('time is virtual: a long sleep takes no real time, and clocks replay', guarded(async () => {
  const run = async () => {
    const m = await boot({ seed: 9 });
    const started = Date.now();
    const p = m.spawn('sh', ['sh', '-c', 'sleep 3600; echo woke'], { stdout: 'pipe', stderr: 'pipe' });
    const st = await withTimeout(p.wait(), 20000);
    await m.shutdown();
    return { st, out: p.stdout, ms: Date.now() - started };
  };
  const r = await run();
  assert.is(r.st.code, 0);
  assert.is(r.out, 'woke\n');
  assert.ok(r.ms < 10000, `took ${r.ms} ms`);
}));

t.run();
