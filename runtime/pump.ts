// How the runtime thread (init) waits without blocking its event loop: each
// pending operation is retried whenever init's wake word moves, using
// Atomics.waitAsync instead of a parked thread. One loop serves them all, so
// a retry never drops another operation's wait-queue registration.

import { KBLOCK } from '../abi/errno.js';
import { TASK_WAKE } from '../host/kernel.js';
import type { Kernel } from '../host/kernel.js';

/** An operation: returns true when finished, false to be retried on the next wake. */
export type Attempt = () => boolean;

export class Pump {
  private items = new Set<Attempt>();
  private running = false;
  private stopped = false;
  private idx: number;

  /**
   * `deterministic`: init acts only while it holds the CPU token (assembly/sched.ts).
   * `onError`: an attempt or the pump's own kernel calls threw (a kernel
   * fault); the pump has stopped by then.
   */
  constructor(private kernel: Kernel, task: number, private deterministic = false,
              private onError: (e: unknown) => void = () => {}) {
    this.idx = (task + TASK_WAKE) >> 2;
  }

  /** Drops every pending operation and never calls the kernel again (the machine has stopped). */
  stop(): void {
    this.stopped = true;
    this.items.clear();
    this.poke();
  }

  add(attempt: Attempt): void {
    if (this.stopped) return;
    this.items.add(attempt);
    if (this.running) this.poke();
    else void this.loop();
  }

  /** Retries every pending operation now (after the runtime changed something). */
  poke(): void {
    const i32 = this.kernel.kmem.words(this.idx << 2);
    Atomics.add(i32, this.idx, 1);
    Atomics.notify(i32, this.idx);
  }

  private async loop(): Promise<void> {
    this.running = true;
    try {
      const k = this.kernel.exports;
      while (this.items.size > 0 && !this.stopped) {
        const i32 = this.kernel.kmem.words(this.idx << 2);
        const w = Atomics.load(i32, this.idx);
        if (!this.deterministic || k.k_schedAcquire()) {
          // Leave the queues of the last round, then retry everything (re-registering).
          k.k_unblock();
          for (const item of [...this.items]) if (item()) this.items.delete(item);
          if (this.deterministic) k.k_schedYield(0);
          if (this.items.size === 0) break;
        }
        const res = Atomics.waitAsync(i32, this.idx, w);
        if (res.async) await res.value;
      }
    } catch (e) {
      this.stop();
      this.onError(e);
    } finally {
      this.running = false;
    }
  }
}

export { KBLOCK };
