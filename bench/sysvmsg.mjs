// The System V message queue row of `npm run bench` (bench/run.mjs imports
// sysvMsgRows and calls sysvMsgTeardown):
//   sysv_msg_pingpong  two processes, one queue, typed requests and replies:
//                      bench/native/sysv_msg_pingpong.c built natively (run.mjs
//                      builds every bench/native/*.c with cc -O2) and, the same
//                      source, with `wasmux cc -O2` here; goal <= 1.0x
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
const out = path.join(root, 'build', 'bench', 'sysv_msg_pingpong.wasm');
const GUEST = '/bench-sysv-msg-pingpong';

let machine = null;

/** The same C source, built with the project's driver (once per bench run). */
async function build() {
  fs.mkdirSync(path.dirname(out), { recursive: true });
  await run(process.execPath, [path.join(root, 'bin', 'wasmux.js'), 'cc', '-O2', '-Wall', '-I', here,
    path.join(here, 'native', 'sysv_msg_pingpong.c'), '-o', out], { timeout: 300_000 });
}

async function sandbox(boot) {
  if (machine) return machine;
  await build();
  const { boot: bootMachine } = await import(path.join(root, 'dist', 'index.js'));
  machine = await bootMachine(boot);
  machine.writeFile(GUEST, fs.readFileSync(out), 0o755);
  return machine;
}

export async function sysvMsgTeardown() {
  if (machine) { const m = machine; machine = null; await m.shutdown(); }
}

/** The rows (bench/run.mjs's format); `runNative(prog, ...args)` runs a native baseline. */
export function sysvMsgRows(quick, runNative, boot = {}) {
  const rounds = quick ? 5000 : 20000;
  const timeoutMs = quick ? 60_000 : 180_000;
  return [
    {
      name: 'sysv_msg_pingpong',
      label: 'System V msg ping-pong round trip, 64 B typed replies (C, both sides)',
      unit: 'us', goal: { dir: '<=', ratio: 1.0, loaded: 1.5 },
      native: () => runNative('sysv_msg_pingpong', rounds),
      sandbox: async () => guestResult(await sandbox(boot), GUEST, [GUEST, String(rounds)], timeoutMs, 'sysv_msg_pingpong'),
    },
  ];
}
