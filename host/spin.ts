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
//
// An overloaded machine is another matter (far more runnable threads than
// CPUs: measured with other jobs running beside the bench, 7-20 runnable
// threads on the 2 CPUs). There the thread that would wake us is most
// likely waiting for a core, a spin rarely pays (in 22% of the blocks of a
// pipe stream, under 1% of a ping-pong's), and a spinner takes the core the
// waker needs: spinning made pipe throughput 2x slower (0.18-0.23 against
// 0.40-0.63 GB/s, 5 runs each) and ping-pong 3-5x slower (209-314 against
// 65-70 µs) than parking at once. So a spin is skipped when both (a) the
// platform says the machine is overloaded (`overloaded()`: more runnable
// threads than CPUs, runtime/load-node.ts) and (b) spins have stopped
// paying (a running average of paid spins below a quarter); one block in
// PROBE (16) still spins, to see whether spinning pays again. Measured the
// same way (--loaded beside other jobs, 2 runs each): ping-pong 106-155 µs
// with this policy (probing 1 in 8), 87-92 µs never spinning while
// overloaded, 72-108 µs with `spin: 0`, 255-374 µs spinning as before;
// throughput 0.42-0.50, 0.31-0.56, 0.41-0.42 and 0.12-0.25 GB/s. Either alone is
// not enough: (a) alone would stop spinning that pays on a merely loaded
// machine (a busy process per CPU, where spinning measured 0.75x native
// throughput and parking 0.14x), (b) alone is the quiet machine's trap
// above (one side parks, so the other's spins fail, so it parks too).

/** Longer than a wake-up takes when both threads have a core (a round trip's other half included). */
const SPIN_NS = 200_000n;
/** While spinning is skipped, one block in this many still spins (a power of two). */
const PROBE = 16;

export class AdaptiveSpin {
  private budget: number;
  /** Running average of spins that paid (1/8 weight each). */
  private paying = 1;
  private skipped = 0;

  /**
   * `max` iterations at most (0: never spin); `clock()` is monotonic
   * nanoseconds; `overloaded()`, if given, says whether the machine has
   * more runnable threads than CPUs just now.
   */
  constructor(private max: number, private clock: () => bigint, private overloaded?: () => boolean) {
    this.budget = max;
  }

  /** Spins while i32[idx] === w; true if it changed (the spin paid). */
  spin(i32: Int32Array<ArrayBufferLike>, idx: number, w: number): boolean {
    const n = this.budget;
    if (n === 0) return false;
    if (this.paying < 0.25 && (++this.skipped & (PROBE - 1)) !== 0 && this.overloaded?.()) {
      return Atomics.load(i32, idx) !== w;   // one look, then park
    }
    const t0 = this.clock();
    for (let s = n; s > 0; s--) {
      if (Atomics.load(i32, idx) !== w) {
        this.budget = Math.min(this.max, Math.max(64, n * 2));
        this.paying += (1 - this.paying) / 8;
        return true;
      }
      if ((s & 255) === 0 && this.clock() - t0 > SPIN_NS) break;
    }
    this.budget = Math.max(this.max >> 2, n >> 2);
    this.paying -= this.paying / 8;
    return false;
  }
}
