// rename(2) / renameat / WASI path_rename in the namespace: both names
// resolved under the namespace lock (each relative to its own directory
// descriptor), checked, then the tree changed in one step.

import { EBUSY, EINVAL, EISDIR, ENOENT, ENOMEM, ENOTDIR, ENOTEMPTY, EPERM, EROFS, EXDEV } from "../../abi/errno";
import { kdup, kfree } from "../alloc";
import { acquire, release } from "../lock";
import { sc } from "../user";
import { File } from "../file";
import {
  Inode, Dentry, vfsLock, lastName, lastLen, lookupParent, dirLookup, dentryNew, dentryFree,
  dirLink, dirRemove, inodeFree, isDir, isDots, dirGone, hostDotsErr,
} from "../vfs";
import { O_WRONLY } from "../../abi/constants";
import { mayChangeDir, mayDelete, mayOpen } from "./access";
import { isMqDir } from "../mqopen";
import { HOSTPATH, HOST_RENAME, hostRename, walkedHostPath, walkedHostLen, walkedReadonly } from "../mount";

/** Is `a` `b` or one of its ancestors? (A directory cannot move into its own subtree.) */
function isAncestor(a: Inode, b: Inode): bool {
  let x = b;
  while (true) {
    if (x == a) return true;
    const p = changetype<Inode>(x.parent);
    if (p == x || changetype<usize>(p) == 0) return false;
    x = p;
  }
}

/**
 * Linux's may_delete/may_create for a rename: the source's name may go
 * from `odir` (write+search, sticky: EPERM), a replaced target's from
 * `ndir` likewise, else a name may be made in `ndir` (EACCES); a directory
 * moving to another parent needs write on itself (its "..").
 */
function renamePermission(odir: Inode, src: Inode, ndir: Inode, dst: Inode | null): i32 {
  let e = mayDelete(odir, src);
  if (e == 0) e = dst != null && dst != src ? mayDelete(ndir, dst) : mayChangeDir(ndir);
  if (e == 0 && isDir(src) && ndir != odir) e = mayOpen(src, O_WRONLY);
  return e;
}

/** rename(2): `p1` relative to `b1`, `p2` relative to `b2` (null: the cwd). */
export function vfsRename(p1: usize, l1: i32, p2: usize, l2: i32, b1: Inode | null = null, b2: Inode | null = null): i32 {
  acquire(vfsLock());
  let r = lookupParent(b1, p1, l1);
  if (r == HOSTPATH) {
    const h1 = walkedHostPath(), hl1 = walkedHostLen(), m1 = sc().walkMount;
    release(vfsLock());
    const e1 = hostDotsErr(HOST_RENAME);   // before the second walk replaces what the first left
    acquire(vfsLock());
    const r2 = lookupParent(b2, p2, l2);
    release(vfsLock());
    if (r2 != HOSTPATH) return r2 < 0 ? <i32>r2 : -EXDEV;
    if (sc().walkMount != m1) return -EXDEV;
    if (e1 != 0) return e1;
    if (isDots(lastName(), lastLen())) return -EBUSY;
    if (walkedReadonly()) return -EROFS;
    return <i32>hostRename(h1, hl1, walkedHostPath(), walkedHostLen());
  }
  if (r < 0) { release(vfsLock()); return <i32>r; }
  if (lastLen() == 0) { release(vfsLock()); return -EBUSY; }   // "/"
  const odir = changetype<Inode>(r);
  const olen = lastLen(), oslash = sc().lastSlash != 0;
  const oname = kdup(lastName(), olen);
  r = lookupParent(b2, p2, l2);
  if (r == HOSTPATH) { release(vfsLock()); kfree(oname); return -EXDEV; }
  if (r >= 0 && lastLen() == 0) r = -EBUSY;
  if (r < 0 || oname == 0) { release(vfsLock()); kfree(oname); return r < 0 ? <i32>r : -ENOMEM; }
  const ndir = changetype<Inode>(r);
  const nname = lastName(), nlen = lastLen(), nslash = sc().lastSlash != 0;
  const src = dirLookup(odir, oname, olen);
  let err = 0;
  // /dev/mqueue is a file system of its own on Linux: into or out of it is
  // EXDEV (do_renameat2, before anything else is looked at); inside it,
  // with no rename operation, EPERM (vfs_rename, after the permission checks).
  const inMq = isMqDir(odir);
  if (inMq != isMqDir(ndir)) err = -EXDEV;
  // "." or ".." at either end is EBUSY, as Linux (do_renameat2: not
  // LAST_NORM). Onto the "." of an empty directory, the rename would remove
  // nothing and link the source under the name ".", where no walk finds it.
  if (err != 0) {}
  else if (isDots(oname, olen) || isDots(nname, nlen)) err = -EBUSY;
  else if (src == null) err = -ENOENT;
  else if (src == odir || src == changetype<Inode>(odir.parent)) err = -EBUSY;
  else if (src.host != 0 || isMqDir(src)) err = -EBUSY;      // a mount point stays where it is
  else if (!isDir(src) && (oslash || nslash)) err = -ENOTDIR; // "file/"
  else if (dirGone(ndir)) err = -ENOENT;                      // into a removed directory
  else if (isDir(src) && isAncestor(src, ndir)) err = -EINVAL;
  else err = renamePermission(odir, src!, ndir, dirLookup(ndir, nname, nlen));
  // The new entry is made before anything changes: out of memory, the
  // rename fails with both names as they were.
  let nd: Dentry | null = null;
  if (err == 0) {
    nd = dentryNew(nname, nlen);
    if (nd == null) err = -ENOMEM;
  }
  if (err == 0) {
    const dst = dirLookup(ndir, nname, nlen);
    if (dst == src) { release(vfsLock()); kfree(oname); dentryFree(nd!); return 0; }   // two links to one inode
    if (inMq) err = -EPERM;
    else if (dst != null) {
      if (dst.host != 0 || isMqDir(dst)) err = -EBUSY;
      else if (isDir(dst) && !isDir(src!)) err = -EISDIR;
      else if (!isDir(dst) && isDir(src!)) err = -ENOTDIR;
      else if (isDir(dst) && dst.dents != 0) err = -ENOTEMPTY;
      if (err == 0) {
        dirRemove(ndir, nname, nlen);
        if (isDir(dst)) dst.nlink = 0;
        if (dst.nlink == 0 && dst.refs == 0) inodeFree(dst);
      }
    }
  }
  if (err == 0) {
    // Linked first, then unlinked: a directory's count and parent follow it
    // (dirLink sets the new parent; dirRemove drops the old one's "..").
    dirLink(ndir, nd!, src!);
    dirRemove(odir, oname, olen);
  }
  release(vfsLock());
  if (err != 0 && nd != null) dentryFree(nd);
  kfree(oname);
  return err;
}
