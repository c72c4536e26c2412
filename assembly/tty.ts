// The console as a controlling terminal (Linux drivers/tty/tty_jobctrl.c):
// the session it belongs to, its foreground process group, the signals its
// special input characters raise, and the job-control checks on a read
// (SIGTTIN) and on tcsetpgrp (SIGTTOU) by a background process.
//
// There is one terminal, so its state is two machine-wide words (Globals
// ttySid, ttyPgrp), kept under the process-table lock: they name sessions
// and groups, which change under that lock (setpgid, setsid, exit).
// A process's controlling terminal is the console exactly when its session
// is the console's: setsid leaves it without one.

import { SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU, SIGHUP, SIGCONT, PSTATE_ZOMBIE, PSTATE_STOPPED } from "../abi/constants";
import { EBADF, EINVAL, EIO, ENOTTY, EPERM, ESRCH, KBLOCK } from "../abi/errno";
import { G } from "./globals";
import { acquire, release } from "./lock";
import { Proc, Task, curProc, cur } from "./task";
import { procSlot, ptableLock, findProc } from "./proc";
import { sigRaise, sigIgnored, bit } from "./signal";
import { FT_CONSOLE, fdGet, filePut } from "./file";
import { Pipe, pipeDiscard } from "./pipe";

/** The console's special input characters (termios VINTR, VQUIT, VSUSP defaults). */
const CH_INTR: u8 = 0x03;   // ^C
const CH_QUIT: u8 = 0x1c;   // ^\
const CH_SUSP: u8 = 0x1a;   // ^Z

/** At boot the console is the controlling terminal of init's session (the runtime's), its group in the foreground. */
export function ttyBoot(initPid: i32): void {
  G().ttySid = initPid;
  G().ttyPgrp = initPid;
}

/** The signal a special input character raises, or 0 for an ordinary byte. */
export function ttySpecialSignal(c: u8): i32 {
  return c == CH_INTR ? SIGINT : c == CH_QUIT ? SIGQUIT : c == CH_SUSP ? SIGTSTP : 0;
}

/** Raises `sig` at every live process of group `pgrp`. Table lock held. Returns how many. */
function signalGroupHeld(pgrp: i32, sig: i32): i32 {
  const g = G();
  let n = 0;
  for (let i = 0; i < g.maxProcs; i++) {
    const q = procSlot(i);
    if (q == null || q.state == PSTATE_ZOMBIE || q.pgid != pgrp) continue;
    sigRaise(changetype<Task>(q.task), sig);
    n++;
  }
  return n;
}

/** The terminal generates `sig` (^C, ^\, ^Z typed, or the host's own terminal signalled): the foreground group gets it. */
export function ttySignalForeground(sig: i32): void {
  acquire(ptableLock());
  const pgrp = G().ttyPgrp;
  if (pgrp > 0) signalGroupHeld(pgrp, sig);
  release(ptableLock());
}

/**
 * ^C, ^\ or ^Z at the terminal (typed, or the host's own terminal
 * signalled): as Linux's ISIG without NOFLSH, the input not yet read (the
 * line being typed, lines typed ahead) is discarded, then the foreground
 * group gets the signal.
 */
export function ttyInterrupt(sig: i32): void {
  pipeDiscard(changetype<Pipe>(G().consoleIn));
  ttySignalForeground(sig);
}

/**
 * An orphaned process group (POSIX): no member has a parent in another
 * group of the same session, so no shell is left to continue it. Stop
 * signals from the terminal would stop it for good: reads get EIO instead.
 * `gone` (or null) counts as exited already, member and parent alike.
 * Table lock held.
 */
function orphanedHeld(pgrp: i32, sid: i32, gone: Proc | null = null): bool {
  const g = G();
  for (let i = 0; i < g.maxProcs; i++) {
    const q = procSlot(i);
    if (q == null || q == gone || q.state == PSTATE_ZOMBIE || q.pgid != pgrp) continue;
    for (let j = 0; j < g.maxProcs; j++) {
      const r = procSlot(j);
      if (r != null && r != gone && r.pid == q.ppid && r.state != PSTATE_ZOMBIE && r.pgid != pgrp && r.sid == sid) return false;
    }
  }
  return true;
}

