#!/usr/bin/env node
// `npm run bench [-- --quick] [-- --json FILE]`
//
// Measures wasmux against native Linux side by side: for every row it runs
// the native C baseline (bench/native, compiled here with the machine's
// `cc -O2`) and the sandbox measurement (bench/sandbox.mjs, AssemblyScript
// guests in programs/bench compiled here into build/bench), interleaved, a
// few repetitions each, and reports the medians with their ratio against the
// row's goal.
//
// Ratio is always sandbox / native; the goal column says which way is good
// (throughput: >= 1.0x, latencies: <= 1.0x; with --loaded, latencies
// <= 1.5x; cold start <= 1.2x against node:wasi, not native). A missed goal is reported, not an error: the exit status is
// non-zero only when something failed to build or run.
//
// Options:
//   --quick        smaller sizes and fewer repetitions (well under a minute)
//   --json FILE    also write the results, with every sample, as JSON
//   --reps N       repetitions per row (default 5, --quick 3)
//   --only NAMES   comma-separated row names (e.g. pipe_pingpong)
//   --native-only  skip the sandbox side (e.g. while the kernel is broken)
//   --loaded       a busy process per core (native/busy.c) runs beside both
//                  sides for the whole measurement
//   --boot JSON    boot options for the sandbox, e.g. '{"spin":0}'

import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { nodeWasiSide, wasmuxSide } from './coldstart.mjs';
import { forkRows, forkTeardown } from './fork.mjs';
import { safepointRows, safepointTeardown } from './safepoint.mjs';
import { signalRows, signalTeardown } from './signals.mjs';
import { sysvMsgRows, sysvMsgTeardown } from './sysvmsg.mjs';
import { mqueueRows, mqueueTeardown } from './mqueue.mjs';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const nativeSrc = path.join(here, 'native');
const nativeBin = path.join(nativeSrc, 'bin');
const guestSrc = path.join(root, 'programs', 'bench');
const guestOut = path.join(root, 'build', 'bench');

const MiB = 1 << 20;

/** The rows of the table. `native`/`sandbox` get the run options and return
 *  the parsed result line ({ name, value, unit, ... }). */
function rows(quick) {
  const pipeBytes = quick ? 256 * MiB : 1024 * MiB;
  const pingRounds = quick ? 5000 : 20000;
  const forkRounds = quick ? 200 : 1000;
  const spawnRounds = quick ? 100 : 500;
  const startRuns = quick ? 3 : 5;   // whole processes per sample (its median)
  return [
    {
      name: 'pipe_throughput',
      label: `pipe throughput, ${pipeBytes / MiB} MiB in 64 KiB writes`,
      unit: 'GB/s', goal: { dir: '>=', ratio: 1.0, loaded: 1.0 },
      native: () => runNative('pipe_throughput', pipeBytes),
      sandbox: (sb) => sb.measure('pipe_throughput', { bytes: pipeBytes }),
    },
    {
      name: 'pipe_pingpong',
      label: 'pipe 1-byte ping-pong round trip',
      unit: 'us', goal: { dir: '<=', ratio: 1.0, loaded: 1.5 },
      native: () => runNative('pipe_pingpong', pingRounds),
      sandbox: (sb) => sb.measure('pipe_pingpong', { rounds: pingRounds }),
    },
    {
      name: 'spawn_exit_wait',
      label: 'spawn+exit+wait (warm pool) vs fork+_exit+waitpid',
      unit: 'us', goal: { dir: '<=', ratio: 1.0, loaded: 1.5 },
      native: () => runNative('fork_exit_wait', forkRounds),
      sandbox: (sb) => sb.measure('spawn_exit_wait', { rounds: spawnRounds }),
    },
    {
      // Whole processes, so boot counts here; the baseline is Node's own
      // WASI running the same C hello-world (bench/coldstart.mjs).
      name: 'cold_start',
      label: 'cold start: wasmux run hello.wasm vs node:wasi',
      unit: 'ms', goal: { dir: '<=', ratio: 1.2, loaded: 1.2 },
      native: () => nodeWasiSide(startRuns),
      sandbox: () => wasmuxSide(startRuns),
    },
    // fork, exec and the transform pipeline (bench/fork.mjs); rows with
    // `native: null` and `goal: null` are reported, not compared.
    ...forkRows(quick, runNative),
    // safepoints (bench/safepoint.mjs): the pass's cost, kill latency, transform time.
    ...safepointRows(quick),
    // signals (bench/signals.mjs): the same C program natively and with `wasmux cc`.
    ...signalRows(quick, runNative),
    // System V message queues (bench/sysvmsg.mjs): the same C program natively and with `wasmux cc`.
    ...sysvMsgRows(quick, runNative),
    // POSIX message queues (bench/mqueue.mjs): the same C programs natively and with `wasmux cc`.
    ...mqueueRows(quick, runNative),
  ];
}

