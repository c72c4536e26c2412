// The restart block: what a blocked call keeps in its Task across KBLOCK
// retries (the bytes a pipe write already moved, a half-open FIFO File, a
// timed wait's deadline). It belongs to one call. Whoever gives up a blocked
// call releases it (restartAbandon: init's API, process exit; later a
// signal's EINTR), and every new call starts with it empty: k_enter, the
// Gate's way in (a KBLOCK retry does not pass it), releases what is left, as
// init's Machine.call does when the task's restartKind word is set (the
// host reads it: no extra kernel call on the common path). So a new call
// never takes what an earlier one left for its own.

import { Task } from "./task";
import { File, filePut } from "./file";

// What the block holds, as bits of restartKind (a host stream write that
// would block keeps both its progress and its retry deadline).
/** A FIFO open waiting for the other end: restartFile, restartAux. */
export const RESTART_OPEN = 1;
/** A blocking write that could not finish (pipe, host FIFO, console): restartDone. */
export const RESTART_WRITE = 2;
/** A timed wait (nanosleep, poll_oneoff with a clock, a host retry): task.wakeAt, the deadline the host parks until. */
export const RESTART_TIMED = 4;
/** sigsuspend waits: task.savedMask is the mask it replaced (put back if the call is given up). */
export const RESTART_SUSPEND = 8;
/** sigtimedwait waits: task.waitSet is its set. */
export const RESTART_SIGWAIT = 16;
/** A System V IPC call waits on an object (ipc/msg.ts): if the id is gone at the retry, it was removed under us (EIDRM, not EINVAL). */
export const RESTART_IPC = 32;

/**
 * A call of `kind` starts (or retries) its work: true when the block holds
 * this call's state from its last attempt (a new call finds it empty).
 */
// @ts-ignore: decorator
@inline export function restartBegin(t: Task, kind: i32): bool { return (t.restartKind & kind) != 0; }

/** The call blocks: the block holds its `kind` of state (the fields were set by the caller). */
export function restartKeep(t: Task, kind: i32): void { t.restartKind |= kind; }

/** The call finished (done or failed): the block is free again. */
export function restartEnd(t: Task): void {
  t.restartKind = 0;
  t.waitSet = 0;
  t.restartDone = 0;
  t.restartFile = 0;
  t.restartAux = 0;
}

/**
 * The blocked call will not be retried (init gave up on it, the process
 * exits, a signal interrupts it). A half-open FIFO end is closed, so
 * the other side no longer counts it.
 */
export function restartAbandon(t: Task): void {
  const f = t.restartFile;
  t.wakeAt = 0;   // no deadline outlives its call
  if ((t.restartKind & RESTART_SUSPEND) != 0) t.sigmask = t.savedMask;
  restartEnd(t);
  if (f != 0) filePut(changetype<File>(f));
}
