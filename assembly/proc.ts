// The process table: creation, exit, zombies, re-parenting and waitpid.
// Guarded by one table lock; a Proc's own lock guards its descriptor table.

import { EAGAIN, ECHILD, ENOMEM, EFAULT } from "../abi/errno";
import { KBLOCK } from "../abi/errno";
import {
  PSTATE_EMBRYO, PSTATE_RUNNING, PSTATE_SLEEPING, PSTATE_ZOMBIE, PSTATE_STOPPED, WNOHANG,
  WUNTRACED, WCONTINUED, WSTATUS_STOPPED, WSTATUS_CONTINUED,
} from "../abi/constants";
import { kalloc, kallocRaw, kfree } from "./alloc";
import { G, Globals } from "./globals";
import { acquire, release } from "./lock";
import { Proc, Task, cur, curProc } from "./task";
import { SCRATCH_SIZE, putU32 } from "./user";
import { waitOn, wakeAll, wakeTask, dequeueAll, TASK_ALLOC_SIZE } from "./wait";
import { File, filePut, fdtDestroy } from "./file";
import { Inode, inodePut } from "./vfs";
import {
  sigPeekFatal, sigsCreate, sigsFree, sigChild, exitCode, exitStatus, autoReaped,
} from "./signal";
import { schedExit } from "./sched";
import { restartAbandon } from "./restart";
import { ttyLeaderExitHeld, ttyOrphansHeld } from "./tty";
import { credInherit, credInit } from "./credinit";
import { rusageOut, rusageReap, rusageFreeze } from "./rusage";

// @ts-ignore: decorator
@inline export function ptableLock(): usize { return changetype<usize>(G()) + offsetof<Globals>("ptableLock"); }
// @ts-ignore: decorator
@inline export function childQueue(p: Proc): usize { return changetype<usize>(p) + offsetof<Proc>("childLock"); }
// @ts-ignore: decorator
@inline function slotAddr(i: i32): usize { return G().procs + (<usize>i << 2); }

export function procTableInit(maxProcs: i32): void {
  const g = G();
  g.maxProcs = maxProcs;
  g.procs = kalloc(<usize>maxProcs << 2);
  g.runq = kalloc(<usize>maxProcs << 2);
  g.nextPid = 1;
}

// ---- the run queue: embryos wait here until an idle worker adopts one ----

// @ts-ignore: decorator
@inline function runqLock(): usize { return changetype<usize>(G()) + offsetof<Globals>("runqLock"); }
// @ts-ignore: decorator
@inline export function runqWord(): usize { return changetype<usize>(G()) + offsetof<Globals>("runqWord"); }

/**
 * Queues a new process for a worker. A worker spinning on the queue word
 * sees it at once; a parked one is woken only when the spinners are too few.
 */
export function runqPush(pid: i32): void {
  const g = G();
  acquire(runqLock());
  store<i32>(g.runq + (<usize>(g.runqTail % g.maxProcs) << 2), pid);
  g.runqTail++;
  const queued = g.runqTail - g.runqHead;
  release(runqLock());
  atomic.add<i32>(runqWord(), 1);
  if (queued > atomic.load<i32>(changetype<usize>(g) + offsetof<Globals>("spinningWorkers"))) atomic.notify(runqWord(), 1);
}

/** The next process waiting for a worker, or 0. */
export function runqPop(): i32 {
  const g = G();
  if (atomic.load<i32>(changetype<usize>(g) + offsetof<Globals>("runqHead")) == atomic.load<i32>(changetype<usize>(g) + offsetof<Globals>("runqTail"))) return 0;
  acquire(runqLock());
  let pid = 0;
  if (g.runqHead != g.runqTail) {
    pid = load<i32>(g.runq + (<usize>(g.runqHead % g.maxProcs) << 2));
    g.runqHead++;
  }
  release(runqLock());
  return pid;
}

export function runqLength(): i32 { const g = G(); return g.runqTail - g.runqHead; }

/** Looks a pid up; the caller holds the table lock. */
export function findProc(pid: i32): Proc | null {
  const n = G().maxProcs;
  for (let i = 0; i < n; i++) {
    const p = load<usize>(slotAddr(i));
    if (p != 0 && changetype<Proc>(p).pid == pid) return changetype<Proc>(p);
  }
  return null;
}

