// The CLI's fast path: `wasmux run file.wasm` runs its one process on the
// main thread, beside init, when the program cannot wait for anything
// init's event loop would have to provide. A worker thread takes longer to
// start than Node itself (a Node environment of its own: 60-130 ms here,
// the whole of a hello-world's cold start twice over), and the first
// process is the only one such a run has.
//
// While the guest runs, the main thread runs nothing else: no child gets a
// worker, no signal arrives from outside the kernel, and the console is
// fed by the guest's own thread (runtime/sync-console.ts: when a call would wait
// for good, the host's stdin is read there and then). So only a program
// whose every import is a WASI function that waits for nobody but the
// console runs here: no wasmux extension (spawn, pipes, signals, fork,
// exec), no poll (its timeout would not see console input), no socket.
// What else it may wait for waits on a timer (a console write to a full
// pipe retries in a few ms, assembly/hostio.ts) or for nobody at all, as
// the same single process would on Linux (reading a FIFO only it could
// write); Ctrl-C then ends it as Node's default SIGINT ends the whole
// command, the status a SIGINT'd guest would give (130).
// Anything else runs on a worker, as before. Which runs here is decided
// by runtime/first.ts, before anything else loads.

import { Kernel } from '../host/kernel.js';
import { Runner, runProcess } from '../host/process.js';
import { isKernelFault } from '../host/fault.js';
import type { HostPlatform } from '../host/platform.js';
/** How init puts bytes into the console (k_consoleFeed, k_consoleEof), for SyncConsole. */
export interface ConsoleSink {
  /** Bytes taken (0: the console is full). */
  feed(bytes: Uint8Array): number;
  /** The host's stdin ended: for good (a pipe or file), or once (^D at a terminal). */
  end(permanent: boolean): void;
}

/**
 * The worker id the kernel records for a process run on the main thread:
 * not 0 (the kernel's "no worker holds it") and beyond any pool worker's
 * (they count from 1); (id << 8) still fits a claim (k_claimForTermination).
 */
export const INLINE_WORKER = 0x7fffff;

export interface InlineOptions {
  trace: boolean; maxProcessMemory: number; transformCache?: string | null;
  /** Gate.beforeSleep: feeds the console from this thread (runtime/sync-console.ts); null: nothing does. */
  console: (() => boolean) | null;
}

/**
 * Runs the embryo `pid` (spawned, not yet taken by any worker) to its end
 * on this thread, with a kernel instance of its own over the machine's
 * memory (init's instance stays init's). Returns null, or what went wrong
 * in the host (not the guest): the caller ends the process or the machine.
 */
export function runInline(module: WebAssembly.Module, memory: WebAssembly.Memory, platform: HostPlatform,
                          pid: number, opts: InlineOptions): { error: unknown; kernelFault: boolean } | null {
  const kernel = new Kernel(module, memory, platform);
  // No spin: nothing else runs on this thread, and a park here waits on a timer.
  const runner = new Runner(kernel, platform, INLINE_WORKER, {
    trace: opts.trace, spin: 0, deterministic: false,
    onSpawn: () => { /* no wasmux imports: it cannot spawn */ },
    onKill: () => { /* nor send a signal */ },
  }, { maxMemory: opts.maxProcessMemory, transformCache: opts.transformCache, safepoints: false });
  runner.gate.beforeSleep = opts.console;
  try {
    runProcess(runner, pid);
    return null;
  } catch (e) {
    return { error: e, kernelFault: isKernelFault(e) };
  }
}
