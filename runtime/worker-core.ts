// A process worker, whatever runs it: it holds its own instance of the kernel
// over the shared memory and serves the kernel's run queue: it parks on the
// queue's word, adopts the next process a spawn queued, runs it start to end
// on its thread, and goes back to waiting. Spawning needs no message; Comlink
// carries only the control plane (init, and pool top-ups). The entries are
// worker.ts (Node: worker_threads) and worker-browser.ts (a browser Worker);
// each passes its HostPlatform and Comlink endpoint to exposeWorker.

import * as Comlink from 'comlink';
import { Kernel } from '../host/kernel.js';
import { Runner, runProcess } from '../host/process.js';
import { AdaptiveSpin } from '../host/spin.js';
import type { HostPlatform } from '../host/platform.js';
import { describeFault, faulted, isKernelFault, kernelFault } from '../host/fault.js';

export interface Control {
  /** The pool may be short of idle workers. */
  poolCheck(): void;
  /** A signal was sent to pid. */
  nudge(pid: number): void;
}

export interface WorkerConfig {
  id: number; trace: boolean; spin: number; idleSpin: number; deterministic: boolean;
  /** Most linear memory per process, in bytes (BootOptions.maxProcessMemory). */
  maxProcessMemory: number;
  /** The pool's warm reserve: idle workers beyond it retire... */
  warmWorkers: number;
  /** ...after this many milliseconds without a process. */
  idleWorkerMs: number;
  /** Shared words the runtime reads if this worker dies (WS_*). */
  status: Int32Array;
  /** The transform cache's directory (BootOptions.transformCache). */
  transformCache?: string | null;
  /** BootOptions.traceToggle: word 0 nonzero while the machine traces (Machine.setTrace). */
  traceFlag?: Int32Array;
}

/**
 * Leaves the pool if it has more idle workers than its warm reserve. The
 * worker leaves the idle count first and then looks at the run queue once
 * more: a spawn that queued before sees the pid here (we stay and pop it);
 * a spawn that queues after sees us gone from the count, and its pool check
 * (the runtime's spawn, a guest's onSpawn) starts a worker if the rest are
 * too few. A retiring worker never pops a pid.
 */
function retire(k: Kernel, warm: number): 'retired' | 'reserve' | 'busy' {
  const reserve = k.exports.k_idleWorkers(-1) < warm;
  if (reserve || k.exports.k_runqLength() > 0) {
    k.exports.k_idleWorkers(1);
    return reserve ? 'reserve' : 'busy';
  }
  return 'retired';
}

// What a worker is doing, for the runtime to act on should the thread die
// (runtime/machine.ts workerLost): a pool-level kernel call in progress (it
// may hold a run-queue or heap lock: a death there is a kernel fault), and
// the process taken off the run queue, until the worker is done with it.
export const WS_IN_KERNEL = 0;
export const WS_PID = 1;
export const WS_WORDS = 2;

/** The worker's Comlink API over `platform`. */
export function workerApi(platform: HostPlatform) {
  let kernel: Kernel | null = null;
  return {
    init(module: WebAssembly.Module, memory: WebAssembly.Memory): void {
      kernel = new Kernel(module, memory, platform);
    },
    /**
     * Serves the run queue; returns when the worker retires (idle past
     * cfg.idleWorkerMs beyond the warm reserve): the runtime then ends it.
     * Throws (the runtime then ends this worker) if a process's run failed
     * in the host or the kernel.
     */
    serve(cfg: WorkerConfig, ctl: Comlink.Remote<Control>): void {
      const k = kernel!;
      const word = k.exports.k_runqWord() >> 2;
      const runner = new Runner(k, platform, cfg.id, {
        trace: cfg.trace,
        traceOn: cfg.traceFlag ? ((f) => () => Atomics.load(f, 0) !== 0)(cfg.traceFlag) : undefined,
        spin: cfg.spin,
        deterministic: cfg.deterministic,
        onSpawn: () => { if (k.exports.k_runqLength() > k.exports.k_idleWorkers(0)) void ctl.poolCheck(); },
        onKill: (target: number) => { void ctl.nudge(target); },
      }, { maxMemory: cfg.maxProcessMemory, transformCache: cfg.transformCache });
      // Spin a little after a process ends (shells spawn in bursts), then
      // sleep; adaptively, so spinning never costs a loaded machine (host/spin.ts).
      const spinner = new AdaptiveSpin(cfg.idleSpin, () => platform.clock(1), platform.overloaded?.bind(platform));
      const st = cfg.status;
      let spin = false;
      let idleSince = performance.now();
      let reserve = false;
      for (;;) {
        const i32 = k.kmem.words(word << 2);
        const w = Atomics.load(i32, word);
        Atomics.store(st, WS_IN_KERNEL, 1);
        const pid = k.exports.k_runqPop();
        const idle = pid === 0 ? -1 : k.exports.k_idleWorkers(-1);
        Atomics.store(st, WS_PID, pid);
        Atomics.store(st, WS_IN_KERNEL, 0);
        if (pid === 0) {
          if (spin) {
            // While we spin, a spawn needs not wake anyone (runqPush).
            k.exports.k_spinningWorkers(1);
            spin = spinner.spin(i32, word, w);
            k.exports.k_spinningWorkers(-1);
            if (spin) continue;
          }
          // Part of the warm reserve: no timeout until it has run a process again.
          const left = reserve ? Infinity : cfg.idleWorkerMs - (performance.now() - idleSince);
          if (left > 0) Atomics.wait(i32, word, w, left);
          else {
            const r = retire(k, cfg.warmWorkers);
            if (r === 'retired') return;
            reserve = r === 'reserve';
            idleSince = performance.now();   // needed after all: a full idle period again
          }
          continue;
        }
        if (idle === 0) void ctl.poolCheck();
        try {
          runProcess(runner, pid);
        } catch (e) {
          // The process may be left half-run: this worker stops, and the
          // runtime ends the process (or, for a kernel fault, the machine).
          platform.traceWrite(`wasmux: worker ${cfg.id}: pid ${pid}: ${describeFault(e)}\n`);
          if (isKernelFault(e) && !faulted(k)) kernelFault(k, `worker ${cfg.id}, pid ${pid}: ${describeFault(e)}`);
          throw e;
        }
        Atomics.store(st, WS_IN_KERNEL, 1);
        k.exports.k_idleWorkers(1);
        Atomics.store(st, WS_PID, 0);
        Atomics.store(st, WS_IN_KERNEL, 0);
        Atomics.notify(st, WS_PID);   // a shutdown may wait for this (Machine.finishingWorkers)
        spin = true;
        idleSince = performance.now();
        reserve = false;
      }
    },
  };
}

export type WorkerApi = ReturnType<typeof workerApi>;

/** Serves the worker API on `endpoint` (the entry's Comlink endpoint). */
export function exposeWorker(platform: HostPlatform, endpoint: Comlink.Endpoint): void {
  Comlink.expose(workerApi(platform), endpoint);
}