/** The process in table slot i, or null; the caller holds the table lock. */
export function procSlot(i: i32): Proc | null { return changetype<Proc | null>(load<usize>(slotAddr(i))); }

/** Finds a pid under the table lock (for callers outside it). */
export function procByPid(pid: i32): Proc | null {
  acquire(ptableLock());
  const p = findProc(pid);
  release(ptableLock());
  return p;
}

/**
 * Creates an embryo process with one task, child of `parent` (null for init).
 * Returns it, or null with *err: EAGAIN at the process limit, ENOMEM.
 */
export function procCreate(parent: Proc | null): isize {
  const g = G();
  const p = changetype<Proc>(kalloc(offsetof<Proc>()));
  const t = changetype<Task>(kalloc(TASK_ALLOC_SIZE));   // with its inline wait entries
  const sc = kallocRaw(SCRATCH_SIZE);   // always written before read
  if (changetype<usize>(p) == 0 || changetype<usize>(t) == 0 || sc == 0 || !sigsCreate(p, parent)) {
    if (changetype<usize>(p) != 0) sigsFree(p);   // (kalloc zeroes: no block yet is 0)
    kfree(changetype<usize>(p)); kfree(changetype<usize>(t)); kfree(sc);
    return -ENOMEM;
  }
  t.proc = changetype<usize>(p);
  t.scratch = sc;
  p.task = changetype<usize>(t);
  p.refs = 1;
  p.preopenFd = -1;
  p.state = PSTATE_EMBRYO;
  acquire(ptableLock());
  let free = -1;
  if (g.nprocs < g.maxProcs) {
    for (let i = 0; i < g.maxProcs; i++) if (load<usize>(slotAddr(i)) == 0) { free = i; break; }
  }
  if (free < 0) {
    release(ptableLock());
    sigsFree(p); kfree(changetype<usize>(p)); kfree(changetype<usize>(t)); kfree(sc);
    return -EAGAIN;
  }
  p.pid = g.nextPid++;
  t.tid = p.pid;
  if (parent != null) {
    p.ppid = parent.pid; p.pgid = parent.pgid; p.uid = parent.uid; p.gid = parent.gid;
    t.sigmask = changetype<Task>(parent.task).sigmask;   // kept across fork and exec alike
    credInherit(p, parent);
  } else {
    p.pgid = p.pid;
    credInit(p);
  }
  store<usize>(slotAddr(free), changetype<usize>(p));
  g.nprocs++;
  release(ptableLock());
  return changetype<isize>(p);
}

export function procFreeMemory(p: Proc): void {
  if (p.forkImage != 0) { kfree(p.forkImage); p.forkImage = 0; }
  if (p.execOld != 0) { const o = changetype<Proc>(p.execOld); p.execOld = 0; procFreeMemory(o); kfree(changetype<usize>(o)); }
  if (p.args != 0) { kfree(p.args); p.args = 0; }
  if (p.env != 0) { kfree(p.env); p.env = 0; }
  if (p.cwd != 0) { kfree(p.cwd); p.cwd = 0; }
  if (p.image != 0) { inodePut(changetype<Inode>(p.image)); p.image = 0; }
  if (p.actions != 0) { kfree(p.actions); p.actions = 0; }
  if (p.imagePath != 0) { kfree(p.imagePath); p.imagePath = 0; }
}

/** Removes a process from the table for good (reaped, or never started); table lock held. */
export function procRemove(p: Proc): void {
  const g = G();
  for (let i = 0; i < g.maxProcs; i++) {
    if (load<usize>(slotAddr(i)) == changetype<usize>(p)) { store<usize>(slotAddr(i), 0); break; }
  }
  g.nprocs--;
  procPut(p);
}

/**
 * Drops a reference to a process's memory (Proc, Task, scratch). The table
 * holds one until the zombie is reaped, and the worker running it another
 * until it has left the kernel for good (k_taskDone): a reaped process's
 * worker may still be unwinding through the host.
 */
