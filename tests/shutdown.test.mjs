// shutdown() lets a worker whose process has ended finish with it (its last
// trace line, k_taskDone) before it terminates the worker threads; a process
// still running is killed as before (faults.test.mjs).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { boot } from '../dist/index.js';
import { guarded } from './helpers/index.mjs';

const t = suite('shutdown');

t('right after a wait(), shutdown lets the exited process\'s worker finish: its memory is freed', guarded(async () => {
  // Without the wait, shutdown terminated the worker between the exit and
  // k_taskDone about 1 time in 10 (the CLI's --trace lost the dying call's
  // line so): the process's Proc, Task and scratch stayed held.
  for (let i = 0; i < 10; i++) {
    const m = await boot({ warmWorkers: 1 });
    const base = m.heapBlocks();
    const p = m.spawn('true', ['true'], { stdin: 'null', stdout: 'null', stderr: 'null' });
    const st = await p.wait();
    assert.is(st.code, 0);
    const t0 = Date.now();
    await m.shutdown();
    assert.ok(Date.now() - t0 < 5000, 'shutdown is prompt');
    // The kernel memory outlives the workers: its heap says what they let go.
    assert.is(m.heapBlocks(), base, `round ${i}: the worker's hold on the exited process`);
  }
}));

t('shutdown does not wait for a process that still runs', guarded(async () => {
  const m = await boot();
  const p = m.spawn('sleep', ['sleep', '600'], { stdout: 'null' });
  const t0 = Date.now();
  for (;;) {
    if (m.ps().some((q) => q.pid === p.pid && q.state === 'sleeping')) break;
    await new Promise((r) => setTimeout(r, 1));
  }
  await m.shutdown();
  assert.equal(await p.wait(), { status: 9, code: null, signal: 9 });
  assert.ok(Date.now() - t0 < 5000);
}));

t.run();
