// WASI poll_oneoff through wasi-libc's poll(2): a C guest waits for its
// stdin pipe with and without a timeout; readiness, hang-up and timeouts are
// real waits, not instant answers.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { boot } from '../dist/index.js';
import { guarded, installC, sh } from './helpers/index.mjs';

const t = suite('poll');
let m, pollin;

t.before(async () => {
  m = await boot();
  pollin = installC(m, 'pollin');
});
t.after(async () => { await m?.shutdown(); });

t('poll waits until the pipe has data (no busy answer)', guarded(async () => {
  const started = Date.now();
  const r = await sh(m, `sh -c 'sleep 0.3; echo hi' | ${pollin} 5000`);
  // The writer may have exited too by the time poll returns: then HUP as well.
  assert.match(r.stdout, /^ready IN( HUP)? n=3\n$/, r.stderr);
  assert.is(r.code, 0);
  assert.ok(Date.now() - started >= 250, 'it waited for the writer');
}));

t('poll times out when nothing comes', guarded(async () => {
  const r = await sh(m, `sleep 0.5 | ${pollin} 100; echo "st=$?"`);
  assert.is(r.stdout, 'timeout\nst=1\n', r.stderr);
}));

t('end of input is readable with hang-up; a zero timeout still sees ready data', guarded(async () => {
  assert.is((await sh(m, `true | ${pollin}`)).stdout, 'ready IN HUP n=0\n');
  assert.is((await sh(m, `echo data | ${pollin} 0`)).stdout, 'ready IN HUP n=5\n');
  assert.is((await sh(m, `${pollin} 50 < /dev/null`)).stdout, 'ready IN n=0\n');
}));

t.run();
