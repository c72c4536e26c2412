// The *at calls of the wasmux ABI (openat, mkdirat, unlinkat, renameat,
// linkat, symlinkat, readlinkat, fstatat): a path relative to a directory
// descriptor, as Linux's, for the C layer. AT_FDCWD is the cwd; an absolute
// path ignores the descriptor (as Linux: it is not even looked at). They run
// the same namespace functions as the WASI path_* calls (wasi.ts) and the
// cwd-relative calls (syscall.ts).

import { EBADF, EFAULT, EINVAL, ENOTDIR, ENOTSUP, EPERM } from "../abi/errno";
import { AT_FDCWD, AT_SYMLINK_NOFOLLOW, AT_REMOVEDIR, AT_SYMLINK_FOLLOW, AT_EACCESS, O_CLOEXEC } from "../abi/constants";
import { curProc } from "./task";
import { copyPath, copyout, scratch, sc, SCRATCH_PATH1, SCRATCH_PATH2, SCRATCH_REC } from "./user";
import { File, fdGet, filePut, FT_DIR, FT_HOSTDIR } from "./file";
import { openFd } from "./io";
import { umasked } from "./cred";
import {
  Inode, vfsMkdir, vfsMkfifo, vfsRemove, vfsRename, vfsStat, vfsSymlink, vfsLink, vfsReadlink, lookupHeld, inodePut,
} from "./vfs";
import { HOSTPATH } from "./mount";
import { inodeChmod, inodeChown, inodeAccess, hostAccess } from "./fs/attr";
import { useRealIds } from "./perm";
import { dirInode, dirPath } from "./fs/namei";

/**
 * The directory for a path already copied to scratch `slot` (`n` bytes):
 * 0 for the cwd (AT_FDCWD, or an absolute path), a held File (the caller
 * puts it with atPut), or -errno (EBADF, ENOTDIR).
 */
function atDir(dirfd: i32, slot: usize, n: i32): isize {
  sc().normLen = n;
  if (dirfd == AT_FDCWD || (n > 0 && load<u8>(scratch(slot)) == 0x2f)) return 0;
  const f = fdGet(curProc(), dirfd);
  if (f == null) return -EBADF;
  if (f.type != FT_DIR && f.type != FT_HOSTDIR) { filePut(f); return -ENOTDIR; }
  const m = dirPath(f, slot, n);   // a host directory: its path now, in front (new length in normLen)
  if (m < 0) { filePut(f); return m; }
  sc().normLen = m;
  return changetype<isize>(f);
}

/** A guest path copied to SCRATCH_PATH1 and its directory (atDir); its length is then in normLen. */
function atPath(dirfd: i32, path: u32, plen: u32): isize {
  const n = copyPath(path, plen, SCRATCH_PATH1);
  return n < 0 ? n : atDir(dirfd, SCRATCH_PATH1, n);
}

/** Where the walk starts: null (the cwd) or the directory's inode (dirInode). */
// @ts-ignore: decorator
@inline function asDir(d: isize): Inode | null { return d == 0 ? null : dirInode(changetype<File>(d)); }

function atPut(d: isize): void { if (d > 0) filePut(changetype<File>(d)); }

export function sys_openat(dirfd: i32, path: u32, plen: u32, flags: i32, mode: i32): i32 {
  const d = atPath(dirfd, path, plen);
  if (d < 0) return <i32>d;
  const n = sc().normLen;
  const r = openFd(scratch(SCRATCH_PATH1), n, flags, umasked(<u32>mode), (flags & O_CLOEXEC) != 0, asDir(d));
  atPut(d);
  return r;
}

export function sys_mkdirat(dirfd: i32, path: u32, plen: u32, mode: i32): i32 {
  return makeAt(dirfd, path, plen, mode, false);
}

/** mkfifoat (mknodat of a FIFO): as mkfifo, from `dirfd`. */
export function sys_mkfifoat(dirfd: i32, path: u32, plen: u32, mode: i32): i32 {
  return makeAt(dirfd, path, plen, mode, true);
}