// ---- options ----------------------------------------------------------------

function parseArgs(argv) {
  const opts = { quick: false, json: null, reps: 0, only: null, nativeOnly: false, loaded: false, boot: {} };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') opts.quick = true;
    else if (a === '--json') opts.json = argv[++i];
    else if (a === '--reps') opts.reps = Number(argv[++i]);
    else if (a === '--only') opts.only = argv[++i].split(',');
    else if (a === '--native-only') opts.nativeOnly = true;
    else if (a === '--loaded') opts.loaded = true;
    else if (a === '--boot') {
      try { opts.boot = JSON.parse(argv[++i]); } catch { throw new Error(`bench: --boot wants a JSON object, e.g. '{"spin":0}'`); }
    }
    else if (a === '-h' || a === '--help') { console.log(fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 25).join('\n').replace(/^\/\/ ?/gm, '')); process.exit(0); }
    else throw new Error(`bench: unknown option ${a}`);
  }
  if (opts.json === undefined) throw new Error('bench: --json needs a file name');
  if (!opts.reps) opts.reps = opts.quick ? 3 : 5;
  return opts;
}

// ---- building -----------------------------------------------------------------

/** True if `out` is missing or older than any of `inputs`. */
function stale(out, inputs) {
  if (!fs.existsSync(out)) return true;
  const t = fs.statSync(out).mtimeMs;
  return inputs.some((f) => fs.statSync(f).mtimeMs > t);
}

async function buildNative() {
  fs.mkdirSync(nativeBin, { recursive: true });
  const headers = fs.readdirSync(nativeSrc).filter((f) => f.endsWith('.h')).map((f) => path.join(nativeSrc, f));
  for (const f of fs.readdirSync(nativeSrc).filter((f) => f.endsWith('.c'))) {
    const src = path.join(nativeSrc, f);
    const out = path.join(nativeBin, path.basename(f, '.c'));
    if (!stale(out, [src, ...headers])) continue;
    await run(process.env.CC || 'cc', ['-O2', '-Wall', '-o', out, src]);
  }
}

/** Compiles programs/bench/*.ts (not lib/) into build/bench/*.wasm with the
 *  options in programs/bench/asconfig.json: a WASI-style command (exported
 *  `_start`), the stub runtime (the guests allocate nothing in their timed
 *  loops), and AssemblyScript's `env.abort` replaced so that a guest imports
 *  only wasi_snapshot_preview1 and wasmux (scripts/asc-compile.mjs checks
 *  the output). */
