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

import { ENAMETOOLONG, ENOENT, ENOTDIR, ELOOP } from "../../abi/errno";
import { S_IFMT, S_IFLNK, NAME_MAX, PATH_MAX } from "../../abi/constants";
import { G } from "../globals";
import { acquire, release } from "../lock";
import { curProc, procLock } from "../task";
import { scratch, SCRATCH_FULL, sc } from "../user";
import { File, FT_DIR, FT_HOSTDIR } from "../file";
import { Inode, isDir, dirLookup } from "../vfs";
import { enterMount } from "../mount";

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
 * path is made absolute against the cwd string), a tmpfs directory (FT_DIR:
 * its inode), or a directory below a mount (FT_HOSTDIR: the walk starts at
 * the mount point with the directory's host path below the mount's root in
 * front of `path`, so ".." can still climb out of the mount). An absolute
 * `path` ignores `base`, as openat(2) does.
 */
export function walkPrepare(base: File | null, path: usize, len: i32): isize {
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
  const f = changetype<File>(base);
  if (f.type == FT_DIR) {
    if (len >= PATH_MAX) return -ENAMETOOLONG;
    memory.copy(out, path, len);
    sc().walkLen = len;
    return changetype<isize>(f.inode);
  }
  if (f.type == FT_HOSTDIR && f.obj != 0) {
    // The mount point, then the directory's path below the mount's host root.
    // (Relative: no leading "/", which would start the walk at the root.)
    const m = changetype<Inode>(f.obj);
    let from = m.hostLen;
    if (f.hpathLen < from) return -ENOENT;
    while (from < f.hpathLen && isSlash(f.hpath, from)) from++;
    const below = f.hpathLen - from;
    const sep = below > 0 ? 1 : 0;
    const n = below + sep + len;
    if (n >= PATH_MAX) return -ENAMETOOLONG;
    memory.copy(out, f.hpath + from, below);
    if (sep != 0) store<u8>(out + below, 0x2f);
    memory.copy(out + below + sep, path, len);
    sc().walkLen = n;
    return changetype<isize>(m);
  }
  return -ENOTDIR;
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
export function namei(base: File | null, path: usize, len: i32, flags: i32): isize {
  const s = walkPrepare(base, path, len);
  if (s < 0) return s;
  return walkFrom(changetype<Inode>(s), flags);
}
