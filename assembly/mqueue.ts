// POSIX message queues (mq_overview(7)). A queue is a kernel object under
// its own lock, with records kept highest priority first and FIFO within a
// priority, and three wait queues (as pipe.ts): receivers blocked for a
// message, senders blocked for room, and pollers. Its name is an entry of
// the tmpfs directory /dev/mqueue whose inode points at the queue (Inode.mq),
// so `ls`, `cat` (the QSIZE/NOTIFY line, mqnotify.ts) and `rm` work as on
// Linux and the queue lives until its name is gone and its last descriptor
// (which holds the inode) is closed. The namespace's limits and the list of
// every live queue hang off Globals.mqNs. The names (mq_open, mq_unlink)
// are mqopen.ts, the mq_notify registration mqnotify.ts.

import { EAGAIN, EBADF, EFAULT, EINVAL, EMFILE, EMSGSIZE, ENOMEM, ETIMEDOUT } from "../abi/errno";
import { KBLOCK } from "../abi/errno";
import {
  O_NONBLOCK, NAME_MAX, MQ_PRIO_MAX, MQ_ATTR_SIZE, SIGEV_SIGNAL, MQ_MAXMSG_DEFAULT, MQ_MSGSIZE_MAX_DEFAULT,
  MQ_QUEUES_MAX_DEFAULT,
} from "../abi/constants";
import { kalloc, kfree } from "./alloc";
import { G } from "./globals";
import { acquire, release } from "./lock";
import { Proc, Task, cur, curProc } from "./task";
import { copyin, copyout, scratch, SCRATCH_PATH1, SCRATCH_TMP, SCRATCH_REC, SCRATCH_HOSTOUT } from "./user";
import { waitOn, wakeAll, queueLength } from "./wait";
import { restartBegin, restartKeep, restartEnd, RESTART_TIMED } from "./restart";
import { setSleeping } from "./proc";
import { notifyFire } from "./mqnotify";
import { now, CLOCK_MONOTONIC, CLOCK_REALTIME } from "./clock";
import { Inode, Dentry, vfsLock, lookupHeld } from "./vfs";
import { KBuf, kbufGrow } from "./kbuf";
import { File, fdGet, filePut, fileSetFlags, readable, writable, FT_MQUEUE } from "./file";

/** The namespace: its limits, its directory and every live queue. */
@unmanaged
export class MqNs {
  lock: i32;        // guards `all` and the counts
  queues: i32;      // live queues (named or still open)
  queuesMax: i32;   // past it mq_open(O_CREAT) is ENOSPC
  maxMsg: i32;      // the ceiling of mq_maxmsg
  msgSizeMax: i32;  // the ceiling of mq_msgsize
  bytes: u64;       // what the live queues may hold at most (maxmsg x (msgsize + header)), reserved at creation
  bytesMax: u64;    // past it mq_open(O_CREAT) is EMFILE (Linux's RLIMIT_MSGQUEUE): a guest cannot fill the kernel memory
  dir: usize;       // Inode* of /dev/mqueue (held for the machine's life)
  all: usize;       // MQueue* list of every live queue (nextAll)
}

@unmanaged
export class MQueue {
  lock: i32;
  rqLock: i32;      // receivers waiting for a message: {lock, head}
  rqHead: usize;
  sqLock: i32;      // senders waiting for room
  sqHead: usize;
  pqLock: i32;      // poll_oneoff waiting for either
  pqHead: usize;
  maxmsg: i32;
  msgsize: i32;
  curmsgs: i32;
  qsize: u32;       // bytes of all queued messages (QSIZE)
  head: usize;      // Msg*: highest priority first, FIFO within one
  tail: usize;
  notifyPid: i32;   // the registered process (0: none)
  notifyHow: i32;   // SIGEV_SIGNAL or SIGEV_NONE
  notifySig: i32;
  notifyValue: i32;
  nextAll: usize;   // MqNs.all
  prevAll: usize;
  inode: usize;     // Inode* whose `mq` this is (freed together): the snapshot's id and its way to the name
  spare: usize;     // Msg* buffers of the queue's full size kept for the next sends (msgTake, msgGive)
  nspare: i32;
}

