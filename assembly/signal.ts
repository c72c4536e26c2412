// Signals (#14): each process's signal block, raising and sending, the
// default actions, stop and continue, and SIGCHLD. The calls that change
// dispositions and masks are in sigaction.ts; waiting and interrupted calls
// in sigwait.ts (docs/abi.md "Signals", docs/architecture.md).
//
// Sets are u64, bit n-1 = signal n (Task.sigpending, Task.sigmask). A
// standard signal (1..31) is pending once, with the siginfo of its first
// sender; a real-time one (32..64) is queued with each sender's record.

import {
  SIGCHLD, SIGCONT, SIGKILL, SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU, SIGURG, SIGWINCH, NSIG,
  SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV, SIGXCPU, SIGXFSZ, SIGSYS,
  SIG_DFL, SIG_IGN, SA_NOCLDSTOP, SA_NOCLDWAIT, SA_RESTART, SIGRT_FIRST, SIGQUEUE_MAX,
  SI_USER, SI_KERNEL, CLD_EXITED, CLD_KILLED, CLD_DUMPED, CLD_STOPPED, CLD_CONTINUED,
  PSTATE_ZOMBIE, PSTATE_STOPPED, PSTATE_RUNNING, PSTATE_EMBRYO,
  KSI_SIGNO, KSI_CODE, KSI_PID, KSI_UID, KSI_VALUE, KSIGINFO_SIZE,
} from "../abi/constants";
import { EINVAL, ESRCH, EPERM, EAGAIN } from "../abi/errno";
import { KDEAD, KSTOP, KSIGNAL } from "../abi/errno";
import { Task, Proc, curProc } from "./task";
import { raiseStallArmed, raiseStall } from "./sigstall";
import { wakeTask, wakeAll } from "./wait";
import { procSlot, findProc, procExit, childQueue } from "./proc";
import { acquire, release } from "./lock";
import { kalloc, kfree } from "./alloc";
import { G, Globals } from "./globals";

// The block at Proc.sigs:
//   +0     64 dispositions {u32 handler, u32 flags, u64 mask}, index sig-1
//   +1024  31 records of the first sender of each pending standard signal
//          {i32 code, i32 pid, i32 uid, i32 status|value}, index sig-1
//   +1520  i32 length of the real-time queue; +1524 the block's lock, which
//          guards the records, the queue and their pending bits together
//   +1528  SIGQUEUE_MAX queued real-time signals {i16 sig, i16 code, i32 pid,
//          i32 uid, i32 value}, in arrival order
const DISP: usize = 0;
const INFO: usize = 1024;
const RTLEN: usize = 1520;
const LOCK: usize = 1524;
const RTQ: usize = 1528;
export const SIGS_SIZE: usize = RTQ + <usize>SIGQUEUE_MAX * 16;

// @ts-ignore: decorator
@inline export function bit(sig: i32): u64 { return (<u64>1) << <u64>(sig - 1); }
/** Never blocked, caught or ignored. */
export const UNBLOCKABLE: u64 = bit(SIGKILL) | bit(SIGSTOP);
const STOPS: u64 = bit(SIGSTOP) | bit(SIGTSTP) | bit(SIGTTIN) | bit(SIGTTOU);
const STANDARD: u64 = (<u64>1 << 31) - 1;

// @ts-ignore: decorator
@inline function disp(p: Proc, sig: i32): usize { return p.sigs + DISP + (<usize>(sig - 1) << 4); }
// @ts-ignore: decorator
@inline function sigLock(p: Proc): usize { return p.sigs + LOCK; }
export function sigHandler(p: Proc, sig: i32): u32 { return atomic.load<u32>(disp(p, sig)); }
export function sigFlags(p: Proc, sig: i32): u32 { return atomic.load<u32>(disp(p, sig) + 4); }
export function sigActMask(p: Proc, sig: i32): u64 { return load<u64>(disp(p, sig) + 8); }
export function sigSetAction(p: Proc, sig: i32, handler: u32, flags: u32, mask: u64): void {
  store<u64>(disp(p, sig) + 8, mask & ~UNBLOCKABLE);
  atomic.store<u32>(disp(p, sig) + 4, flags);
  atomic.store<u32>(disp(p, sig), handler);
}

