// Deterministic mode's pause and step (assembly/sched.ts "Pause and step",
// Machine.pause/step/resume/scheduler): a step lets exactly one scheduling
// point through; a stepped run follows the free run's schedule for its
// seed; the same seed replays the same interleaving, another seed changes it.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { boot, WasmuxError } from '../dist/index.js';
import { guarded, waitFor } from './helpers/index.mjs';

const t = suite('sched-step');
const SCRIPT = 'seq 1 30 | cat | wc -l';

/** Runs SCRIPT stepping one point at a time; the pid that ran at each step, the points counted, the output. */
async function stepped(seed) {
  const m = await boot({ seed, warmWorkers: 2 });
  try {
    m.pause();
    assert.is(m.scheduler().paused, true);
    const p = m.spawn('sh', ['sh', '-c', SCRIPT], { stdout: 'pipe' });
    let done = false;
    void p.wait().then(() => { done = true; });
    const pids = [];
    for (;;) {
      // At a scheduling point with the choice parked, or finished.
      const s = await waitFor(() => { const x = m.scheduler(); return x.parked || done ? x : null; }, 20000, 'parked at a point');
      if (!s.parked) break;
      pids.push(s.next);
      m.step();
      // Exactly one hand-off: the counter moves by one, and the machine parks again (or ends).
      const after = await waitFor(() => { const x = m.scheduler(); return x.parked || done ? x : null; }, 20000, 'the step ran');
      assert.is(after.points, s.points + 1, `step ${pids.length}: one point`);
      if (pids.length > 5000) throw new Error('runaway');
    }
    const st = await p.wait();
    return { pids, out: p.stdout, code: st.code, points: m.scheduler().points };
  } finally {
    await m.shutdown();
  }
}

async function free(seed) {
  const m = await boot({ seed, warmWorkers: 2 });
  try {
    const p = m.spawn('sh', ['sh', '-c', SCRIPT], { stdout: 'pipe' });
    const st = await p.wait();
    return { out: p.stdout, code: st.code, points: m.scheduler().points };
  } finally {
    await m.shutdown();
  }
}

t('step advances one scheduling point at a time; the same seed replays the same interleaving', guarded(async () => {
  const a = await stepped(11);
  assert.is(a.code, 0);
  assert.is(a.out, '30\n');
  assert.ok(a.pids.length > 20, `${a.pids.length} steps`);
  assert.ok(new Set(a.pids).size >= 3, 'several processes took turns');
  const b = await stepped(11);
  assert.equal(b.pids, a.pids, 'same seed, same interleaving');
  // Stepping does not change the schedule: a free run of the seed passes as many points.
  const f = await free(11);
  assert.is(f.out, a.out);
  assert.is(f.points, a.points);
  const c = await stepped(12345);
  assert.is(c.out, '30\n');
  assert.is.not(JSON.stringify(c.pids), JSON.stringify(a.pids), 'another seed, another interleaving');
}, 120000));

t('pause/step outside deterministic mode, or a bad count, is an error', guarded(async () => {
  const m = await boot({ warmWorkers: 0 });
  try {
    assert.throws(() => m.pause(), (e) => e instanceof WasmuxError && /pause/.test(e.message));
    assert.throws(() => m.step(), (e) => e instanceof WasmuxError);
    assert.throws(() => m.step(0), /positive integer/);
    assert.throws(() => m.step(1.5), /positive integer/);
  } finally {
    await m.shutdown();
  }
}));

t.run();
