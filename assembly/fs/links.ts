// Symbolic and hard links in the namespace: symlink(2), link(2),
// readlink(2) and their *at / WASI path_* forms. A tmpfs symlink is an inode
// of type S_IFLNK whose target (bytes, as given) is in Inode.data with its
// length in Inode.size, as lstat reports; fs/namei.ts follows it. A hard
// link is one more directory entry for the same inode (nlink counts them;
// the data goes with the last name and the last open file). Below a mount
// each is one host request, resolved beneath the mount's root.

import { EACCES, EEXIST, EINVAL, ENAMETOOLONG, ENOENT, ENOMEM, EPERM, EROFS, EXDEV } from "../../abi/errno";
import { S_IFLNK, PATH_MAX } from "../../abi/constants";
import { kdup } from "../alloc";
import { acquire, release } from "../lock";
import { sc } from "../user";
import { File } from "../file";
import {
  Inode, vfsLock, lastName, lastLen, lookupParent, dirLookup, dirAdd, inodeNew, inodeFree, isDir,
  dirGone, hostDotsErr,
} from "../vfs";
import { namei, isLink, WALK_FOLLOW } from "./namei";
import {
  HOSTPATH, hostPathOp, hostPathPair, hostOut, walkedHostPath, walkedHostLen, walkedReadonly,
  HOST_SYMLINK, HOST_READLINK, HOST_LINK, HOST_NOFOLLOW,
} from "../mount";
import { mayChangeDir } from "./access";
import { isMqDir } from "../mqopen";

/** The checks before a new name is linked in `dir` (the walk's last name): 0 or -errno. */
function newNameErr(dir: Inode): i32 {
  if (lastLen() == 0 || dirLookup(dir, lastName(), lastLen()) != null) return -EEXIST;
  if (dirGone(dir)) return -ENOENT;
  if (sc().lastSlash != 0) return -ENOENT;   // "name/" cannot be made a link, as Linux
  return mayChangeDir(dir);
}

/**
 * /dev/mqueue is a file system of its own on Linux, without a link
 * operation: a link into or out of it is EXDEV (do_linkat: after EEXIST,
 * before the permission check), one inside it EPERM (vfs_link). `err` is
 * what newNameErr said about the new name.
 */
function mqLinkErr(src: Inode, ndir: Inode, err: i32): i32 {
  if (err != 0 && err != -EACCES) return err;
  const inMq = isMqDir(ndir);
  if ((src.mq != 0) != inMq) return -EXDEV;
  return err == 0 && inMq ? -EPERM : err;
}

/**
 * symlink(2): a link at `path` (relative to `base`) whose target is the
 * `tlen` kernel bytes at `target` (not in SCRATCH_FULL: the walk uses it).
 * The target is not looked at: it may dangle, or name something that comes later.
 */
export function vfsSymlink(target: usize, tlen: i32, path: usize, len: i32, base: Inode | null): i32 {
  if (tlen == 0) return -ENOENT;
  if (tlen >= PATH_MAX) return -ENAMETOOLONG;
  acquire(vfsLock());
  const r = lookupParent(base, path, len);
  if (r == HOSTPATH) {
    release(vfsLock());
    if (walkedReadonly()) return -EROFS;
    return <i32>hostPathPair(HOST_SYMLINK, walkedHostPath(), walkedHostLen(), target, tlen, 0);
  }
  if (r < 0) { release(vfsLock()); return <i32>r; }
  const dir = changetype<Inode>(r);
  let err = newNameErr(dir);
  if (err == 0 && isMqDir(dir)) err = -EPERM;   // Linux's mqueue file system has no symlink (vfs_symlink)
  if (err != 0) { release(vfsLock()); return err; }
  const node = inodeNew(S_IFLNK | 0o777);
  if (node != null) {
    node.data = kdup(target, tlen);
    node.size = <u32>tlen;
  }
  if (node == null || node.data == 0 || !dirAdd(dir, lastName(), lastLen(), node)) {
    release(vfsLock());
    if (node != null) inodeFree(node);   // never linked: nobody else can see it
    return -ENOMEM;
  }
  release(vfsLock());
  return 0;
}

/**
 * link(2): a second name `p2` (relative to `b2`) for what `p1` (relative to
 * `b1`) names; a final symlink in `p1` is linked itself unless `follow`
 * (AT_SYMLINK_FOLLOW, WASI's LOOKUPFLAGS_SYMLINK_FOLLOW). Directories
 * cannot be linked (EPERM); across a mount boundary it is EXDEV.
 */
export function vfsLink(p1: usize, l1: i32, b1: Inode | null, p2: usize, l2: i32, b2: Inode | null, follow: bool): i32 {
  acquire(vfsLock());
  const r = namei(b1, p1, l1, follow ? WALK_FOLLOW : 0);
  if (r == HOSTPATH) {
    const h1 = walkedHostPath(), hl1 = walkedHostLen(), m1 = sc().walkMount;
    release(vfsLock());
    const e1 = hostDotsErr(HOST_LINK);   // before the second walk replaces what the first left
    if (e1 != 0) return e1;
    acquire(vfsLock());
    const r2 = lookupParent(b2, p2, l2);
    release(vfsLock());
    if (r2 != HOSTPATH) return r2 < 0 ? <i32>r2 : -EXDEV;
    if (sc().walkMount != m1) return -EXDEV;
    if (walkedReadonly()) return -EROFS;
    return <i32>hostPathPair(HOST_LINK, h1, hl1, walkedHostPath(), walkedHostLen(), follow ? 0 : HOST_NOFOLLOW);
  }
  if (r < 0) { release(vfsLock()); return <i32>r; }
  const src = changetype<Inode>(r);
  const r2 = lookupParent(b2, p2, l2);
  let err = 0;
  if (r2 == HOSTPATH) err = -EXDEV;
  else if (r2 < 0) err = <i32>r2;
  else if (isDir(src)) err = -EPERM;
  else err = mqLinkErr(src, changetype<Inode>(r2), newNameErr(changetype<Inode>(r2)));
  if (err == 0 && src.nlink == 0) err = -ENOENT;   // an unlinked file cannot get a name back
  if (err == 0 && !dirAdd(changetype<Inode>(r2), lastName(), lastLen(), src)) err = -ENOMEM;
  release(vfsLock());
  return err;
}

/**
 * readlink(2): the target of the link at `path` (relative to `base`),
 * copied to `out` (PATH_MAX bytes); returns its whole length. EINVAL if it
 * is not a link.
 */
export function vfsReadlink(path: usize, len: i32, base: Inode | null, out: usize): i32 {
  acquire(vfsLock());
  const r = namei(base, path, len, 0);
  if (r == HOSTPATH) {
    release(vfsLock());
    const n = hostPathOp(HOST_READLINK, 0, 0);
    if (n < 0) return <i32>n;
    const m = n < PATH_MAX ? <i32>n : PATH_MAX;
    memory.copy(out, hostOut(), m);
    return m;
  }
  if (r < 0) { release(vfsLock()); return <i32>r; }
  const node = changetype<Inode>(r);
  let n = -EINVAL;
  if (isLink(node)) {
    n = <i32>node.size;
    memory.copy(out, node.data, n);
  }
  release(vfsLock());
  return n;
}
