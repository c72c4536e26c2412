// Per-process real-time timer (issue 14): alarm, setitimer, getitimer with
// ITIMER_REAL, which raises SIGALRM (si_code SI_TIMER) at its process when
// it expires, and re-arms itself when it has an interval. The deadline is on
// the kernel clock (clock.ts: virtual in deterministic mode).
//
// There is no timer thread: the timer is the process's own and only its own
// thread fires it, at the places it looks anyway. While it computes: every
// kernel entry (k_enter) and exit (k_leave: a timer that fell due during a
// long call fires as it returns), and a safepoint's slow path enters when
// k_timerDue says the timer is due. While it blocks: the host parks until
// min(call deadline, timer) (k_parkDeadline), and k_unblock fires what is
// due; in deterministic mode the scheduler counts the timer as the task's
// wake-up time (sched.ts taskDeadline). So the fields need no lock: one thread writes them (setitimer and firing both run on it), and the
// scheduler reads other tasks' only while it holds the CPU token.
//
// Linux: fork's child starts with no timer (procCreate zeroes it, procFork
// does not copy it), exec keeps it (the Proc stays).

import { EFAULT, EINVAL } from "../abi/errno";
import { SIGALRM, SI_TIMER } from "../abi/constants";
import { Task, Proc, cur, curProc } from "./task";
import { copyin, copyout, scratch, SCRATCH_TMP } from "./user";
import { now, CLOCK_MONOTONIC } from "./clock";
import { sigRaiseInfo } from "./signal";

export const ITIMER_REAL = 0;
const NS: i64 = 1000000000;

/**
 * Fires `p`'s timer if it is due at `tnow`: SIGALRM to its task, and the next
 * expiry one interval later (expiries missed meanwhile coalesce into this
 * one, as a pending standard signal does). Returns true if it fired.
 */
function fire(t: Task, p: Proc, tnow: i64): bool {
  const at = p.itimerAt;
  if (at == 0 || tnow < at) return false;
  const iv = p.itimerInterval;
  if (iv > 0) {
    const late = tnow - at;
    p.itimerAt = at + (late / iv + 1) * iv;
  } else {
    p.itimerAt = 0;
  }
  sigRaiseInfo(t, SIGALRM, SI_TIMER, 0, 0, 0);
  return true;
}

/** The current process's timer, fired if due (kernel entry, after a park, a safepoint). */
export function timersFire(): bool {
  const p = curProc();
  if (p.itimerAt == 0) return false;   // the common case: no timer, no clock read
  return fire(cur(), p, now(CLOCK_MONOTONIC));
}

/** Read-only: the current process's timer is armed and due (the safepoint's cheap look before it enters the kernel). */
export function timerDue(): bool {
  const at = curProc().itimerAt;
  return at != 0 && now(CLOCK_MONOTONIC) >= at;
}

/** Remaining time of the timer at `tnow` (0 when disarmed). */
function remaining(p: Proc, tnow: i64): i64 {
  if (p.itimerAt == 0) return 0;
  const r = p.itimerAt - tnow;
  return r > 0 ? r : 1;   // due but not fired yet: still armed, as Linux reports it
}

/** Arms (value > 0) or disarms (value 0) the timer of `p`. */
function arm(p: Proc, interval: i64, value: i64, tnow: i64): void {
  if (value == 0) { p.itimerAt = 0; p.itimerInterval = 0; return; }
  p.itimerAt = tnow + value;
  p.itimerInterval = interval;
}

/**
 * setitimer(which, new|0, old|0): records of two i64 {interval_ns, value_ns}.
 * The old value is written before the new one takes effect, so a bad `old`
 * pointer (EFAULT) changes nothing. Only ITIMER_REAL; negative times EINVAL.
 */
export function sys_setitimer(which: i32, unew: u32, uold: u32): i32 {
  if (which != ITIMER_REAL) return -EINVAL;
  const k = scratch(SCRATCH_TMP);
  let interval: i64 = 0, value: i64 = 0;
  if (unew != 0) {
    if (!copyin(k, unew, 16)) return -EFAULT;
    interval = load<i64>(k);
    value = load<i64>(k, 8);
    if (interval < 0 || value < 0) return -EINVAL;
  }
  const p = curProc();
  const tnow = now(CLOCK_MONOTONIC);
  if (uold != 0) {
    store<i64>(k, p.itimerAt == 0 ? 0 : p.itimerInterval);
    store<i64>(k, remaining(p, tnow), 8);
    if (!copyout(uold, k, 16)) return -EFAULT;
  }
  if (unew != 0) arm(p, interval, value, tnow);
  return 0;
}

/** getitimer(which, cur): the interval and the time left. */
export function sys_getitimer(which: i32, ucur: u32): i32 {
  if (which != ITIMER_REAL) return -EINVAL;
  const p = curProc();
  const k = scratch(SCRATCH_TMP);
  store<i64>(k, p.itimerAt == 0 ? 0 : p.itimerInterval);
  store<i64>(k, remaining(p, now(CLOCK_MONOTONIC)), 8);
  return copyout(ucur, k, 16) ? 0 : -EFAULT;
}

/**
 * alarm(secs): a one-shot ITIMER_REAL of `secs` seconds (0 cancels); returns
 * the seconds the previous one had left, rounded to the nearest second and at
 * least 1 if it was armed (Linux's alarm_setitimer).
 */
export function sys_alarm(secs: u32): i32 {
  const p = curProc();
  const tnow = now(CLOCK_MONOTONIC);
  const left = remaining(p, tnow);
  let old = <i32>((left + NS / 2) / NS);
  if (left > 0 && old == 0) old = 1;
  arm(p, 0, <i64>secs * NS, tnow);
  return old;
}
