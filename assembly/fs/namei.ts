// Path resolution (as Linux's fs/namei.c): a walk from a starting directory
// inode, one component at a time, under the namespace lock. A walk starts at
// the root (an absolute path), at the cwd (a path made absolute against the
// cwd string), or at the directory an open descriptor refers to (openat /
// WASI path_*): inode-based, so a directory descriptor keeps meaning its
// directory after the directory is renamed.
//
// Symlinks met before the last component are always followed, the last one
// only with WALK_FOLLOW; each expansion writes target + rest of the path in
// place in SCRATCH_FULL and goes on from the link's directory (a relative
// target) or from the root (an absolute one: the guest's namespace, mounts
// included). More than MAXSYMLINKS expansions in one walk is ELOOP, as Linux.
// A walk that reaches a mount point hands the rest of the path to the host
// (mount.ts enterMount, HOSTPATH), unless ".." climbs back out of it.

import { ENAMETOOLONG, ENOENT, ENOTDIR, ELOOP, ENOSYS, EACCES } from "../../abi/errno";
import { S_IFMT, S_IFLNK, NAME_MAX, PATH_MAX } from "../../abi/constants";
import { G } from "../globals";
import { acquire, release } from "../lock";
import { curProc, procLock } from "../task";
import { scratch, SCRATCH_FULL, sc } from "../user";
import { File, FT_DIR, FT_HOSTDIR } from "../file";
import { Inode, isDir, dirLookup } from "../vfs";
import { enterMount, hostFdPath, hostOut } from "../mount";
import { maySearch } from "./access";

/** Links followed in one walk before ELOOP (Linux's MAXSYMLINKS). */
export const MAXSYMLINKS = 40;

/** Stop at the last component's directory; its name is left in sc().lastName/lastLen. */
export const WALK_PARENT = 1;
/** Follow a symlink in the last component too (stat, open without O_NOFOLLOW). */
export const WALK_FOLLOW = 2;

// @ts-ignore: decorator
@inline export function isLink(i: Inode): bool { return (i.mode & S_IFMT) == S_IFLNK; }

// @ts-ignore: decorator
@inline function isSlash(p: usize, i: i32): bool { return load<u8>(p + i) == 0x2f; }

/**
 * Puts the path to walk into SCRATCH_FULL and returns the inode the walk
 * starts from (or -errno); the path's length is left in sc().walkLen.
 * `base` is the directory the path is relative to: null for the cwd (the
 * path is made absolute against the cwd string), else an inode (an open
 * directory's: dirInode). An absolute `path` ignores `base`, as openat(2).
 */
export function walkPrepare(base: Inode | null, path: usize, len: i32): isize {
  const out = scratch(SCRATCH_FULL);
  const root = G().root;
  if ((len > 0 && isSlash(path, 0)) || base == null) {
    let n = 0;
    if (!(len > 0 && isSlash(path, 0))) {
      // Relative to the cwd: cwd + "/" + path.
      const p = curProc();
      acquire(procLock(p));   // a chdir in another thread frees the old cwd
      const clen = p.cwdLen;
      if (clen + 1 + len < PATH_MAX) memory.copy(out, p.cwd, clen);
      release(procLock(p));
      if (clen + 1 + len >= PATH_MAX) return -ENAMETOOLONG;
      store<u8>(out + clen, 0x2f);
      n = clen + 1;
    }
    if (n + len >= PATH_MAX) return -ENAMETOOLONG;
    memory.copy(out + n, path, len);
    sc().walkLen = n + len;
    return changetype<isize>(root);
  }
  if (len >= PATH_MAX) return -ENAMETOOLONG;
  memory.copy(out, path, len);
  sc().walkLen = len;
  return changetype<isize>(base);
}

/**
 * The inode a walk relative to the open directory `f` starts from: a tmpfs
 * directory's own inode (so the descriptor keeps meaning its directory
 * after a rename), or for a host directory its mount point (dirPath puts
 * the directory's path below the mount in front of the path). Null when
 * `f` is not a directory.
 */
export function dirInode(f: File): Inode | null {
  if (f.type == FT_DIR) return changetype<Inode>(f.inode);
  if (f.type == FT_HOSTDIR && f.obj != 0) return changetype<Inode>(f.obj);
  return null;
}

/**
 * Prepares the `n`-byte path in scratch `slot` for a walk from dirInode(f):
 * unchanged for a tmpfs directory or an absolute path; for a host directory,
 * with the directory's path below the mount's root in front, as the host
 * sees it now (HOST_FDPATH on its descriptor: it follows a rename of the
 * directory, as a tmpfs descriptor does), or as it was opened where the host
 * cannot tell. Made outside every lock (a host request). The new length, or
 * -errno (ENOENT: the directory is no longer below the mount).
 */
export function dirPath(f: File, slot: usize, n: i32): i32 {
  const k = scratch(slot);
  if (f.type != FT_HOSTDIR || (n > 0 && isSlash(k, 0))) return n;
  const m = changetype<Inode>(f.obj);
  let pre: usize, plen: i32;
  const r = hostFdPath(f.aux, m);
  if (r >= 0) { pre = hostOut(); plen = <i32>r; }
  else if (r == -ENOSYS) {
    // The path it was opened by, below the mount's root.
    let from = m.hostLen;
    if (f.hpathLen < from) return -ENOENT;
    pre = f.hpath + from;
    plen = f.hpathLen - from;
  } else return <i32>r;
  while (plen > 0 && isSlash(pre, 0)) { pre++; plen--; }   // relative: a "/" would start at the root
  if (plen == 0) return n;
  if (plen + 1 + n >= PATH_MAX) return -ENAMETOOLONG;
  memory.copy(k + plen + 1, k, n);
  memory.copy(k, pre, plen);
  store<u8>(k + plen, 0x2f);
  return plen + 1 + n;
}

