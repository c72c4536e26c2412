// Pipes with real processes: exact bytes through long pipelines and one
// 64 MiB stream, the C filter in a pipeline, PIPE_BUF atomicity with
// concurrent writers, EOF, EPIPE/SIGPIPE and non-blocking EAGAIN.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { boot } from '../dist/index.js';
import { guarded, installGuest, installC, run, sh, lines, pattern, fnv1a, patternSum, waitOnlyInit, settledHeap } from './helpers/index.mjs';

const t = suite('pipes');
let m, gen, sum, pipes, filter, base;

t.before(async () => {
  m = await boot({ warmWorkers: 4 });
  gen = installGuest(m, 'gen');
  sum = installGuest(m, 'sum');
  pipes = installGuest(m, 'pipes');
  filter = installC(m, 'filter');
  base = m.heapBlocks();   // no process has run yet: nothing is in flight
});
t.after(async () => { await m?.shutdown(); });

for (const n of [2, 8, 32]) {
  t(`exact bytes through a pipeline of ${n} processes`, guarded(async () => {
    // gen | cat x (n-2) | sum: n processes in all.
    const size = 3 * 65536 + 12345;
    const line = [`${gen} ${size} 7`, ...Array(Math.max(0, n - 2)).fill('cat'), sum].join(' | ');
    const r = await sh(m, line, {}, 40000);
    assert.is(r.stderr, '');
    assert.is(r.code, 0);
    assert.is(r.stdout, `${patternSum(size, 7)}\n`);
  }, 45000));
}

t('cat | cat | ... preserves a known input given as stdin (8 cats)', guarded(async () => {
  const input = pattern(200000, 3);
  const r = await sh(m, Array(8).fill('cat').join(' | '), { stdin: input });
  assert.is(r.code, 0);
  assert.is(r.bytes.length, input.length);
  assert.is(fnv1a(r.bytes), fnv1a(input));
}));

t('64 MiB through one pipe: gen | cat | sum', guarded(async () => {
  const size = 64 * 1024 * 1024;
  const expected = patternSum(size);
  // The timeout is the hang check; speed is the benchmark's business.
  const r = await sh(m, `${gen} ${size} | cat | ${sum}`, {}, 90000);
  assert.is(r.stderr, '');
  assert.is(r.code, 0);
  assert.is(r.stdout, `${expected}\n`);
}, 100000));

t('64 MiB straight into the API pipe (gen with stdout: pipe)', guarded(async () => {
  const size = 64 * 1024 * 1024;
  const r = await run(m, gen, [gen, String(size), '1'], {}, 90000);
  assert.is(r.code, 0);
  assert.is(r.bytes.length, size);
  assert.is(`${size} ${fnv1a(r.bytes).toString(16)}`, patternSum(size, 1));
}, 100000));

t('the C filter in a pipeline, with its exit codes', guarded(async () => {
  let r = await sh(m, `echo abc | ${filter} | cat`);
  assert.is(r.stdout, 'ABC\n');
  assert.is(r.code, 0);
  r = await sh(m, `echo 'one two' | ${filter}; echo "st=$?"`);
  assert.is(r.stdout, 'ONE TWO\nst=0\n');
  r = await sh(m, `seq 1 7 | ${filter} --count-lines > /dev/null; echo "st=$?"`);
  assert.is(r.stdout, 'st=7\n');
  r = await sh(m, `echo x | ${filter} -x; echo "st=$?"`);
  assert.is(r.stdout, 'st=2\n');
  assert.is(r.stderr, 'usage: filter [--count-lines]\n');
  // Bytes other than a-z pass unchanged, through a pipe from the API.
  const input = new Uint8Array([0x61, 0x7a, 0x41, 0xff, 0x00, 0x0a, 0x7b, 0x60]);
  const f = await run(m, filter, ['filter'], { stdin: input });
  assert.equal([...f.bytes], [0x41, 0x5a, 0x41, 0xff, 0x00, 0x0a, 0x7b, 0x60]);
}));

