// POSIX message queue descriptors as open files (FT_MQUEUE): the queue
// itself is ../mqueue.ts. mq_open and an open(2) of /dev/mqueue/<name> give
// the same kind of File (f.obj the queue, f.inode its /dev/mqueue inode).
// As on Linux, read(2) of it gives the status line (`cat /dev/mqueue/q`),
// write(2) is EINVAL, poll says whether mq_receive / mq_send would go on,
// and a close by the process registered with mq_notify ends the registration.

import {
  File, IoOp, SeekOp, StatOp, PollOp, TruncOp, AllocOp, ListOp, TypeOp, CloseOp, FlushOp, opWriteNone,
  opSeekNone, opStatInode, opAllocNone, opListNone, opCloseNone, fileLock,
} from "../file";
import { Inode, inodeLock } from "../vfs";
import { inodeTouchLocked, TOUCH_MTIME, TOUCH_CTIME } from "./times";
import { now, CLOCK_REALTIME } from "../clock";
import { MQueue, mqPoll } from "../mqueue";
import { mqStatus, mqFlush } from "../mqnotify";
import { Proc } from "../task";
import { Uio, uioMove, scratch, SCRATCH_HOSTOUT } from "../user";
import { EFAULT, EINVAL } from "../../abi/errno";
import { acquire, release } from "../lock";

/** The QSIZE/NOTIFY line from the file offset on (simple_read_from_buffer). */
function mqFileRead(f: File, u: Uio, at: i64): i32 {
  const k = scratch(SCRATCH_HOSTOUT);   // the line is 60 bytes (more only for a huge QSIZE or pid)
  const n = mqStatus(changetype<MQueue>(f.obj), k);
  acquire(fileLock(f));
  const off = f.offset;
  let m: i32 = off >= <i64>n ? 0 : n - <i32>off;
  if (<u32>m > u.resid) m = <i32>u.resid;
  if (m > 0 && !uioMove(u, k + <usize>off, <u32>m, true)) { release(fileLock(f)); return -EFAULT; }
  f.offset = off + <i64>m;
  release(fileLock(f));
  return m;
}

function mqFilePoll(f: File, write: bool, queue: bool, ev: usize): bool {
  return mqPoll(changetype<MQueue>(f.obj), write, queue, ev);
}

/**
 * ftruncate of a queue descriptor open for writing: as on Linux (the
 * mqueue inode takes simple_setattr) it succeeds and sets the size stat
 * shows, and the queue's messages are untouched (io.ts fdTruncate has
 * refused a read-only descriptor and a negative size, EINVAL).
 */
function mqFileTruncate(f: File, size: i64): i32 {
  if (f.inode == 0) return 0;
  if (size > <i64>i32.MAX_VALUE) return -EINVAL;   // past the mqueue fs's s_maxbytes (MAX_NON_LFS): Linux says EINVAL
  const node = changetype<Inode>(f.inode);
  const t = now(CLOCK_REALTIME);
  acquire(inodeLock(node));
  node.size = <u32>size;
  inodeTouchLocked(node, TOUCH_MTIME | TOUCH_CTIME, t);
  release(inodeLock(node));
  return 0;
}

function mqFileType(f: File): u8 { return 4; }   // WASI regular_file, as Linux's S_IFREG entry

/**
 * Any descriptor of the queue closed by the registered process (a dup, one
 * of another mq_open, exec's close-on-exec, exit) ends its registration, as
 * Linux's mqueue_flush_file; another process's close does not.
 */
function mqFileFlush(f: File, p: Proc): void { mqFlush(changetype<MQueue>(f.obj), p.pid); }

export const MQUEUE_OPS: StaticArray<usize> = [
  0,
  changetype<usize>(<IoOp>mqFileRead),
  changetype<usize>(<IoOp>opWriteNone),
  changetype<usize>(<SeekOp>opSeekNone),
  changetype<usize>(<StatOp>opStatInode),
  changetype<usize>(<PollOp>mqFilePoll),
  changetype<usize>(<TruncOp>mqFileTruncate),
  changetype<usize>(<AllocOp>opAllocNone),
  changetype<usize>(<ListOp>opListNone),
  changetype<usize>(<TypeOp>mqFileType),
  changetype<usize>(<CloseOp>opCloseNone),   // the inode, put by filePut, keeps the queue
  changetype<usize>(<FlushOp>mqFileFlush),
];
