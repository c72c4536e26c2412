// POSIX message queues: their names. mq_open and mq_unlink, and the
// /dev/mqueue entries that open(2) with O_CREAT, vfs.ts and the links and
// rename rules (fs/links.ts, fs/rename.ts) meet; the queue itself, its
// messages and the calls on a descriptor are mqueue.ts.

import { EACCES, EEXIST, EFAULT, EINVAL, ENAMETOOLONG, ENOENT, ENOMEM, ENOSPC } from "../abi/errno";
import {
  O_ACCMODE, O_CREAT, O_EXCL, O_NONBLOCK, O_RDONLY, O_WRONLY, O_RDWR, S_IFREG, S_ISVTX, NAME_MAX,
  MQ_ATTR_SIZE, MQ_DFLT_MAXMSG, MQ_DFLT_MSGSIZE,
} from "../abi/constants";
import { kfree } from "./alloc";
import { acquire, release } from "./lock";
import { Proc, curProc } from "./task";
import { copyin, scratch, SCRATCH_PATH1, SCRATCH_REC } from "./user";
import { MAY_READ, MAY_WRITE, modePermits } from "./perm";
import { umasked } from "./cred";
import { Inode, vfsLock, inodeNew, inodeFree, inodeHold, inodePut, dirLookup, dirAdd, dirRemove, isDots } from "./vfs";
import { fileAlloc, fdInstall, FT_MQUEUE } from "./file";
import { MQueue, MqNs, mqNs, mqCreate, mqFree, queuesWord } from "./mqueue";

/**
 * Copies a queue name "/name" (the C layer passes it whole) to
 * SCRATCH_PATH1 without its slash; the length, or -errno as Linux (glibc's
 * check, then the kernel's lookup of what follows the slash; seen on Linux
 * 6.18): EINVAL without a leading "/" (or with a NUL inside), ENAMETOOLONG
 * past NAME_MAX, ENOENT for "/" alone (an empty name), EACCES for another
 * "/" inside and for "." and ".." (lookup_one_len).
 */
function mqName(uname: u32, len: u32): i32 {
  const k = scratch(SCRATCH_PATH1);
  if (len == 0) return -EINVAL;
  if (!copyin(k, uname, 1)) return -EFAULT;
  if (load<u8>(k) != 0x2f) return -EINVAL;
  if (len - 1 > <u32>NAME_MAX) return -ENAMETOOLONG;
  if (len == 1) return -ENOENT;
  if (!copyin(k, uname + 1, len - 1)) return -EFAULT;
  let slash = false;
  for (let i: u32 = 0; i < len - 1; i++) {
    const c = load<u8>(k + i);
    if (c == 0) return -EINVAL;
    if (c == 0x2f) slash = true;
  }
  if (slash) return -EACCES;
  if (isDots(k, <i32>len - 1)) return -EACCES;
  return <i32>len - 1;
}

/** O_ACCMODE as MAY_* bits; 0 for the invalid 3. */
function accWant(oflag: i32): i32 {
  const acc = oflag & O_ACCMODE;
  return acc == O_RDONLY ? MAY_READ : acc == O_WRONLY ? MAY_WRITE : acc == O_RDWR ? MAY_READ | MAY_WRITE : 0;
}

/**
 * mq_open(name, oflag, mode, attr*|0): a descriptor, close-on-exec always
 * (as Linux: execve closes message queue descriptors; fcntl may clear the
 * flag). With O_CREAT a missing queue is made with `mode` less the umask,
 * owned by the caller's effective ids, and `attr`'s mq_maxmsg/mq_msgsize
 * (each 1 up to the boot ceilings, else EINVAL; none: 10 x 8192 within
 * the ceilings); ENOSPC past the machine's queues, EMFILE past the bytes
 * the machine's queues may hold together (Linux's RLIMIT_MSGQUEUE error,
 * machine-wide here). An existing queue is
 * checked against the access mode (EACCES); O_EXCL makes it EEXIST.
 */