/** A queued record; its bytes follow the header. */
@unmanaged
class Msg {
  next: usize;
  prio: u32;
  len: u32;
}

// Message buffers. A send and a receive on two CPUs would otherwise meet
// at the kernel heap's one lock for every message (kalloc, kfree), and that
// line bouncing between them costs more than the copy. A queue whose
// messages fit a slab object cuts each at its full size (mq_msgsize) and
// keeps the ones received for the next sends, under its own lock, which
// both sides take anyway: never more than the queue holds at most.
const MQ_POOL_BYTES: usize = 2048;   // the largest slab class (alloc.ts)
const MQ_SPARES = 8;

// @ts-ignore: decorator
@inline function pooled(q: MQueue): bool { return offsetof<Msg>() + <usize>q.msgsize <= MQ_POOL_BYTES; }

/** A buffer for a message of the pooled queue `q`: a spare, or a new one (0: no memory). q lock held. */
function msgTake(q: MQueue): usize {
  const m = q.spare;
  if (m == 0) return kalloc(offsetof<Msg>() + <usize>q.msgsize);
  q.spare = changetype<Msg>(m).next;
  q.nspare--;
  return m;
}

/** Message `m`, received, is done with: kept as a spare while the queue's reservation covers it, else freed. q lock held; true if kept. */
function msgGive(q: MQueue, m: Msg): bool {
  if (!pooled(q) || q.nspare >= MQ_SPARES || q.nspare + q.curmsgs >= q.maxmsg) return false;
  m.next = q.spare;
  q.spare = changetype<usize>(m);
  q.nspare++;
  return true;
}

// @ts-ignore: decorator
@inline export function mqNs(): MqNs { return changetype<MqNs>(G().mqNs); }
// @ts-ignore: decorator
@inline export function qLock(q: MQueue): usize { return changetype<usize>(q); }
// @ts-ignore: decorator
@inline export function rq(q: MQueue): usize { return changetype<usize>(q) + offsetof<MQueue>("rqLock"); }
// @ts-ignore: decorator
@inline function sq(q: MQueue): usize { return changetype<usize>(q) + offsetof<MQueue>("sqLock"); }
// @ts-ignore: decorator
@inline function pq(q: MQueue): usize { return changetype<usize>(q) + offsetof<MQueue>("pqLock"); }
// @ts-ignore: decorator
@inline function nsLock(): usize { return G().mqNs; }
// The namespace's counters change atomically (outside its lock too).
// @ts-ignore: decorator
@inline export function queuesWord(): usize { return G().mqNs + offsetof<MqNs>("queues"); }

// ---- boot ----

/** At boot, after vfsBoot: the namespace with Linux-like defaults, over /dev/mqueue. */
export function mqInit(): void {
  const ns = changetype<MqNs>(kalloc(offsetof<MqNs>()));
  if (changetype<usize>(ns) == 0) unreachable();
  memory.fill(changetype<usize>(ns), 0, offsetof<MqNs>());
  ns.queuesMax = MQ_QUEUES_MAX_DEFAULT;
  ns.maxMsg = MQ_MAXMSG_DEFAULT;
  ns.msgSizeMax = MQ_MSGSIZE_MAX_DEFAULT;
  ns.bytesMax = G().memLimit / 4;
  const k = scratch(SCRATCH_PATH1);
  const path = "/dev/mqueue";
  const n = String.UTF8.encodeUnsafe(changetype<usize>(path), path.length, k, false);
  const r = lookupHeld(k, <i32>n);
  if (r <= 0) unreachable();   // vfsBoot makes it
  ns.dir = <usize>r;
  G().mqNs = changetype<usize>(ns);
}

/** The boot options' limits (runtime/boot-options.ts checks their ranges); `bytesMax` 0: a quarter of the kernel memory. */
export function k_mqLimits(maxMsg: i32, msgSizeMax: i32, queuesMax: i32, bytesMax: i64): i32 {
  if (maxMsg < 1 || msgSizeMax < 1 || queuesMax < 1 || bytesMax < 0) return -EINVAL;
  const ns = mqNs();
  ns.maxMsg = maxMsg; ns.msgSizeMax = msgSizeMax; ns.queuesMax = queuesMax;
  if (bytesMax > 0) ns.bytesMax = <u64>bytesMax;
  return 0;
}