/** Does group `pgrp` have a stopped member? Table lock held. */
function hasStoppedHeld(pgrp: i32): bool {
  const g = G();
  for (let i = 0; i < g.maxProcs; i++) {
    const q = procSlot(i);
    if (q != null && q.pgid == pgrp && q.state == PSTATE_STOPPED) return true;
  }
  return false;
}

/** `pgrp` was not orphaned with `p` and is without it: if a member is stopped, SIGHUP then SIGCONT (nobody else would continue it). */
function orphanedByHeld(p: Proc, pgrp: i32, sid: i32): void {
  // The linear check first: the quadratic ones only for a group with a stopped member (rare), under the table lock.
  if (!hasStoppedHeld(pgrp) || orphanedHeld(pgrp, sid) || !orphanedHeld(pgrp, sid, p)) return;
  signalGroupHeld(pgrp, SIGHUP);
  signalGroupHeld(pgrp, SIGCONT);
}

/**
 * `p` is exiting (procExit, its children not yet given to init): the
 * groups its exit orphans — its own, and its children's in other groups of
 * its session — get SIGHUP and SIGCONT when they have a stopped member, as
 * POSIX asks (Linux kill_orphaned_pgrp): a shell that exits leaves no job
 * stopped for good. Table lock held.
 */
export function ttyOrphansHeld(p: Proc): void {
  const g = G();
  orphanedByHeld(p, p.pgid, p.sid);
  for (let i = 0; i < g.maxProcs; i++) {
    const c = procSlot(i);
    if (c == null || c == p || c.ppid != p.pid || c.state == PSTATE_ZOMBIE) continue;
    if (c.pgid != p.pgid && c.sid == p.sid) orphanedByHeld(p, c.pgid, c.sid);
  }
}

/** The caller blocks or ignores `sig` (SIG_IGN, or a default that ignores): the terminal lets it through instead of stopping it. */
function refuses(t: Task, p: Proc, sig: i32): bool {
  return (t.sigmask & bit(sig)) != 0 || sigIgnored(p, sig);
}

/**
 * Job control on a read of the console: a member of a background group of
 * the console's session gets SIGTTIN (its whole group does, as Linux) and
 * the read waits — stopped by the signal, it runs again when continued and
 * checks once more. EIO when the process blocks or ignores SIGTTIN or its
 * group is orphaned. 0: the read may go on.
 */
export function ttyReadCheck(): i32 {
  const p = curProc();
  const t = cur();
  acquire(ptableLock());
  const g = G();
  let r = 0;
  if (g.ttySid != 0 && p.sid == g.ttySid && p.pgid != g.ttyPgrp && p.pid != 1) {
    if (refuses(t, p, SIGTTIN) || orphanedHeld(p.pgid, p.sid)) r = -EIO;
    else {
      // Once is enough: a wake-up before the stop comes back here, finds it pending, and waits again.
      if ((atomic.load<u64>(changetype<usize>(t) + offsetof<Task>("sigpending")) & bit(SIGTTIN)) == 0) signalGroupHeld(p.pgid, SIGTTIN);
      r = KBLOCK;
    }
  }
  release(ptableLock());
  return r;
}

/** Is `fd` the caller's controlling terminal? 0, -EBADF or -ENOTTY. */
function checkCtty(fd: i32): i32 {
  const f = fdGet(curProc(), fd);
  if (f == null) return -EBADF;
  const isConsole = f.type == FT_CONSOLE;
  filePut(f);
  if (!isConsole) return -ENOTTY;
  return 0;
}

/** tcgetpgrp(3): the foreground group of the caller's controlling terminal. */
export function sys_tcgetpgrp(fd: i32): i32 {
  const c = checkCtty(fd);
  if (c < 0) return c;
  const p = curProc();
  acquire(ptableLock());
  const g = G();
  const r = g.ttySid != 0 && p.sid == g.ttySid ? g.ttyPgrp : -ENOTTY;
  release(ptableLock());
  return r;
}

