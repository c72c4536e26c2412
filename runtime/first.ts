// The first thing bin/wasmux.js loads: is this a run whose program goes
// on the main thread (runtime/inline.ts)? If not, the CLI starts its first
// worker at once, before the runtime loads (runtime/prestart.ts). Small and
// quick to load: the argument parser and the module's import section, no
// more (it runs before every command).

import * as fs from 'node:fs';
import { importsOf } from '../host/transform/inspect.js';
import { parseCli, isFileTarget } from './cli-args.js';

// In the CLI's bundles, first.cjs carries the prestart state for cli.cjs too (scripts/build.mjs).
export { prestartWorker, takePrestarted, startWorkerThread, cancelPrestarted } from './prestart.js';

/** WASI functions that can wait for another party than the console (a timeout, a peer). */
const WAITS = new Set(['poll_oneoff', 'sock_accept', 'sock_recv', 'sock_send', 'sock_shutdown']);

/** True if the module in `bytes` can run on the main thread (see above); false for anything it cannot tell. */
export function runsInline(bytes: Uint8Array): boolean {
  let imports;
  try { imports = importsOf(bytes); } catch { return false; }
  return imports.every((i) => i.module === 'wasi_snapshot_preview1' && i.kind === 0 /* a function */ && !WAITS.has(i.name));
}

/** True unless argv is a `wasmux run FILE` (no --seed) whose FILE runsInline; true for anything it cannot tell. */
export function needsWorker(argv: string[]): boolean {
  let a;
  try { a = parseCli(argv); } catch { return true; }
  if (a.command !== 'run' || a.help || a.seed !== undefined || !isFileTarget(a.target!)) return true;
  let bytes: Uint8Array;
  try { bytes = fs.readFileSync(a.target!); } catch { return true; }
  return !runsInline(bytes);
}