/** The most a queue of these attributes holds, headers included (what its creation reserves). */
function mqCost(maxmsg: i32, msgsize: i32): u64 { return <u64>maxmsg * (<u64>msgsize + offsetof<Msg>()); }

// ---- the queue object ----

/** A new queue, its bytes reserved; null with `err` -ENOMEM, or -EMFILE past bytesMax. */
export function mqCreate(maxmsg: i32, msgsize: i32, p: Proc): isize {
  const ns = mqNs();
  const cost = mqCost(maxmsg, msgsize);
  acquire(nsLock());
  const over = ns.bytes + cost > ns.bytesMax;
  if (!over) ns.bytes += cost;
  release(nsLock());
  if (over) return -EMFILE;
  const q = changetype<MQueue>(kalloc(offsetof<MQueue>()));
  if (changetype<usize>(q) == 0) { acquire(nsLock()); ns.bytes -= cost; release(nsLock()); return -ENOMEM; }
  memory.fill(changetype<usize>(q), 0, offsetof<MQueue>());
  q.maxmsg = maxmsg; q.msgsize = msgsize;
  acquire(nsLock());
  q.nextAll = ns.all;
  if (ns.all != 0) changetype<MQueue>(ns.all).prevAll = changetype<usize>(q);
  ns.all = changetype<usize>(q);
  release(nsLock());
  return changetype<isize>(q);
}

/** The queue's inode is gone (no name, no descriptor): its messages and slot go. */
export function mqFree(q: MQueue): void {
  const ns = mqNs();
  acquire(nsLock());
  if (q.prevAll != 0) changetype<MQueue>(q.prevAll).nextAll = q.nextAll; else ns.all = q.nextAll;
  if (q.nextAll != 0) changetype<MQueue>(q.nextAll).prevAll = q.prevAll;
  ns.bytes -= mqCost(q.maxmsg, q.msgsize);
  release(nsLock());
  atomic.sub<i32>(queuesWord(), 1);
  let m = q.head;
  while (m != 0) { const next = changetype<Msg>(m).next; kfree(m); m = next; }
  m = q.spare;
  while (m != 0) { const next = changetype<Msg>(m).next; kfree(m); m = next; }
  kfree(changetype<usize>(q));
}

/** Inserts after every message of the same or a higher priority (q lock held). */
function insert(q: MQueue, m: Msg): void {
  m.next = 0;
  if (q.tail == 0) { q.head = q.tail = changetype<usize>(m); return; }
  if (changetype<Msg>(q.tail).prio >= m.prio) {   // the common case: no higher priority behind
    changetype<Msg>(q.tail).next = changetype<usize>(m);
    q.tail = changetype<usize>(m);
    return;
  }
  let prev: usize = 0, e = q.head;
  while (e != 0 && changetype<Msg>(e).prio >= m.prio) { prev = e; e = changetype<Msg>(e).next; }
  m.next = e;   // e != 0: the tail's priority is lower than m's
  if (prev == 0) q.head = changetype<usize>(m); else changetype<Msg>(prev).next = changetype<usize>(m);
}

// ---- descriptors ----

/** The queue behind descriptor `fd` with a file reference (the caller filePuts `f`), or -EBADF. */
export function mqFile(fd: i32): File | null {
  const f = fdGet(curProc(), fd);
  if (f == null) return null;
  if (f.type != FT_MQUEUE) { filePut(f); return null; }
  return f;
}

/**
 * An absolute CLOCK_REALTIME deadline {i64 tv_sec, i32 tv_nsec} at `uts`
 * as task.wakeAt (CLOCK_MONOTONIC), kept across retries (RESTART_TIMED).
 * 0, or -EFAULT / -EINVAL (tv_nsec outside [0, 1e9), a negative time):
 * checked up front, as Linux's prepare_timeout, even if the call would not block.
 */
