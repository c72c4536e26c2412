// Ending processes from outside the kernel: a signal that must kill a
// process sitting in guest code terminates its worker and exits it here
// (invariant 5, nudge), and a worker thread that died by itself has its
// process killed (workerLost). Machine (runtime/machine.ts) owns the pool
// and the kernel; this module only decides and acts through `TerminationHost`.

import { SIGKILL } from '../abi/constants.js';
import type { Kernel } from '../host/kernel.js';
import { faulted } from '../host/fault.js';
import type { WasmuxError } from './errors.js';
import type { PoolWorker } from './pool-worker.js';
import { WS_IN_KERNEL, WS_PID } from './worker-core.js';

/** How long a process claimed for termination waits for its worker's thread to stop before it exits anyway. */
const EXIT_WAIT_MS = 1000;

/** What termination needs of the machine. */
export interface TerminationHost {
  readonly kernel: Kernel;
  /** The pool's workers by id (a worker removed here is no longer the machine's). */
  readonly workers: Map<number, PoolWorker>;
  closed(): boolean;
  /** The pids of the process table (runtime/machine.ts ps()). */
  pids(): number[];
  kcall<T>(f: () => T): T;
  guard(f: () => void): void;
  machineFault(cause: unknown): WasmuxError;
  poolCheck(): void;
  /** The pump looks again (a process exited, a parent may wake). */
  poke(): void;
  traceWrite(line: string): void;
}

export class Termination {
  /** Pids with a fatal signal pending while in the kernel: nudged again soon (nudgeLater). */
  private renudge = new Set<number>();

  constructor(private m: TerminationHost) {}

  /**
   * A signal was sent to `pid`. If it must die and sits in guest code (not
   * in the kernel), terminate its worker and exit it here (invariant 5).
   * Once claimed (kstate 2), the process is exited whatever else fails.
   */
  nudge(pid: number, retry = 1): void {
    const m = this.m;
    if (m.closed() || pid === 1) return;   // init is the runtime itself
    if (pid <= 0) {
      // A group or everyone: look at every process a worker runs.
      for (const p of m.pids()) if (p > 1) this.nudge(p);
      return;
    }
    // Check and claim in one step in the kernel: the worker cannot finish
    // this process and start another in between.
    const claim = m.kcall(() => m.kernel.exports.k_claimForTermination(pid));
    if (claim === -1) { this.nudgeLater(pid, retry); return; }
    if (claim === 0) return;
    const task = m.kcall(() => m.kernel.exports.k_taskOf(pid));
    const w = m.workers.get(claim >> 8);
    // true once the thread has surely stopped; false if that is unknown.
    let stopped: Promise<boolean>;
    try {
      if (!w) throw new Error(`claimed on unknown worker ${claim >> 8}`);
      m.workers.delete(w.id);
      stopped = Promise.resolve(w.worker.terminate()).then(() => true);
    } catch (e) {
      stopped = Promise.reject(e);
    }
    m.poolCheck();
    // The process exits once its thread has stopped (so its memory is
    // freed only when no thread can touch it), or after EXIT_WAIT_MS
    // whatever happens to the thread: a claimed process always ends.
    let exited = false;
    const exit = (): void => {
      if (exited || m.closed()) return;
      exited = true;
      m.guard(() => { m.kcall(() => m.kernel.exports.k_exitOther(pid, claim & 0xff)); m.poke(); });
    };
    const timer = setTimeout(exit, EXIT_WAIT_MS);
    (timer as { unref?: () => void }).unref?.();
    stopped.catch((e) => {
      m.traceWrite(`wasmux: pid ${pid}: its worker may not have stopped (${String(e)}); its memory stays held\n`);
      return false;
    }).then((gone) => {
      clearTimeout(timer);
      exit();
      // The dead worker's hold on the process's memory (k_attach) goes last.
      if (gone) m.guard(() => { if (!m.closed()) m.kcall(() => m.kernel.exports.k_taskDone(task)); });
    });
  }

  /**
   * A fatal signal is pending for `pid` but it was inside the kernel: it
   * dies on its way out, unless it had already passed its last signal
   * check. Look again shortly (backing off) until it is gone or claimed.
   */
  private nudgeLater(pid: number, delay: number): void {
    if (this.renudge.has(pid) || this.m.closed()) return;
    this.renudge.add(pid);
    const timer = setTimeout(() => {
      this.renudge.delete(pid);
      this.m.guard(() => this.nudge(pid, Math.min(delay * 2, 100)));
    }, delay);
    (timer as { unref?: () => void }).unref?.();
  }

  /**
   * A pool worker's thread stopped without being told to (a crash, out of
   * memory, something else terminated it, or it stopped serving). Its
   * process is ended with SIGKILL, as by Linux's OOM killer, and its parent
   * woken. If the thread was inside the kernel (not parked), it may have
   * held a lock: that is a kernel fault.
   */
  workerLost(w: PoolWorker, reason: string): void {
    const m = this.m;
    if (m.closed() || m.workers.get(w.id) !== w) return;   // ended on purpose
    m.workers.delete(w.id);
    void Promise.resolve(w.worker.terminate()).catch(() => { /* already gone */ });
    if (faulted(m.kernel)) { m.machineFault(reason); return; }
    const pid = Atomics.load(w.status, WS_PID);
    if (Atomics.load(w.status, WS_IN_KERNEL) !== 0) {
      m.machineFault(`worker ${w.id} died inside the kernel (${reason})`);
      return;
    }
    const k = m.kernel.exports;
    if (pid === 0) {
      m.kcall(() => k.k_idleWorkers(-1));   // it was idle
    } else if (m.kcall(() => k.k_workerLost(pid, w.id, SIGKILL)) === 1) {
      m.machineFault(`worker ${w.id} died inside the kernel running pid ${pid} (${reason})`);
      return;
    } else {
      m.traceWrite(`wasmux: pid ${pid}: its worker died (${reason}); killed\n`);
    }
    m.poke();
    m.poolCheck();
  }
}
