// FIFOs: the open rendezvous, non-blocking opens, unlink while open.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { boot } from '../dist/index.js';
import { guarded, installGuest, run, sh, lines, waitFor, withTimeout, FIFO_NONBLOCK_REPORT } from './helpers/index.mjs';

const t = suite('fifo');
let m, fifo;

t.before(async () => {
  m = await boot();
  fifo = installGuest(m, 'fifo');
});
t.after(async () => { await m?.shutdown(); });

t('open rendezvous: a reader blocks until a writer opens, and vice versa', guarded(async () => {
  const r = await run(m, fifo, [fifo, 'rendezvous', '/tmp/f1']);
  assert.is(r.code, 0, r.stderr);
  const l = lines(r.stdout);
  assert.is(l.get('mkfifo'), '0');
  assert.is(l.get('is-fifo'), 'yes');
  assert.is(l.get('reader-started'), '0');
  assert.is(l.get('reader-still-running'), '0', 'the reader must still be blocked in open');
  assert.is(l.get('open-w'), '0');
  assert.is(l.get('reader-open'), '0');
  assert.is(l.get('reader-after-writer'), 'yes', 'the reader\'s open returned only after the writer opened');
  assert.is(l.get('reader-got'), 'ping');
  assert.is(l.get('reader-status'), '0');
  assert.is(l.get('writer-started'), '0');
  assert.is(l.get('writer-still-running'), '0', 'the writer must still be blocked in open');
  assert.is(l.get('writer-open'), '0');
  assert.is(l.get('writer-after-reader'), 'yes', 'the writer\'s open returned only after the reader opened');
  assert.is(l.get('writer-write'), '11');
  assert.is(l.get('got'), 'from-writer');
  assert.is(l.get('writer-status'), '0');
  assert.is(l.get('unlink'), '0');
}));

// The reader's open counts itself and meets the writer waiting there; the
// writer then writes and closes before the reader looks again (forced by a
// test-only stall, assembly/fifostall.ts). Linux decides under the lock that
// counted the reader; a kernel that looked again waited for ever for the
// next writer (seen as a stress-test pipeline that hung under random kills).
t('a reader whose open met a writer that then wrote and left reads its data and end of file; it does not wait for another writer', guarded(async () => {
  assert.equal((await sh(m, 'mkfifo /tmp/race')).code, 0);
  const writer = m.spawn('sh', ['sh', '-c', 'echo written > /tmp/race'], { stdout: 'pipe', stderr: 'pipe' });
  await waitFor(() => m.snapshot().processes.some((q) => q.ppid === writer.pid && q.blocked === 'fifo-open')
    || m.snapshot().processes.some((q) => q.pid === writer.pid && q.blocked === 'fifo-open'), 15000, 'the writer waits in its open');
  m._stallNextFifoOpen();
  const reader = m.spawn('cat', ['cat', '/tmp/race'], { stdout: 'pipe', stderr: 'pipe' });
  assert.equal(await withTimeout(reader.wait(), 15000, 'the reader'), { status: 0, code: 0, signal: null }, reader.stderr);
  assert.is(reader.stdout, 'written\n');
  assert.ok(m._fifoStalled(), 'the reader parked after counting itself until the writer had left');
  assert.is((await writer.wait()).code, 0, writer.stderr);
}));

t('O_NONBLOCK: read-open succeeds alone, write-open without a reader is ENXIO', guarded(async () => {
  const r = await run(m, fifo, [fifo, 'nonblock', '/tmp/f2']);
  assert.is(r.code, 0, r.stderr);
  const l = lines(r.stdout);
  for (const [label, want] of Object.entries(FIFO_NONBLOCK_REPORT)) assert.is(l.get(label), want, label);
}));

t('unlink while open: the open ends keep working; a new FIFO of that name is another pipe', guarded(async () => {
  const r = await run(m, fifo, [fifo, 'unlinked', '/tmp/f3']);
  assert.is(r.code, 0, r.stderr);
  const l = lines(r.stdout);
  assert.is(l.get('opened'), '0');
  assert.is(l.get('unlink'), '0');
  assert.is(l.get('stat-after-unlink'), 'ENOENT');
  assert.is(l.get('write'), '11');
  assert.is(l.get('read'), 'still-works');
  assert.is(l.get('mkfifo-again'), '0');
  assert.is(l.get('read-new-fifo'), '0');
  assert.is(l.get('read-old-eof'), '0');
}));

t('FIFO through the shell: mkfifo, a background reader, a writer', guarded(async () => {
  const r = await sh(m, 'mkfifo /tmp/f4; cat /tmp/f4 > /tmp/f4.out & echo through-fifo > /tmp/f4; wait; cat /tmp/f4.out; rm /tmp/f4');
  assert.is(r.stdout, 'through-fifo\n');
  assert.is(r.code, 0, r.stderr);
}));

t.run();