// Default actions (signal(7)).
const ACT_TERM = 0;
const ACT_CORE = 1;
const ACT_IGN = 2;
const ACT_STOP = 3;
function defaultAction(sig: i32): i32 {
  if (sig == SIGCHLD || sig == SIGCONT || sig == SIGURG || sig == SIGWINCH) return ACT_IGN;
  if ((STOPS & bit(sig)) != 0) return ACT_STOP;
  if (sig == SIGQUIT || sig == SIGILL || sig == SIGTRAP || sig == SIGABRT || sig == SIGBUS || sig == SIGFPE ||
      sig == SIGSEGV || sig == SIGXCPU || sig == SIGXFSZ || sig == SIGSYS) return ACT_CORE;
  return ACT_TERM;
}

/** The signal's action is to be dropped (SIG_IGN, or SIG_DFL whose default ignores). */
export function sigIgnored(p: Proc, sig: i32): bool {
  const h = sigHandler(p, sig);
  return h == SIG_IGN || (h == SIG_DFL && defaultAction(sig) == ACT_IGN);
}

/** The signals the process has handlers for. */
function handledSet(p: Proc): u64 {
  let m: u64 = 0;
  for (let sig = 1; sig < NSIG; sig++) if (sigHandler(p, sig) > <u32>SIG_IGN) m |= bit(sig);
  return m;
}

/**
 * A spawn's SPAWN_SIGRESET (a shell's jobs): the signals in `set` get their
 * default action and are unblocked in the embryo `p` (SIGKILL/SIGSTOP have
 * no other action anyway).
 */
export function sigResetAction(p: Proc, set: u64): void {
  for (let sig = 1; sig < NSIG; sig++) {
    if ((set & bit(sig)) != 0 && sig != SIGKILL && sig != SIGSTOP) sigSetAction(p, sig, SIG_DFL, 0, 0);
  }
  const t = changetype<Task>(p.task);
  t.sigmask &= ~set;
}

/**
 * A new process's block (procCreate): a spawned child gets its parent's
 * dispositions as exec leaves them (handled ones back to default), fork
 * copies them whole afterwards (sigsFork). false: no memory.
 */
export function sigsCreate(p: Proc, parent: Proc | null): bool {
  p.sigs = kalloc(SIGS_SIZE);
  if (p.sigs == 0) return false;
  if (parent != null) { memory.copy(p.sigs + DISP, parent.sigs + DISP, 1024); sigsExec(p); }
  return true;
}

export function sigsFree(p: Proc): void { if (p.sigs != 0) { kfree(p.sigs); p.sigs = 0; } }

/** fork: the child has its parent's dispositions and mask, nothing pending. */
export function sigsFork(child: Proc, parent: Proc): void {
  memory.copy(child.sigs + DISP, parent.sigs + DISP, 1024);
  changetype<Task>(child.task).sigmask = changetype<Task>(parent.task).sigmask;
  child.sigTramp = parent.sigTramp;
}

/** exec: handled signals go back to SIG_DFL; ignored ones, the mask and what is pending stay. */
export function sigsExec(p: Proc): void {
  for (let sig = 1; sig < NSIG; sig++) if (sigHandler(p, sig) > <u32>SIG_IGN) sigSetAction(p, sig, SIG_DFL, 0, 0);
  p.sigTramp = 0;   // the new program's host says whether it has a trampoline
}

// ---- raising ----

/**
 * Makes `sig` pending on `t` with its siginfo, and wakes it: 0, or -EAGAIN
 * when the real-time queue is full. init (pid 1, the runtime) is immune to
 * every signal, whatever raises it: it has no default actions to take, and
 * its death would take the machine with it. It is still woken (SIGCHLD).
 * SIGCONT continues a stopped process here, at the sender, as on Linux;
 * that and the SIGCHLD it gives the parent need the process-table lock,
 * which every sender of SIGCONT holds (sigSend). A signal ignored when sent
 * (and not blocked) is dropped at once.
 */