/** Is there a live process in group `pgrp`, and in which session? 0 for none. Table lock held. */
function sessionOfGroupHeld(pgrp: i32): i32 {
  const g = G();
  for (let i = 0; i < g.maxProcs; i++) {
    const q = procSlot(i);
    if (q != null && q.state != PSTATE_ZOMBIE && q.pgid == pgrp) return q.sid;
  }
  return 0;
}

/**
 * tcsetpgrp(3): makes `pgrp` the console's foreground group. ENOTTY when
 * the console is not the caller's controlling terminal, EINVAL for a
 * negative group, ESRCH for one with no process, EPERM for a group of
 * another session. A background caller gets SIGTTOU and waits, as on a
 * read, unless it blocks or ignores SIGTTOU (a shell does) — then the call
 * goes through; EIO from an orphaned group.
 */
export function sys_tcsetpgrp(fd: i32, pgrp: i32): i32 {
  const c = checkCtty(fd);
  if (c < 0) return c;
  const p = curProc();
  const t = cur();
  acquire(ptableLock());
  const g = G();
  let r = 0;
  if (g.ttySid == 0 || p.sid != g.ttySid) r = -ENOTTY;
  else if (pgrp < 0) r = -EINVAL;
  else if (p.pgid != g.ttyPgrp && !refuses(t, p, SIGTTOU)) {
    if (orphanedHeld(p.pgid, p.sid)) r = -EIO;
    else {
      if ((atomic.load<u64>(changetype<usize>(t) + offsetof<Task>("sigpending")) & bit(SIGTTOU)) == 0) signalGroupHeld(p.pgid, SIGTTOU);
      r = KBLOCK;
    }
  } else {
    const s = sessionOfGroupHeld(pgrp);
    if (s == 0) r = -ESRCH;
    else if (s != p.sid) r = -EPERM;
    else g.ttyPgrp = pgrp;
  }
  release(ptableLock());
  return r;
}

/**
 * Spawn action SPAWN_TCSETPGRP: the embryo's group takes the console's
 * foreground, if its parent is in the foreground of its own controlling
 * terminal (so it could have called tcsetpgrp itself without SIGTTOU).
 */
export function ttyForegroundChild(child: Proc): void {
  acquire(ptableLock());
  const g = G();
  const parent = findProc(child.ppid);
  if (g.ttySid != 0 && child.sid == g.ttySid && parent != null && parent.sid == g.ttySid && parent.pgid == g.ttyPgrp) {
    g.ttyPgrp = child.pgid;
  }
  release(ptableLock());
}

/** A login (spawn SETSID with SETSID_CTTY): the new session takes the console, its group in the foreground. */
export function ttyAttach(p: Proc): void {
  acquire(ptableLock());
  G().ttySid = p.sid;
  G().ttyPgrp = p.pgid;
  release(ptableLock());
}

/**
 * A session leader without a controlling terminal opens the console while
 * no session has it: the console becomes its controlling terminal (Linux's
 * open of a tty without O_NOCTTY).
 */
export function ttyOpened(p: Proc): void {
  acquire(ptableLock());
  const g = G();
  if (g.ttySid == 0 && p.sid == p.pid) { g.ttySid = p.sid; g.ttyPgrp = p.pgid; }
  release(ptableLock());
}

/**
 * The controlling process (the session leader) exits: the console is no
 * session's any more, and its foreground group gets SIGHUP then SIGCONT
 * (Linux disassociate_ctty). Table lock held, `p` a zombie already.
 */
export function ttyLeaderExitHeld(p: Proc): void {
  const g = G();
  if (g.ttySid == 0 || p.pid != g.ttySid || p.pid == 1) return;
  const pgrp = g.ttyPgrp;
  g.ttySid = 0;
  g.ttyPgrp = 0;
  if (pgrp > 0) { signalGroupHeld(pgrp, SIGHUP); signalGroupHeld(pgrp, SIGCONT); }
}
