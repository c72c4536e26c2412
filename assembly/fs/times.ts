// The three times of a tmpfs inode (atime, mtime, ctime; nanoseconds since
// the epoch, on the kernel's realtime clock), as Linux keeps them:
// - a write, truncate or allocate moves mtime and ctime (regfile.ts);
// - a read moves atime the way Linux's default `relatime` does: only when
//   atime is not later than mtime or ctime, or is a day old (a file read
//   over and over does not get a new atime at every read);
// - a change of the inode itself (its links, a rename of it, new times)
//   moves ctime; a directory's entries changing moves its mtime and ctime;
// - fd_filestat_set_times / path_filestat_set_times (utimensat) set atime
//   and/or mtime to a given time or to now, and ctime to now.
// Times change under the inode's own lock (a leaf lock: nothing is taken
// inside it), so the namespace code may touch a directory's times while it
// holds the namespace lock.

import { EINVAL, EROFS, ENOTDIR } from "../../abi/errno";
import { S_IFMT, S_IFDIR } from "../../abi/constants";
import { HOST_STAT } from "../../abi/hostfs";
import { acquire, release } from "../lock";
import { now, CLOCK_REALTIME } from "../clock";
import { Inode, inodeLock, lookupHeld, inodePut } from "../vfs";
import { HOSTPATH, walkedReadonly, hostTimes, hostPathOp, hostOut } from "../mount";
import { scratch, sc, SCRATCH_TMP } from "../user";

// WASI fstflags (fd_filestat_set_times, path_filestat_set_times).
export const FST_ATIM: i32 = 1;
export const FST_ATIM_NOW: i32 = 2;
export const FST_MTIM: i32 = 4;
export const FST_MTIM_NOW: i32 = 8;

// What inodeTouch moves.
export const TOUCH_ATIME: i32 = 1;
export const TOUCH_MTIME: i32 = 2;
export const TOUCH_CTIME: i32 = 4;

/** A day in nanoseconds: relatime's bound on how stale atime may get. */
const DAY_NS: i64 = 86400 * 1000000000;

/**
 * EINVAL for fstflags asking for both a time and "now" of the same field
 * (as the spec and utimensat say), or for bits WASI does not define.
 */
export function timesFlagsErr(fst: i32): i32 {
  if ((fst & ~(FST_ATIM | FST_ATIM_NOW | FST_MTIM | FST_MTIM_NOW)) != 0) return -EINVAL;
  if ((fst & FST_ATIM) != 0 && (fst & FST_ATIM_NOW) != 0) return -EINVAL;
  if ((fst & FST_MTIM) != 0 && (fst & FST_MTIM_NOW) != 0) return -EINVAL;
  return 0;
}

/** Sets the times in `what` to `t`; the caller holds the inode lock. */
export function inodeTouchLocked(node: Inode, what: i32, t: i64): void {
  if (what & TOUCH_ATIME) node.atime = t;
  if (what & TOUCH_MTIME) node.mtime = t;
  if (what & TOUCH_CTIME) node.ctime = t;
}

/** Sets the times in `what` to now. */
export function inodeTouch(node: Inode, what: i32): void {
  const t = now(CLOCK_REALTIME);
  acquire(inodeLock(node));
  inodeTouchLocked(node, what, t);
  release(inodeLock(node));
}

/** A read of the contents (relatime); the caller holds the inode lock. */
export function inodeAccessedLocked(node: Inode): void {
  const t = now(CLOCK_REALTIME);
  if (node.atime <= node.mtime || node.atime <= node.ctime || t - node.atime >= DAY_NS) node.atime = t;
}

/** A read of the contents (relatime), taking the inode lock. */
export function inodeAccessed(node: Inode): void {
  acquire(inodeLock(node));
  inodeAccessedLocked(node);
  release(inodeLock(node));
}

/**
 * utimensat on a tmpfs inode: atime and/or mtime from `atim`/`mtim` or now,
 * as `fst` (FST_*) says; ctime becomes now when anything changed. 0 or
 * -EINVAL (nothing changed then).
 */
export function inodeSetTimes(node: Inode, atim: i64, mtim: i64, fst: i32): i32 {
  const e = timesFlagsErr(fst);
  if (e != 0) return e;
  if (fst == 0) return 0;
  const t = now(CLOCK_REALTIME);
  acquire(inodeLock(node));
  if (fst & FST_ATIM) node.atime = atim;
  else if (fst & FST_ATIM_NOW) node.atime = t;
  if (fst & FST_MTIM) node.mtime = mtim;
  else if (fst & FST_MTIM_NOW) node.mtime = t;
  node.ctime = t;
  release(inodeLock(node));
  return 0;
}

/**
 * The times to hand the host for a file below a mount: "now" resolved on
 * the kernel's clock (so deterministic mode stays deterministic). Writes
 * atime at `out` and mtime at `out + 8`; returns which of them to set
 * (bit 0: atime, bit 1: mtime).
 */
export function resolveTimes(atim: i64, mtim: i64, fst: i32, out: usize): i32 {
  const t = now(CLOCK_REALTIME);
  let which = 0;
  store<i64>(out, 0);
  store<i64>(out + 8, 0);
  if (fst & (FST_ATIM | FST_ATIM_NOW)) { store<i64>(out, (fst & FST_ATIM) != 0 ? atim : t); which |= 1; }
  if (fst & (FST_MTIM | FST_MTIM_NOW)) { store<i64>(out + 8, (fst & FST_MTIM) != 0 ? mtim : t); which |= 2; }
  return which;
}

/**
 * utimensat of what a path lookup found (`r`: a held tmpfs inode, which is
 * put here, HOSTPATH for a name below a mount, or -errno): the inode's
 * times, or the host file's through the host (EROFS below a read-only
 * mount), where `follow` says whether a final symlink is followed there.
 * Resolving the path is the caller's (path_filestat_set_times).
 */
export function lookedUpSetTimes(r: isize, follow: bool, atim: i64, mtim: i64, fst: i32): i32 {
  if (r == HOSTPATH) {
    if (sc().lastSlash != 0) {   // "file/": ENOTDIR, as vfsStat answers
      const e = hostPathOp(HOST_STAT, 0, 0);
      if (e < 0) return <i32>e;
      if ((load<u32>(hostOut() + 16) & S_IFMT) != S_IFDIR) return -ENOTDIR;
    }
    if (walkedReadonly()) return -EROFS;
    const e = timesFlagsErr(fst);
    if (e != 0 || fst == 0) return e;
    const t = scratch(SCRATCH_TMP);
    return <i32>hostTimes(-1, resolveTimes(atim, mtim, fst, t), t, !follow);
  }
  if (r < 0) return <i32>r;
  const node = changetype<Inode>(r);
  const res = inodeSetTimes(node, atim, mtim, fst);
  inodePut(node);
  return res;
}

/** utimensat of a path (kernel bytes) from `base` (an open directory; null: the cwd). */
export function vfsSetTimes(path: usize, len: i32, follow: bool, atim: i64, mtim: i64, fst: i32, base: Inode | null = null): i32 {
  const e = timesFlagsErr(fst);
  if (e != 0) return e;
  return lookedUpSetTimes(lookupHeld(path, len, base, follow), follow, atim, mtim, fst);
}