export function sys_mq_open(uname: u32, namelen: u32, oflag: i32, mode: i32, uattr: u32): i32 {
  const p = curProc();
  const ns = mqNs();
  let maxmsg = dfltMaxmsg(ns), msgsize = dfltMsgsize(ns);
  if ((oflag & O_CREAT) != 0 && uattr != 0) {
    const a = scratch(SCRATCH_REC);
    if (!copyin(a, uattr, MQ_ATTR_SIZE)) return -EFAULT;
    maxmsg = load<i32>(a + 4); msgsize = load<i32>(a + 8);
  }
  const n = mqName(uname, namelen);
  if (n < 0) return n;
  const name = scratch(SCRATCH_PATH1);
  const want = accWant(oflag);
  acquire(vfsLock());
  const dir = changetype<Inode>(ns.dir);
  let node = dirLookup(dir, name, n);
  let err = 0;
  if (node == null) {
    if ((oflag & O_CREAT) == 0) err = -ENOENT;
    else if (want == 0) err = -EINVAL;
    else if (maxmsg < 1 || msgsize < 1 || maxmsg > ns.maxMsg || msgsize > ns.msgSizeMax) err = -EINVAL;
    else err = mqMakeCounted(dir, name, n, umasked(<u32>mode & 0o777), maxmsg, msgsize, p);
    if (err == 0) node = dirLookup(dir, name, n);
  } else if ((oflag & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL)) err = -EEXIST;
  else if (node.mq == 0) err = -EACCES;   // not a queue (a file made in /dev/mqueue by other means)
  else if (want == 0) err = -EINVAL;
  else if (!modePermits(node.mode, node.uid, node.gid, p, want)) err = -EACCES;
  if (err != 0) { release(vfsLock()); return err; }
  const node_ = node!;
  inodeHold(node_);
  release(vfsLock());
  const f = fileAlloc(FT_MQUEUE, oflag & (O_ACCMODE | O_NONBLOCK), node_.mq, changetype<usize>(node_));
  if (f == null) { inodePut(node_); return -ENOMEM; }
  const fd = fdInstall(p, f, 0, true);
  // EMFILE: undo the open itself (not a close: that would drop a registration made through another descriptor).
  if (fd < 0) { kfree(changetype<usize>(f)); inodePut(node_); }
  return fd;
}

// The attributes of a queue made without mq_attr: Linux's defaults within the ceilings.
// @ts-ignore: decorator
@inline function dfltMaxmsg(ns: MqNs): i32 { return ns.maxMsg < MQ_DFLT_MAXMSG ? ns.maxMsg : MQ_DFLT_MAXMSG; }
// @ts-ignore: decorator
@inline function dfltMsgsize(ns: MqNs): i32 { return ns.msgSizeMax < MQ_DFLT_MSGSIZE ? ns.msgSizeMax : MQ_DFLT_MSGSIZE; }

/** mqMake within the machine's queue count (ENOSPC). */
function mqMakeCounted(dir: Inode, name: usize, n: i32, perm: u32, maxmsg: i32, msgsize: i32, p: Proc): i32 {
  if (atomic.load<i32>(queuesWord()) >= mqNs().queuesMax) return -ENOSPC;
  return mqMake(dir, name, n, perm, maxmsg, msgsize, p);
}

/** Is `dir` /dev/mqueue, where a name made by open(2) is a queue (vfs.ts)? */
export function isMqDir(dir: Inode): bool { return changetype<usize>(dir) == mqNs().dir; }

/**
 * open(2) with O_CREAT of a missing name in /dev/mqueue (`touch`), vfs lock
 * held: a queue with the default attributes, as Linux's mqueue file system
 * makes. 0 or -errno (ENOSPC, EMFILE, ENOMEM). `perm` is umasked already.
 */
export function mqMakeByOpen(dir: Inode, name: usize, n: i32, perm: u32): i32 {
  const ns = mqNs();
  return mqMakeCounted(dir, name, n, perm & 0o777, dfltMaxmsg(ns), dfltMsgsize(ns), curProc());
}

/** What stat shows as a new queue's size: Linux's FILENT_SIZE, the length its status line was once padded to. */
const MQ_FILENT_SIZE: u32 = 80;

/** A new queue named `name` in /dev/mqueue (vfs lock held): 0, -ENOMEM or -EMFILE. */
function mqMake(dir: Inode, name: usize, n: i32, perm: u32, maxmsg: i32, msgsize: i32, p: Proc): i32 {
  const r = mqCreate(maxmsg, msgsize, p);
  if (r < 0) return <i32>r;
  const q = changetype<MQueue>(r);
  atomic.add<i32>(queuesWord(), 1);
  const node = inodeNew(S_IFREG | perm);
  if (node == null) { mqFree(q); return -ENOMEM; }
  node.mq = changetype<usize>(q);
  node.size = MQ_FILENT_SIZE;
  atomic.store<usize>(changetype<usize>(q) + offsetof<MQueue>("inode"), changetype<usize>(node));   // after the inode's fields (mqSnapshot)
  if (!dirAdd(dir, name, n, node)) { inodeFree(node); return -ENOMEM; }   // inodeFree frees the queue
  return 0;
}

/**
 * mq_unlink(name): the name goes at once; the queue lives on until its
 * last descriptor closes. /dev/mqueue is sticky: only the queue's owner
 * (or uid 0) may remove it (EACCES, as Linux's mq_unlink).
 */
export function sys_mq_unlink(uname: u32, namelen: u32): i32 {
  const n = mqName(uname, namelen);
  if (n < 0) return n;
  const name = scratch(SCRATCH_PATH1);
  const p = curProc();
  acquire(vfsLock());
  const dir = changetype<Inode>(mqNs().dir);
  const node = dirLookup(dir, name, n);
  let err = 0;
  if (node == null) err = -ENOENT;
  else if (node.mq != 0 && (dir.mode & S_ISVTX) != 0 && p.euid != 0 && p.euid != node.uid) err = -EACCES;
  if (err != 0) { release(vfsLock()); return err; }
  dirRemove(dir, name, n);
  const dead = node!.nlink == 0 && node!.refs == 0;
  release(vfsLock());
  if (dead) inodeFree(node!);
  return 0;
}

