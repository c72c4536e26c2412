// Pipes and the FIFO rendezvous. A pipe is a ring buffer in kernel memory
// under its own lock; readers and writers copy straight between the ring and
// the guest's buffers (one copy each way, as Linux's copy_{to,from}_user).

import { EAGAIN, EFAULT, ENOMEM, EPIPE, EINTR } from "../abi/errno";
import { KBLOCK } from "../abi/errno";
import { PIPE_BUF, SIGPIPE } from "../abi/constants";
import { kalloc, kfree } from "./alloc";
import { G } from "./globals";
import { acquire, release } from "./lock";
import { cur, curProc } from "./task";
import { Uio, uioMove, uioSkip } from "./user";
import { waitOn, wakeAll } from "./wait";
import { restartBegin, restartKeep, restartEnd, RESTART_WRITE } from "./restart";
import { sigRaise } from "./signal";
import { setSleeping } from "./proc";

// Readers and writers copy outside the pipe lock, so a reader drains while
// a writer fills: writers are serialised by `wlock` (which is what keeps a
// write of at most PIPE_BUF bytes in one piece), readers by `rlock`, and the
// pipe lock only guards positions, counts and the wait queues. `rpos` and
// `wpos` count bytes ever read and written (mod 2^32); their difference is
// what the ring holds.
@unmanaged
export class Pipe {
  lock: i32;
  wlock: i32;
  rlock: i32;
  buf: usize;
  cap: u32;
  rpos: u32;       // advanced by readers only
  wpos: u32;       // advanced by writers only
  readers: i32;
  writers: i32;
  rqLock: i32;     // readers waiting for data: {lock, head}
  rqHead: usize;
  wqLock: i32;     // writers waiting for room
  wqHead: usize;
  oqLock: i32;     // FIFO opens waiting for the other end
  oqHead: usize;
  ropens: i32;     // FIFO: read opens so far (lets a waiting writer see a reader come and go)
  wopens: i32;
}

/** Copies larger than this are published piecewise (see pipeRead/pipeWrite). */
const CHUNK: u32 = 8192;   // >= PIPE_BUF: an atomic write is published in one piece

/** Bytes in the ring. */
export function pipeUsed(p: Pipe): u32 {
  return atomic.load<u32>(changetype<usize>(p) + offsetof<Pipe>("wpos")) - atomic.load<u32>(changetype<usize>(p) + offsetof<Pipe>("rpos"));
}

// @ts-ignore: decorator
@inline function rq(p: Pipe): usize { return changetype<usize>(p) + offsetof<Pipe>("rqLock"); }
// @ts-ignore: decorator
@inline function wq(p: Pipe): usize { return changetype<usize>(p) + offsetof<Pipe>("wqLock"); }
// @ts-ignore: decorator
@inline export function oq(p: Pipe): usize { return changetype<usize>(p) + offsetof<Pipe>("oqLock"); }
// @ts-ignore: decorator
@inline export function pipeLock(p: Pipe): usize { return changetype<usize>(p) + offsetof<Pipe>("lock"); }
// @ts-ignore: decorator
@inline function writeLock(p: Pipe): usize { return changetype<usize>(p) + offsetof<Pipe>("wlock"); }
// @ts-ignore: decorator
@inline function readLock(p: Pipe): usize { return changetype<usize>(p) + offsetof<Pipe>("rlock"); }

export function pipeCreate(): Pipe | null {
  const p = changetype<Pipe>(kalloc(offsetof<Pipe>()));
  if (changetype<usize>(p) == 0) return null;
  const size = <u32>G().pipeSize;
  p.buf = kalloc(size);
  if (p.buf == 0) { kfree(changetype<usize>(p)); return null; }
  p.cap = size;
  return p;
}

export function pipeFree(p: Pipe): void {
  kfree(p.buf);
  kfree(changetype<usize>(p));
}

/** Moves `n` bytes between the ring at stream position `pos` and the uio. */
function ringMove(p: Pipe, u: Uio, pos: u32, n: u32, toUser: bool): bool {
  const at = pos % p.cap;
  const first = p.cap - at < n ? p.cap - at : n;
  if (!uioMove(u, p.buf + at, first, toUser)) return false;
  return first == n || uioMove(u, p.buf, n - first, toUser);
}

export function pipeRead(p: Pipe, u: Uio, nonblock: bool): i32 {
  if (u.resid == 0) return 0;
  acquire(readLock(p));
  acquire(pipeLock(p));
  const avail = p.wpos - p.rpos;
  if (avail == 0) {
    let r: i32 = 0;                         // no writer left: EOF
    if (p.writers > 0) {
      if (nonblock) r = -EAGAIN;
      else r = waitOn(rq(p), cur()) ? KBLOCK : -ENOMEM;   // not queued: nothing would wake us
      if (r == KBLOCK) setSleeping(curProc(), true);      // ps shows S (k_unblock clears it)
    }
    release(pipeLock(p));
    release(readLock(p));
    return r;
  }
  release(pipeLock(p));
  const n = avail < u.resid ? avail : u.resid;
  // Free the ring a chunk at a time, so a waiting writer refills behind us.
  let done: u32 = 0;
  while (done < n) {
    const c = n - done < CHUNK ? n - done : CHUNK;
    if (!ringMove(p, u, p.rpos, c, true)) { release(readLock(p)); return done > 0 ? <i32>done : -EFAULT; }
    acquire(pipeLock(p));
    p.rpos += c;
    wakeAll(wq(p));
    release(pipeLock(p));
    done += c;
  }
  release(readLock(p));
  return <i32>n;
}