export function procPut(p: Proc): void {
  if (atomic.sub<i32>(changetype<usize>(p) + offsetof<Proc>("refs"), 1) != 1) return;
  const t = changetype<Task>(p.task);
  kfree(t.scratch);
  kfree(changetype<usize>(t));
  sigsFree(p);
  kfree(changetype<usize>(p));
}

/** The worker running `p` now holds it too (see procPut). */
export function procHold(p: Proc): void {
  atomic.add<i32>(changetype<usize>(p) + offsetof<Proc>("refs"), 1);
}

/**
 * The runtime wants to terminate the worker running `pid` because a signal
 * will kill it: only if it runs (not a zombie, not an embryo), a fatal
 * signal is pending and its task is in guest code, which the CAS of its
 * kstate 0 -> 2 makes sure stays so. All of it under the table lock, so the
 * worker cannot meanwhile finish this process and take another. Returns
 * (worker << 8) | signal; -1 when a fatal signal is pending but the task is
 * in the kernel or its program has safepoints (it dies at the next); or 0.
 */
export function procClaimForTermination(pid: i32): i32 {
  acquire(ptableLock());
  const p = findProc(pid);
  let r = 0;
  if (p != null && (p.state == PSTATE_RUNNING || p.state == PSTATE_SLEEPING)) {
    const t = changetype<Task>(p.task);
    const sig = sigPeekFatal(t, p);
    if (sig != 0 && atomic.load<i32>(changetype<usize>(t) + offsetof<Task>("safepoints")) != 0) {
      // It dies at its next safepoint, its worker living on; -1: the runtime
      // looks again later, in case its next program (an exec) has none.
      r = -1;
    } else if (sig != 0) {
      const was = atomic.cmpxchg<i32>(changetype<usize>(t) + offsetof<Task>("kstate"), 0, 2);
      // In the kernel (1): it dies on its way out, unless it was already past
      // its last signal check; -1 tells the runtime to look again later.
      r = was == 0 ? (t.worker << 8) | sig : was == 1 ? -1 : 0;
    }
  }
  release(ptableLock());
  return r;
}

/**
 * Would procClaimForTermination find anything to do for `pid` now? (A
 * fatal signal pending and deliverable; pid <= 0, a group or everyone:
 * assumed yes.) The sender's host asks before it troubles the runtime, so
 * a signal a handler catches costs no message to init.
 */
export function procFatalPending(pid: i32): bool {
  if (pid <= 0) return true;
  acquire(ptableLock());
  const p = findProc(pid);
  const r = p != null && (p.state == PSTATE_RUNNING || p.state == PSTATE_SLEEPING)
    && sigPeekFatal(changetype<Task>(p.task), p) != 0;
  release(ptableLock());
  return r;
}

/** Undoes procCreate for a spawn that failed half-way. */
export function procDiscard(p: Proc): void {
  fdtDestroy(p);
  procFreeMemory(p);
  acquire(ptableLock());
  procRemove(p);
  release(ptableLock());
}

/**
 * A fork the parent never committed (its worker died, or it was killed,
 * between k_fork and k_forkCommit: host/fork.ts) leaves an embryo nobody
 * would ever run or reap: it goes with the parent.
 */
function discardEmbryos(p: Proc): void {
  const g = G();
  for (;;) {
    let c: Proc | null = null;
    acquire(ptableLock());
    for (let i = 0; i < g.maxProcs; i++) {
      const q = load<usize>(slotAddr(i));
      if (q == 0) continue;
      const e = changetype<Proc>(q);
      if (e.ppid == p.pid && e != p && e.forkPending != 0) { e.forkPending = 0; c = e; break; }
    }
    release(ptableLock());
    if (c == null) return;
    procDiscard(c);
  }
}

/**
 * Process exit: release every resource (peers see EOF/EPIPE at once), give
 * the children to init, become a zombie and tell the parent. Safe to call
 * from any thread for a process whose task is not running (invariant 5).
 */