export function sigRaiseInfo(t: Task, sig: i32, code: i32, pid: i32, uid: i32, value: i32): i32 {
  const p = changetype<Proc>(t.proc);
  if (p.pid == 1 || p.sigs == 0) { wakeTask(t); return 0; }
  const pend = changetype<usize>(t) + offsetof<Task>("sigpending");
  // The continued task is woken even when SIGCONT itself is then dropped as ignored: its host parks until it is.
  if (sig == SIGCONT) { atomic.and<u64>(pend, ~STOPS); sigContinue(p); wakeTask(t); }
  else if ((STOPS & bit(sig)) != 0) atomic.and<u64>(pend, ~bit(SIGCONT));
  acquire(sigLock(p));
  // Decided under the lock sigaction changes a disposition under
  // (sigChangeAction): a raise is wholly before a change (and dropped by
  // it if it made the signal ignored) or wholly after (and sees it).
  if ((t.sigmask & bit(sig)) == 0 && (t.waitSet & bit(sig)) == 0 && sigIgnored(p, sig)) { release(sigLock(p)); return 0; }
  if (raiseStallArmed(sig)) raiseStall(p, true);   // tests only (sigstall.ts): parks here, between deciding and queueing
  if (sig >= SIGRT_FIRST) {
    const n = load<i32>(p.sigs + RTLEN);
    if (n >= SIGQUEUE_MAX) { release(sigLock(p)); return -EAGAIN; }
    const e = p.sigs + RTQ + (<usize>n << 4);
    store<i16>(e, <i16>sig); store<i16>(e + 2, <i16>code);
    store<i32>(e + 4, pid); store<i32>(e + 8, uid); store<i32>(e + 12, value);
    store<i32>(p.sigs + RTLEN, n + 1);
  } else if ((atomic.load<u64>(pend) & bit(sig)) == 0) {
    const e = p.sigs + INFO + (<usize>(sig - 1) << 4);
    store<i32>(e, code); store<i32>(e + 4, pid); store<i32>(e + 8, uid); store<i32>(e + 12, value);
  }
  atomic.or<u64>(pend, bit(sig));
  release(sigLock(p));
  atomic.store<i32>(changetype<usize>(t) + offsetof<Task>("attn"), 1);
  wakeTask(t);
  return 0;
}

/** A signal the kernel raises itself (SIGPIPE, proc_raise). */
export function sigRaise(t: Task, sig: i32): void { sigRaiseInfo(t, sig, SI_KERNEL, 0, 0, 0); }

/**
 * Takes the next pending signal of `set` off `t`: the lowest number first
 * (standard before real-time), FIFO within a real-time number. Writes its
 * ksiginfo at kernel address `k` and returns it, or 0.
 */
export function sigDequeue(t: Task, p: Proc, set: u64, k: usize): i32 {
  const pend = changetype<usize>(t) + offsetof<Task>("sigpending");
  acquire(sigLock(p));
  const ready = atomic.load<u64>(pend) & set;
  if (ready == 0) { release(sigLock(p)); return 0; }
  const sig = <i32>ctz(ready) + 1;
  memory.fill(k, 0, KSIGINFO_SIZE);
  store<i32>(k + KSI_SIGNO, sig);
  if (sig < SIGRT_FIRST) {
    const e = p.sigs + INFO + (<usize>(sig - 1) << 4);
    store<i32>(k + KSI_CODE, load<i32>(e)); store<i32>(k + KSI_PID, load<i32>(e + 4));
    store<i32>(k + KSI_UID, load<i32>(e + 8)); store<i32>(k + KSI_VALUE, load<i32>(e + 12));
    atomic.and<u64>(pend, ~bit(sig));
  } else {
    const n = load<i32>(p.sigs + RTLEN);
    let i = 0, more = false;
    while (i < n && <i32>load<i16>(p.sigs + RTQ + (<usize>i << 4)) != sig) i++;
    if (i < n) {
      const e = p.sigs + RTQ + (<usize>i << 4);
      store<i32>(k + KSI_CODE, <i32>load<i16>(e + 2)); store<i32>(k + KSI_PID, load<i32>(e + 4));
      store<i32>(k + KSI_UID, load<i32>(e + 8)); store<i32>(k + KSI_VALUE, load<i32>(e + 12));
      memory.copy(e, e + 16, <usize>(n - i - 1) << 4);
      store<i32>(p.sigs + RTLEN, n - 1);
      for (let j = i; j < n - 1; j++) if (<i32>load<i16>(p.sigs + RTQ + (<usize>j << 4)) == sig) { more = true; break; }
    }
    if (!more) atomic.and<u64>(pend, ~bit(sig));
  }
  release(sigLock(p));
  return sig;
}

