// FIFOs: the open rendezvous, non-blocking opens, unlink while open.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { boot } from '../dist/index.js';
import { guarded, installGuest, run, sh, lines, FIFO_NONBLOCK_REPORT } from './helpers/index.mjs';

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
