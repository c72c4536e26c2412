// KERNEL BUG regression tests: bugs found while writing the suite. They failed
// on the kernel they were written against and pass since 0e4c5d7 ("Signals:
// report the pending fatal signal when terminating a busy worker, never kill
// for ignored ones"). This file sorts last so that `npm test --bail` runs
// every other suite first should one of them fail again.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { boot } from '../dist/index.js';
import { guarded, installGuest, sleep, withTimeout } from './helpers/index.mjs';

const t = suite('KERNEL BUG');
let m, procs;

t.before(async () => {
  m = await boot();
  procs = installGuest(m, 'procs');
});
t.after(async () => { await m?.shutdown(); });

async function spinning(ms) {
  const p = m.spawn(procs, [procs, 'spin', String(ms)], { stdout: 'pipe', stderr: 'pipe' });
  for (let i = 0; i < 250 && !p.stdout.includes('spinning'); i++) await sleep(20);
  assert.ok(p.stdout.includes('spinning'), 'the guest started spinning');
  return p;
}

// The bug: Machine.nudge() passed k_fatalPending(pid) — then a 0/1 flag — to
// k_exitOther as the signal number, so a process killed while it ran guest
// code (or before its worker started) was reported as killed by SIGHUP (1).
t('KERNEL BUG: SIGTERM to a process running guest code must report signal 15 (was 1)', guarded(async () => {
  const p = await spinning(5000);
  m.kill(p.pid, 15);
  const st = await withTimeout(p.wait(), 5000);
  assert.equal(st, { status: 15, code: null, signal: 15 });
}));

t('KERNEL BUG: a signal sent right after spawn must be the reported one (SIGINT → 2)', guarded(async () => {
  const p = m.spawn(procs, [procs, 'sleep', '3000'], { stdout: 'pipe' });
  m.kill(p.pid, 2);
  const st = await withTimeout(p.wait(), 5000);
  assert.equal(st, { status: 2, code: null, signal: 2 });
}));

// The same path killed for any pending signal, even one whose default action
// is to be ignored (SIGCHLD, SIGCONT).
t('KERNEL BUG: SIGCHLD to a process running guest code must be ignored', guarded(async () => {
  const p = await spinning(600);
  m.kill(p.pid, 17);
  const st = await withTimeout(p.wait(), 5000);
  assert.equal(st, { status: 0, code: 0, signal: null });
  assert.match(p.stdout, /survived/);
}));

t.run();
