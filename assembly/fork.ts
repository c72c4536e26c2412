// fork: a new process that is a copy of the caller. The kernel's half is the
// process: a child Proc inheriting what Linux's fork inherits (procFork) and a
// block of kernel memory for its memory image. The host's half is the guest
// (host/fork.ts): it unwinds the parent's stack (Asyncify), lays the image
// out in that block, and only then queues the child (k_forkCommit), whose
// worker copies the image into a fresh instance and rewinds into the fork
// call. Until the commit the child is off the run queue (forkPending) and
// nothing of it runs.

import { sigsFork } from "./signal";
import { ENOMEM, ENOSYS, ESRCH, EINVAL } from "../abi/errno";
import { kalloc, kallocRaw, kfree, kdup } from "./alloc";
import { Proc, Task, curProc, cur, COMM_SIZE } from "./task";
import { fdtCopy } from "./file";
import { inodeHold, Inode, cwdCopy } from "./vfs";
import { procCreate, procDiscard, runqPush, findProc, ptableLock } from "./proc";
import { acquire, release } from "./lock";
import { schedNew } from "./sched";
import { scratch, SCRATCH_PATH2 } from "./user";

/**
 * What a forked child inherits from its parent, in one place: cwd, argv and
 * environment (what ps and /proc would show), the program image, the fd
 * table (the same open file descriptions: offsets and status flags shared,
 * FD_CLOEXEC bits kept), the WASI preopen, the signal mask. procCreate has
 * already copied ppid, pgid, uid/gid and ignored signals. Fields added to
 * Proc later (umask, credentials, ...) are inherited here too.
 * Returns 0 or -errno (the caller discards the child).
 */
export function procFork(parent: Proc, child: Proc): i32 {
  const clen = cwdCopy(parent, scratch(SCRATCH_PATH2));   // under the parent's lock
  child.cwd = kdup(scratch(SCRATCH_PATH2), clen);
  child.cwdLen = clen;
  if (child.cwd == 0) return -ENOMEM;
  if (parent.args != 0) {
    child.args = kdup(parent.args, parent.argBytes);
    if (child.args == 0) return -ENOMEM;
  }
  child.argc = parent.argc; child.argBytes = parent.argBytes;
  if (parent.env != 0) {
    child.env = kdup(parent.env, parent.envBytes);
    if (child.env == 0) return -ENOMEM;
  }
  child.envc = parent.envc; child.envBytes = parent.envBytes;
  memory.copy(changetype<usize>(child) + offsetof<Proc>("comm0"),
              changetype<usize>(parent) + offsetof<Proc>("comm0"), COMM_SIZE);
  if (parent.image != 0) {
    inodeHold(changetype<Inode>(parent.image));
    child.image = parent.image;   // released with the process
  }
  if (parent.imagePath != 0) {
    child.imagePath = kdup(parent.imagePath, parent.imagePathLen);
    if (child.imagePath == 0) return -ENOMEM;
  }
  child.imagePathLen = parent.imagePathLen;
  child.imageRootLen = parent.imageRootLen;
  child.preopenFd = parent.preopenFd;
  sigsFork(child, parent);
  return fdtCopy(parent, child);
}

/**
 * Not reached through the host for a module the transform pipeline prepared
 * (host/fork.ts handles the import there); a module without the transform
 * cannot be forked.
 */
export function sys_fork(): i32 { return -ENOSYS; }

/**
 * The host's fork, after it unwound the parent: creates the child with an
 * image block of `imageSize` bytes (k_forkImage gives its address). Returns
 * the child's pid, or -errno: EAGAIN at the process limit, ENOMEM.
 */
export function k_fork(imageSize: u32): i32 {
  if (imageSize == 0) return -EINVAL;
  const parent = curProc();
  const c = procCreate(parent);
  if (c < 0) return <i32>c;
  const child = changetype<Proc>(c);
  let err = procFork(parent, child);
  if (err == 0) {
    child.forkImage = kallocRaw(imageSize);   // the host writes all of it
    child.forkImageSize = imageSize;
    if (child.forkImage == 0) err = -ENOMEM;
  }
  if (err < 0) { procDiscard(child); return err; }
  child.forkPending = 1;
  return child.pid;
}

/** The uncommitted child `pid` of the caller, or null (under the table lock). */
function pendingChild(pid: i32): Proc | null {
  const p = findProc(pid);
  return p != null && p.ppid == curProc().pid && p.forkPending != 0 ? p : null;
}

/**
 * Address of a memory image: of the caller's uncommitted child `pid`, or
 * with pid 0 the caller's own (a forked child before it has copied it).
 * 0 when there is none.
 */
export function k_forkImage(pid: i32): usize {
  if (pid == 0) return curProc().forkImage;
  acquire(ptableLock());
  const p = pendingChild(pid);
  const r = p == null ? 0 : p.forkImage;
  release(ptableLock());
  return r;
}

/** The image's size in bytes (see k_forkImage). */
export function k_forkImageSize(pid: i32): u32 {
  if (pid == 0) return curProc().forkImageSize;
  acquire(ptableLock());
  const p = pendingChild(pid);
  const r = p == null ? 0 : p.forkImageSize;
  release(ptableLock());
  return r;
}

/** The child's image is complete: it may run. 0 or -ESRCH. */
export function k_forkCommit(pid: i32): i32 {
  acquire(ptableLock());
  const p = pendingChild(pid);
  if (p != null) p.forkPending = 0;
  release(ptableLock());
  if (p == null) return -ESRCH;
  schedNew(changetype<Task>(p.task));
  runqPush(pid);   // from here on a worker may already be running it
  return 0;
}

/** The fork could not be finished (the host failed to lay out the image): undo it. */
export function k_forkAbort(pid: i32): i32 {
  acquire(ptableLock());
  const p = pendingChild(pid);
  if (p != null) p.forkPending = 0;   // no second abort or commit
  release(ptableLock());
  if (p == null) return -ESRCH;
  procDiscard(p);
  return 0;
}

/** A forked child's host has copied its image: the block goes back to the heap. */
export function k_forkImageDone(): void {
  const p = curProc();
  if (p.forkImage != 0) { kfree(p.forkImage); p.forkImage = 0; p.forkImageSize = 0; }
}