function mqDeadline(t: Task, uts: u32): i32 {
  if (uts == 0) return 0;
  if (restartBegin(t, RESTART_TIMED)) return 0;   // a retry: the deadline of its first attempt
  const k = scratch(SCRATCH_TMP);
  if (!copyin(k, uts, 16)) return -EFAULT;
  const sec = load<i64>(k), nsec = load<i32>(k + 8);
  if (sec < 0 || nsec < 0 || nsec >= 1000000000) return -EINVAL;
  const abs: i64 = sec > 9_000_000_000 ? I64.MAX_VALUE / 2 : sec * 1000000000 + <i64>nsec;
  const left = abs - now(CLOCK_REALTIME);
  const mono = now(CLOCK_MONOTONIC);
  const at = left > I64.MAX_VALUE / 2 - mono ? I64.MAX_VALUE / 2 : mono + left;
  t.wakeAt = at > 0 ? at : 1;
  restartKeep(t, RESTART_TIMED);
  return 0;
}

/** A call that blocked ends: its deadline goes with it. */
function mqDone(t: Task, r: i32): i32 { t.wakeAt = 0; restartEnd(t); return r; }

/**
 * It would block: -EAGAIN (O_NONBLOCK), -ETIMEDOUT (the deadline passed) or
 * KBLOCK on `wq` (q lock held, so a change after the check wakes us).
 */
function mqWait(t: Task, f: File, wq: usize, timed: bool): i32 {
  if ((f.flags & O_NONBLOCK) != 0) return -EAGAIN;
  if (timed && now(CLOCK_MONOTONIC) >= t.wakeAt) return -ETIMEDOUT;
  if (!waitOn(wq, t)) return -ENOMEM;   // not queued: nothing would wake us
  setSleeping(curProc(), true);
  return KBLOCK;
}

/**
 * mq_timedsend(mqd, msg, len, prio, abs_timeout|0), in Linux's order of
 * checks: the timeout, the priority (EINVAL), the descriptor (EBADF, also
 * one not open for writing), the length (EMSGSIZE), the message (copied in
 * once per attempt: EFAULT), then room (EAGAIN, ETIMEDOUT, or it blocks).
 */
export function sys_mq_timedsend(mqd: i32, umsg: u32, len: u32, prio: u32, uts: u32): i32 {
  const t = cur();
  const e = mqDeadline(t, uts);
  if (e < 0) return e;
  if (prio >= <u32>MQ_PRIO_MAX) return mqDone(t, -EINVAL);
  const f = mqFile(mqd);
  if (f == null) return mqDone(t, -EBADF);
  if (!writable(f)) { filePut(f); return mqDone(t, -EBADF); }
  const q = changetype<MQueue>(f.obj);
  if (len > <u32>q.msgsize) { filePut(f); return mqDone(t, -EMSGSIZE); }
  // The message is copied in before the queue is looked at (a bad pointer
  // is EFAULT even on a full queue, as Linux's load_msg): a pooled queue's
  // into the task's scratch, then into a buffer taken under the lock once
  // there is room; a larger one straight into its own allocation.
  const pool = pooled(q);
  const k = scratch(SCRATCH_HOSTOUT);   // 4096 bytes, more than a pooled message
  let m = changetype<Msg>(0);
  if (!pool) {
    m = changetype<Msg>(kalloc(offsetof<Msg>() + len));
    if (changetype<usize>(m) == 0) { filePut(f); return mqDone(t, -ENOMEM); }
  }
  if (!copyin(pool ? k : changetype<usize>(m) + offsetof<Msg>(), umsg, len)) {
    if (!pool) kfree(changetype<usize>(m));
    filePut(f);
    return mqDone(t, -EFAULT);
  }
  acquire(qLock(q));
  if (q.curmsgs >= q.maxmsg) {
    const r = mqWait(t, f, sq(q), uts != 0);
    release(qLock(q));
    if (!pool) kfree(changetype<usize>(m));
    filePut(f);
    return r == KBLOCK ? r : mqDone(t, r);
  }
  if (pool) {
    m = changetype<Msg>(msgTake(q));
    if (changetype<usize>(m) == 0) { release(qLock(q)); filePut(f); return mqDone(t, -ENOMEM); }
    memory.copy(changetype<usize>(m) + offsetof<Msg>(), k, len);
  }
  m.prio = prio; m.len = len;
  const wasEmpty = q.curmsgs == 0;
  insert(q, m);
  q.curmsgs++;
  q.qsize += len;
  // Empty -> non-empty with nobody blocked in mq_receive: the registration fires, once.
  let npid = 0, nhow = 0, nsig = 0, nval = 0;
  if (wasEmpty && q.notifyPid != 0 && atomic.load<usize>(rq(q) + 4) == 0) {
    npid = q.notifyPid; nhow = q.notifyHow; nsig = q.notifySig; nval = q.notifyValue;
    q.notifyPid = 0;
  }
  wakeAll(rq(q));
  wakeAll(pq(q));
  release(qLock(q));
  filePut(f);
  if (npid != 0) notifyFire(npid, nhow, nsig, nval);
  return mqDone(t, 0);
}