export function procExit(p: Proc, status: i32): void {
  const t = changetype<Task>(p.task);
  if (p.state == PSTATE_ZOMBIE) return;
  rusageFreeze(t);
  discardEmbryos(p);
  dequeueAll(t);
  t.wakeAt = 0;
  restartAbandon(t);
  fdtDestroy(p);   // its queue descriptors' flush ends its mq_notify registrations (fs/mqueue.ts)
  procFreeMemory(p);
  const g = G();
  acquire(ptableLock());
  const init = changetype<Proc>(g.init);
  ttyOrphansHeld(p);   // before the children are reparented: which groups p's exit orphans
  let orphans = false;
  for (let i = 0; i < g.maxProcs; i++) {
    const q = load<usize>(slotAddr(i));
    if (q == 0) continue;
    const c = changetype<Proc>(q);
    if (c.ppid == p.pid && c != p) {
      c.ppid = init.pid;
      orphans = true;
    }
  }
  p.status = status;
  p.state = PSTATE_ZOMBIE;
  ttyLeaderExitHeld(p);
  const parent = findProc(p.ppid);
  if (parent != null) sigChild(p, exitCode(status), exitStatus(status));
  // init (the runtime) learns of new children by its wake word alone.
  if (orphans && parent != init) wakeTask(changetype<Task>(init.task));
  release(ptableLock());
  schedExit(t);
  // A parent that ignores SIGCHLD (or SA_NOCLDWAIT) leaves no zombie: the
  // slot goes now, after the last use of `t` (the memory may go with it),
  // and its waitpid, woken above, finds one child fewer (ECHILD at the last).
  if (parent != null && autoReaped(parent)) {
    acquire(ptableLock());
    if (findProc(p.pid) == p && p.state == PSTATE_ZOMBIE) procRemove(p);
    release(ptableLock());
  }
}

/** waitpid(2): pid > 0 one child, -1 any, 0 / < -1 a process group; wait4 with `urusage`. */
export function procWait(pid: i32, ustatus: u32, options: i32, urusage: u32 = 0): i32 {
  const me = curProc();
  const g = G();
  acquire(ptableLock());
  let found = false;
  for (let i = 0; i < g.maxProcs; i++) {
    const q = load<usize>(slotAddr(i));
    if (q == 0) continue;
    const c = changetype<Proc>(q);
    if (c.ppid != me.pid || c == me) continue;
    if (pid > 0 && c.pid != pid) continue;
    if (pid == 0 && c.pgid != me.pgid) continue;
    if (pid < -1 && c.pgid != -pid) continue;
    if (c.state == PSTATE_ZOMBIE && autoReaped(me)) continue;   // going at its own exit's end (procExit)
    found = true;
    if (c.state != PSTATE_ZOMBIE) {
      // A stop or a continue not yet told (WUNTRACED, WCONTINUED), with Linux's statuses.
      let st = -1;
      if ((options & WUNTRACED) != 0 && c.stopReport != 0 && c.state == PSTATE_STOPPED) st = WSTATUS_STOPPED | (c.stopReport << 8);
      else if ((options & WCONTINUED) != 0 && c.contReport != 0) st = WSTATUS_CONTINUED;
      if (st < 0) continue;
      if (ustatus != 0 && putU32(ustatus, <u32>st) < 0) { release(ptableLock()); return -EFAULT; }
      if (st == WSTATUS_CONTINUED) c.contReport = 0; else c.stopReport = 0;
      release(ptableLock());
      return c.pid;
    }
    if (ustatus != 0 && putU32(ustatus, <u32>c.status) < 0) { release(ptableLock()); return -EFAULT; }
    if (urusage != 0 && !rusageOut(c, urusage)) { release(ptableLock()); return -EFAULT; }   // wait4
    const cpid = c.pid;
    rusageReap(me, c);
    procRemove(c);
    release(ptableLock());
    return cpid;
  }
  if (!found) { release(ptableLock()); return -ECHILD; }
  if (options & WNOHANG) { release(ptableLock()); return 0; }
  const queued = waitOn(childQueue(me), cur());
  if (queued) setSleeping(me, true);   // ps shows S (k_unblock clears it)
  release(ptableLock());
  return queued ? KBLOCK : -ENOMEM;   // not queued: nothing would wake us
}

export function setSleeping(p: Proc, sleeping: bool): void {
  if (p.state == PSTATE_RUNNING || p.state == PSTATE_SLEEPING) p.state = sleeping ? PSTATE_SLEEPING : PSTATE_RUNNING;
}

