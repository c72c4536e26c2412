// A tmpfs inode's owner and mode (issue 15), as Linux's fs/attr.c and
// fs/open.c: chmod by the owner or root, chown's rules (only root gives a
// file away; the owner may change its group to its own), and access(2)
// with the real ids. The path and descriptor forms are in at.ts and cfs.ts;
// names below a mount are the host's (ENOTSUP for chmod, EPERM for chown:
// the host's owners are not the guest's to change).

import { EINVAL, EPERM, EACCES, EROFS } from "../../abi/errno";
import { S_IFMT, S_IFDIR, S_ISUID, S_ISGID } from "../../abi/constants";
import { acquire, release } from "../lock";
import { curProc } from "../task";
import { Inode, vfsLock } from "../vfs";
import { isOwner, mayAccess } from "./access";
import { inodeTouch, TOUCH_CTIME } from "./times";
import { hostPathOp, hostOut, walkedReadonly, HOST_STAT, HOST_NOFOLLOW } from "../mount";

/**
 * chmod: only the owner or root (EPERM). Without root, a file whose group
 * is not the caller's effective gid loses S_ISGID, as Linux.
 */
export function inodeChmod(node: Inode, mode: u32): i32 {
  const p = curProc();
  acquire(vfsLock());
  if (!isOwner(node)) { release(vfsLock()); return -EPERM; }
  let m = mode & 0o7777;
  if (p.euid != 0 && node.gid != p.egid) m &= ~(<u32>S_ISGID);
  node.mode = (node.mode & S_IFMT) | m;
  release(vfsLock());
  inodeTouch(node, TOUCH_CTIME);
  return 0;
}

/**
 * chown (-1: unchanged). A new owner: root only. A new group: root, or the
 * owner giving it its own effective gid. Even a chown that changes nothing
 * must come from the owner or root (EPERM). A non-directory loses S_ISUID,
 * and S_ISGID where it has group execute, whoever changes it (Linux).
 */
export function inodeChown(node: Inode, uid: i32, gid: i32): i32 {
  if (uid < -1 || gid < -1) return -EINVAL;
  const p = curProc();
  acquire(vfsLock());
  let ok = p.euid == 0;
  if (!ok) {
    const owner = p.euid == node.uid;
    ok = owner && (uid == -1 || uid == node.uid) && (gid == -1 || gid == node.gid || gid == p.egid);
  }
  if (!ok) { release(vfsLock()); return -EPERM; }
  if (uid != -1) node.uid = uid;
  if (gid != -1) node.gid = gid;
  if ((node.mode & S_IFMT) != S_IFDIR) {
    let kill: u32 = S_ISUID;
    if ((node.mode & 0o010) != 0) kill |= S_ISGID;
    node.mode &= ~kill;
  }
  release(vfsLock());
  inodeTouch(node, TOUCH_CTIME);
  return 0;
}

/** access(2) of a tmpfs inode: `mode` R_OK 4 | W_OK 2 | X_OK 1 (0: F_OK, existence); EACCES. */
export function inodeAccess(node: Inode, mode: i32): i32 {
  if (mode == 0) return 0;
  acquire(vfsLock());
  const ok = mayAccess(node, mode);
  release(vfsLock());
  return ok ? 0 : -EACCES;
}

/**
 * access(2) of a name below a mount (the walk left it for the host): it
 * exists (the host's stat), W_OK on a read-only mount is EROFS, and the
 * host file's owner bits say the rest (the host process owns what it can
 * reach; the host refuses at open what it refuses).
 */
export function hostAccess(mode: i32, follow: bool): i32 {
  const e = hostPathOp(HOST_STAT, follow ? 0 : HOST_NOFOLLOW, 0);
  if (e < 0) return <i32>e;
  if (mode == 0) return 0;
  if ((mode & 2) != 0 && walkedReadonly()) return -EROFS;
  const bits = (load<u32>(hostOut() + 16) >> 6) & 7;   // the stat record's mode: its owner's bits
  return (<u32>mode & ~bits) == 0 ? 0 : -EACCES;
}
