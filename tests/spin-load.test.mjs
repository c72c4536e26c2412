// Spinning on an overloaded machine (host/spin.ts with the platform's
// `overloaded` hint, runtime/load-node.ts): a blocked call parks without
// spinning (but for a probe now and then) while there are more runnable
// threads than CPUs and spins have stopped paying.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Worker } from 'node:worker_threads';
import os from 'node:os';
import { ROOT, guarded, importTs } from './helpers/index.mjs';

const load = importTs;

/** A clock that moves 1 ns a call and counts its calls (one per 256 iterations of a spin, plus one). */
function fakeClock() {
  const c = { t: 0n, calls: 0, fn: () => { c.calls++; return (c.t += 1n); } };
  return c;
}

const test = suite('spin under overload');
let AdaptiveSpin;
let overloaded;
test.before(async () => {
  ({ AdaptiveSpin } = await load('host/spin.ts'));
  ({ overloaded } = await load('runtime/load-node.ts'));
});

/** True if one spin on a word that never moves spun (looked at the clock). */
function spun(s, c) {
  const before = c.calls;
  assert.is(s.spin(new Int32Array(new SharedArrayBuffer(4)), 0, 0), false);
  return c.calls > before;
}

test('overloaded and not paying: only one block in 16 spins, until spinning pays again', () => {
  const c = fakeClock();
  let over = true;
  const s = new AdaptiveSpin(20000, c.fn, () => over);
  // Spins that never pay: the average falls below a quarter after 11 of them.
  const first = Array.from({ length: 11 }, () => spun(s, c));
  assert.equal(first, Array(11).fill(true), 'spins while they have been paying');
  const next = Array.from({ length: 64 }, () => spun(s, c));
  assert.is(next.filter(Boolean).length, 4, `1 in 16 spins (probes): ${next}`);
  // A word that moved already is seen without spinning.
  const i32 = new Int32Array(new SharedArrayBuffer(4));
  i32[0] = 1;
  assert.is(s.spin(i32, 0, 0), true);
  // No longer overloaded: every block spins again, the whole budget left.
  over = false;
  c.calls = 0;
  assert.ok(spun(s, c));
  assert.ok(spun(s, c));
});

test('overloaded but paying: spins as before', () => {
  const c = fakeClock();
  const s = new AdaptiveSpin(20000, c.fn, () => true);
  const i32 = new Int32Array(new SharedArrayBuffer(4));
  for (let i = 0; i < 50; i++) {
    i32[0] = i % 2;   // moved: pays at once
    assert.is(s.spin(i32, 0, 1 - (i % 2)), true);
    assert.ok(spun(s, c), `block ${i}: a spin after spins that mostly paid`);
  }
});

test('not overloaded: spins that never pay keep spinning (the quiet machine\'s floor)', () => {
  const c = fakeClock();
  const s = new AdaptiveSpin(20000, c.fn, () => false);
  assert.ok(Array.from({ length: 40 }, () => spun(s, c)).every(Boolean));
});

test('without the hint the policy is the budget alone (as before)', () => {
  const c = fakeClock();
  const s = new AdaptiveSpin(20000, c.fn);
  assert.is(s.spin(new Int32Array(new SharedArrayBuffer(4)), 0, 0), false);
  assert.is(c.calls, 79);
});

test('the Node probe sees more busy threads than CPUs as overloaded', guarded(async () => {
  if (process.platform !== 'linux') return;   // /proc/loadavg: elsewhere always false
  const busy = Array.from({ length: os.availableParallelism() + 2 }, () =>
    new Worker('for (;;) {}', { eval: true }));
  try {
    // Wait for the condition (the busy threads show up as runnable), not for a time.
    while (!overloaded()) await new Promise((r) => setTimeout(r, 20));
    assert.ok(overloaded());
  } finally {
    await Promise.all(busy.map((w) => w.terminate()));
  }
}, 15000));

test.run();
