// Runtime limits (issue #11): boot options are validated before anything
// starts, argv + env past ARG_MAX is E2BIG from the API, the CLI and a
// guest's spawn alike, and the worker pool shrinks back to its warm reserve
// after a burst.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { boot, Machine, WasmuxError } from '../dist/index.js';
import { ROOT, guarded, installGuest, run, withTimeout } from './helpers/index.mjs';

const E2BIG = 1;
const EINVAL = 28;
const ARG_MAX = 1 << 20;     // bytes of argv (or env) strings, NULs included
const MAX_ARGS = 65536;      // strings in argv (or env)

/** Polls `cond` until it holds; rejects after `ms` with `what`. */
async function until(cond, what, ms = 60000) {
  const poll = (async () => { while (!cond()) await new Promise((r) => setTimeout(r, 20)); })();
  return withTimeout(poll, ms, what);
}

// ---- boot options ----------------------------------------------------------------

const opts = suite('boot options');

/** boot(options) must reject with a WasmuxError naming the option, the value and the rule. */
async function rejects(options, name, shown, rule) {
  let m = null;
  let err = null;
  try { m = await boot(options); } catch (e) { err = e; }
  if (m) await m.shutdown();
  assert.ok(err instanceof WasmuxError, `boot(${JSON.stringify(options, (_, v) => typeof v === 'bigint' ? `${v}n` : v)}) must throw a WasmuxError, got ${err ?? 'a machine'}`);
  assert.is(err.errno, EINVAL);
  assert.ok(err.message.includes(name), `message names the option ${name}: ${err.message}`);
  assert.ok(err.message.includes(shown), `message shows the value ${shown}: ${err.message}`);
  assert.match(err.message, rule);
  assert.not.match(err.message, /\n/);
}

opts('pipeSize: a power of two from PIPE_BUF (4096) to 1 MiB', guarded(async () => {
  await rejects({ pipeSize: 1024 }, 'pipeSize', '1024', /power of two.*4096/);
  await rejects({ pipeSize: 12288 }, 'pipeSize', '12288', /power of two/);
  await rejects({ pipeSize: 1 << 21 }, 'pipeSize', String(1 << 21), /1048576/);
  await rejects({ pipeSize: 0 }, 'pipeSize', '0', /power of two/);
  await rejects({ pipeSize: 65536.5 }, 'pipeSize', '65536.5', /power of two/);
  // The smallest allowed size carries a PIPE_BUF write and a stream through it.
  const m = await boot({ pipeSize: 4096, warmWorkers: 1 });
  try {
    const r = await run(m, '/bin/sh', ['sh', '-c', 'seq 1 20000 | wc -l'], { env: { PATH: '/bin' } });
    assert.is(r.stdout.trim(), '20000');
    assert.is(r.code, 0);
  } finally { await m.shutdown(); }
}, 60000));

opts('every numeric option is checked: integer, range, type', guarded(async () => {
  await rejects({ maxProcs: 0 }, 'maxProcs', '0', /integer from 2 to/);
  await rejects({ maxProcs: 1.5 }, 'maxProcs', '1.5', /integer/);
  await rejects({ maxProcs: '8' }, 'maxProcs', '"8"', /integer/);
  await rejects({ maxProcs: 1e9 }, 'maxProcs', '1000000000', /integer from 2 to/);
  await rejects({ maxFds: 2 }, 'maxFds', '2', /integer from 3 to/);
  await rejects({ maxFds: NaN }, 'maxFds', 'NaN', /integer/);
  await rejects({ warmWorkers: -1 }, 'warmWorkers', '-1', /integer from 0 to/);
  await rejects({ maxProcs: 8, warmWorkers: 9 }, 'warmWorkers', '9', /integer from 0 to 8/);
  await rejects({ spin: -5 }, 'spin', '-5', /integer from 0 to/);
  await rejects({ idleSpin: Infinity }, 'idleSpin', 'Infinity', /integer/);
  await rejects({ idleWorkerMs: -1 }, 'idleWorkerMs', '-1', /integer from 0 to/);
  await rejects({ seed: 1.5 }, 'seed', '1.5', /integer/);
  await rejects({ seed: 2n ** 64n }, 'seed', String(2n ** 64n), /integer from/);
  await rejects({ seed: 'abc' }, 'seed', '"abc"', /integer/);
  await rejects({ trace: 'yes' }, 'trace', '"yes"', /true or false/);
  await rejects({ mounts: 'x' }, 'mounts', '"x"', /array/);
}, 60000));

opts('a bad option is refused before anything starts', guarded(async () => {
  const touched = [];
  const platform = new Proxy({}, { get: (_, key) => { touched.push(String(key)); throw new Error(`platform.${String(key)} used`); } });
  let err = null;
  try { await Machine.boot({ pipeSize: 1000 }, platform); } catch (e) { err = e; }
  assert.ok(err instanceof WasmuxError, `got ${err}`);
  assert.equal(touched, [], 'nothing of the platform was used');
}));

