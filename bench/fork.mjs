// The fork/exec and transform rows of `npm run bench` (bench/run.mjs imports
// forkRows and calls forkTeardown):
//   fork_touched        fork + _exit + waitpid with 1 MiB of heap touched
//                       (programs/c/forktest.c `bench`) vs native/fork_touched.c; goal <= 2x
//   fork_exec_wait      fork + execve(/bin/true) + waitpid (forktest `benchexec`)
//                       vs native/fork_exec_wait.c; goal <= 2x
//   transform_compute   a compute-heavy C guest (programs/c/compute.c) transformed
//                       for fork vs the same module untransformed, both under
//                       node:wasi (the kernel plays no part): the transform's
//                       run-time cost; goal <= 1.2x
//   transform_first     the first transform of a large module (565 KB, the
//                       webp codec playwright-core ships), reported
//   transform_cached    the cached load of that module: what a worker does on a
//                       disk-cache hit (SHA-256 of the original, read the entry), reported
// The fork rows run in a machine of their own (not sandbox.mjs's).

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { guestResult, lastJson } from './guest.mjs';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const cfix = path.join(root, 'programs', 'c', 'build');
const cli = path.join(root, 'dist', 'transform-cli.js');
const LARGE = path.join(root, 'node_modules', 'playwright-core', 'lib', 'webp_codec.wasm');
const FORK_PASSES = ['fork-memory@1', 'fork-globals@1', 'asyncify@1'];

let machine = null;
let cacheDir = null;

async function sandbox() {
  if (machine) return machine;
  const { boot } = await import(path.join(root, 'dist', 'index.js'));
  cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wasmux-bench-cache-'));
  machine = await boot({ transformCache: cacheDir });
  machine.writeFile('/bench-forktest', fs.readFileSync(path.join(cfix, 'forktest.wasm')), 0o755);
  return machine;
}

export async function forkTeardown() {
  if (machine) { const m = machine; machine = null; await m.shutdown(); }
  if (cacheDir) { fs.rmSync(cacheDir, { recursive: true, force: true }); cacheDir = null; }
}

async function forktest(args, timeoutMs) {
  return guestResult(await sandbox(), '/bench-forktest', ['forktest', ...args], timeoutMs, `forktest ${args.join(' ')}`);
}

/** Runs the transform process over `bytes`; the transformed bytes and the wall time. */
async function transform(bytes) {
  const t0 = performance.now();
  const out = await new Promise((resolve, reject) => {
    const child = execFile(process.execPath, [cli, ...FORK_PASSES], { encoding: 'buffer', maxBuffer: 2 ** 31 },
      (e, stdout, stderr) => (e ? reject(new Error(`transform: ${stderr.toString().trim() || e.message}`)) : resolve(stdout)));
    child.stdin.end(bytes);
  });
  return { bytes: new Uint8Array(out), ms: performance.now() - t0 };
}

let computeTransformed = null;

/** Initial pages of the memory `original` defines (the transformed module imports one of that size). */
async function initialPages(original) {
  const imports = {};
  for (const i of WebAssembly.Module.imports(new WebAssembly.Module(original))) (imports[i.module] ??= {})[i.name] = () => 0;
  const { instance } = await WebAssembly.instantiate(original, imports);
  return instance.exports.memory.buffer.byteLength / 65536;
}

/**
 * compute.wasm (or its transformed bytes, written to a temporary file) under
 * node:wasi in a process of its own (bench/wasi-run.mjs): the result line.
 */
async function computeUnder(bytes, pages = 0) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wasmux-compute-'));
  try {
    const file = path.join(tmp, 'compute.wasm');
    fs.writeFileSync(file, bytes);
    const { stdout } = await run(process.execPath, [path.join(here, 'wasi-run.mjs'), file, String(pages), '--', 'compute', '1'], { timeout: 120_000 });
    return lastJson(stdout, 'compute');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** The rows (bench/run.mjs's format); `runNative(prog, ...args)` runs a native baseline. */
export function forkRows(quick, runNative) {
  const forkRounds = quick ? 100 : 500;
  const execRounds = quick ? 50 : 200;
  const timeoutMs = quick ? 60_000 : 180_000;
  return [
    {
      name: 'fork_touched',
      label: 'fork+_exit+wait, 1 MiB touched (C guest)',
      unit: 'us', goal: { dir: '<=', ratio: 2.0, loaded: 2.0 },
      native: () => runNative('fork_touched', forkRounds, 1024),
      sandbox: () => forktest(['bench', String(forkRounds), '1024'], timeoutMs),
    },
    {
      name: 'fork_exec_wait',
      label: 'fork+exec(true)+wait (C guest)',
      unit: 'us', goal: { dir: '<=', ratio: 2.0, loaded: 2.0 },
      native: () => runNative('fork_exec_wait', execRounds, '/bin/true'),
      sandbox: () => forktest(['benchexec', String(execRounds), '/bin/true'], timeoutMs),
    },
    {
      name: 'transform_compute',
      label: 'compute-heavy C guest: transformed vs untransformed',
      unit: 'ms', goal: { dir: '<=', ratio: 1.2, loaded: 1.2 },
      native: () => computeUnder(fs.readFileSync(path.join(cfix, 'compute.wasm'))),
      sandbox: async () => {
        const original = fs.readFileSync(path.join(cfix, 'compute.wasm'));
        computeTransformed ??= { bytes: (await transform(original)).bytes, pages: await initialPages(original) };
        return computeUnder(computeTransformed.bytes, computeTransformed.pages);
      },
    },
    {
      name: 'transform_first',
      label: `first transform, ${Math.round(fs.statSync(LARGE).size / 1024)} KB module`,
      unit: 'ms', goal: null, native: null,
      sandbox: async () => ({ value: (await transform(fs.readFileSync(LARGE))).ms }),
    },
    {
      name: 'transform_cached',
      label: 'cached load of it (hash + read)',
      unit: 'ms', goal: null, native: null,
      sandbox: async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wasmux-bench-tc-'));
        const original = fs.readFileSync(LARGE);
        const entry = path.join(dir, 'entry.wasm');
        fs.writeFileSync(entry, (await transform(original)).bytes);
        const t0 = performance.now();
        createHash('sha256').update(original).digest('hex');
        fs.readFileSync(entry);
        const ms = performance.now() - t0;
        fs.rmSync(dir, { recursive: true, force: true });
        return { value: ms };
      },
    },
  ];
}