/** A directory or a FIFO made from `dirfd`, its mode less the umask. */
function makeAt(dirfd: i32, path: u32, plen: u32, mode: i32, fifo: bool): i32 {
  const d = atPath(dirfd, path, plen);
  if (d < 0) return <i32>d;
  const n = sc().normLen;
  const perm = umasked(<u32>mode);
  const r = fifo ? vfsMkfifo(scratch(SCRATCH_PATH1), n, perm, asDir(d)) : vfsMkdir(scratch(SCRATCH_PATH1), n, perm, asDir(d));
  atPut(d);
  return r;
}

/** unlinkat: AT_REMOVEDIR is rmdir; any other flag is EINVAL. */
export function sys_unlinkat(dirfd: i32, path: u32, plen: u32, flags: i32): i32 {
  if (flags & ~AT_REMOVEDIR) return -EINVAL;
  const d = atPath(dirfd, path, plen);
  if (d < 0) return <i32>d;
  const n = sc().normLen;
  const r = vfsRemove(scratch(SCRATCH_PATH1), n, (flags & AT_REMOVEDIR) != 0, asDir(d));
  atPut(d);
  return r;
}

/** Both paths copied and both directories got; 0 or -errno (nothing held then). Directories at k, k + 8. */
function atPair(d1: i32, p1: u32, l1: u32, d2: i32, p2: u32, l2: u32, k: usize): i32 {
  const n1 = copyPath(p1, l1, SCRATCH_PATH1);
  if (n1 < 0) return n1;
  const n2 = copyPath(p2, l2, SCRATCH_PATH2);
  if (n2 < 0) return n2;
  const a = atDir(d1, SCRATCH_PATH1, n1);
  if (a < 0) return <i32>a;
  const m1 = sc().normLen;
  const b = atDir(d2, SCRATCH_PATH2, n2);
  if (b < 0) { atPut(a); return <i32>b; }
  store<usize>(k, a); store<usize>(k + 8, b);
  store<i32>(k + 16, m1); store<i32>(k + 20, sc().normLen);
  return 0;
}

export function sys_renameat(d1: i32, p1: u32, l1: u32, d2: i32, p2: u32, l2: u32): i32 {
  const k = scratch(SCRATCH_REC);
  const e = atPair(d1, p1, l1, d2, p2, l2, k);
  if (e < 0) return e;
  const a = load<usize>(k), b = load<usize>(k + 8);
  const r = vfsRename(scratch(SCRATCH_PATH1), load<i32>(k + 16), scratch(SCRATCH_PATH2), load<i32>(k + 20),
                      asDir(a), asDir(b));
  atPut(a); atPut(b);
  return r;
}

/** linkat: a final link of the old path is linked itself unless AT_SYMLINK_FOLLOW, as Linux. */
export function sys_linkat(d1: i32, p1: u32, l1: u32, d2: i32, p2: u32, l2: u32, flags: i32): i32 {
  if (flags & ~AT_SYMLINK_FOLLOW) return -EINVAL;
  const k = scratch(SCRATCH_REC);
  const e = atPair(d1, p1, l1, d2, p2, l2, k);
  if (e < 0) return e;
  const a = load<usize>(k), b = load<usize>(k + 8);
  const r = vfsLink(scratch(SCRATCH_PATH1), load<i32>(k + 16), asDir(a), scratch(SCRATCH_PATH2), load<i32>(k + 20),
                    asDir(b), (flags & AT_SYMLINK_FOLLOW) != 0);
  atPut(a); atPut(b);
  return r;
}

/** symlinkat(target, dirfd, path): the target is kept as given. */
export function sys_symlinkat(target: u32, tlen: u32, dirfd: i32, path: u32, plen: u32): i32 {
  const t = copyPath(target, tlen, SCRATCH_PATH2);
  if (t < 0) return t;
  const d = atPath(dirfd, path, plen);
  if (d < 0) return <i32>d;
  const n = sc().normLen;
  const r = vfsSymlink(scratch(SCRATCH_PATH2), t, scratch(SCRATCH_PATH1), n, asDir(d));
  atPut(d);
  return r;
}

