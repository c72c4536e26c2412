// The C layer's process calls (issue 13): process groups and sessions,
// credentials, the umask, uname, dup3, RLIMIT_* and waitid. Linux semantics
// and errnos; what a child inherits is in credinit.ts.

import { EACCES, EBADF, EFAULT, EINVAL, EPERM, ESRCH, ECHILD, ENOMEM } from "../abi/errno";
import { KBLOCK } from "../abi/errno";
import {
  O_CLOEXEC, PSTATE_ZOMBIE, PSTATE_STOPPED, WNOHANG, UNAME_RELEASE, CLD_STOPPED, CLD_CONTINUED, SIGCONT,
} from "../abi/constants";
import { G } from "./globals";
import { acquire, release } from "./lock";
import { Proc, cur, curProc } from "./task";
import { copyin, copyout, scratch, SCRATCH_PATH2, SCRATCH_TMP } from "./user";
import { File, fdGet, fdInstallAt, filePut } from "./file";
import { findProc, procSlot, ptableLock, childQueue, procRemove, setSleeping } from "./proc";
import { waitOn } from "./wait";
import { autoReaped } from "./signal";
import { MAX_FILE } from "./regfile";
import { rusageReap } from "./rusage";
import { ttyAttach } from "./tty";

// ---- process groups and sessions ----

/** pid 0 = the caller; else the live (not zombie) process, or null. Table lock held. */
function target(pid: i32): Proc | null {
  if (pid == 0) return curProc();
  const p = findProc(pid);
  return p != null && p.state != PSTATE_ZOMBIE ? p : null;
}

export function sys_getpgid(pid: i32): i32 {
  if (pid < 0) return -ESRCH;
  acquire(ptableLock());
  const p = target(pid);
  const r = p == null ? -ESRCH : p.pgid;
  release(ptableLock());
  return r;
}

export function sys_getsid(pid: i32): i32 {
  if (pid < 0) return -ESRCH;
  acquire(ptableLock());
  const p = target(pid);
  const r = p == null ? -ESRCH : p.sid;
  release(ptableLock());
  return r;
}

/** Is there a process in group `pgid` of session `sid`? Table lock held. */
function groupInSession(pgid: i32, sid: i32): bool {
  const n = G().maxProcs;
  for (let i = 0; i < n; i++) {
    const q = procSlot(i);
    if (q != null && q.pgid == pgid && q.sid == sid && q.state != PSTATE_ZOMBIE) return true;
  }
  return false;
}

/**
 * setpgid (Linux kernel/sys.c): the caller or one of its children (ESRCH),
 * in the caller's session (EPERM), a child that has not exec'd yet (EACCES:
 * execve, or spawned, which is fork + exec), not a session leader (EPERM);
 * joining an existing group of that session or making a new one named by
 * the target's pid.
 */
export function sys_setpgid(pid: i32, pgid: i32): i32 {
  if (pid < 0 || pgid < 0) return -EINVAL;
  const me = curProc();
  acquire(ptableLock());
  const p = target(pid);
  let r = 0;
  if (p == null || (p != me && p.ppid != me.pid)) r = -ESRCH;
  else if (p.sid != me.sid) r = -EPERM;
  else if (p != me && p.execd != 0) r = -EACCES;   // a child that has exec'd (or was spawned)
  else if (p.sid == p.pid) r = -EPERM;
  else {
    const g = pgid == 0 ? p.pid : pgid;
    if (g != p.pid && !groupInSession(g, me.sid)) r = -EPERM;
    else p.pgid = g;
  }
  release(ptableLock());
  return r;
}

/** setsid: a new session and group led by the caller, unless it already leads a group (EPERM). */
export function sys_setsid(): i32 {
  const me = curProc();
  acquire(ptableLock());
  let r = -EPERM;
  if (me.pgid != me.pid && !groupInSession(me.pid, me.sid)) {
    me.sid = me.pid; me.pgid = me.pid; r = me.pid;
  }
  release(ptableLock());
  return r;
}

// ---- credentials and umask ----

// getuid... setuid...: assembly/ids.ts.

/** umask: sets the mask (permission bits only), returns the old one. Never fails. */
export function sys_umask(mask: i32): i32 {
  const p = curProc();
  const old = p.umask;
  p.umask = mask & 0o777;
  return old;
}

/** A creation mode with the caller's umask applied (open O_CREAT, mkdir, mkfifo). */
export function umasked(mode: u32): u32 { return mode & ~(<u32>curProc().umask); }

// ---- uname ----

const UTS_LEN: usize = 65;   // struct utsname: six fields of 65 bytes

function utsField(k: usize, i: usize, s: string): void {
  const d = k + i * UTS_LEN;
  const n = s.length < <i32>UTS_LEN - 1 ? s.length : <i32>UTS_LEN - 1;
  for (let j = 0; j < n; j++) store<u8>(d + <usize>j, <u8>s.charCodeAt(j));
}