/** Drops every pending instance of the signals in `set` (they became ignored). */
export function sigDiscard(t: Task, p: Proc, set: u64): void {
  acquire(sigLock(p));
  discardLocked(t, p, set);
  release(sigLock(p));
}

/**
 * sigaction's change of `sig`'s disposition, under the signal lock: a
 * signal it makes ignored loses its pending instances in the same step, so
 * no raise can slip one in between (sigRaiseInfo decides under the lock).
 */
export function sigChangeAction(t: Task, p: Proc, sig: i32, handler: u32, flags: u32, mask: u64): void {
  acquire(sigLock(p));
  sigSetAction(p, sig, handler, flags, mask);
  if (sigIgnored(p, sig)) discardLocked(t, p, bit(sig));
  release(sigLock(p));
}

function discardLocked(t: Task, p: Proc, set: u64): void {
  const pend = changetype<usize>(t) + offsetof<Task>("sigpending");
  if ((set & ~STANDARD) != 0) {
    const n = load<i32>(p.sigs + RTLEN);
    let m = 0;
    for (let i = 0; i < n; i++) {
      const e = p.sigs + RTQ + (<usize>i << 4);
      if ((set & bit(<i32>load<i16>(e))) != 0) continue;
      if (m != i) memory.copy(p.sigs + RTQ + (<usize>m << 4), e, 16);
      m++;
    }
    store<i32>(p.sigs + RTLEN, m);
  }
  atomic.and<u64>(pend, ~set);
}

// ---- sending ----

/**
 * Linux's check_kill_permission: euid 0 (CAP_KILL), or the sender's real or
 * effective uid is the target's real or saved uid; SIGCONT within a session.
 */
function maySignal(me: Proc, p: Proc, sig: i32): bool {
  if (me.euid == 0 || me.uid == p.uid || me.euid == p.uid || me.uid == p.suid || me.euid == p.suid) return true;
  return sig == SIGCONT && me.sid == p.sid;
}

/**
 * kill(2) and sigqueue(3): pid > 0 one process, 0 the caller's process
 * group, -1 every process but init and the caller, < -1 the group -pid.
 * Signal 0 only checks that a target exists and may be signalled. init is
 * never a target. Returns 0 (some target was signalled), -EPERM (targets,
 * none permitted), -ESRCH, -EINVAL, -EAGAIN (a full real-time queue).
 */
