// Shared by the test guests: result lines "label value" where a negative
// syscall result is printed as its errno name (EBADF, EPIPE, ...).
import {
  stdout, exit, args,
  EBADF, EFAULT, EINVAL, EAGAIN, EPIPE, ENXIO, ESPIPE, EMFILE, ECHILD, ENOENT,
  ENOTEMPTY, EEXIST, ENOTDIR, EISDIR, ENOEXEC, ESRCH, EPERM, ENAMETOOLONG, E2BIG,
  ERANGE, EBUSY, EINTR, ENOMEM, ENOSYS, EACCES, EFBIG, ENOSPC, ENOTTY, EIO, EMSGSIZE, ETIMEDOUT,
  snapshot, Snapshot, SnapProc, nanosleep, monotonicNs, stat, Stat,
} from "../../../programs/lib";

export function ename(r: i64): string {
  if (r >= 0) return r.toString();
  switch (<i32>(-r)) {
    case EBADF: return "EBADF";
    case EFAULT: return "EFAULT";
    case EINVAL: return "EINVAL";
    case EAGAIN: return "EAGAIN";
    case EPIPE: return "EPIPE";
    case ENXIO: return "ENXIO";
    case ESPIPE: return "ESPIPE";
    case EMFILE: return "EMFILE";
    case ECHILD: return "ECHILD";
    case ENOENT: return "ENOENT";
    case ENOTEMPTY: return "ENOTEMPTY";
    case EEXIST: return "EEXIST";
    case ENOTDIR: return "ENOTDIR";
    case EISDIR: return "EISDIR";
    case ENOEXEC: return "ENOEXEC";
    case ESRCH: return "ESRCH";
    case EPERM: return "EPERM";
    case ENAMETOOLONG: return "ENAMETOOLONG";
    case E2BIG: return "E2BIG";
    case ERANGE: return "ERANGE";
    case EBUSY: return "EBUSY";
    case EINTR: return "EINTR";
    case ENOMEM: return "ENOMEM";
    case ENOSYS: return "ENOSYS";
    case EACCES: return "EACCES";
    case EFBIG: return "EFBIG";
    case ENOSPC: return "ENOSPC";
    case ENOTTY: return "ENOTTY";
    case EIO: return "EIO";
    case EMSGSIZE: return "EMSGSIZE";
    case ETIMEDOUT: return "ETIMEDOUT";
  }
  return "E" + (-r).toString();
}

/** Prints "label value" (value: a number, or the errno name when negative). */
export function out(label: string, r: i64): void {
  stdout.line(label + " " + ename(r));
  stdout.flush();
}

/** Prints "label text". */
export function say(label: string, text: string): void {
  stdout.line(label + " " + text);
  stdout.flush();
}

export function argv(): string[] { return args(); }

export function done(code: i32 = 0): void { exit(code); }

/** The process table, from the kernel's snapshot (empty if the call failed). */
export function procs(): SnapProc[] {
  const s = new Snapshot();
  snapshot(s);
  return s.procs;
}

/**
 * Polls the process table until `pid` is in `state` (PSTATE_*; SLEEPING is a
 * task parked in nanosleep or poll), for at most `ms` ms. Returns 0, or -1 on
 * timeout. Tests wait for such conditions, never for a fixed time.
 */
export function waitState(pid: i32, state: i32, ms: i64 = 15000): i32 {
  let end = monotonicNs() + ms * 1000000;
  while (true) {
    const list = procs();
    for (let i = 0; i < list.length; i++) if (list[i].pid == pid && list[i].state == state) return 0;
    if (monotonicNs() > end) return -1;
    nanosleep(1000000);
  }
}

/** Polls until `count` children of `parent` are in `state`, for at most `ms` ms; 0 or -1. */
export function waitChildren(parent: i32, state: i32, count: i32, ms: i64 = 15000): i32 {
  let end = monotonicNs() + ms * 1000000;
  while (true) {
    const list = procs();
    let n = 0;
    for (let i = 0; i < list.length; i++) if (list[i].ppid == parent && list[i].state == state) n++;
    if (n >= count) return 0;
    if (monotonicNs() > end) return -1;
    nanosleep(1000000);
  }
}

/** Polls until `path` exists, for at most `ms` ms; 0 or -1. */
export function waitPath(path: string, ms: i64 = 15000): i32 {
  let end = monotonicNs() + ms * 1000000;
  let st = new Stat();
  while (stat(path, st) != 0) {
    if (monotonicNs() > end) return -1;
    nanosleep(1000000);
  }
  return 0;
}