opts('the CLI prints a bad option as one line and exits non-zero', () => {
  // 2^64 is no 64-bit seed (today it silently aliases seed 0).
  const r = spawnSync(process.execPath, ['bin/wasmux.js', '--seed', String(2n ** 64n), 'run', 'echo', 'hi'],
    { cwd: ROOT, encoding: 'utf8', timeout: 30000 });
  assert.is(r.signal, null);
  assert.is.not(r.status, 0);
  assert.is(r.stdout, '');
  assert.match(r.stderr, /^wasmux: .*seed.*18446744073709551616.*\n$/);
  assert.is(r.stderr.split('\n').length, 2, `one line: ${JSON.stringify(r.stderr)}`);
});

opts.run();

// ---- argv + env past ARG_MAX -------------------------------------------------------------

const args = suite('E2BIG');
let m;
args.before(async () => { m = await boot({ warmWorkers: 1 }); });
args.after(async () => { await m?.shutdown(); });

/** An argv whose strings take exactly `total` bytes with their NULs, argv[0] = 'true'. */
function argvOf(total) {
  const out = ['true'];
  let left = total - 5;
  while (left > 0) { const n = Math.min(left - 1, 65535); out.push('x'.repeat(n)); left -= n + 1; }
  return out;
}
function envOf(total) { return argvOf(total + 5).slice(1); }

function spawnError(fn) {
  try { fn(); } catch (e) { return e; }
  return null;
}

args('the API: argv or env past ARG_MAX is a WasmuxError E2BIG; at the limit it runs', guarded(async () => {
  const blocks = m.heapBlocks();
  for (const [what, argv, env] of [
    ['argv', argvOf(ARG_MAX + 1), []],
    ['env', ['true'], envOf(ARG_MAX + 1)],
    ['one huge argument', ['true', 'y'.repeat(8 << 20)], []],
    ['count', ['true', ...new Array(MAX_ARGS).fill('')], []],
  ]) {
    const e = spawnError(() => m.spawn('true', argv, { env, stdin: 'null' }));
    assert.ok(e instanceof WasmuxError, `${what}: want a WasmuxError, got ${e}`);
    assert.is(e.errno, E2BIG, `${what}: ${e.message}`);
    assert.match(e.message, /E2BIG/);
  }
  // Exactly at the limit (the kernel's own rule): both run.
  // And the largest spawn there is: argv and env both full, each of MAX_ARGS strings.
  const small = new Array(MAX_ARGS - 2).fill('a');
  const fullArgv = ['true', ...small, 'b'.repeat(ARG_MAX - 5 - small.length * 2 - 1)];
  const fullEnv = [...small, 'c=', 'd'.repeat(ARG_MAX - small.length * 2 - 3 - 1)];
  for (const [argv, env] of [[argvOf(ARG_MAX), []], [['true'], envOf(ARG_MAX)],
    [['true', ...new Array(MAX_ARGS - 1).fill('')], []], [fullArgv, fullEnv]]) {
    const r = await run(m, 'true', argv, { env });
    assert.is(r.code, 0, r.stderr);
  }
  // Nothing was left behind; the machine works on.
  const r = await run(m, 'echo', ['echo', 'still', 'here']);
  assert.is(r.stdout, 'still here\n');
  await until(() => m.heapBlocks() === blocks, 'kernel heap back to its blocks');
}, 60000));

args('a guest: spawn with argv or env past ARG_MAX returns E2BIG, at the limit it runs', guarded(async () => {
  const g = installGuest(m, 'limits');
  for (const [how, n, want] of [
    ['argv', ARG_MAX + 1, 'spawn E2BIG\n'], ['env', ARG_MAX + 1, 'spawn E2BIG\n'], ['count', MAX_ARGS + 1, 'spawn E2BIG\n'],
    ['argv', ARG_MAX, 'spawn 1\nstatus 0\n'], ['env', ARG_MAX, 'spawn 1\nstatus 0\n'], ['count', MAX_ARGS, 'spawn 1\nstatus 0\n'],
  ]) {
    const r = await run(m, g, [g, how, String(n)]);
    assert.is(r.stdout, want, `${how} ${n}: ${r.stderr}`);
    assert.is(r.code, 0);
  }
}, 60000));

args('the CLI: one clear line and a non-zero status', () => {
  // 10 arguments of 110 KiB: under the host's own exec limits, over ARG_MAX.
  const big = Array.from({ length: 10 }, () => 'z'.repeat(110 * 1024));
  const r = spawnSync(process.execPath, ['bin/wasmux.js', 'run', 'echo', ...big], { cwd: ROOT, encoding: 'utf8', timeout: 30000 });
  assert.is(r.signal, null);
  assert.is(r.status, 126);
  assert.is(r.stdout, '');
  assert.match(r.stderr, /^wasmux: echo: argument list too long \(E2BIG\)/);
  assert.is(r.stderr.split('\n').length, 2, `one line: ${JSON.stringify(r.stderr.slice(0, 300))}`);
});

args.run();

// ---- the worker pool -------------------------------------------------------------------------

const pool = suite('worker pool');

/**
 * Runs `n` processes that are all alive at once: each `cat`s a FIFO, whose
 * open blocks until a writer comes. Once all of them sleep (each holds a
 * worker), one writer releases them. Resolves with the live worker count
 * seen while all n were blocked.
 */