/**
 * mq_timedreceive(mqd, buf, len, prio*|0, abs_timeout|0): the oldest
 * message of the highest priority, its length returned and its priority
 * at `uprio`. EMSGSIZE when `len` is less than the queue's mq_msgsize. The
 * copy out happens under the queue lock before the message is taken off,
 * so a bad buffer (EFAULT) loses nothing.
 */
export function sys_mq_timedreceive(mqd: i32, ubuf: u32, len: u32, uprio: u32, uts: u32): i32 {
  const t = cur();
  const e = mqDeadline(t, uts);
  if (e < 0) return e;
  const f = mqFile(mqd);
  if (f == null) return mqDone(t, -EBADF);
  if (!readable(f)) { filePut(f); return mqDone(t, -EBADF); }
  const q = changetype<MQueue>(f.obj);
  if (len < <u32>q.msgsize) { filePut(f); return mqDone(t, -EMSGSIZE); }
  acquire(qLock(q));
  if (q.curmsgs == 0) {
    const r = mqWait(t, f, rq(q), uts != 0);
    release(qLock(q));
    filePut(f);
    return r == KBLOCK ? r : mqDone(t, r);
  }
  const m = changetype<Msg>(q.head);
  const k = scratch(SCRATCH_TMP);
  store<u32>(k, m.prio);
  if (!copyout(ubuf, changetype<usize>(m) + offsetof<Msg>(), m.len) || (uprio != 0 && !copyout(uprio, k, 4))) {
    release(qLock(q));
    filePut(f);
    return mqDone(t, -EFAULT);
  }
  q.head = m.next;
  if (q.head == 0) q.tail = 0;
  q.curmsgs--;
  q.qsize -= m.len;
  const n = <i32>m.len;
  const kept = msgGive(q, m);
  wakeAll(sq(q));
  wakeAll(pq(q));
  release(qLock(q));
  filePut(f);
  if (!kept) kfree(changetype<usize>(m));
  return mqDone(t, n);
}

/**
 * mq_getsetattr(mqd, new*|0, old*|0): the attributes before the change at
 * `uold`; from `unew` only O_NONBLOCK is taken (any other mq_flags bit:
 * EINVAL). As Linux, a bad `uold` is EFAULT after the change is made.
 */
export function sys_mq_getsetattr(mqd: i32, unew: u32, uold: u32): i32 {
  const k = scratch(SCRATCH_REC);
  let flags = 0;
  if (unew != 0) {
    if (!copyin(k, unew, MQ_ATTR_SIZE)) return -EFAULT;
    flags = load<i32>(k);
    if ((flags & ~O_NONBLOCK) != 0) return -EINVAL;
  }
  const f = mqFile(mqd);
  if (f == null) return -EBADF;
  const q = changetype<MQueue>(f.obj);
  memory.fill(k, 0, MQ_ATTR_SIZE);
  store<i32>(k, f.flags & O_NONBLOCK);
  store<i32>(k + 4, q.maxmsg);
  store<i32>(k + 8, q.msgsize);
  store<i32>(k + 12, atomic.load<i32>(changetype<usize>(q) + offsetof<MQueue>("curmsgs")));
  if (unew != 0) fileSetFlags(f, O_NONBLOCK, flags);
  filePut(f);
  if (uold != 0 && !copyout(uold, k, MQ_ATTR_SIZE)) return -EFAULT;
  return 0;
}

