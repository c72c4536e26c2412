// Host I/O that could block: host FIFOs and devices below a mount, and the
// console. The host never blocks in such a call (its descriptors are
// non-blocking and it answers EAGAIN); the kernel turns "would block" into a
// timed retry instead: task.wakeAt a few milliseconds ahead and KBLOCK, the
// park nanosleep and poll_oneoff use. A pending SIGKILL is then acted on at
// the next wake-up (k_unblock), as for any other wait, while the guest still
// sees blocking semantics (a blocking read waits for data, a blocking write
// for room); O_NONBLOCK guests get EAGAIN.

import { EAGAIN, ENXIO, EPIPE, ESPIPE, EINTR } from "../abi/errno";
import { KBLOCK } from "../abi/errno";
import { O_NONBLOCK, SIGPIPE } from "../abi/constants";
import { File, fileGetOffset, fileSetOffset } from "./file";
import { hostIo, HOST_READ, HOST_WRITE, HF_STREAM, HF_PEER } from "./mount";
import { cur, curProc } from "./task";
import { setSleeping } from "./proc";
import { sigRaise } from "./signal";
import { now, CLOCK_MONOTONIC } from "./clock";
import { restartBegin, restartKeep, restartEnd, RESTART_WRITE, RESTART_TIMED } from "./restart";
import { Uio, uioSegment, uioSkip, scratch, SCRATCH_TMP, sc } from "./user";

@external("host", "consoleWrite") declare function hostConsoleWrite(stream: i32, ubuf: u32, len: u32): i32;

/** How long a call that would block on the host waits before it tries again. */
const RETRY_NS: i64 = 4_000_000;

/** "Would block" on the host: sleep (killable) until a retry a few ms from now. */
export function retryLater(): i32 {
  const t = cur();
  t.wakeAt = now(CLOCK_MONOTONIC) + RETRY_NS;
  restartKeep(t, RESTART_TIMED);   // the deadline is this call's (restart.ts)
  setSleeping(curProc(), true);
  return KBLOCK;
}

/** An open of a host FIFO that has no reader yet (the host said EAGAIN). */
export function hostOpenWouldBlock(flags: i32): i32 {
  return (flags & O_NONBLOCK) != 0 ? -ENXIO : retryLater();
}

/** A host FIFO or device (no positions, non-blocking on the host). */
export function isHostStream(f: File): bool { return (f.flags & HF_STREAM) != 0; }

/**
 * Host file I/O goes straight between the host file and guest memory, a
 * segment at a time. Regular files at a position (`at`, else the file
 * offset); streams without one, retried while they would block. A blocking
 * read of a FIFO that has seen no writer yet waits for one (the host opened
 * it without waiting: see docs/architecture.md); a blocked write keeps its
 * progress in the task's restart block across retries, as pipeWrite does.
 */
export function hostTransfer(f: File, u: Uio, at: i64, write: bool): i32 {
  const stream = isHostStream(f);
  if (stream && at >= 0) return -ESPIPE;
  const t = cur();
  t.wakeAt = 0;
  const nonblock = (f.flags & O_NONBLOCK) != 0;
  const op = write ? HOST_WRITE : HOST_READ;
  let done: u32 = 0;
  if (stream && write && restartBegin(t, RESTART_WRITE)) { done = <u32>t.restartDone; restartEnd(t); uioSkip(u, done); }
  // The offset is read and stored under the file lock, but the host I/O
  // between cannot hold it (it may take long): sharers of one host File
  // reading at once may see the same bytes.
  let pos: i64 = stream ? -1 : (at >= 0 ? at : fileGetOffset(f));
  while (u.resid > 0) {
    const len = uioSegment(u);
    if (len == 0) break;
    const r = hostIo(op, f.aux, sc().segBase, len, pos);
    if (r == -EAGAIN && stream) {
      if (!write) markPeer(f);   // EAGAIN on a read: a writer is there, no data yet
      if (nonblock || (!write && done > 0)) return done > 0 ? <i32>done : -EAGAIN;
      if (write && t.sigintr != 0) return done > 0 ? <i32>done : -EINTR;   // a handler interrupted it (sigwait.ts)
      if (write) { t.restartDone = <i32>done; restartKeep(t, RESTART_WRITE); }
      return retryLater();
    }
    if (r < 0) {
      if (done > 0) break;
      if (write && stream && r == -EPIPE) sigRaise(t, SIGPIPE);
      return <i32>r;
    }
    if (stream && !write) {
      if (r == 0) {
        // No writer: EOF, unless none has come yet and the read may wait for one.
        if (done == 0 && !nonblock && (f.flags & HF_PEER) == 0) return retryLater();
        break;
      }
      markPeer(f);
    }
    uioSkip(u, <u32>r);
    done += <u32>r;
    if (!stream) pos += r;
    if (<u32>r < len && !(stream && write)) break;   // short: end of file, disk full, or a partial read
  }
  if (at < 0 && !stream) fileSetOffset(f, pos);
  return <i32>done;
}

/** The FIFO has had a writer: from now on a read that finds none is EOF. */
function markPeer(f: File): void {
  atomic.or<i32>(changetype<usize>(f) + offsetof<File>("flags"), HF_PEER);
}

/**
 * The console writes straight from guest memory to the host terminal. A
 * host pipe that is full (nobody drains it) is retried like a host FIFO,
 * with the progress kept in the task's restart block.
 */
export function consoleOut(f: File, u: Uio): i32 {
  const t = cur();
  t.wakeAt = 0;
  let done: u32 = 0;
  if (restartBegin(t, RESTART_WRITE)) { done = <u32>t.restartDone; restartEnd(t); uioSkip(u, done); }
  while (u.resid > 0) {
    const len = uioSegment(u);
    if (len == 0) break;
    const r = hostConsoleWrite(f.aux, sc().segBase, len);
    if (r == -EAGAIN) {
      if ((f.flags & O_NONBLOCK) != 0) return done > 0 ? <i32>done : -EAGAIN;
      if (t.sigintr != 0) return done > 0 ? <i32>done : -EINTR;
      t.restartDone = <i32>done;
      restartKeep(t, RESTART_WRITE);
      return retryLater();
    }
    if (r < 0) return done > 0 ? <i32>done : r;
    uioSkip(u, <u32>r);
    done += <u32>r;
  }
  return <i32>done;
}