/** readlinkat: up to `blen` bytes of the target (truncated, no NUL); returns how many. */
export function sys_readlinkat(dirfd: i32, path: u32, plen: u32, buf: u32, blen: u32): i32 {
  if (<i32>blen <= 0) return -EINVAL;   // as Linux for a size of 0
  const d = atPath(dirfd, path, plen);
  if (d < 0) return <i32>d;
  const n = sc().normLen;
  const k = scratch(SCRATCH_PATH2);
  const r = vfsReadlink(scratch(SCRATCH_PATH1), n, asDir(d), k);
  atPut(d);
  if (r < 0) return r;
  const m: u32 = <u32>r < blen ? <u32>r : blen;
  return copyout(buf, k, m) ? <i32>m : -EFAULT;
}

/** fstatat: the 64-byte stat record; AT_SYMLINK_NOFOLLOW is lstat. */
export function sys_fstatat(dirfd: i32, path: u32, plen: u32, ustat: u32, flags: i32): i32 {
  if (flags & ~AT_SYMLINK_NOFOLLOW) return -EINVAL;
  const d = atPath(dirfd, path, plen);
  if (d < 0) return <i32>d;
  const n = sc().normLen;
  const k = scratch(SCRATCH_PATH2);
  const r = vfsStat(scratch(SCRATCH_PATH1), n, k, (flags & AT_SYMLINK_NOFOLLOW) == 0, asDir(d));
  atPut(d);
  if (r < 0) return r;
  return copyout(ustat, k, 64) ? 0 : -EFAULT;
}

// ---- owner, mode and access (issue 15, fs/attr.ts) ----

/** fchmodat (chmod): the tmpfs inode's permission bits, by its owner or root (EPERM); host files ENOTSUP. */
export function sys_fchmodat(dirfd: i32, path: u32, plen: u32, mode: i32): i32 {
  const d = atPath(dirfd, path, plen);
  if (d < 0) return <i32>d;
  const r = lookupHeld(scratch(SCRATCH_PATH1), sc().normLen, asDir(d), true);
  atPut(d);
  if (r == HOSTPATH) return -ENOTSUP;
  if (r < 0) return <i32>r;
  const e = inodeChmod(changetype<Inode>(r), <u32>mode);
  inodePut(changetype<Inode>(r));
  return e;
}

/** fchownat (chown, lchown with AT_SYMLINK_NOFOLLOW): -1 keeps an id; root only gives a file away (EPERM). */
export function sys_fchownat(dirfd: i32, path: u32, plen: u32, uid: i32, gid: i32, flags: i32): i32 {
  if (flags & ~AT_SYMLINK_NOFOLLOW) return -EINVAL;
  const d = atPath(dirfd, path, plen);
  if (d < 0) return <i32>d;
  const r = lookupHeld(scratch(SCRATCH_PATH1), sc().normLen, asDir(d), (flags & AT_SYMLINK_NOFOLLOW) == 0);
  atPut(d);
  if (r == HOSTPATH) return -EPERM;   // the host's owners are not ours to change
  if (r < 0) return <i32>r;
  const e = inodeChown(changetype<Inode>(r), uid, gid);
  inodePut(changetype<Inode>(r));
  return e;
}

/**
 * faccessat (access): R_OK 4 | W_OK 2 | X_OK 1, or F_OK 0; with the real
 * ids for the walk and the check unless AT_EACCESS. EACCES, ENOENT...
 */
export function sys_faccessat(dirfd: i32, path: u32, plen: u32, mode: i32, flags: i32): i32 {
  if ((flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW)) != 0 || (mode & ~7) != 0) return -EINVAL;
  const d = atPath(dirfd, path, plen);
  if (d < 0) return <i32>d;
  const follow = (flags & AT_SYMLINK_NOFOLLOW) == 0;
  const real = (flags & AT_EACCESS) == 0;
  if (real) useRealIds(true);
  const r = lookupHeld(scratch(SCRATCH_PATH1), sc().normLen, asDir(d), follow);
  let e: i32;
  if (r == HOSTPATH) e = hostAccess(mode, follow);
  else if (r < 0) e = <i32>r;
  else { e = inodeAccess(changetype<Inode>(r), mode); inodePut(changetype<Inode>(r)); }
  if (real) useRealIds(false);
  atPut(d);
  return e;
}