// ---- what fs/mqueue.ts and vfs.ts need (and mqnotify.ts: the registration, the status line) ----

/** poll: readable with a message, writable with room; else queued on the pollers' queue. */
export function mqPoll(q: MQueue, write: bool, queue: bool, ev: usize): bool {
  acquire(qLock(q));
  const n = write ? q.maxmsg - q.curmsgs : q.curmsgs;
  const ready = n > 0;
  if (ready) store<u64>(ev + 16, <u64>n);
  else if (queue && !waitOn(pq(q), cur())) {
    store<u16>(ev + 8, <u16>ENOMEM);   // not queued: report it at once with the error
    release(qLock(q));
    return true;
  }
  release(qLock(q));
  return ready;
}

// ---- the snapshot's section (snapshot.ts SEC_MQUEUE; docs/abi.md "Snapshot") ----

export const MQ_REC: u32 = 320;
const MQ_NAME_OFF: u32 = 64;   // the name, NUL-terminated (NAME_MAX + 1 bytes); empty once unlinked

/**
 * One record per live queue, named or only still open: a walk of the
 * namespace's list under its lock, each queue read under its own (the
 * namespace lock first, a queue's inside it, never the other way), its waiters counted after (a wait queue's
 * lock is a leaf). The inode's id, owner and mode are words read without
 * the vfs lock (a chmod meanwhile shows either way: the inode lives as long
 * as the queue, which the list lock keeps). The names are a second, short
 * walk of /dev/mqueue under the vfs lock alone, matched by inode.
 */
export function mqSnapshot(out: KBuf): void {
  const ns = mqNs();
  if (changetype<usize>(ns) == 0) return;
  const first = out.count;
  acquire(nsLock());
  for (let e = ns.all; e != 0; e = changetype<MQueue>(e).nextAll) {
    const q = changetype<MQueue>(e);
    const inode = atomic.load<usize>(e + offsetof<MQueue>("inode"));
    if (inode == 0) continue;   // still being made (mqMake): no inode yet
    const r = kbufGrow(out, MQ_REC);
    if (r == 0) break;
    const node = changetype<Inode>(inode);
    store<u32>(r, <u32>inode);
    store<i32>(r + 4, node.ino);
    store<u32>(r + 8, node.mode);
    store<i32>(r + 12, node.uid);
    store<i32>(r + 16, node.gid);
    acquire(qLock(q));
    store<i32>(r + 20, q.maxmsg);
    store<i32>(r + 24, q.msgsize);
    store<i32>(r + 28, q.curmsgs);
    store<u32>(r + 32, q.qsize);
    store<i32>(r + 36, q.notifyPid);
    store<i32>(r + 40, q.notifyPid != 0 && q.notifyHow == SIGEV_SIGNAL ? q.notifySig : 0);
    store<i32>(r + 44, q.notifyPid != 0 ? q.notifyHow : -1);
    release(qLock(q));
    store<i32>(r + 48, queueLength(rq(q)));
    store<i32>(r + 52, queueLength(sq(q)));
    store<u32>(r + 56, <u32>rq(q));
    store<u32>(r + 60, <u32>sq(q));
  }
  release(nsLock());
  if (out.failed != 0) return;
  acquire(vfsLock());
  for (let d = changetype<Inode>(ns.dir).dents; d != 0; d = changetype<Dentry>(d).next) {
    const de = changetype<Dentry>(d);
    for (let i = first; i < out.count; i++) {
      const r = out.ptr + <usize>(i * MQ_REC);
      if (load<u32>(r) != <u32>de.inode || load<u8>(r + MQ_NAME_OFF) != 0) continue;
      const n = de.nameLen < NAME_MAX ? de.nameLen : NAME_MAX;
      memory.copy(r + MQ_NAME_OFF, de.name, <usize>n);
      break;
    }
  }
  release(vfsLock());
}