t('PIPE_BUF: 4096-byte writes from 4 concurrent writers never interleave', guarded(async () => {
  const records = 300;
  const r = await run(m, pipes, [pipes, 'atomic', '4', String(records)], {}, 40000);
  assert.is(r.code, 0, r.stdout + r.stderr);
  const l = lines(r.stdout);
  assert.is(l.get('total'), String(4 * records * 4096));
  assert.is(l.get('bad'), '0');
  assert.is(l.get('partial'), '0');
  for (const c of 'abcd') assert.is(l.get(c), String(records), `records of ${c}`);
  assert.equal(r.stdout.split('\n').filter((x) => x.startsWith('status')), Array(4).fill('status 0'));
}, 45000));

t('EOF only once every write end is closed (dups and children included)', guarded(async () => {
  const r = await run(m, pipes, [pipes, 'eof']);
  assert.is(r.code, 0, r.stderr);
  const l = lines(r.stdout);
  assert.is(l.get('write'), '3');
  assert.is(l.get('read'), '3');
  assert.is(l.get('read-open-dup'), 'EAGAIN');
  assert.is(l.get('read-eof'), '0');
  assert.is(l.get('read-eof-again'), '0');
  assert.is(l.get('child-bytes'), '6');
  assert.is(l.get('child-eof'), '0');
  assert.is(l.get('child-status'), '0');
}));

t('a write with no reader left: EPIPE and death by SIGPIPE', guarded(async () => {
  const r = await run(m, pipes, [pipes, 'epipe']);
  assert.is(r.signal, 13, JSON.stringify(r));
  assert.is(r.code, null);
  assert.is(r.status & 0x7f, 13);
  assert.ok(r.stdout.includes('close-r 0'));
  assert.not.ok(r.stdout.includes('survived-write'), 'the writer must not survive');
}));

t('a writer whose reader exits dies of SIGPIPE (yes | reads-one-byte)', guarded(async () => {
  const r = await run(m, pipes, [pipes, 'run2', '/bin/yes', '/bin/true']);
  assert.is(r.code, 0, r.stderr);
  const l = lines(r.stdout);
  assert.is(Number(l.get('status1')) & 0x7f, 13, `yes status ${l.get('status1')}`);
  assert.is(l.get('status2'), '0');
  // The shell reports the last command's status; yes's death is silent.
  const s = await sh(m, 'yes | head -n 2; echo "st=$?"');
  assert.is(s.stdout, 'y\ny\nst=0\n');
}));

t('non-blocking pipe: EAGAIN on empty read and full write, atomic and partial writes', guarded(async () => {
  const r = await run(m, pipes, [pipes, 'nonblock']);
  assert.is(r.code, 0, r.stderr);
  const l = lines(r.stdout);
  assert.is(l.get('getfl-r'), String(0x800));
  assert.is(l.get('getfl-w'), String(0x800 | 1));
  assert.is(l.get('read-empty'), 'EAGAIN');
  assert.is(l.get('filled'), '65536');
  assert.is(l.get('write-full'), 'EAGAIN');
  assert.is(l.get('write-full-big'), 'EAGAIN');
  assert.is(l.get('read-some'), '100');
  assert.is(l.get('write-atomic-noroom'), 'EAGAIN');
  assert.is(l.get('write-partial'), '100');
  assert.is(l.get('drained'), '65536');
  assert.is(l.get('drain-end'), 'EAGAIN');
  assert.is(l.get('pipe2-badflags'), 'EINVAL');
}));

t('no process or kernel memory is left behind by the pipe tests', guarded(async () => {
  assert.is((await sh(m, 'echo a | cat | cat')).stdout, 'a\n');
  await waitOnlyInit(m);
  assert.equal(m.ps().map((p) => p.pid), [1]);
  // Exactly the blocks of before the first test: every pipe, file and process freed.
  assert.is(await settledHeap(m, base), base, 'kernel heap blocks');
}));

t.run();
