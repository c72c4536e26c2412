// The machine's introspection record (k_snapshot): processes, their
// descriptors, pipes and FIFOs, and signals, as one versioned binary record
// (docs/abi.md "Snapshot"). It is taken while guests run: nothing is
// stopped, each object is looked at under its own lock, briefly, and the
// only nesting is a process's lock with one pipe's lock (or one of its
// wait-queue locks) inside it — a leaf order nothing else reverses (no
// pipe path takes a process lock). The snapshot takes no reference that
// could be the last (a File's or a pipe's): its reads never close, wake or
// schedule anything, so a deterministic run is not perturbed by being
// watched. Each object is consistent in itself; the record as a whole is
// a series of such views, as /proc is.
//
// Layout (little-endian): a 16-byte header, then sections, each a 16-byte
// section header and `count` records of `recSize` bytes. New sections are
// appended with a new type; a section's records may grow at their end
// (recSize says how long they are), so an old reader skips what it does
// not know and reads the prefix it does.

import { ENOSPC, ENOMEM, EFAULT } from "../abi/errno";
import { PSTATE_SLEEPING, PSTATE_STOPPED, PSTATE_ZOMBIE, PSTATE_EMBRYO, SIG_IGN, SIG_DFL } from "../abi/constants";
import { kalloc, kfree } from "./alloc";
import { KBuf, kbufGrow, kbufFree } from "./kbuf";
import { msgSnapshot, MSGQ_REC } from "./ipc/msg";
import { mqSnapshot, MQ_REC } from "./mqueue";
import { G } from "./globals";
import { acquire, release } from "./lock";
import { Proc, Task, COMM_SIZE, procLock } from "./task";
import { ptableLock, procSlot, procHold, procPut, childQueue } from "./proc";
import { File, FT_PIPE, FT_CONSOLE } from "./file";
import { Pipe, pipeLock } from "./pipe";
import { queueLength, taskQueue, INLINE_WAITS } from "./wait";
import { sigHandler } from "./signal";
import { copyout } from "./user";
import { RESTART_SUSPEND, RESTART_OPEN } from "./restart";

export const SNAP_MAGIC: u32 = 0x4E535857;   // "WXSN"
export const SNAP_VERSION: u16 = 1;
const HEADER: u32 = 16;
const SECTION_HEADER: u32 = 16;

// Section types (append only).
export const SEC_PROCS: u16 = 1;
export const SEC_FDS: u16 = 2;
export const SEC_PIPES: u16 = 3;
export const SEC_SIGNALS: u16 = 4;
export const SEC_MSGQ: u16 = 5;      // System V message queues (ipc/msg.ts msgSnapshot)
export const SEC_MQUEUE: u16 = 6;    // POSIX message queues (mqueue.ts mqSnapshot)
const SECTIONS: u32 = 6;

const PROC_REC: u32 = 96;
const FD_REC: u32 = 24;
const PIPE_REC: u32 = 48;
const SIG_REC: u32 = 40;

// What a sleeping process waits for (PROC record +32).
export const BLOCK_NONE = 0;
export const BLOCK_PIPE_READ = 1;    // obj = pipe id
export const BLOCK_PIPE_WRITE = 2;   // obj = pipe id
export const BLOCK_FIFO_OPEN = 3;    // obj = pipe id (the FIFO's)
export const BLOCK_WAIT = 4;         // waitpid for a child
export const BLOCK_SLEEP = 5;        // a timed sleep (wakeAt)
export const BLOCK_SIGNAL = 6;       // sigsuspend / pause / sigtimedwait
export const BLOCK_STOPPED = 7;      // stopped by a signal
export const BLOCK_QUEUE = 8;        // some other wait queue (obj = its kernel address)
export const BLOCK_POLL = 9;         // several queues (poll/select)
export const BLOCK_MSG_SEND = 10;    // msgsnd waiting for room (obj = the queue's id)
export const BLOCK_MSG_RECV = 11;    // msgrcv waiting for a message (obj = the queue's id)
export const BLOCK_MQ_SEND = 12;     // mq_timedsend waiting for room (obj = the queue's inode, as its descriptors show it)
export const BLOCK_MQ_RECV = 13;     // mq_timedreceive waiting for a message (obj = the same)

// Pipe record flags.
const PIPE_FIFO: u32 = 1;
const PIPE_CONSOLE: u32 = 2;

// A pipe seen through a descriptor, by its address (the record's id).
function pipeIndex(pipes: KBuf, p: usize): i32 {
  for (let i: u32 = 0; i < pipes.count; i++) {
    if (load<u32>(pipes.ptr + <usize>(i * PIPE_REC)) == <u32>p) return <i32>i;
  }
  return -1;
}