export function sigSend(pid: i32, sig: i32, code: i32, value: i32): i32 {
  if (sig < 0 || sig >= NSIG) return -EINVAL;
  const me = curProc();
  const g = G();
  acquire(changetype<usize>(g) + offsetof<Globals>("ptableLock"));
  let found = 0, sent = 0, err = 0;
  for (let i = 0; i < g.maxProcs; i++) {
    const p = procSlot(i);
    if (p == null || p.state == PSTATE_ZOMBIE) continue;
    let match: bool;
    if (pid > 0) match = p.pid == pid;
    else if (pid == -1) match = p.pid != 1 && p != me;
    else if (pid == 0) match = p.pgid == me.pgid && p.pid != 1;
    else match = p.pgid == -pid && p.pid != 1;
    if (!match) continue;
    found++;
    if (!maySignal(me, p, sig)) continue;
    const r = sig == 0 ? 0 : sigRaiseInfo(changetype<Task>(p.task), sig, code, me.pid, me.uid, value);
    if (r < 0) err = r; else sent++;
    if (pid > 0) break;   // pids are unique: the rest of the table cannot match
  }
  release(changetype<usize>(g) + offsetof<Globals>("ptableLock"));
  if (found == 0) return -ESRCH;
  if (sent > 0) return 0;
  return err != 0 ? err : -EPERM;
}

export function sigKill(pid: i32, sig: i32): i32 { return sigSend(pid, sig, SI_USER, 0); }

// ---- stop, continue, SIGCHLD ----

/**
 * Tells `child`'s parent of an exit, stop or continue (`code` CLD_*): its
 * waiters wake, and it gets SIGCHLD with the child's pid, uid and status,
 * unless it asked for none on stops (SA_NOCLDSTOP). Table lock held.
 */
export function sigChild(child: Proc, code: i32, status: i32): void {
  const parent = findProc(child.ppid);
  if (parent == null) return;
  wakeAll(childQueue(parent));
  if ((code == CLD_STOPPED || code == CLD_CONTINUED) && parent.sigs != 0 &&
      (sigFlags(parent, SIGCHLD) & SA_NOCLDSTOP) != 0) return;
  sigRaiseInfo(changetype<Task>(parent.task), SIGCHLD, code, child.pid, child.uid, status);
}

/** The CLD_* code and si_status of a wait status (exit or death). */
export function exitCode(status: i32): i32 {
  return (status & 0x7f) == 0 ? CLD_EXITED : (status & 0x80) != 0 ? CLD_DUMPED : CLD_KILLED;
}
export function exitStatus(status: i32): i32 {
  return (status & 0x7f) == 0 ? (status >> 8) & 0xff : status & 0x7f;
}

/** The parent reaps this child itself when it exits (SIGCHLD ignored, or SA_NOCLDWAIT). */
export function autoReaped(parent: Proc): bool {
  if (parent.pid == 1 || parent.sigs == 0) return false;
  return sigHandler(parent, SIGCHLD) == SIG_IGN || (sigFlags(parent, SIGCHLD) & SA_NOCLDWAIT) != 0;
}

/** SIGCONT reached a stopped process (table lock held): it runs again, and its parent hears of it. */
function sigContinue(p: Proc): void {
  if (p.state != PSTATE_STOPPED) return;
  p.state = PSTATE_RUNNING;
  p.stopReport = 0;
  p.contReport = 1;
  sigChild(p, CLD_CONTINUED, SIGCONT);
}

/** The default action of stop signal `sig`: the process stops, its parent hears of it. */
function sigStop(t: Task, p: Proc, sig: i32): i32 {
  const tl = changetype<usize>(G()) + offsetof<Globals>("ptableLock");
  acquire(tl);
  // Under the table lock, as SIGCONT: a SIGCONT sent meanwhile has cleared it.
  const pend = changetype<usize>(t) + offsetof<Task>("sigpending");
  if ((atomic.load<u64>(pend) & bit(sig)) == 0) { release(tl); return 0; }
  atomic.and<u64>(pend, ~bit(sig));
  if (p.state != PSTATE_ZOMBIE && p.state != PSTATE_EMBRYO) {
    p.state = PSTATE_STOPPED;
    p.stopReport = sig;
    p.contReport = 0;
    sigChild(p, CLD_STOPPED, sig);
  }
  release(tl);
  return KSTOP;
}

/** 1 while the process stays stopped (the host parks); SIGCONT or a pending SIGKILL end it. */
export function sigStopped(t: Task, p: Proc): i32 {
  if ((atomic.load<u64>(changetype<usize>(t) + offsetof<Task>("sigpending")) & bit(SIGKILL)) != 0) return 0;
  return atomic.load<i32>(changetype<usize>(p) + offsetof<Proc>("state")) == PSTATE_STOPPED ? 1 : 0;
}