/**
 * Walks the path in SCRATCH_FULL (walkPrepare) from `start`, under the
 * namespace lock. Returns the inode reached (with WALK_PARENT: the last
 * component's directory, the name in sc().lastName/lastLen and a trailing
 * slash after it in sc().lastSlash), HOSTPATH when the rest of the path is
 * below a mount (the last name as given and the trailing slash recorded
 * too), or -errno. A path ending in "/" must name a directory (ENOTDIR),
 * after following a link there.
 */
export function walkFrom(start: Inode, flags: i32): isize {
  const path = scratch(SCRATCH_FULL);
  let len = sc().walkLen;
  const root = changetype<Inode>(G().root);
  let dir = start;
  let i = 0;
  let links = 0;
  let mustDir = false;
  const w = sc();
  w.lastName = 0;
  w.lastLen = 0;
  w.lastSlash = 0;
  if (len > 0 && isSlash(path, 0)) dir = root;
  while (true) {
    while (i < len && isSlash(path, i)) i++;
    if (dir.host != 0) {
      // Below a mount the host resolves names, unless ".." climbs back out.
      const out = climbsOut(path, i, len);
      if (out < 0) {
        // The host path is normalised ("." and ".." gone, no trailing
        // slash), so what they meant is kept: the last name as given, and
        // whether a slash followed it.
        w.lastSlash = len > 0 && isSlash(path, len - 1) ? 1 : 0;
        lastComponent(path, i, len);
        return enterMount(changetype<usize>(dir), dir.host, dir.hostLen, path, i, len);
      }
      dir = changetype<Inode>(dir.parent);
      i = out;
      continue;
    }
    if (i >= len) {
      if (mustDir && !isDir(dir)) return -ENOTDIR;
      return changetype<isize>(dir);
    }
    let j = i;
    while (j < len && !isSlash(path, j)) j++;
    let k = j;
    while (k < len && isSlash(path, k)) k++;
    const isLast = k >= len;
    const trailing = j < len;
    const n = j - i;
    if (n > NAME_MAX) return -ENAMETOOLONG;
    if (!isDir(dir)) return -ENOTDIR;
    if (!maySearch(dir)) return -EACCES;   // x on every directory walked (the last name's too)
    // ".." of a removed directory: its parent pointer may be stale.
    if (dir.nlink == 0 && n == 2 && load<u16>(path + i) == 0x2e2e) return -ENOENT;
    let next: Inode | null = null;
    if (isLast && (flags & WALK_PARENT) != 0) {
      next = (flags & WALK_FOLLOW) != 0 && !trailing ? dirLookup(dir, path + i, n) : null;
      if (next == null || !isLink(next)) {
        w.lastName = path + i;
        w.lastLen = n;
        w.lastSlash = trailing ? 1 : 0;
        return changetype<isize>(dir);
      }
    } else {
      next = dirLookup(dir, path + i, n);
      if (next == null) return -ENOENT;
    }
    if (isLink(next) && (!isLast || trailing || (flags & WALK_FOLLOW) != 0)) {
      if (++links > MAXSYMLINKS) return -ELOOP;
      // target + rest, in place: the rest moves right (memory.copy is a memmove).
      const tlen = <i32>next.size;
      const rest = len - j;
      if (tlen == 0) return -ENOENT;
      if (tlen + rest >= PATH_MAX) return -ENAMETOOLONG;
      memory.copy(path + tlen, path + j, rest);
      memory.copy(path, next.data, tlen);
      len = tlen + rest;
      i = 0;
      if (isSlash(path, 0)) dir = root;   // else: on from the link's own directory
      continue;
    }
    if (isLast && trailing) mustDir = true;
    dir = next;
    i = j;
  }
}

/** Records the last component of path[i, len) (empty when there is none) in sc().lastName/lastLen. */
function lastComponent(path: usize, i: i32, len: i32): void {
  let e = len;
  while (e > i && isSlash(path, e - 1)) e--;
  let b = e;
  while (b > i && !isSlash(path, b - 1)) b--;
  sc().lastName = path + b;
  sc().lastLen = e - b;
}

/**
 * Where the components of path[i, len) first climb above their starting
 * directory with "..": the index just after that "..", or -1 if they never do.
 */
function climbsOut(path: usize, i: i32, len: i32): i32 {
  let depth = 0;
  while (i < len) {
    while (i < len && load<u8>(path + i) == 0x2f) i++;
    let j = i;
    while (j < len && load<u8>(path + j) != 0x2f) j++;
    const c = j - i;
    if (c == 2 && load<u16>(path + i) == 0x2e2e) {
      if (depth == 0) return j;
      depth--;
    } else if (c > 0 && !(c == 1 && load<u8>(path + i) == 0x2e)) {
      depth++;
    }
    i = j;
  }
  return -1;
}

/** walkPrepare + walkFrom: call with the namespace lock held. */
export function namei(base: Inode | null, path: usize, len: i32, flags: i32): isize {
  const s = walkPrepare(base, path, len);
  if (s < 0) return s;
  return walkFrom(changetype<Inode>(s), flags);
}