/** One pipe's record, read under its lock and its queues' locks (the caller holds a process lock). */
function pipeRecord(pipes: KBuf, p: Pipe, flags: u32, inode: usize): void {
  const r = kbufGrow(pipes, PIPE_REC);
  if (r == 0) return;
  acquire(pipeLock(p));
  const used = p.wpos - p.rpos;
  store<u32>(r, <u32>changetype<usize>(p));
  store<u32>(r + 4, flags);
  store<u32>(r + 8, p.cap);
  store<u32>(r + 12, used);
  store<i32>(r + 16, p.readers);
  store<i32>(r + 20, p.writers);
  release(pipeLock(p));
  store<i32>(r + 24, queueLength(changetype<usize>(p) + offsetof<Pipe>("rqLock")));
  store<i32>(r + 28, queueLength(changetype<usize>(p) + offsetof<Pipe>("wqLock")));
  store<i32>(r + 32, queueLength(changetype<usize>(p) + offsetof<Pipe>("oqLock")));
  store<u32>(r + 36, <u32>inode);
}

/** The process records, under the table lock; each process held until the end. */
function takeProcs(procs: KBuf, held: KBuf): void {
  const g = G();
  acquire(ptableLock());
  for (let i = 0; i < g.maxProcs; i++) {
    const p = procSlot(i);
    if (p == null) continue;
    const h = kbufGrow(held, 4);
    const r = kbufGrow(procs, PROC_REC);
    if (h == 0 || r == 0) break;
    procHold(p);
    store<u32>(h, <u32>changetype<usize>(p));
    const t = changetype<Task>(p.task);
    store<i32>(r, p.pid);
    store<i32>(r + 4, p.ppid);
    store<i32>(r + 8, p.pgid);
    store<i32>(r + 12, p.sid);
    store<i32>(r + 16, p.uid);
    store<i32>(r + 20, p.gid);
    store<i32>(r + 24, p.state);
    store<i32>(r + 28, p.status);
    classify(p, t, r);
    memory.copy(r + 48, changetype<usize>(p) + offsetof<Proc>("comm0"), COMM_SIZE);
  }
  release(ptableLock());
}

/**
 * What a process waits for. A queue is kept as its raw address here (+36)
 * with kind BLOCK_QUEUE; once the pipes are known, resolvePipes names it.
 * The task's wait slots are its own and read without a lock: a wait that
 * begins or ends meanwhile shows either way, never garbage (the slots are
 * inside the task, which is held).
 */
function classify(p: Proc, t: Task, r: usize): void {
  let kind = BLOCK_NONE;
  let obj: u32 = 0;
  store<i64>(r + 40, t.wakeAt);
  if (p.state == PSTATE_STOPPED) kind = BLOCK_STOPPED;
  else if (p.state == PSTATE_SLEEPING) {
    let queues = 0;
    for (let i = 0; i < INLINE_WAITS; i++) {
      const q = taskQueue(t, i);
      if (q == 0) continue;
      queues++;
      obj = <u32>q;
    }
    if (queues == 0 && t.waits != 0) queues = 2;   // more than the inline entries: a poll
    if (queues > 1) kind = BLOCK_POLL;
    else if (queues == 1 && obj == <u32>childQueue(p)) kind = BLOCK_WAIT;
    else if (queues == 1 && (t.restartKind & RESTART_OPEN) != 0) {
      // A FIFO open waits on its pipe's open queue: the pipe's id is the
      // queue's address less its offset (no pointer followed: the FIFO may
      // have no descriptor anywhere yet, and its File is the task's own).
      kind = BLOCK_FIFO_OPEN;
      obj -= <u32>offsetof<Pipe>("oqLock");
    } else if (queues == 1) kind = BLOCK_QUEUE;
    else if (t.waitSet != 0 || (t.restartKind & RESTART_SUSPEND) != 0) kind = BLOCK_SIGNAL;
    else if (t.wakeAt != 0) kind = BLOCK_SLEEP;
    else kind = BLOCK_SIGNAL;   // pause(): no queue, no deadline, a signal ends it
    if (kind == BLOCK_WAIT || kind == BLOCK_POLL) obj = 0;
  }
  store<i32>(r + 32, kind);
  store<u32>(r + 36, obj);
}

/** Names the queues that are a pipe's: read, write or FIFO-open waits. */
function resolvePipes(procs: KBuf, pipes: KBuf): void {
  for (let i: u32 = 0; i < procs.count; i++) {
    const r = procs.ptr + <usize>(i * PROC_REC);
    if (load<i32>(r + 32) != BLOCK_QUEUE) continue;
    const q = load<u32>(r + 36);
    for (let j: u32 = 0; j < pipes.count; j++) {
      const id = load<u32>(pipes.ptr + <usize>(j * PIPE_REC));
      let kind = BLOCK_NONE;
      if (q == id + <u32>offsetof<Pipe>("rqLock")) kind = BLOCK_PIPE_READ;
      else if (q == id + <u32>offsetof<Pipe>("wqLock")) kind = BLOCK_PIPE_WRITE;
      else if (q == id + <u32>offsetof<Pipe>("oqLock")) kind = BLOCK_FIFO_OPEN;
      if (kind == BLOCK_NONE) continue;
      store<i32>(r + 32, kind);
      store<u32>(r + 36, id);
      break;
    }
  }
}

