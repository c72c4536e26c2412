// Spin-then-park, adaptively: how long a thread spins on a word before it
// sleeps on it. Shared by a blocked syscall (Gate.park, host/syscalls.ts) and
// an idle worker waiting for a spawn (runtime/worker-core.ts).
//
// Spinning pays only while the waker runs on another core: then a wake-up
// costs a few microseconds instead of a futex wake (measured here: a parked
// 1-byte pipe round trip took 300+ µs on a quiet machine, whose idle cores
// are slow to wake, against ~10 µs spinning). On a loaded machine spinning
// pays less, but it costs little more than the park it replaces: a spin is
// bounded in wall time (a spinner that was preempted stops at its next look
// at the clock), a spin that did not pay quarters the budget, and one that
// paid doubles it. The budget never drops below a quarter of the maximum:
// with less (measured: down to none, probing now and then), a quiet
// machine lost its fast wake-ups to every hiccup (ping-pong 45-300 µs
// instead of 10-17 µs), while a loaded one gained nothing measurable
// (`npm run bench -- --loaded` with spinning vs `spin: 0` within the noise).

/** Longer than a wake-up takes when both threads have a core (a round trip's other half included). */
const SPIN_NS = 200_000n;

export class AdaptiveSpin {
  private budget: number;

  /** `max` iterations at most (0: never spin); `clock()` is monotonic nanoseconds. */
  constructor(private max: number, private clock: () => bigint) {
    this.budget = max;
  }

  /** Spins while i32[idx] === w; true if it changed (the spin paid). */
  spin(i32: Int32Array<ArrayBufferLike>, idx: number, w: number): boolean {
    const n = this.budget;
    if (n === 0) return false;
    const t0 = this.clock();
    for (let s = n; s > 0; s--) {
      if (Atomics.load(i32, idx) !== w) {
        this.budget = Math.min(this.max, Math.max(64, n * 2));
        return true;
      }
      if ((s & 255) === 0 && this.clock() - t0 > SPIN_NS) break;
    }
    this.budget = Math.max(this.max >> 2, n >> 2);
    return false;
  }
}
