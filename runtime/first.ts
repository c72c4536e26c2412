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

/**
 * Modules larger than this run on a worker even if their imports would
 * allow the main thread: the main thread's stack is Node's default (about
 * 1 MiB: 12 500 frames of a small recursive wasm function, measured) where
 * a worker's is 4 MiB (50 000), and the large programs (compilers, parsers)
 * are the ones that recurse deeply. A small one runs with the stack
 * node:wasi would give it; a large one pays a worker's start, which is small
 * beside its own compile.
 */
export const INLINE_MAX_BYTES = 2 << 20;

/** True if the module in `bytes` can run on the main thread (see above); false for anything it cannot tell. */
export function runsInline(bytes: Uint8Array): boolean {
  if (bytes.length > INLINE_MAX_BYTES) return false;
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