async function buildGuests() {
  const { compileGuest } = await import('../scripts/asc-compile.mjs');
  fs.mkdirSync(guestOut, { recursive: true });
  const config = path.join(guestSrc, 'asconfig.json');
  const libs = fs.readdirSync(path.join(guestSrc, 'lib')).map((f) => path.join(guestSrc, 'lib', f));
  for (const f of fs.readdirSync(guestSrc).filter((f) => f.endsWith('.ts'))) {
    const name = path.basename(f, '.ts');
    const out = path.join(guestOut, name + '.wasm');
    if (!stale(out, [path.join(guestSrc, f), config, ...libs])) continue;
    const errors = await compileGuest({
      name, source: path.relative(root, path.join(guestSrc, f)), outFile: path.relative(root, out),
      config: path.relative(root, config),
    });
    if (errors) throw new Error(`bench: asc ${f}:\n${errors}`);
  }
}

// ---- load ------------------------------------------------------------------------

/** Starts one busy process per core; returns a function that kills them. */
function startLoad() {
  const procs = os.cpus().map(() => spawn(path.join(nativeBin, 'busy'), [], { stdio: 'ignore' }));
  const stop = () => { for (const p of procs) p.kill('SIGKILL'); };
  process.on('exit', stop);   // also when the harness dies half-way
  return stop;
}

// ---- measuring -----------------------------------------------------------------

async function runNative(prog, n, ...more) {
  const { stdout } = await run(path.join(nativeBin, prog), [String(n), ...more.map(String)], { timeout: 120_000 });
  return parseResult(stdout, prog);
}

