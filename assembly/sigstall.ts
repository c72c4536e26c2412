// Tests only: forces the interleaving of a signal's raise and a sigaction
// that makes the signal ignored, the race issue 14's fix closed (signal.ts
// sigRaiseInfo decides and queues under the signal lock that
// sigChangeAction changes a disposition and discards under). Armed from
// the runtime (k_faultInjectRaise, Machine._stallNextRaise), the next
// raise of the signal parks after its decision, before it queues; a
// sigaction(sig, SIG_IGN) of the target waits until that raise has parked,
// then goes on. The raise stays parked until the sigaction has finished,
// or, when the raise holds the signal lock (as the kernel does since the
// fix), only until the sigaction has begun: it cannot finish before the
// raise lets the lock go. A kernel that decides outside the lock therefore
// queues the signal after the sigaction discarded what was pending, where
// a later handler finds it (tests/signals-gaps.test.mjs, sigrace.c).
// Every wait is bounded (STALL_MAX_LOOKS): a hook nobody answers gives up.

import { EINVAL } from "../abi/errno";
import { NSIG } from "../abi/constants";
import { G, Globals } from "./globals";
import { Proc, curProc } from "./task";

@external("host", "relax") declare function hostRelax(): void;

// raceState: what the armed raise and sigaction have done so far.
const CLAIMED: i32 = -1, ARMED: i32 = 0, PARKED: i32 = 1, BEGUN: i32 = 2, FINISHED: i32 = 3, RELEASED: i32 = 4, GAVE_UP: i32 = 5;
// Looks before a wait gives up: the host's relax sleeps 10 us or more, so
// 20 s at least (a count, not a clock: virtual time stands still in a spin).
const STALL_MAX_LOOKS: i32 = 2_000_000;

// @ts-ignore: decorator
@inline function stateWord(): usize { return changetype<usize>(G()) + offsetof<Globals>("raceState"); }

/** Spins (the host's relax between looks) until raceState reaches `at`; false when the bound ran out. */
function waitState(at: i32): bool {
  for (let i = 0; i < STALL_MAX_LOOKS; i++) {
    if (atomic.load<i32>(stateWord()) >= at) return true;
    hostRelax();
  }
  return false;
}

/** Is a raise of `sig` to stall (the first after arming only: raiseStall)? One load when nothing is armed. */
// @ts-ignore: decorator
@inline export function raiseStallArmed(sig: i32): bool { return G().raceSig == sig; }

/**
 * The armed raise of a signal to `p` has decided to queue it: park until
 * p's sigaction has finished, or has begun when `locked` (the raise holds
 * p's signal lock, which the sigaction needs to finish). Once only.
 */
export function raiseStall(p: Proc, locked: bool): void {
  if (atomic.cmpxchg<i32>(stateWord(), ARMED, CLAIMED) != ARMED) return;   // not the first
  atomic.store<i32>(changetype<usize>(G()) + offsetof<Globals>("racePid"), p.pid);
  atomic.store<i32>(stateWord(), PARKED);   // after the pid: whoever sees PARKED sees it
  const ok = waitState(locked ? BEGUN : FINISHED);
  atomic.store<i32>(stateWord(), ok ? RELEASED : GAVE_UP);
}

/**
 * sigaction(sig, SIG_IGN) is about to change the disposition: if a raise
 * of `sig` is armed, wait until it has parked, and if it is ours, say the
 * change begins. True when the caller must call actionStallEnd after it.
 */
export function actionStallBegin(sig: i32, ignoring: bool): bool {
  const g = G();
  if (!ignoring || g.raceSig != sig) return false;
  if (!waitState(PARKED)) return false;
  if (atomic.load<i32>(changetype<usize>(g) + offsetof<Globals>("racePid")) != curProc().pid) return false;
  return atomic.cmpxchg<i32>(stateWord(), PARKED, BEGUN) == PARKED;
}

/** The change is made (and what it made ignored discarded). */
export function actionStallEnd(): void { atomic.cmpxchg<i32>(stateWord(), BEGUN, FINISHED); }

/** Tests only: arms the stall for the next raise of `sig` (1..64). */
export function k_faultInjectRaise(sig: i32): i32 {
  if (sig < 1 || sig >= NSIG) return -EINVAL;
  const g = G();
  g.raceSig = 0;
  atomic.store<i32>(stateWord(), ARMED);
  atomic.store<i32>(changetype<usize>(g) + offsetof<Globals>("racePid"), 0);
  atomic.store<i32>(changetype<usize>(g) + offsetof<Globals>("raceSig"), sig);
  return 0;
}

/** Tests only: 1 once an armed raise has parked and been let go, else 0. */
export function k_raiseStalled(): i32 { return atomic.load<i32>(stateWord()) == RELEASED ? 1 : 0; }
