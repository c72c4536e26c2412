// The one kernel clock (invariant 6). In deterministic mode time is virtual:
// a counter in kernel memory that only the scheduler advances.

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
  return hostClock(id == CLOCK_REALTIME ? CLOCK_REALTIME : CLOCK_MONOTONIC);
}

import { Globals } from "./globals";
