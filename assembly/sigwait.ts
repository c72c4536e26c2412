// Waiting for signals (sigsuspend, sigtimedwait) and the end of blocked
// calls that a handled signal interrupts (docs/abi.md "Interrupted calls").
//
// When a handled signal becomes deliverable while a call blocks, the host
// asks k_sigInterrupt: a call Linux restarts, whose handlers all have
// SA_RESTART, and that has moved nothing yet, is given up (KRESTART) and
// issued again from scratch after the handlers; any other is called once
// more with task.sigintr set, so that it finishes with what it has (a
// partial write's count, data that arrived, sigsuspend's EINTR) or, if it
// would block again, with EINTR (k_interrupted). The handlers run after.

import { EINTR, EFAULT, EINVAL, EAGAIN } from "../abi/errno";
import { KSIGNAL, KRESTART, KBLOCK } from "../abi/errno";
import { KSIGINFO_SIZE } from "../abi/constants";
import { cur, curProc } from "./task";
import { copyin, copyout, putU64, scratch, SCRATCH_TMP } from "./user";
import { dequeueAll } from "./wait";
import { setSleeping } from "./proc";
import {
  restartBegin, restartKeep, restartEnd, restartAbandon, RESTART_SUSPEND, RESTART_SIGWAIT, RESTART_TIMED,
  RESTART_WRITE,
} from "./restart";
import { UNBLOCKABLE, deliverable, sigDequeue, sigAttention, sigHandledReady, sigAllRestart } from "./signal";
import { now, CLOCK_MONOTONIC } from "./clock";

/**
 * sigsuspend(set): waits with `set` as the mask until a signal is acted on;
 * -EINTR once a handler is to run (which runs with the temporary mask and
 * restores the old one at its sigreturn, as Linux).
 */
export function sys_sigsuspend(uset: u32): i32 {
  const t = cur();
  if (!restartBegin(t, RESTART_SUSPEND)) {
    const k = scratch(SCRATCH_TMP);
    if (!copyin(k, uset, 8)) return -EFAULT;
    t.savedMask = t.sigmask;
    t.sigmask = load<u64>(k) & ~UNBLOCKABLE;
    restartKeep(t, RESTART_SUSPEND);
  }
  if (t.sigintr != 0) {
    restartEnd(t);
    t.restoreMask = 1;   // the old mask comes back through the first handler's frame
    return -EINTR;
  }
  if (deliverable(t) != 0) return KSIGNAL;   // act now: the host asks k_sigInterrupt
  setSleeping(curProc(), true);
  return KBLOCK;   // no wait queue: a raise bumps the wake word
}

/**
 * sigtimedwait(set, info|0, timeout_ns): takes a pending signal of `set`
 * (blocked ones included) and returns it with its ksiginfo; -EAGAIN when
 * `timeout_ns` passes (0: poll; -1: forever), -EINTR when a handled
 * signal outside the set comes first.
 */
export function sys_sigtimedwait(uset: u32, uinfo: u32, timeout: i64): i32 {
  const t = cur();
  const p = curProc();
  const k = scratch(SCRATCH_TMP);
  if (!restartBegin(t, RESTART_SIGWAIT)) {
    if (timeout < -1) return -EINVAL;
    if (!copyin(k, uset, 8)) return -EFAULT;
    const set = load<u64>(k) & ~UNBLOCKABLE;
    memory.fill(k + 8, 0, KSIGINFO_SIZE - 8);
    if (uinfo != 0 && !copyout(uinfo, k + 8, KSIGINFO_SIZE - 8)) return -EFAULT;   // writable, before anything is taken
    t.waitSet = set;
    t.wakeAt = timeout > 0 ? now(CLOCK_MONOTONIC) + timeout : 0;
    restartKeep(t, timeout > 0 ? RESTART_SIGWAIT | RESTART_TIMED : RESTART_SIGWAIT);
  }
  const sig = sigDequeue(t, p, t.waitSet, k);
  if (sig != 0) {
    restartEnd(t); t.wakeAt = 0;
    if (uinfo != 0 && !copyout(uinfo, k, KSIGINFO_SIZE)) return -EFAULT;
    return sig;
  }
  if (t.sigintr != 0) { restartEnd(t); t.wakeAt = 0; return -EINTR; }
  if (deliverable(t) != 0) return KSIGNAL;
  if (timeout == 0 || (t.wakeAt != 0 && now(CLOCK_MONOTONIC) >= t.wakeAt)) { restartEnd(t); t.wakeAt = 0; return -EAGAIN; }
  setSleeping(p, true);
  return KBLOCK;
}

/** The time (ns) the last nanosleep interrupted by a handler had left, at `uleft` (i64). */
export function sys_sleepleft(uleft: u32): i32 { return putU64(uleft, <u64>cur().sleepLeft); }

/**
 * A handled signal may be deliverable for the blocked (or blocking) call:
 * acts on the signals (KDEAD, KSTOP as k_attention); 0: none to handle,
 * call again; KRESTART: the call is given up, to be issued anew after the
 * handlers; 1: call again with task.sigintr set, then run the handlers.
 * `restartable`: the call is one Linux restarts under SA_RESTART.
 */
export function sigInterrupt(restartable: bool): i32 {
  const t = cur();
  const p = curProc();
  const r = sigAttention(t, p, 0, true);
  if (r != KSIGNAL) return r;
  const moved = restartBegin(t, RESTART_WRITE) && t.restartDone > 0;
  if (restartable && !moved && sigAllRestart(p, sigHandledReady(t, p))) {
    dequeueAll(t);
    restartAbandon(t);
    setSleeping(p, false);
    return KRESTART;
  }
  t.sigintr = 1;
  return 1;
}

/** An interrupted call would block again: it ends with EINTR; an interrupted nanosleep keeps the time it had left. */
export function sigInterrupted(): i32 {
  const t = cur();
  dequeueAll(t);
  if (restartBegin(t, RESTART_TIMED) && t.wakeAt != 0) {
    const left = t.wakeAt - now(CLOCK_MONOTONIC);
    t.sleepLeft = left > 0 ? left : 0;
  }
  restartAbandon(t);
  setSleeping(curProc(), false);
  return -EINTR;
}
