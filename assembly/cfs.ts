// The C layer's descriptor-based file calls (issue 13): fchdir and fchmod.

import { EBADF, ENOTDIR, ENOENT, ENOMEM, ENAMETOOLONG, ENOTSUP, EPERM, EINVAL } from "../abi/errno";
import { inodeChmod, inodeChown } from "./fs/attr";
import { dirPath as belowMount } from "./fs/namei";
import { S_IFMT, PATH_MAX } from "../abi/constants";
import { kalloc } from "./alloc";
import { G } from "./globals";
import { acquire, release } from "./lock";
import { curProc } from "./task";
import { scratch, SCRATCH_PATH1, SCRATCH_PATH2 } from "./user";
import { File, fdGet, filePut, FT_DIR, FT_HOST, FT_HOSTDIR } from "./file";
import { Inode, Dentry, vfsLock, cwdSet, isDir } from "./vfs";

/**
 * The absolute path of tmpfs directory `dir`, built from its parents' entries
 * under the namespace lock into SCRATCH_PATH2 (from the end). Returns the
 * offset of its first byte in that buffer, or -errno (ENOENT: removed).
 */
function dirPath(dir: Inode): i32 {
  const buf = scratch(SCRATCH_PATH2);
  const root = G().root;
  let at = PATH_MAX;
  let node = dir;
  acquire(vfsLock());
  while (changetype<usize>(node) != root) {
    const parent = changetype<Inode>(node.parent);
    if (node.nlink == 0 || changetype<usize>(parent) == 0) { release(vfsLock()); return -ENOENT; }
    let d = changetype<Dentry>(parent.dents);
    while (changetype<usize>(d) != 0 && d.inode != changetype<usize>(node)) d = changetype<Dentry>(d.next);
    if (changetype<usize>(d) == 0) { release(vfsLock()); return -ENOENT; }
    if (at - d.nameLen - 1 < 1) { release(vfsLock()); return -ENAMETOOLONG; }
    at -= d.nameLen;
    memory.copy(buf + at, d.name, d.nameLen);
    at--;
    store<u8>(buf + at, 0x2f);
    node = parent;
  }
  release(vfsLock());
  if (at == PATH_MAX) { at--; store<u8>(buf + at, 0x2f); }
  return at;
}

/**
 * The cwd path of host directory `f` into SCRATCH_PATH2, from its offset
 * there (returned) to PATH_MAX: its mount point's tmpfs path, then its path
 * below the mount (as the host sees it now: namei's dirPath, a host request,
 * made outside every lock). -errno: ENOENT (gone), ENAMETOOLONG.
 */
function hostDirPath(f: File): i32 {
  const rel = belowMount(f, SCRATCH_PATH1, 0);   // "sub/dir/" below the mount, or 0 at its root
  if (rel < 0) return rel;
  const at = dirPath(changetype<Inode>(f.obj));
  if (at < 0) return at;
  if (rel == 0) return at;
  const buf = scratch(SCRATCH_PATH2);
  const len = PATH_MAX - at;
  const start = at - rel;   // "/" + rel without its trailing "/"
  if (start < 1) return -ENAMETOOLONG;
  memory.copy(buf + start, buf + at, len);
  store<u8>(buf + start + len, 0x2f);
  memory.copy(buf + start + len + 1, scratch(SCRATCH_PATH1), rel - 1);
  return start;
}

/**
 * fchdir: the cwd becomes the directory `fd` names: a tmpfs directory (its
 * parents' names make the path) or a directory below a mount (its mount
 * point's path, then its path below the mount).
 */
export function sys_fchdir(fd: i32): i32 {
  const p = curProc();
  const f = fdGet(p, fd);
  if (f == null) return -EBADF;
  const type = f.type;
  const ino = f.inode;
  let at = 0;
  if (type == FT_HOSTDIR) at = f.obj == 0 ? -ENOTDIR : hostDirPath(f);
  else if (type != FT_DIR || ino == 0 || !isDir(changetype<Inode>(ino))) at = -ENOTDIR;
  else at = dirPath(changetype<Inode>(ino));
  filePut(f);
  if (at < 0) return at;
  const len = PATH_MAX - at;
  const k = kalloc(<usize>len);
  if (k == 0) return -ENOMEM;
  memory.copy(k, scratch(SCRATCH_PATH2) + at, len);
  cwdSet(p, k, len);
  return 0;
}

/**
 * fchmod: a tmpfs file's permission bits, by its owner or root (EPERM,
 * fs/attr.ts); a pipe has no mode to keep (0, as Linux); host files ENOTSUP.
 */
export function sys_fchmod(fd: i32, mode: i32): i32 {
  const f: File | null = fdGet(curProc(), fd);
  if (f == null) return -EBADF;
  let r = 0;
  if (f.type == FT_HOST || f.type == FT_HOSTDIR) r = -ENOTSUP;
  else if (f.inode != 0) r = inodeChmod(changetype<Inode>(f.inode), <u32>mode);
  filePut(f);
  return r;
}

/** fchown: as chown on the descriptor's tmpfs inode; host files EPERM; a pipe has no owner to change (0). */
export function sys_fchown(fd: i32, uid: i32, gid: i32): i32 {
  if (uid < -1 || gid < -1) return -EINVAL;
  const f: File | null = fdGet(curProc(), fd);
  if (f == null) return -EBADF;
  let r = 0;
  if (f.type == FT_HOST || f.type == FT_HOSTDIR) r = -EPERM;
  else if (f.inode != 0) r = inodeChown(changetype<Inode>(f.inode), uid, gid);
  filePut(f);
  return r;
}