/**
 * Drops what the ring holds, unread (a terminal's input queue flushed by
 * ^C, ^\ or ^Z: tty.ts). Taken as a read is (its lock first), so a reader
 * copying out finishes before; writers waiting for room wake.
 */
export function pipeDiscard(p: Pipe): void {
  acquire(readLock(p));
  acquire(pipeLock(p));
  p.rpos = p.wpos;
  wakeAll(wq(p));
  release(pipeLock(p));
  release(readLock(p));
}

/**
 * Writes the whole uio unless non-blocking. Writes of at most PIPE_BUF bytes
 * go in at once or not at all, so they never interleave with other writers'.
 * A blocked write keeps its progress in the task's restart block
 * (RESTART_WRITE) across retries.
 */
export function pipeWrite(p: Pipe, u: Uio, nonblock: bool): i32 {
  const t = cur();
  let done: u32 = 0;
  if (restartBegin(t, RESTART_WRITE)) { done = <u32>t.restartDone; restartEnd(t); }
  if (done > 0) uioSkip(u, done);
  const whole = u.resid + done;
  if (u.resid == 0) return <i32>done;
  acquire(writeLock(p));
  while (true) {
    acquire(pipeLock(p));
    if (p.readers == 0) {
      release(pipeLock(p));
      release(writeLock(p));
      if (done > 0) return <i32>done;
      sigRaise(t, SIGPIPE);
      return -EPIPE;
    }
    const room = p.cap - (p.wpos - p.rpos);
    if (room == 0 || (whole <= <u32>PIPE_BUF && room < u.resid)) {
      let r: i32;
      if (nonblock) r = done > 0 ? <i32>done : -EAGAIN;
      else if (t.sigintr != 0) r = done > 0 ? <i32>done : -EINTR;   // a handler interrupted it (sigwait.ts)
      else if (waitOn(wq(p), t)) { t.restartDone = <i32>done; restartKeep(t, RESTART_WRITE); r = KBLOCK; setSleeping(curProc(), true); }
      else r = done > 0 ? <i32>done : -ENOMEM;   // not queued: nothing would wake us
      release(pipeLock(p));
      release(writeLock(p));
      return r;
    }
    release(pipeLock(p));
    // Publish a chunk at a time, so a waiting reader drains while we fill.
    let n = room < u.resid ? room : u.resid;
    if (n > CHUNK) n = CHUNK;
    if (!ringMove(p, u, p.wpos, n, false)) {
      release(writeLock(p));
      return done > 0 ? <i32>done : -EFAULT;
    }
    acquire(pipeLock(p));
    p.wpos += n;
    wakeAll(rq(p));
    release(pipeLock(p));
    done += n;
    if (u.resid == 0) break;   // non-blocking too: go on while there is room
  }
  release(writeLock(p));
  return <i32>done;
}

/**
 * poll: is the pipe ready for reading (data, or no writer left: EOF) or for
 * writing (room, or no reader left: the write would fail)? Fills the WASI
 * event's nbytes (@16) and hang-up flag (@24). When it is not ready and
 * `queue` is set, the task goes on the matching wait queue under the same
 * lock, so a change between the check and the wait is never missed.
 */
export function pipePoll(p: Pipe, write: bool, queue: bool, ev: usize): bool {
  acquire(pipeLock(p));
  const used = p.wpos - p.rpos;
  const hangup = write ? p.readers == 0 : p.writers == 0;
  const n: u32 = write ? p.cap - used : used;
  const ready = hangup || n > 0;
  if (ready) {
    store<u64>(ev + 16, <u64>n);
    store<u16>(ev + 24, hangup ? 1 : 0);
  } else if (queue && !waitOn(write ? wq(p) : rq(p), cur())) {
    // Not queued, so nothing would wake the poll: report this one at once
    // with the error in its event (poll_oneoff's per-subscription error).
    store<u16>(ev + 8, <u16>ENOMEM);
    release(pipeLock(p));
    return true;
  }
  release(pipeLock(p));
  return ready;
}

/** Wakes the readers so they look again (a console ^D). */
export function pipeWakeReaders(p: Pipe): void {
  acquire(pipeLock(p));
  wakeAll(rq(p));
  release(pipeLock(p));
}

/** Drops one reader and/or writer; returns true when the pipe has no users left. */
export function pipeDetach(p: Pipe, reader: bool, writer: bool): bool {
  acquire(pipeLock(p));
  if (reader) p.readers--;
  if (writer) p.writers--;
  const unused = p.readers == 0 && p.writers == 0;
  // Peers see EOF or EPIPE; FIFO opens waiting for us re-check.
  wakeAll(rq(p));
  wakeAll(wq(p));
  wakeAll(oq(p));
  release(pipeLock(p));
  return unused;
}


