// Starting a worker thread is the largest part of a cold start: ~50-70 ms
// here (a Node environment of its own, then dist/worker.cjs and its chunks),
// about as long as Node itself takes to start. The CLI (bin/wasmux.js)
// therefore starts its first worker before it even loads the runtime, so
// that the thread boots while the main thread loads cli.js, compiles the
// kernel, boots it and fills /bin; the first Machine.boot in the process
// adopts it (runtime/node.ts newWorker). Nothing else in this module: it
// must load in no time. node:worker_threads itself (7-10 ms to load) is
// loaded only once a worker starts: a run on the main thread
// (runtime/inline.ts) never needs it.

import type { Worker } from 'node:worker_threads';
import { builtin } from './builtin.js';

const threads = builtin<typeof import('node:worker_threads')>('node:worker_threads');

/** A worker thread, with what is known of why it died should it die before anyone listens. */
export interface StartedWorker {
  worker: Worker;
  /** The error that killed the thread, if any ('' if none or still alive). */
  why(): string;
  /** False once the thread has stopped (its 'exit' event is past: nobody listening later would hear it). */
  alive(): boolean;
}

/** Starts dist/worker.cjs (its absolute path) as a process worker. */
export function startWorkerThread(file: string): StartedWorker {
  // Host descriptors of mounted files are opened and closed by different workers.
  const worker: Worker = new (threads().Worker)(file, { trackUnmanagedFds: false });
  // An idle pool worker must not keep the host process alive.
  worker.unref();
  // An uncaught error in the worker is its death, not the host's: listened
  // for from the start (an unheard 'error' event would throw in the host).
  let why = '';
  worker.on('error', (e) => { why = String(e); });
  let alive = true;
  worker.once('exit', () => { alive = false; });
  return { worker, why: () => why, alive: () => alive };
}

let early: { file: string; started: StartedWorker } | null = null;

/** Starts one worker ahead of the first boot (at most one: later ones are the pool's). */
export function prestartWorker(file: string): void {
  if (early) return;
  early = { file, started: startWorkerThread(file) };
}

/** The prestarted worker, once, if it runs `file` (the same absolute path) and is still alive. */
export function takePrestarted(file: string): StartedWorker | null {
  const e = early;
  if (!e || e.file !== file) return null;
  early = null;
  if (!e.started.alive()) return null;   // (it died alone: a new one is started)
  return e.started;
}

/** The prestarted worker is not needed after all (runtime/inline.ts): it stops, whatever it is doing. */
export function cancelPrestarted(): void {
  const e = early;
  early = null;
  if (e) void e.started.worker.terminate();
}