export function sys_uname(ubuf: u32): i32 {
  const k = scratch(SCRATCH_PATH2);
  memory.fill(k, 0, UTS_LEN * 6);
  utsField(k, 0, "wasmux");
  utsField(k, 1, "wasmux");
  utsField(k, 2, UNAME_RELEASE);
  utsField(k, 3, "#1");
  utsField(k, 4, "wasm32");
  utsField(k, 5, "(none)");
  return copyout(ubuf, k, <u32>(UTS_LEN * 6)) ? 0 : -EFAULT;
}

// ---- dup3 ----

/** dup3: dup2 that may set FD_CLOEXEC, and refuses oldfd == newfd (EINVAL). */
export function sys_dup3(oldfd: i32, newfd: i32, flags: i32): i32 {
  if (flags & ~O_CLOEXEC) return -EINVAL;
  const me = curProc();
  const f: File | null = fdGet(me, oldfd);
  if (f == null) return -EBADF;
  if (oldfd == newfd) { filePut(f); return -EINVAL; }
  if (newfd < 0 || newfd >= me.nofile) { filePut(f); return -EBADF; }
  return fdInstallAt(me, f, newfd, (flags & O_CLOEXEC) != 0);
}

// ---- resource limits ----

export const RLIMIT_CPU = 0;
export const RLIMIT_FSIZE = 1;
export const RLIMIT_DATA = 2;
export const RLIMIT_CORE = 4;
export const RLIMIT_NPROC = 6;
export const RLIMIT_NOFILE = 7;
export const RLIMIT_AS = 9;
export const RLIMIT_NICE = 13;
export const RLIMIT_RTPRIO = 14;
export const RLIM_NLIMITS = 16;
const INF: u64 = 0xffffffffffffffff;

/**
 * The kernel's limit for a resource as {soft, hard} at k. NOFILE is the
 * process's own (settable); AS, and DATA with it (a guest's linear memory is
 * both its address space and its data), the process's own (settable: the
 * host sizes the memory of every program it starts by it, k_memLimit, and
 * the C layer's sbrk checks it); FSIZE the tmpfs file limit; NPROC the process
 * table; CORE, NICE, RTPRIO 0 (no core dumps, no priorities); the rest are
 * limits the kernel does not impose (RLIM_INFINITY).
 */
function rlimitGet(p: Proc, res: i32, k: usize): void {
  let soft: u64 = INF, hard: u64 = INF;
  if (res == RLIMIT_NOFILE) { soft = <u64>p.nofile; hard = <u64>p.nofileMax; }
  else if (res == RLIMIT_AS || res == RLIMIT_DATA) { soft = p.rlimAs; hard = p.rlimAsMax; }
  else if (res == RLIMIT_FSIZE) { soft = MAX_FILE; hard = MAX_FILE; }
  else if (res == RLIMIT_NPROC) { soft = <u64>G().maxProcs; hard = soft; }
  else if (res == RLIMIT_CORE || res == RLIMIT_NICE || res == RLIMIT_RTPRIO) { soft = 0; hard = 0; }
  store<u64>(k, soft);
  store<u64>(k + 8, hard);
}

export function sys_getrlimit(res: i32, ulim: u32): i32 {
  if (res < 0 || res >= RLIM_NLIMITS) return -EINVAL;
  const k = scratch(SCRATCH_TMP);
  rlimitGet(curProc(), res, k);
  return copyout(ulim, k, 16) ? 0 : -EFAULT;
}

/**
 * setrlimit: soft <= hard (EINVAL), a hard limit raised past the current
 * one is EPERM. Only RLIMIT_NOFILE and RLIMIT_AS/RLIMIT_DATA can change
 * (the descriptor calls obey the one, memory sizes the other); for the others only their current values are accepted: a limit the
 * kernel would not enforce is refused (EINVAL), not pretended.
 */
export function sys_setrlimit(res: i32, ulim: u32): i32 {
  if (res < 0 || res >= RLIM_NLIMITS) return -EINVAL;
  const k = scratch(SCRATCH_TMP);
  if (!copyin(k, ulim, 16)) return -EFAULT;
  const soft = load<u64>(k), hard = load<u64>(k + 8);
  if (soft > hard) return -EINVAL;
  const p = curProc();
  rlimitGet(p, res, k + 16);
  if (hard > load<u64>(k + 24)) return -EPERM;
  if (res == RLIMIT_AS || res == RLIMIT_DATA) { p.rlimAs = soft; p.rlimAsMax = hard; return 0; }
  if (res != RLIMIT_NOFILE) return soft == load<u64>(k + 16) && hard == load<u64>(k + 24) ? 0 : -EINVAL;
  p.nofile = <i32>soft;
  p.nofileMax = <i32>hard;
  return 0;
}

/** The caller's RLIMIT_AS soft limit in 64 KiB pages (capped at 65536, wasm32's most): what its next memory may reach. */
export function k_memLimit(): i32 {
  const lim = curProc().rlimAs;
  return lim >= (<u64>65536 << 16) ? 65536 : <i32>(lim >> 16);
}

// ---- waitid ----

export const P_ALL = 0;
export const P_PID = 1;
export const P_PGID = 2;
export const WEXITED = 4;
export const WSTOPPED = 2;
export const WCONTINUED = 8;
export const WNOWAIT = 0x1000000;