/** The last JSON line of a program's output. */
export function parseResult(text, what) {
  const line = text.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (!line) throw new Error(`${what}: no result line in output: ${JSON.stringify(text.slice(0, 200))}`);
  const r = JSON.parse(line);
  if (typeof r.value !== 'number' || !Number.isFinite(r.value)) throw new Error(`${what}: bad value in ${line}`);
  return r;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Runs `fn` and records its value or its error in `side`. */
async function sample(side, fn) {
  try {
    side.samples.push((await fn()).value);
  } catch (e) {
    side.errors.push(e.message.split('\n')[0]);
  }
}

async function measureAll(opts) {
  let table = rows(opts.quick);
  if (opts.only) table = table.filter((r) => opts.only.includes(r.name));
  for (const r of table) {
    r.nat = { samples: [], errors: [] };
    r.sb = { samples: [], errors: [] };
  }

  let sb = null;
  if (!opts.nativeOnly) {
    try {
      sb = await import('./sandbox.mjs');
      await sb.setup({ guestDir: guestOut, quick: opts.quick, boot: opts.boot });
    } catch (e) {
      for (const r of table) r.sb.errors.push(`sandbox setup: ${e.message.split('\n')[0]}`);
      sb = null;
    }
  }

  const stopLoad = opts.loaded ? startLoad() : null;
  try {
    // One unrecorded round first: both sides warm up (page cache, the JIT
    // tiering up the host's syscall path and the kernel), as a long-running
    // machine would be.
    for (const r of table) {
      await r.native?.().catch(() => {});
      if (sb && r.sb.errors.length === 0) await r.sandbox(sb).catch(() => {});
    }
    // Interleave native and sandbox runs, alternating which goes first, so a
    // slow phase of the machine (another job, thermal) hits both sides.
    for (let rep = 0; rep < opts.reps; rep++) {
      for (const r of table) {
        const sides = r.native ? [() => sample(r.nat, r.native)] : [];
        if (sb && r.sb.errors.length === 0) sides.push(() => sample(r.sb, () => r.sandbox(sb)));
        if (rep % 2) sides.reverse();
        for (const s of sides) await s();
        process.stderr.write('.');
      }
    }
  } finally {
    stopLoad?.();
    process.stderr.write('\n');
    if (sb) await sb.teardown().catch((e) => console.error(`bench: sandbox teardown: ${e.message}`));
    await forkTeardown().catch((e) => console.error(`bench: fork teardown: ${e.message}`));
    await safepointTeardown().catch((e) => console.error(`bench: safepoint teardown: ${e.message}`));
    await signalTeardown().catch((e) => console.error(`bench: signal teardown: ${e.message}`));
    await sysvMsgTeardown().catch((e) => console.error(`bench: sysv msg teardown: ${e.message}`));
    await mqueueTeardown().catch((e) => console.error(`bench: mqueue teardown: ${e.message}`));
  }
  return table;
}

// ---- reporting -----------------------------------------------------------------

function summarize(r, nativeOnly, loaded) {
  const native = r.nat.samples.length ? median(r.nat.samples) : null;
  const sandbox = r.sb.samples.length ? median(r.sb.samples) : null;
  const ratio = native !== null && sandbox !== null ? sandbox / native : null;
  // Under load (a busy process per core beside both sides) the latency goals are looser.
  const want = !r.goal ? null : loaded ? r.goal.loaded : r.goal.ratio;
  const met = ratio === null || want === null ? null : r.goal.dir === '>=' ? ratio >= want : ratio <= want;
  return {
    name: r.name, label: r.label, unit: r.unit, loaded,
    sandbox, native, ratio, goal: want === null ? 'reported' : `${r.goal.dir}${want.toFixed(Number.isInteger(want * 10) ? 1 : 2)}x`, met,
    samples: { sandbox: r.sb.samples, native: r.nat.samples },
    errors: [...r.nat.errors.map((e) => `native: ${e}`), ...(nativeOnly ? [] : r.sb.errors.map((e) => `sandbox: ${e}`))],
  };
}

function fmt(x) {
  if (x === null) return 'n/a';
  if (x >= 100) return x.toFixed(0);
  if (x >= 10) return x.toFixed(1);
  return x.toFixed(x >= 1 ? 2 : 3);
}

function printTable(results) {
  const head = ['row', 'load', 'sandbox', 'native', 'unit', 'ratio', 'goal', ''];
  const lines = results.map((r) => [
    r.label, r.loaded ? 'loaded' : 'quiet', fmt(r.sandbox), fmt(r.native), r.unit,
    r.ratio === null ? 'n/a' : `${fmt(r.ratio)}x`, r.goal,
    r.met === null ? (r.errors.length ? 'ERROR' : '') : r.met ? 'met' : 'missed',
  ]);
  const w = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const show = (cells) => cells.map((c, i) => (i <= 1 || i >= 4 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ').trimEnd();
  console.log(show(head));
  console.log(w.map((n) => '-'.repeat(n)).join('  ').trimEnd());
  for (const l of lines) console.log(show(l));
  for (const r of results) for (const e of r.errors) console.log(`  ${r.name}: ${e}`);
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const t0 = Date.now();
  await buildNative();
  if (!opts.nativeOnly) await buildGuests();
  const results = (await measureAll(opts)).map((r) => summarize(r, opts.nativeOnly, opts.loaded));
  const load = opts.loaded ? `loaded (a busy process per CPU beside both sides)` : 'quiet';
  const bootOpts = Object.keys(opts.boot).length ? `, boot ${JSON.stringify(opts.boot)}` : '';
  console.log(`wasmux bench${opts.quick ? ' --quick' : ''}: ${load}, median of ${opts.reps}, ${os.cpus().length} CPUs, Node ${process.versions.node}${bootOpts}`);
  printTable(results);
  console.log(`(${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  if (opts.json) {
    const doc = { date: new Date().toISOString(), node: process.versions.node, cpus: os.cpus().length, quick: opts.quick, loaded: opts.loaded, boot: opts.boot, reps: opts.reps, rows: results };
    fs.writeFileSync(opts.json, JSON.stringify(doc, null, 2) + '\n');
  }
  // Missed goals are information; errors are failures.
  if (results.some((r) => r.errors.length)) process.exitCode = 1;
}

// Exit explicitly: a worker the sandbox failed to shut down must not keep a
// CI run hanging.
main().then(() => process.exit(process.exitCode ?? 0), (e) => {
  // Our own errors ("bench: ...") say all there is; others get their stack.
  console.error(e.message?.startsWith('bench:') ? e.message : e.stack || e.message);
  process.exit(1);
});
