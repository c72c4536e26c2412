// The safepoint rows of `npm run bench` (bench/run.mjs imports safepointRows
// and calls safepointTeardown):
//   safepoint_compute   a compute-heavy C guest (programs/c/compute.c: CRC-32
//                       of 32 MiB, merge sort of 256K integers) with the
//                       safepoint pass vs the same module without it, both
//                       under node:wasi (bench/wasi-run.mjs, whose
//                       wasmux.safepoint returns the interval at once, as the
//                       host does when nothing is pending): the pass's
//                       run-time cost; goal <= 1.05x
//   safepoint_kill      SIGKILL to a guest in a busy loop without syscalls
//                       (the userland's `spin`) until its wait() resolves:
//                       it dies at its next safepoint, its worker lives on;
//                       a sample is the median of several kills, reported
//   safepoint_first     the pass's first transform of the largest guest the
//                       project runs (yosys, 30 MB), in this thread, reported

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const COMPUTE = path.join(root, 'programs', 'c', 'build', 'compute.wasm');
const YOSYS = path.join(root, 'node_modules', '@yowasp', 'yosys', 'gen', 'yosys.core.wasm');

let passFn = null;
/** The pass itself (host/transform/safepoint.ts), bundled on its own. */
async function safepointPass() {
  if (passFn) return passFn;
  const esbuild = await import('esbuild');
  const out = await esbuild.build({ entryPoints: [path.join(root, 'host', 'transform', 'safepoint.ts')], bundle: true, format: 'esm', platform: 'node', write: false });
  ({ safepointPass: passFn } = await import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`));
  return passFn;
}

function lastJson(text, what) {
  const line = text.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (!line) throw new Error(`${what}: no result line: ${JSON.stringify(text.slice(0, 200))}`);
  return JSON.parse(line);
}

let files = null;
/** compute.wasm as it is and with safepoints, in a temporary directory. */
async function computeFiles() {
  if (files) return files;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wasmux-bench-sp-'));
  const original = fs.readFileSync(COMPUTE);
  const plain = path.join(dir, 'plain.wasm'), withSp = path.join(dir, 'safepoint.wasm');
  fs.writeFileSync(plain, original);
  fs.writeFileSync(withSp, (await safepointPass())(new Uint8Array(original)));
  files = { dir, plain, withSp };
  return files;
}

async function computeUnder(file) {
  const { stdout } = await run(process.execPath, [path.join(here, 'wasi-run.mjs'), file, '0', '--', 'compute', '1'], { timeout: 120_000 });
  return lastJson(stdout, 'compute');
}

let machine = null;
async function sandbox() {
  if (machine) return machine;
  const { boot } = await import(path.join(root, 'dist', 'index.js'));
  machine = await boot({ warmWorkers: 1 });
  return machine;
}

/** Median over `n` spins of SIGKILL -> wait() resolved, in microseconds. */
async function killLatency(n) {
  const m = await sandbox();
  const xs = [];
  for (let i = 0; i < n; i++) {
    const p = m.spawn('spin', ['spin'], { stdin: 'null' });
    // Running its loop: past the load (its worker's id is known, and a moment of guest code).
    for (let k = 0; m._workerOf(p.pid) === 0 || k < 20; k++) await new Promise((r) => setTimeout(r, 5));
    const t0 = performance.now();
    m.kill(p.pid, 9);
    const st = await p.wait();
    xs.push((performance.now() - t0) * 1000);
    if (st.signal !== 9) throw new Error(`spin: status ${st.status}, not SIGKILL`);
  }
  xs.sort((a, b) => a - b);
  return { value: xs[Math.floor(xs.length / 2)] };
}

export async function safepointTeardown() {
  if (machine) { const m = machine; machine = null; await m.shutdown(); }
  if (files) { fs.rmSync(files.dir, { recursive: true, force: true }); files = null; }
}

export function safepointRows(quick) {
  return [
    {
      name: 'safepoint_compute',
      label: 'compute-heavy C guest: with safepoints vs without',
      unit: 'ms', goal: { dir: '<=', ratio: 1.05, loaded: 1.05 },
      native: async () => computeUnder((await computeFiles()).plain),
      sandbox: async () => computeUnder((await computeFiles()).withSp),
    },
    {
      name: 'safepoint_kill',
      label: 'SIGKILL to a busy loop until wait() resolves',
      unit: 'us', goal: null, native: null,
      sandbox: () => killLatency(quick ? 5 : 15),
    },
    {
      name: 'safepoint_first',
      label: `safepoint pass, first transform of yosys (${Math.round(fs.statSync(YOSYS).size / 1e6)} MB)`,
      unit: 'ms', goal: null, native: null,
      sandbox: async () => {
        const pass = await safepointPass();
        const bytes = new Uint8Array(fs.readFileSync(YOSYS));
        const t0 = performance.now();
        pass(bytes);
        return { value: performance.now() - t0 };
      },
    },
  ];
}
