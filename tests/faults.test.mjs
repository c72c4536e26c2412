// Faults (issue #11): a worker thread that dies ends its process with
// SIGKILL and wakes the parent; a nudge never leaves a process claimed but
// alive; a kernel trap stops that machine cleanly (and only that one);
// wait() settles at shutdown; in deterministic mode a kill reaches a guest
// that computes without syscalls, from the API and from the CLI (Ctrl-C).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { boot, Machine, WasmuxError, nodeRuntimePlatform } from '../dist/index.js';
import { GUESTS, ROOT, guarded, installGuest, withTimeout } from './helpers/index.mjs';

const t = suite('faults');
const tick = () => new Promise((r) => setImmediate(r));

/** Polls `cond` (a condition, never a clock) until it returns a truthy value. */
async function until(cond, what) {
  for (;;) {
    const v = cond();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The pid of a running process whose name contains `name`. */
function running(m, name) {
  return until(() => m.ps().find((p) => p.name.includes(name) && p.state === 'running')?.pid, name);
}

/** Output of a shell the spinner ran under: "spinning <pid>". */
async function spinnerPid(p) {
  await until(() => /spinning \d+\n/.test(p.stdout), 'spinning');
  return Number(/spinning (\d+)/.exec(p.stdout)[1]);
}

t('a worker that dies under a computing guest: SIGKILL status, the shell waiting on it goes on', guarded(async () => {
  const m = await boot();
  try {
    const g = installGuest(m, 'faults');
    const blocks = m.heapBlocks();
    const sh = m.spawn('sh', ['sh', '-c', `${g} spin; echo after=$?`], { stdout: 'pipe', stderr: 'pipe', env: { PATH: '/bin' } });
    const pid = await spinnerPid(sh);
    assert.ok(await m._crashWorkerOf(pid), 'found the worker running the spinner');
    const st = await withTimeout(sh.wait(), 10000, 'the shell after its child died');
    assert.equal(st, { status: 0, code: 0, signal: null });
    assert.is(sh.stdout, `spinning ${pid}\nafter=137\n`);
    assert.match(sh.stderr, '');
    // The machine goes on (a new worker replaces the dead one) and nothing leaked.
    const e = m.spawn('sh', ['sh', '-c', 'echo a | cat'], { stdout: 'pipe' });
    assert.is((await withTimeout(e.wait(), 10000)).code, 0);
    assert.is(e.stdout, 'a\n');
    assert.equal(m.ps().map((p) => p.pid), [1]);
    // (A worker drops its hold on a process it ran just after the parent may have reaped it.)
    await withTimeout(until(() => m.heapBlocks() === blocks), 5000, `kernel heap blocks back to ${blocks}`);
  } finally {
    await m.shutdown();
  }
}));

t('an idle worker that dies is replaced: later spawns still find workers', guarded(async () => {
  const m = await boot({ warmWorkers: 1 });
  try {
    assert.ok(await m._crashWorkerOf(0), 'found an idle worker');
    // The pool counted it idle: the shell's child must not wait for it.
    const p = m.spawn('sh', ['sh', '-c', 'echo a'], { stdout: 'pipe' });
    assert.equal(await withTimeout(p.wait(), 10000, 'the shell and its child'), { status: 0, code: 0, signal: null });
    assert.is(p.stdout, 'a\n');
  } finally {
    await m.shutdown();
  }
}));

t('a nudge whose terminate() fails still exits the claimed process', guarded(async () => {
  const base = nodeRuntimePlatform();
  let failNext = false;
  const stuck = [];
  const platform = {
    ...base,
    newWorker() {
      const h = base.newWorker();
      return {
        ...h,
        terminate() {
          if (!failNext) return h.terminate();
          failNext = false;
          stuck.push(h);
          throw new Error('terminate failed (test)');
        },
      };
    },
  };
  const m = await Machine.boot({}, platform);
  try {
    const g = installGuest(m, 'faults');
    const p = m.spawn(g, [g, 'spin'], { stdout: 'pipe' });
    await until(() => p.stdout.startsWith('spinning'), 'spinning');
    // As a program the safepoint pass could not rewrite: killed by terminating its worker.
    m._withoutSafepoints(p.pid);
    failNext = true;
    try { m.kill(p.pid, 9); } catch { /* the old code threw here, leaving the process claimed */ }
    const st = await withTimeout(p.wait(), 5000, 'the claimed process');
    assert.equal(st, { status: 9, code: null, signal: 9 });
    assert.is(stuck.length, 1, 'the failing terminate was called');
    // The machine goes on.
    const e = m.spawn('echo', ['echo', 'on'], { stdout: 'pipe' });
    await withTimeout(e.wait(), 10000);
    assert.is(e.stdout, 'on\n');
  } finally {
    for (const h of stuck) await h.terminate();   // the test's own spinning thread
    await m.shutdown();
  }
}));

t('a kernel trap stops that machine: every wait() rejects, the API throws, another machine goes on', guarded(async () => {
  const [m, other] = await Promise.all([boot(), boot()]);
  try {
    const g = installGuest(m, 'faults');
    const sleepers = [1, 2, 3].map(() => m.spawn(g, [g, 'sleep', '600000'], { stdout: 'pipe' }));
    const shell = m.spawn('sh', ['sh', '-c', `${g} spin; echo never`], { stdout: 'pipe', env: { PATH: '/bin' } });
    await spinnerPid(shell);
    for (const s of sleepers) await until(() => m.ps().find((p) => p.pid === s.pid)?.state === 'sleeping', 'asleep');
    const waits = [...sleepers, shell].map((h) => h.wait().then(() => null, (e) => e));
    m._injectKernelFault(sleepers[1].pid);
    // The runtime thread asks for the process table, whose lock the trapped
    // kernel holds for good: it must give up, not spin for ever.
    let err;
    for (;;) {
      try { m.ps(); } catch (e) { err = e; break; }
      await tick();
    }
    assert.instance(err, WasmuxError);
    assert.match(err.message, /^kernel fault/);
    for (const e of await withTimeout(Promise.all(waits), 5000, 'every wait()')) {
      assert.instance(e, WasmuxError);
      assert.match(e.message, /^kernel fault/);
    }
    for (const f of [() => m.spawn('echo'), () => m.kill(sleepers[0].pid, 9), () => m.ps(),
      () => m.writeFile('/tmp/x', new Uint8Array(1)), () => m.readFile('/bin/echo'), () => m.heapBlocks()]) {
      assert.throws(f, (e) => e instanceof WasmuxError && /^kernel fault/.test(e.message));
    }
    // The other machine in this Node process is untouched.
    const e = other.spawn('sh', ['sh', '-c', 'echo fine | cat'], { stdout: 'pipe' });
    await withTimeout(e.wait(), 10000);
    assert.is(e.stdout, 'fine\n');
  } finally {
    await withTimeout(m.shutdown(), 5000, 'shutdown of the faulted machine');
    await other.shutdown();
  }
}));

t('wait() settles at shutdown: a process still running is reported killed by SIGKILL', guarded(async () => {
  const m = await boot();
  const g = installGuest(m, 'faults');
  const sleeper = m.spawn(g, [g, 'sleep', '600000'], { stdout: 'pipe' });
  const spinner = m.spawn(g, [g, 'spin'], { stdout: 'pipe' });
  // A shell that has exited while its background child still holds its stdout.
  const shell = m.spawn('sh', ['sh', '-c', `${g} sleep 600000 & echo started`], { stdout: 'pipe', env: { PATH: '/bin' } });
  await until(() => spinner.stdout.startsWith('spinning'), 'spinning');
  await running(m, 'faults');
  await until(() => shell.stdout === 'started\n' && !m.ps().some((p) => p.pid === shell.pid), 'the shell gone');
  await m.shutdown();
  const killed = { status: 9, code: null, signal: 9 };
  assert.equal(await withTimeout(sleeper.wait(), 5000, 'the sleeper'), killed);
  assert.equal(await withTimeout(spinner.wait(), 5000, 'the spinner'), killed);
  assert.equal(await withTimeout(shell.wait(), 5000, 'the exited shell'), { status: 0, code: 0, signal: null });
  assert.is(shell.stdout, 'started\n');
  assert.throws(() => m.spawn('echo'), (e) => e instanceof WasmuxError);
}));

t('--seed mode: machine.kill reaches a guest computing without syscalls', guarded(async () => {
  const m = await boot({ seed: 7 });
  try {
    const g = installGuest(m, 'faults');
    const sh = m.spawn('sh', ['sh', '-c', `${g} spin /tmp/spinning; echo after=$?`], { stdout: 'pipe', env: { PATH: '/bin' } });
    // The spinner holds the CPU token for good, so the pump cannot read a
    // pipe: it says it spins in a file, which init can read meanwhile.
    const said = await until(() => { try { return new TextDecoder().decode(m.readFile('/tmp/spinning')); } catch { return ''; } });
    const pid = Number(/^spinning (\d+)\n$/.exec(said)[1]);
    m.kill(pid, 2);
    const st = await withTimeout(sh.wait(), 10000, 'the shell after its child was killed');
    assert.is(st.code, 0);
    assert.is(sh.stdout, 'after=130\n');
    // The CPU token went on: the machine still runs, deterministically.
    const e = m.spawn('echo', ['echo', 'next'], { stdout: 'pipe' });
    await withTimeout(e.wait(), 10000);
    assert.is(e.stdout, 'next\n');
  } finally {
    await m.shutdown();
  }
}));

t('--seed mode CLI: Ctrl-C interrupts a computing guest: status 130', guarded(async () => {
  const child = spawn(process.execPath, ['bin/wasmux.js', '--seed', '1', 'run', path.join(GUESTS, 'faults.wasm'), 'spin'],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => { err += d; });
    const exited = new Promise((r) => child.on('exit', (code, sig) => r({ code, sig })));
    await new Promise((r) => child.stdout.on('data', (d) => { out += d; if (out.includes('spinning')) r(); }));
    child.kill('SIGINT');
    const { code, sig } = await withTimeout(exited, 15000, 'the CLI after Ctrl-C');
    assert.equal({ code, sig }, { code: 130, sig: null }, err);
    assert.match(out, /^spinning \d+\n$/);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}, 30000));

t.run();
