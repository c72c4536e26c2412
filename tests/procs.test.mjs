// Processes: spawn file actions, waitpid statuses, ids, orphans, zombies,
// and the process limit (guest EAGAIN, API WasmuxError errno 6).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { boot, WasmuxError } from '../dist/index.js';
import { guarded, installGuest, run, lines, withTimeout, waitState, waitOnlyInit } from './helpers/index.mjs';

const t = suite('procs');
let m, procs;

t.before(async () => {
  m = await boot();
  procs = installGuest(m, 'procs');
});
t.after(async () => { await m?.shutdown(); });

t('spawn file actions: open, dup2, close apply to the child only; bad actions fail', guarded(async () => {
  const r = await run(m, procs, [procs, 'actions']);
  assert.is(r.code, 0, r.stderr);
  const l = lines(r.stdout);
  assert.is(l.get('spawn'), '0');
  assert.is(l.get('status'), '0');
  assert.is(l.get('file'), 'child-out|child-err|child-stdin EBADF|');
  assert.is(l.get('parent-stdin'), '0');
  // As posix_spawn: the parent applies a non-FIFO OPEN action and spawn fails with its error.
  assert.is(l.get('action-open-missing'), 'ENOENT');
  assert.is(l.get('action-badkind'), 'EINVAL');
  assert.is(l.get('action-toomany'), 'EINVAL');
  assert.is(l.get('spawn-missing'), 'ENOENT');
  assert.is(l.get('spawn-notwasm'), 'ENOEXEC');
}));

t('waitpid: exit code vs signal status, WNOHANG, ECHILD, EINVAL', guarded(async () => {
  const r = await run(m, procs, [procs, 'wait']);
  assert.is(r.code, 0, r.stderr);
  const l = lines(r.stdout);
  assert.is(l.get('wait-nochild'), 'ECHILD');
  assert.is(l.get('wait-nochild-nohang'), 'ECHILD');
  assert.is(l.get('exit7-pid-matches'), '0');
  assert.is(l.get('exit7-status'), String(7 << 8));
  assert.is(l.get('nohang-running'), '0');
  assert.is(l.get('term-target-sleeping'), '0');
  assert.is(l.get('kill-target-sleeping'), '0');
  assert.is(l.get('kill-term'), '0');
  assert.is(l.get('term-status'), '15');
  assert.is(l.get('kill-status'), '9');
  assert.is(l.get('kill-reaped'), 'ESRCH');
  assert.is(l.get('wait-reaped'), 'ECHILD');
  assert.is(l.get('wait-other'), 'ECHILD');
  assert.is(l.get('wait-badopts'), 'EINVAL');
  assert.is(l.get('kill-badsig'), 'EINVAL');
  assert.is(l.get('kill-zero'), '0');
  assert.is(l.get('any-pid-matches'), '0');
  assert.is(l.get('exit300-status'), String(44 << 8));
}));

t('getpid/getppid: the child sees the parent as ppid; spawn returns the child pid', guarded(async () => {
  const r = await run(m, procs, [procs, 'ids-parent']);
  assert.is(r.code, 0, r.stderr);
  const l = lines(r.stdout);
  assert.is(l.get('parent-pid'), String(r.pid));
  assert.is(l.get('parent-ppid'), '1', 'API-spawned processes are children of init');
  assert.is(l.get('child-ppid'), l.get('parent-pid'));
  assert.is(l.get('child-pid'), l.get('spawned'));
  assert.is.not(l.get('child-pid'), l.get('parent-pid'));
}));

t('orphans are re-parented to pid 1 and reaped by it', guarded(async () => {
  const r = await run(m, procs, [procs, 'orphans']);
  assert.is(r.code, 0, r.stderr);
  const l = lines(r.stdout);
  assert.is(l.get('grandchild-sleeping'), '0');
  assert.is(l.get('middle-status'), '0');
  assert.is(l.get('orphan-ppid-before'), l.get('middle-pid'));
  assert.is(l.get('orphan-ppid-after'), '1');
  // The grandchild held our stdout, so wait() returned after it exited; init reaps it.
  await waitOnlyInit(m);
  assert.equal(m.ps().map((p) => [p.pid, p.state]), [[1, 'running']]);
}));

t('zombies stay until waited for, then are gone', guarded(async () => {
  const r = await run(m, procs, [procs, 'zombies']);
  assert.is(r.code, 0, r.stderr);
  const l = lines(r.stdout);
  assert.is(l.get('zombies'), '5');
  assert.is(l.get('codes'), '01234');
  assert.is(l.get('children-left'), '0');
}));

t('ps through the API shows running processes with their names and parents', guarded(async () => {
  const p = m.spawn(procs, ['sleeper', 'sleep', '400'], { stdout: 'pipe' });
  // Listed from spawn on (embryo, then running), sleeping once in its nanosleep.
  const first = m.ps().find((x) => x.pid === p.pid);
  assert.ok(first, 'the process is listed at once');
  assert.ok(['embryo', 'running', 'sleeping'].includes(first.state), first.state);
  await waitState(m, p.pid, 'sleeping');
  const row = m.ps().find((x) => x.pid === p.pid);
  assert.equal([row.name, row.ppid, row.state], ['sleeper', 1, 'sleeping']);
  assert.equal(await withTimeout(p.wait(), 5000), { status: 0, code: 0, signal: null });
  assert.is(m.ps().find((x) => x.pid === p.pid), undefined);
}));

t('API kill of a sleeping process: the signal is its status', guarded(async () => {
  for (const sig of [15, 9, 2]) {
    const p = m.spawn(procs, [procs, 'sleep', '5000'], { stdout: 'pipe' });
    await waitState(m, p.pid, 'sleeping');
    m.kill(p.pid, sig);
    const st = await withTimeout(p.wait(), 5000);
    assert.equal(st, { status: sig, code: null, signal: sig });
  }
  assert.throws(() => m.kill(99999, 15), (e) => e instanceof WasmuxError && e.errno === 71 /* ESRCH */);
}));

t('the process limit: EAGAIN in the guest, WasmuxError errno 6 from the API', guarded(async () => {
  const small = await boot({ maxProcs: 8, warmWorkers: 1 });
  try {
    const g = installGuest(small, 'procs');
    const r = await run(small, g, [g, 'limit'], {}, 30000);
    assert.is(r.code, 0, r.stderr);
    const l = lines(r.stdout);
    // init + the guest + 6 children = 8.
    assert.is(l.get('spawned'), '6');
    assert.is(l.get('error'), 'EAGAIN');
    assert.is(l.get('all-sleeping'), '0');
    assert.is(l.get('killed'), '6');
    assert.is(l.get('again-status'), String(3 << 8));
    // From the API: 7 sleepers fill the table with init.
    const sleepers = [];
    for (let i = 0; i < 7; i++) sleepers.push(small.spawn(g, [g, 'sleep', '10000'], { stdout: 'null' }));
    let err = null;
    try { small.spawn(g, [g, 'sleep', '1']); } catch (e) { err = e; }
    assert.ok(err instanceof WasmuxError, `spawn past the limit must throw a WasmuxError, got ${err}`);
    assert.is(err.errno, 6);
    for (const s of sleepers) await waitState(small, s.pid, 'sleeping');   // kill them in their sleep
    for (const s of sleepers) small.kill(s.pid, 9);
    for (const s of sleepers) assert.is((await withTimeout(s.wait(), 5000)).signal, 9);
    // Slots are free again.
    const again = await run(small, g, [g, 'exit', '5']);
    assert.is(again.code, 5);
  } finally {
    await small.shutdown();
  }
}, 40000));

t.run();
