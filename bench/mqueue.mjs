// The POSIX message queue rows of `npm run bench` (bench/run.mjs imports
// mqueueRows and calls mqueueTeardown):
//   mq_pingpong     two processes bounce a 1-byte message over two queues,
//                   N round trips; goal <= 1.0x native
//   mq_throughput   one-way 64-byte messages through a queue of 10, messages
//                   per second; goal >= 3x native
// Each is one C source in bench/native (built natively by run.mjs with
// cc -O2) built here with `wasmux cc -O2` too; the sandbox side runs in a
// machine of its own.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { guestResult } from './guest.mjs';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const outDir = path.join(root, 'build', 'bench');
const PROGS = ['mq_pingpong', 'mq_throughput'];

let machine = null;

/** The same C sources, built with the project's driver (once per bench run). */
async function build() {
  fs.mkdirSync(outDir, { recursive: true });
  for (const p of PROGS) {
    await run(process.execPath, [path.join(root, 'bin', 'wasmux.js'), 'cc', '-O2', '-Wall', '-I', here,
      path.join(here, 'native', `${p}.c`), '-o', path.join(outDir, `${p}.wasm`)], { timeout: 300_000 });
  }
}

async function sandbox() {
  if (machine) return machine;
  await build();
  const { boot } = await import(path.join(root, 'dist', 'index.js'));
  machine = await boot();
  for (const p of PROGS) machine.writeFile(`/bench-${p}`, fs.readFileSync(path.join(outDir, `${p}.wasm`)), 0o755);
  return machine;
}

export async function mqueueTeardown() {
  if (machine) { const m = machine; machine = null; await m.shutdown(); }
}

async function guest(name, count, timeoutMs) {
  return guestResult(await sandbox(), `/bench-${name}`, [`/bench-${name}`, String(count)], timeoutMs, name);
}

/** The rows (bench/run.mjs's format); `runNative(prog, ...args)` runs a native baseline. */
export function mqueueRows(quick, runNative) {
  const rounds = quick ? 5000 : 20000;
  const messages = quick ? 50000 : 200000;
  const timeoutMs = quick ? 60_000 : 180_000;
  return [
    {
      name: 'mq_pingpong',
      label: 'POSIX mq 1-byte ping-pong round trip (C, both sides)',
      unit: 'us', goal: { dir: '<=', ratio: 1.0, loaded: 1.5 },
      native: () => runNative('mq_pingpong', rounds),
      sandbox: () => guest('mq_pingpong', rounds, timeoutMs),
    },
    {
      name: 'mq_throughput',
      label: 'POSIX mq one-way throughput, 64-byte messages, queue of 10 (C, both sides)',
      unit: 'Mmsg/s', goal: { dir: '>=', ratio: 3.0, loaded: 3.0 },
      native: () => runNative('mq_throughput', messages),
      sandbox: () => guest('mq_throughput', messages, timeoutMs),
    },
  ];
}