// ---- acting on pending signals ----

/** The signals that may be acted on now: pending, not blocked, not awaited by sigtimedwait. */
// @ts-ignore: decorator
@inline export function deliverable(t: Task): u64 {
  return atomic.load<u64>(changetype<usize>(t) + offsetof<Task>("sigpending")) & ~(t.sigmask | t.waitSet);
}

/** The deliverable signals that have handlers. */
export function sigHandledReady(t: Task, p: Proc): u64 {
  const d = deliverable(t);
  return d == 0 ? 0 : d & handledSet(p);
}

/** True when every handler about to run has SA_RESTART. */
export function sigAllRestart(p: Proc, set: u64): bool {
  for (let sig = 1; sig < NSIG; sig++) if ((set & bit(sig)) != 0 && (sigFlags(p, sig) & SA_RESTART) == 0) return false;
  return true;
}

/**
 * Acts on the deliverable signals (after a call, after a park, at a
 * safepoint): ignored ones go; a fatal default action exits the process
 * (KDEAD; SIGKILL first); a stop stops it (KSTOP: the host parks until
 * k_stopped() is 0, then asks again); handled ones stay for the trampoline
 * (KSIGNAL when `deliver`, else they wait for a later call). Otherwise `r`.
 */
export function sigAttention(t: Task, p: Proc, r: i32, deliver: bool): i32 {
  const attn = changetype<usize>(t) + offsetof<Task>("attn");
  atomic.store<i32>(attn, t.waits != 0 ? 1 : 0);
  const ready = deliverable(t);
  if (ready == 0) { sigRestoreSaved(t); return r; }
  if ((ready & bit(SIGKILL)) != 0) { procExit(p, SIGKILL); return KDEAD; }
  let handled = false;
  let drop: u64 = 0;
  for (let sig = 1; sig < NSIG; sig++) {
    if ((ready & bit(sig)) == 0) continue;
    const h = sigHandler(p, sig);
    if (h > <u32>SIG_IGN) { handled = true; continue; }
    const act = h == SIG_IGN ? ACT_IGN : defaultAction(sig);
    if (act == ACT_IGN) { drop |= bit(sig); continue; }
    if (act == ACT_STOP) {
      if (drop != 0) sigDiscard(t, p, drop);
      if (sigStop(t, p, sig) == KSTOP) { atomic.store<i32>(attn, 1); return KSTOP; }
      continue;
    }
    procExit(p, act == ACT_CORE ? sig | 0x80 : sig);
    return KDEAD;
  }
  if (drop != 0) sigDiscard(t, p, drop);
  if (!handled) { sigRestoreSaved(t); return r; }
  atomic.store<i32>(attn, 1);
  return deliver ? KSIGNAL : r;
}

/**
 * sigsuspend's mask goes back once no handler is left to run with it (a
 * handler that ran restored it already through its frame, sigtake).
 */
export function sigRestoreSaved(t: Task): void {
  if (t.restoreMask == 0) return;
  t.restoreMask = 0;
  t.sigmask = t.savedMask;
}

/** The pending signal that will kill the process when it is next acted on, or 0 (nothing consumed). */
export function sigPeekFatal(t: Task, p: Proc): i32 {
  const ready = deliverable(t);
  if (ready == 0) return 0;
  if ((ready & bit(SIGKILL)) != 0) return SIGKILL;
  for (let sig = 1; sig < NSIG; sig++) {
    if ((ready & bit(sig)) == 0) continue;
    const h = sigHandler(p, sig);
    if (h > <u32>SIG_IGN) continue;   // as sigAttention: a fatal default action wins over handlers
    if (h == SIG_DFL) { const a = defaultAction(sig); if (a == ACT_TERM || a == ACT_CORE) return sig; }
  }
  return 0;
}
