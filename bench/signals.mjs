// The signal row of `npm run bench` (bench/run.mjs imports signalRows and
// calls signalTeardown):
//   sig_roundtrip   two processes, kill -> handler -> kill back, N rounds:
//                   bench/native/sig_roundtrip.c built natively (run.mjs
//                   builds every bench/native/*.c with cc -O2) and, the same
//                   source, with `wasmux cc -O2` here; goal <= 1.0x
// The sandbox side runs in a machine of its own.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { guestResult } from './guest.mjs';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const out = path.join(root, 'build', 'bench', 'sig_roundtrip.wasm');
const GUEST = '/bench-sig-roundtrip';

let machine = null;

/** The same C source, built with the project's driver (once per bench run). */
async function build() {
  fs.mkdirSync(path.dirname(out), { recursive: true });
  await run(process.execPath, [path.join(root, 'bin', 'wasmux.js'), 'cc', '-O2', '-Wall', '-I', here,
    path.join(here, 'native', 'sig_roundtrip.c'), '-o', out], { timeout: 300_000 });
}

async function sandbox() {
  if (machine) return machine;
  await build();
  const { boot } = await import(path.join(root, 'dist', 'index.js'));
  machine = await boot();
  machine.writeFile(GUEST, fs.readFileSync(out), 0o755);
  return machine;
}

export async function signalTeardown() {
  if (machine) { const m = machine; machine = null; await m.shutdown(); }
}

async function roundtrip(rounds, timeoutMs) {
  return guestResult(await sandbox(), GUEST, [GUEST, String(rounds)], timeoutMs, 'sig_roundtrip');
}

/** The rows (bench/run.mjs's format); `runNative(prog, ...args)` runs a native baseline. */
export function signalRows(quick, runNative) {
  const rounds = quick ? 2000 : 10000;
  const timeoutMs = quick ? 60_000 : 180_000;
  return [
    {
      name: 'sig_roundtrip',
      label: 'signal round trip: kill -> handler -> kill back (C, both sides)',
      unit: 'us', goal: { dir: '<=', ratio: 1.0, loaded: 1.5 },
      native: () => runNative('sig_roundtrip', rounds),
      sandbox: () => roundtrip(rounds, timeoutMs),
    },
  ];
}
