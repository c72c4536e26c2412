// The C layer's descriptor-based file calls (issue 13): fchdir and fchmod.

import { EBADF, ENOTDIR, ENOENT, ENOMEM, ENAMETOOLONG, ENOTSUP } from "../abi/errno";
import { S_IFMT, PATH_MAX } from "../abi/constants";
import { kalloc } from "./alloc";
import { G } from "./globals";
import { acquire, release } from "./lock";
import { curProc } from "./task";
import { scratch, SCRATCH_PATH2 } from "./user";
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
 * fchdir: the cwd becomes the directory `fd` names. A directory below a
 * mount (a host directory) has no tmpfs path to follow: ENOTSUP for now.
 */
export function sys_fchdir(fd: i32): i32 {
  const p = curProc();
  const f = fdGet(p, fd);
  if (f == null) return -EBADF;
  const type = f.type;
  const ino = f.inode;
  let r = 0;
  if (type == FT_HOSTDIR) r = -ENOTSUP;
  else if (type != FT_DIR || ino == 0 || !isDir(changetype<Inode>(ino))) r = -ENOTDIR;
  else {
    const at = dirPath(changetype<Inode>(ino));
    if (at < 0) r = at;
    else {
      const len = PATH_MAX - at;
      const k = kalloc(<usize>len);
      if (k == 0) r = -ENOMEM;
      else { memory.copy(k, scratch(SCRATCH_PATH2) + at, len); cwdSet(p, k, len); }
    }
  }
  filePut(f);
  return r;
}

/** fchmod: a tmpfs file's permission bits; a pipe has no mode to keep (0, as Linux); host files ENOTSUP. */
export function sys_fchmod(fd: i32, mode: i32): i32 {
  const f: File | null = fdGet(curProc(), fd);
  if (f == null) return -EBADF;
  let r = 0;
  if (f.type == FT_HOST || f.type == FT_HOSTDIR) r = -ENOTSUP;
  else if (f.inode != 0) {
    const i = changetype<Inode>(f.inode);
    acquire(vfsLock());
    i.mode = (i.mode & S_IFMT) | (<u32>mode & 0o7777);
    release(vfsLock());
  }
  filePut(f);
  return r;
}
