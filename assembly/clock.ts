// The one kernel clock (invariant 6). In deterministic mode time is virtual:
// a counter in kernel memory that only the scheduler advances. Otherwise
// CLOCK_MONOTONIC is the host's machine-wide monotonic clock (the same on
// every thread: process.hrtime in Node, the page's timeOrigin-relative
// performance.now() in a browser) counted from the machine's boot
// (Globals.monoOrigin), so every worker reads the same clock, whenever it
// was started.

import { G } from "./globals";

@external("host", "clock") declare function hostClock(id: i32): i64;

export const CLOCK_REALTIME = 0;
export const CLOCK_MONOTONIC = 1;

export function now(id: i32): i64 {
  const g = G();
  if (g.clockMode == 1) {
    const v = atomic.load<i64>(changetype<usize>(g) + offsetof<Globals>("virtualNow"));
    return id == CLOCK_REALTIME ? g.bootRealtime + v : v;
  }
  if (id == CLOCK_REALTIME) return hostClock(CLOCK_REALTIME);
  return hostClock(CLOCK_MONOTONIC) - g.monoOrigin;
}

/** At boot, before anything reads the clock: CLOCK_MONOTONIC starts near 0. */
export function clockBoot(): void {
  G().monoOrigin = hostClock(CLOCK_MONOTONIC);
}

import { Globals } from "./globals";