/**
 * Names the queues that are a message queue's: its senders' or receivers'
 * waits, at `sendOff` / `recvOff` of each of its `recSize`-byte records
 * (the object's id at +0): System V's (ipc/msg.ts) and POSIX's (mqueue.ts).
 */
function resolveWaits(procs: KBuf, objs: KBuf, recSize: u32, sendOff: u32, recvOff: u32, sendKind: i32, recvKind: i32): void {
  for (let i: u32 = 0; i < procs.count; i++) {
    const r = procs.ptr + <usize>(i * PROC_REC);
    if (load<i32>(r + 32) != BLOCK_QUEUE) continue;
    const q = load<u32>(r + 36);
    for (let j: u32 = 0; j < objs.count; j++) {
      const m = objs.ptr + <usize>(j * recSize);
      const kind = q == load<u32>(m + sendOff) ? sendKind : q == load<u32>(m + recvOff) ? recvKind : BLOCK_NONE;
      if (kind == BLOCK_NONE) continue;
      store<i32>(r + 32, kind);
      store<u32>(r + 36, load<u32>(m));
      break;
    }
  }
}

/** One process's descriptors (and the pipes behind them), under its lock. */
function takeFds(p: Proc, fds: KBuf, pipes: KBuf): void {
  acquire(procLock(p));
  const table = p.fdt;   // 0 once its exit has closed everything (file.ts fdtDestroy)
  const high = table == 0 ? 0 : p.fdHigh;
  for (let fd = 0; fd < high; fd++) {
    const s = table + (<usize>fd << 4);
    const fp = load<usize>(s);
    if (fp == 0) continue;
    const f = changetype<File>(fp);
    const r = kbufGrow(fds, FD_REC);
    if (r == 0) break;
    let obj: usize = f.obj;
    let pipeFlags: u32 = 0;
    if (f.type == FT_PIPE && f.obj != 0) pipeFlags = f.inode != 0 ? PIPE_FIFO : 0;
    else if (f.type == FT_CONSOLE) { obj = G().consoleIn; pipeFlags = PIPE_CONSOLE; }
    else if (f.inode != 0) obj = f.inode;
    else obj = fp;
    store<i32>(r, p.pid);
    store<i32>(r + 4, fd);
    store<i32>(r + 8, f.type);
    store<i32>(r + 12, f.flags);
    store<u32>(r + 16, load<u32>(s + 4));   // FD_CLOEXEC
    store<u32>(r + 20, <u32>obj);
    if ((f.type == FT_PIPE && f.obj != 0) || f.type == FT_CONSOLE) {
      if (obj != 0 && pipeIndex(pipes, obj) < 0) pipeRecord(pipes, changetype<Pipe>(obj), pipeFlags, f.type == FT_PIPE ? f.inode : 0);
    }
  }
  release(procLock(p));
}

/** Pending, blocked, ignored and caught signals of one process. */
function takeSignals(p: Proc, sigs: KBuf): void {
  const r = kbufGrow(sigs, SIG_REC);
  if (r == 0) return;
  const t = changetype<Task>(p.task);
  store<i32>(r, p.pid);
  store<u64>(r + 8, atomic.load<u64>(changetype<usize>(t) + offsetof<Task>("sigpending")));
  store<u64>(r + 16, t.sigmask);
  let ignored: u64 = 0, caught: u64 = 0;
  if (p.sigs != 0) {
    for (let sig = 1; sig <= 64; sig++) {
      const h = sigHandler(p, sig);
      if (h == <u32>SIG_IGN) ignored |= (<u64>1) << <u64>(sig - 1);
      else if (h != <u32>SIG_DFL) caught |= (<u64>1) << <u64>(sig - 1);
    }
  }
  store<u64>(r + 24, ignored);
  store<u64>(r + 32, caught);
}

