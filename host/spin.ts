// Spin-then-park, adaptively: how long a thread spins on a word before it
// sleeps on it. Shared by a blocked syscall (Gate.park, host/syscalls.ts) and
// an idle worker waiting for a spawn (runtime/worker-core.ts).
//
// Spinning pays only while the waker runs on another core: then a wake-up
// costs well under a microsecond instead of a futex wake (tens of µs). On a
// loaded machine it does not: the spinner keeps a core from the very thread
// it waits for. So a spin is bounded in iterations and in wall time (a
// spinner that was preempted stops at once), a spin that paid may go on
// longer next time, and one that did not quarters the budget, down to none.
// With no budget, every 64th wait probes with the full one, so a machine
// that becomes quiet again gets its spinning back.

/** Longer than a wake-up takes when both threads have a core; shorter than a futex wake. */
const SPIN_NS = 25_000n;
const PROBE_EVERY = 64;

export class AdaptiveSpin {
  private budget: number;
  private waits = 0;

  /** `max` iterations at most (0: never spin); `clock()` is monotonic nanoseconds. */
  constructor(private max: number, private clock: () => bigint) {
    this.budget = max;
  }

  /** Spins while i32[idx] === w; true if it changed (the spin paid). */
  spin(i32: Int32Array<ArrayBufferLike>, idx: number, w: number): boolean {
    let n = this.budget;
    if (n < this.max >> 2 && ++this.waits % PROBE_EVERY === 0) n = this.max;
    if (n === 0) return false;
    const t0 = this.clock();
    for (let s = n; s > 0; s--) {
      if (Atomics.load(i32, idx) !== w) {
        this.budget = Math.min(this.max, Math.max(64, n * 2));
        return true;
      }
      if ((s & 255) === 0 && this.clock() - t0 > SPIN_NS) break;
    }
    this.budget >>= 2;
    return false;
  }
}
