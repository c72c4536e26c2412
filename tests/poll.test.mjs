// WASI poll_oneoff through wasi-libc's poll(2): a C guest waits for its
// stdin pipe with and without a timeout; readiness, hang-up and timeouts are
// real waits, not instant answers.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { boot } from '../dist/index.js';
import { guarded, installC, installGuest, run, sh } from './helpers/index.mjs';

const t = suite('poll');
let m, pollin, pipes;

t.before(async () => {
  m = await boot();
  pollin = installC(m, 'pollin');
  pipes = installGuest(m, 'pipes');
});
t.after(async () => { await m?.shutdown(); });

// The pipes guest holds the write end until pollin has exited, and writes only
// once pollin is parked in poll: each outcome below is the only one Linux gives.
t('poll waits until the pipe has data (no busy answer)', guarded(async () => {
  const r = await run(m, pipes, [pipes, 'pollwait', pollin, '15000', 'hi\n']);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout, 'ready IN n=3\nwas-sleeping yes\nwrite 3\nstatus 0\n', r.stderr);
}));

t('poll times out when nothing comes', guarded(async () => {
  const r = await run(m, pipes, [pipes, 'pollwait', pollin, '100']);
  assert.is(r.stdout, `timeout\nstatus ${1 << 8}\n`, r.stderr);
}));

t('end of input is readable with hang-up; a zero timeout still sees ready data', guarded(async () => {
  assert.is((await sh(m, `true | ${pollin}`)).stdout, 'ready IN HUP n=0\n');
  // echo has written and exited before pollin starts.
  const r = await run(m, pipes, [pipes, 'seq2', '/bin/echo', 'data', pollin, '0']);
  assert.is(r.stdout, 'ready IN HUP n=5\nstatus1 0\nstatus2 0\n', r.stderr);
  assert.is((await sh(m, `${pollin} 50 < /dev/null`)).stdout, 'ready IN n=0\n');
}));

t.run();
