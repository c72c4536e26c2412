// Signals sent to processes that run guest code, or have not started yet:
// the status names the signal sent, and ignored signals kill nobody.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { boot } from '../dist/index.js';
import { guarded, installGuest, waitFor, withTimeout } from './helpers/index.mjs';

const t = suite('signals');
let m, procs;

t.before(async () => {
  m = await boot();
  procs = installGuest(m, 'procs');
});
t.after(async () => { await m?.shutdown(); });

async function spinning(ms) {
  const p = m.spawn(procs, [procs, 'spin', String(ms)], { stdout: 'pipe', stderr: 'pipe' });
  await waitFor(() => p.stdout.includes('spinning'), 15000, 'the guest started spinning');
  return p;
}

// A process in guest code is terminated from outside (Machine.nudge); its
// status must carry the pending signal, not just "something was pending".
t('SIGTERM to a process running guest code: it dies of signal 15', guarded(async () => {
  const p = await spinning(5000);
  m.kill(p.pid, 15);
  const st = await withTimeout(p.wait(), 5000);
  assert.equal(st, { status: 15, code: null, signal: 15 });
}));

t('a signal sent right after spawn is the one reported (SIGINT → 2)', guarded(async () => {
  const p = m.spawn(procs, [procs, 'sleep', '3000'], { stdout: 'pipe' });
  m.kill(p.pid, 2);
  const st = await withTimeout(p.wait(), 5000);
  assert.equal(st, { status: 2, code: null, signal: 2 });
}));

// ... and a pending signal whose default action is to be ignored must not
// make it terminate the process.
t('SIGCHLD to a process running guest code is ignored', guarded(async () => {
  const p = await spinning(600);
  m.kill(p.pid, 17);
  const st = await withTimeout(p.wait(), 5000);
  assert.equal(st, { status: 0, code: 0, signal: null });
  assert.match(p.stdout, /survived/);
}));

t.run();