async function burst(pm, n, fifo) {
  assert.is((await run(pm, 'mkfifo', ['mkfifo', fifo])).code, 0);
  const procs = Array.from({ length: n }, () => pm.spawn('cat', ['cat', fifo], { stdout: 'pipe', stdin: 'null' }));
  const pids = new Set(procs.map((p) => p.pid));
  await until(() => pm.ps().filter((p) => pids.has(p.pid) && p.state === 'sleeping').length === n, `${n} cats blocked on ${fifo}`);
  const peak = pm.workerCount();
  const w = await run(pm, '/bin/sh', ['sh', '-c', `echo go > ${fifo}`], { env: { PATH: '/bin' } });
  assert.is(w.code, 0, w.stderr);
  const sts = await withTimeout(Promise.all(procs.map((p) => p.wait())), 60000, 'the burst');
  sts.forEach((s) => assert.is(s.code, 0));
  assert.is(procs.map((p) => p.stdout).join(''), 'go\n');   // one reader gets it, the others EOF
  assert.is((await run(pm, 'rm', ['rm', fifo])).code, 0);
  return peak;
}

pool('shrinks back to warmWorkers after a burst of 40, and spawns still work', guarded(async () => {
  const warm = 2;
  const pm = await boot({ warmWorkers: warm, idleWorkerMs: 300 });
  try {
    assert.is(pm.workerCount(), warm);
    const peak = await burst(pm, 40, '/tmp/gate');
    assert.ok(peak >= 40, `forty blocked processes hold forty workers: ${peak}`);
    await until(() => pm.workerCount() === warm, `pool back to ${warm}`);
    // The reserve serves: spawns still run, and another burst grows and shrinks the pool again.
    const again = await Promise.all(Array.from({ length: 6 }, (_, i) => run(pm, 'echo', ['echo', `again ${i}`])));
    again.forEach((r, i) => assert.is(r.stdout, `again ${i}\n`));
    assert.ok(await burst(pm, 10, '/tmp/gate2') >= 10);
    await until(() => pm.workerCount() === warm, 'pool back to the reserve after the second burst');
    assert.is((await run(pm, 'echo', ['echo', 'ok'])).stdout, 'ok\n');
  } finally { await pm.shutdown(); }
}, 180000));

pool('with the default idle time too', guarded(async () => {
  const pm = await boot({ warmWorkers: 1 });
  try {
    assert.ok(await burst(pm, 8, '/tmp/gate') >= 8);
    await until(() => pm.workerCount() === 1, 'pool back to 1');
    assert.is((await run(pm, 'echo', ['echo', 'ok'])).stdout, 'ok\n');
  } finally { await pm.shutdown(); }
}, 120000));

pool.run();

// ---- spin-then-park under load (host/spin.ts, bundled here on its own) ---------------------

const spinning = suite('adaptive spin');
let AdaptiveSpin;
spinning.before(async () => {
  const esbuild = await import('esbuild');
  const out = await esbuild.build({ entryPoints: [`${ROOT}/host/spin.ts`], bundle: true, format: 'esm', write: false });
  ({ AdaptiveSpin } = await import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`));
});

/** A clock that moves `step` ns a call and counts its calls (one per 256 iterations of a spin, plus one). */
function fakeClock(step) {
  const c = { t: 0n, calls: 0, fn: () => { c.calls++; return (c.t += step); } };
  return c;
}
/** How many clock reads one spin on a word that never moves took (0: it did not spin). */
function spinOnce(s, c) {
  const before = c.calls;
  assert.is(s.spin(new Int32Array(new SharedArrayBuffer(4)), 0, 0), false);
  return c.calls - before;
}

spinning('a spin that does not pay is quartered, down to a quarter of the maximum', () => {
  const c = fakeClock(1n);
  const s = new AdaptiveSpin(20000, c.fn);
  // 20000 iterations (a look at the clock every 256, and one at the start), then 5000 and no less.
  assert.equal([1, 2, 3, 4, 5, 6].map(() => spinOnce(s, c)), [79, 20, 20, 20, 20, 20]);
});

spinning('a spin is bounded in wall time: a preempted spinner stops at once', () => {
  const c = fakeClock(1_000_000n);   // 1 ms between two looks at the clock
  const s = new AdaptiveSpin(1_000_000, c.fn);
  assert.is(spinOnce(s, c), 2, 'stopped at its first look at the clock (256 iterations)');
});

spinning('a spin that pays grows again; spin 0 never spins', () => {
  const i32 = new Int32Array(new SharedArrayBuffer(4));
  const c = fakeClock(1n);
  const s = new AdaptiveSpin(20000, c.fn);
  for (let i = 0; i < 3; i++) spinOnce(s, c);   // down to 5000
  i32[0] = 1;   // the word moved: the spin pays at once
  assert.is(s.spin(i32, 0, 0), true);
  assert.is(spinOnce(s, c), 40, 'budget doubled to 10000 after the spin that paid');
  const z = new AdaptiveSpin(0, c.fn);
  assert.is(z.spin(i32, 0, 0), false);
});

spinning.run();
