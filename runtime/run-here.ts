// The CLI's fast path on the machine's side (Machine.runHere): spawns a
// process without starting a worker for it and runs it to its end on this
// thread (runtime/inline.ts), feeding the console from here when asked.
// A host error ends the process, one in the kernel the machine, as a
// worker's death would (runtime/termination.ts workerLost).

import { SIGKILL } from '../abi/constants.js';
import type { Kernel } from '../host/kernel.js';
import { describeFault, faulted } from '../host/fault.js';
import type { RuntimePlatform } from './platform.js';
import type { Arena } from './arena.js';
import type { WasmuxError } from './errors.js';
import type { Options } from './boot-options.js';
import type { ProcessHandle } from './process-handle.js';
import { runInline, INLINE_WORKER, type ConsoleSink } from './inline.js';

/** What runHere needs of the machine. */
export interface RunHereHost {
  readonly kernel: Kernel;
  readonly kmodule: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly platform: RuntimePlatform;
  readonly opts: Options;
  readonly arena: Arena;
  /** No worker is running or being started. */
  poolEmpty(): boolean;
  closed(): boolean;
  /** Machine.spawnNow with no worker started for the new process. */
  spawnWithoutPool(): ProcessHandle;
  kcall<T>(f: () => T): T;
  machineFault(cause: unknown): WasmuxError;
  poke(): void;
}

/**
 * Spawns (through `m.spawnWithoutPool`) and runs the process to its end on
 * this thread, before returning; null when it cannot: no worker may be
 * able to take it instead (none started, none queued, not deterministic).
 * `syncConsole`, for a machine booted without stdin: makes what feeds the
 * console from this thread when the process would wait
 * (runtime/sync-console.ts).
 */
export function runHere(m: RunHereHost, syncConsole?: (sink: ConsoleSink) => () => boolean): ProcessHandle | null {
  if (m.closed() || m.opts.deterministic || (syncConsole && m.opts.stdin) || !m.poolEmpty()
    || m.kcall(() => m.kernel.exports.k_runqLength()) !== 0) return null;
  const handle = m.spawnWithoutPool();
  const pid = m.kcall(() => m.kernel.exports.k_runqPop());
  if (pid !== handle.pid) throw m.machineFault(`runHere: the run queue gave pid ${pid}, not ${handle.pid}`);
  const { trace, maxProcessMemory, transformCache } = m.opts;
  // The console's input, fed on this thread when the process would wait for it.
  const input = syncConsole?.({
    feed: (bytes) => {
      m.arena.reset();
      const chunk = bytes.subarray(0, 65536);
      const p = m.arena.bytes(chunk);
      return Math.max(0, m.kcall(() => m.kernel.exports.k_consoleFeed(p, chunk.length)));
    },
    end: (permanent) => { m.kcall(() => m.kernel.exports.k_consoleEof(permanent ? 1 : 0)); },
  }) ?? null;
  const failed = runInline(m.kmodule, m.memory, m.platform.host, pid, { trace, maxProcessMemory, transformCache, console: input });
  if (failed) {
    // As a worker's death (workerLost): a host error ends the process, one in the kernel the machine.
    m.platform.host.traceWrite(`wasmux: pid ${pid}: ${describeFault(failed.error)}\n`);
    if (failed.kernelFault || faulted(m.kernel)) throw m.machineFault(failed.error);
    if (m.kcall(() => m.kernel.exports.k_workerLost(pid, INLINE_WORKER, SIGKILL)) === 1) {
      throw m.machineFault(`pid ${pid} failed inside the kernel`);
    }
  }
  m.poke();
  return handle;
}