/**
 * waitid(idtype, id, infop, options): like waitpid, but WEXITED must be
 * asked for, WNOWAIT leaves the zombie, and the result is a siginfo_t
 * (Linux layout: si_signo, si_errno, si_code, then si_pid, si_uid, si_status
 * at 12, 16, 20). With WNOHANG and nothing ready, si_pid is 0. WSTOPPED
 * and WCONTINUED report a stop (CLD_STOPPED, the signal) or a continue
 * (CLD_CONTINUED, SIGCONT) not yet told, as waitpid does (#14).
 */
export function sys_waitid(idtype: i32, id: i32, uinfo: u32, options: i32): i32 {
  if (options & ~(WNOHANG | WEXITED | WSTOPPED | WCONTINUED | WNOWAIT)) return -EINVAL;
  if ((options & (WEXITED | WSTOPPED | WCONTINUED)) == 0) return -EINVAL;
  if (idtype < P_ALL || idtype > P_PGID || (idtype != P_ALL && id < 0)) return -EINVAL;
  const me = curProc();
  const k = scratch(SCRATCH_TMP);
  memory.fill(k, 0, 128);
  acquire(ptableLock());
  const n = G().maxProcs;
  let found = false;
  for (let i = 0; i < n; i++) {
    const c = procSlot(i);
    if (c == null || c.ppid != me.pid || c == me) continue;
    if (idtype == P_PID && c.pid != id) continue;
    if (idtype == P_PGID && c.pgid != (id == 0 ? me.pgid : id)) continue;
    if (c.state == PSTATE_ZOMBIE && autoReaped(me)) continue;   // reaped at its exit (signal.ts)
    found = true;
    if (c.state != PSTATE_ZOMBIE) {
      // A stop or continue not yet told (#14), as waitpid's WUNTRACED/WCONTINUED.
      let code = 0, st = 0;
      if ((options & WSTOPPED) != 0 && c.stopReport != 0 && c.state == PSTATE_STOPPED) { code = CLD_STOPPED; st = c.stopReport; }
      else if ((options & WCONTINUED) != 0 && c.contReport != 0) { code = CLD_CONTINUED; st = SIGCONT; }
      if (code == 0) continue;
      store<i32>(k, 17); store<i32>(k + 8, code); store<i32>(k + 12, c.pid); store<i32>(k + 16, c.uid); store<i32>(k + 20, st);
      if (!copyout(uinfo, k, 128)) { release(ptableLock()); return -EFAULT; }
      if ((options & WNOWAIT) == 0) { if (code == CLD_STOPPED) c.stopReport = 0; else c.contReport = 0; }
      release(ptableLock());
      return 0;
    }
    if ((options & WEXITED) == 0) continue;
    const st = c.status;
    store<i32>(k, 17);                                       // si_signo = SIGCHLD
    store<i32>(k + 8, (st & 0x7f) == 0 ? 1 : 2);             // CLD_EXITED, CLD_KILLED
    store<i32>(k + 12, c.pid);
    store<i32>(k + 16, c.uid);
    store<i32>(k + 20, (st & 0x7f) == 0 ? (st >> 8) & 0xff : st & 0x7f);
    if (!copyout(uinfo, k, 128)) { release(ptableLock()); return -EFAULT; }
    if ((options & WNOWAIT) == 0) { rusageReap(me, c); procRemove(c); }
    release(ptableLock());
    return 0;
  }
  if (!found) { release(ptableLock()); return -ECHILD; }
  if (options & WNOHANG) {
    release(ptableLock());
    return copyout(uinfo, k, 128) ? 0 : -EFAULT;
  }
  const queued = waitOn(childQueue(me), cur());
  if (queued) setSleeping(me, true);
  release(ptableLock());
  return queued ? KBLOCK : -ENOMEM;
}

// ---- posix_spawn attributes (spawn.ts actions SPAWN_SETPGID / SPAWN_SETSID) ----

/** POSIX_SPAWN_SETPGROUP for an embryo: its own new group (0) or an existing group of its session. */
export function spawnSetpgid(child: Proc, pgid: i32): i32 {
  if (pgid < 0) return -EINVAL;
  acquire(ptableLock());
  const g = pgid == 0 ? child.pid : pgid;
  let r = 0;
  if (child.sid == child.pid) r = -EPERM;
  else if (g != child.pid && !groupInSession(g, child.sid)) r = -EPERM;
  else child.pgid = g;
  release(ptableLock());
  return r;
}

/**
 * POSIX_SPAWN_SETSID for an embryo: a new pid is never a group leader, so
 * this cannot fail. `ctty` (SETSID_CTTY, the runtime's login spawn): the
 * new session takes the console as its controlling terminal.
 */
export function spawnSetsid(child: Proc, ctty: bool): i32 {
  acquire(ptableLock());
  child.sid = child.pid;
  child.pgid = child.pid;
  release(ptableLock());
  if (ctty) ttyAttach(child);
  return 0;
}