/** Copies one section (header, records) to the user buffer at `off` if it fits; returns the new offset. */
function emit(ubuf: u32, ulen: u32, off: u32, type: u16, recSize: u32, b: KBuf, k: usize): u32 {
  store<u16>(k, type);
  store<u16>(k + 2, 1);   // the section's own version
  store<u32>(k + 4, SECTION_HEADER + b.len);
  store<u32>(k + 8, b.count);
  store<u32>(k + 12, recSize);
  const end = off + SECTION_HEADER + b.len;
  if (end <= ulen) {
    // A buffer whose end wraps past 4 GiB: ubuf + off would wrap to low guest memory, which copyout would accept.
    if (<u64>ubuf + <u64>end > <u64>U32.MAX_VALUE + 1) return 0xFFFFFFFF;
    if (!copyout(ubuf + off, k, SECTION_HEADER)) return 0xFFFFFFFF;
    if (!copyout(ubuf + off + SECTION_HEADER, b.ptr, b.len)) return 0xFFFFFFFF;
  }
  return end;
}

/**
 * k_snapshot(buf, len): writes the record at user address `buf` and returns
 * its size. When it does not fit in `len` bytes, nothing past `len` is
 * written and the result is -ENOSPC; if `len` >= 16 the header is still
 * written and its size field says how many bytes are needed (the record
 * may have grown by the next call: ask with some room to spare).
 * -EFAULT for a bad buffer, -ENOMEM when the kernel heap ran out.
 */
export function k_snapshot(ubuf: u32, ulen: u32): i32 {
  // Seven KBufs in one block (procs, fds, pipes, signals, held, System V and POSIX message queues).
  const KB = offsetof<KBuf>();
  const block = kalloc(KB * 7 + 32);
  if (block == 0) return -ENOMEM;
  const procs = changetype<KBuf>(block);
  const fds = changetype<KBuf>(block + KB);
  const pipes = changetype<KBuf>(block + KB * 2);
  const sigs = changetype<KBuf>(block + KB * 3);
  const held = changetype<KBuf>(block + KB * 4);
  const msgs = changetype<KBuf>(block + KB * 5);
  const mqs = changetype<KBuf>(block + KB * 6);
  const k = block + KB * 7;   // 32 bytes: a header being written
  takeProcs(procs, held);
  for (let i: u32 = 0; i < held.count; i++) {
    const p = changetype<Proc>(load<u32>(held.ptr + <usize>(i << 2)));
    if (p.state != PSTATE_ZOMBIE && p.state != PSTATE_EMBRYO) takeFds(p, fds, pipes);
    takeSignals(p, sigs);
  }
  msgSnapshot(msgs);
  mqSnapshot(mqs);
  resolvePipes(procs, pipes);
  resolveWaits(procs, msgs, MSGQ_REC, 48, 52, BLOCK_MSG_SEND, BLOCK_MSG_RECV);
  resolveWaits(procs, mqs, MQ_REC, 60, 56, BLOCK_MQ_SEND, BLOCK_MQ_RECV);
  for (let i: u32 = 0; i < held.count; i++) procPut(changetype<Proc>(load<u32>(held.ptr + <usize>(i << 2))));
  const failed = procs.failed | fds.failed | pipes.failed | sigs.failed | held.failed | msgs.failed | mqs.failed;
  let off = HEADER;
  if (failed == 0) {
    off = emit(ubuf, ulen, off, SEC_PROCS, PROC_REC, procs, k);
    if (off != 0xFFFFFFFF) off = emit(ubuf, ulen, off, SEC_FDS, FD_REC, fds, k);
    if (off != 0xFFFFFFFF) off = emit(ubuf, ulen, off, SEC_PIPES, PIPE_REC, pipes, k);
    if (off != 0xFFFFFFFF) off = emit(ubuf, ulen, off, SEC_SIGNALS, SIG_REC, sigs, k);
    if (off != 0xFFFFFFFF) off = emit(ubuf, ulen, off, SEC_MSGQ, MSGQ_REC, msgs, k);
    if (off != 0xFFFFFFFF) off = emit(ubuf, ulen, off, SEC_MQUEUE, MQ_REC, mqs, k);
  }
  kbufFree(procs); kbufFree(fds); kbufFree(pipes); kbufFree(sigs); kbufFree(held); kbufFree(msgs); kbufFree(mqs);
  kfree(block);
  if (failed != 0) return -ENOMEM;
  if (off == 0xFFFFFFFF) return -EFAULT;
  store<u32>(k, SNAP_MAGIC);
  store<u16>(k + 4, SNAP_VERSION);
  store<u16>(k + 6, <u16>HEADER);
  store<u32>(k + 8, off);
  store<u32>(k + 12, SECTIONS);
  if (ulen >= HEADER && !copyout(ubuf, k, HEADER)) return -EFAULT;
  return off <= ulen ? <i32>off : -ENOSPC;
}

/**
 * snapshot(buf, len): the same record for a guest (ps, ipcs), written into
 * its own memory with the same results (the size; -ENOSPC with the needed
 * size in the header when short; -EFAULT for a bad buffer). Every address
 * it writes goes through copyout's check.
 */
export function sys_snapshot(ubuf: u32, ulen: u32): i32 { return k_snapshot(ubuf, ulen); }
