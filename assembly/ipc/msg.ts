// System V message queues (Linux ipc/msg.c): msgget, msgsnd, msgrcv, msgctl
// over the namespace helper (ipc/util.ts). A queue is a list of messages
// in kernel memory under the queue's lock; senders wait on the slot's queue
// 0 for room, receivers on its queue 1 for a message (util.ts says why the
// queues live in the slot).
//
// In guest memory a message is Linux's struct msgbuf for wasm32:
// {i32 mtype @0, mtext @4}, and a size counts mtext alone. A send copies the
// whole record into a kernel block once, then reads mtype from that copy. A
// receive copies the message out under the queue lock *before* it takes it
// off the queue, so a bad buffer (EFAULT) loses nothing (Linux would drop
// it). Nothing of a blocked call is kept across its retries except the
// RESTART_IPC bit (an id that vanished meanwhile is EIDRM), so a process
// killed while it waits leaves nothing behind but its wait entry, which its
// exit removes.

import { EINVAL, EACCES, EPERM, EFAULT, ENOMEM, EAGAIN, ENOMSG, E2BIG, ENOSYS } from "../../abi/errno";
import { KBLOCK } from "../../abi/errno";
import {
  IPC_NOWAIT, IPC_RMID, IPC_SET, IPC_STAT, IPC_INFO, MSG_STAT, MSG_INFO, MSG_STAT_ANY,
  MSG_NOERROR, MSG_EXCEPT, MSG_COPY, MSQID_DS_SIZE, MSGINFO_SIZE,
} from "../../abi/constants";
import { kalloc, kallocRaw, kfree } from "../alloc";
import { acquire, release } from "../lock";
import { cur, curProc } from "../task";
import { copyin, copyout, scratch, SCRATCH_TMP } from "../user";
import { waitOn, wakeAll } from "../wait";
import { setSleeping } from "../proc";
import { restartKeep, restartEnd, RESTART_IPC } from "../restart";
import { now, CLOCK_REALTIME } from "../clock";
import { MAY_READ, MAY_WRITE } from "../perm";
import { KBuf, kbufGrow } from "../kbuf";
import { G } from "../globals";
import { queueLength } from "../wait";
import {
  IpcPerm, IpcIds, IPC_MAKE, sysvNs, idsLock, permLock, slotAt, slotQueue, ipcId, ipcLookupKey, ipcAdd, ipcLock,
  ipcLockIndex, ipcGoneErr, ipcRemove, ipcPermits, ipcOwnerOrRoot, ipcMaxIdx, sysvMsgLimits,
} from "./util";

/** A queue: the perm (util.ts IpcPerm, first, so a queue is one) then Linux's msg_queue fields. */
@unmanaged
class MsgQueue extends IpcPerm {
  head: usize;     // Msg*, oldest first
  tail: usize;
  qnum: i32;       // messages queued
  cbytes: i32;     // bytes of mtext queued
  qbytes: i32;     // the most bytes it may hold (msg_qbytes)
  lspid: i32;      // last msgsnd's pid
  lrpid: i32;      // last msgrcv's pid
  stime: i64;      // seconds (CLOCK_REALTIME) of the last msgsnd, 0 = none
  rtime: i64;
  ctime: i64;      // creation or last IPC_SET
}

/** A message: header, then mtype and mtext exactly as the guest's msgbuf (one copyin). */
@unmanaged
class Msg {
  next: usize;
  size: u32;       // mtext bytes
  mtype: i32;      // @8: the guest record starts here
}
const MSG_REC: usize = offsetof<Msg>("mtype");

// @ts-ignore: decorator
@inline function msgIds(): IpcIds { return changetype<IpcIds>(sysvNs().msgIds); }
// @ts-ignore: decorator
@inline function seconds(): i64 { return now(CLOCK_REALTIME) / 1000000000; }
const SENDERS = 0;
const RECEIVERS = 1;

/** msgget(key, flags): the queue `key` names (made with IPC_CREAT), or a new one for IPC_PRIVATE. */
export function sys_msgget(key: i32, flag: i32): i32 {
  const p = curProc();
  const ns = sysvNs();
  const ids = msgIds();
  acquire(idsLock(ids));
  let r = ipcLookupKey(ids, key, flag, p, ns.msgmni);
  if (r == IPC_MAKE) {
    const q = changetype<MsgQueue>(kalloc(offsetof<MsgQueue>()));
    if (changetype<usize>(q) == 0) r = -ENOMEM;
    else {
      q.qbytes = ns.msgmnb;
      q.ctime = seconds();
      r = ipcAdd(ids, q, key, flag, p);
      if (r < 0) kfree(changetype<usize>(q));
    }
  }
  release(idsLock(ids));
  return r;
}

/** Does the message fit (Linux's test: bytes, and one more message counted against the byte limit too)? */
// @ts-ignore: decorator
@inline function fits(q: MsgQueue, size: u32): bool {
  return <i64>q.cbytes + <i64>size <= <i64>q.qbytes && q.qnum + 1 <= q.qbytes;
}

/** msgsnd(id, msgp, size, flags): queues {mtype, mtext[size]}; blocks while the queue is full. */
export function sys_msgsnd(id: i32, umsg: u32, size: i32, flag: i32): i32 {
  const t = cur();
  const ns = sysvNs();
  if (size < 0 || size > ns.msgmax || id < 0) { restartEnd(t); return -EINVAL; }
  const m = changetype<Msg>(kallocRaw(MSG_REC + 4 + <usize>size));
  if (changetype<usize>(m) == 0) { restartEnd(t); return -ENOMEM; }
  // Read once: the record into the kernel, then mtype from our copy.
  if (!copyin(changetype<usize>(m) + MSG_REC, umsg, 4 + <u32>size)) { kfree(changetype<usize>(m)); restartEnd(t); return -EFAULT; }
  if (m.mtype < 1) { kfree(changetype<usize>(m)); restartEnd(t); return -EINVAL; }
  m.next = 0;
  m.size = <u32>size;
  const ids = msgIds();
  const q = changetype<MsgQueue | null>(ipcLock(ids, id));
  if (q == null) { kfree(changetype<usize>(m)); return ipcGoneErr(t); }
  const p = curProc();
  let r: i32 = 0;
  if (!ipcPermits(q, p, MAY_WRITE)) r = -EACCES;
  else if (!fits(q, <u32>size)) {
    if ((flag & IPC_NOWAIT) != 0) r = -EAGAIN;
    else if (waitOn(slotQueue(slotAt(ids, q.idx), SENDERS), t)) {
      restartKeep(t, RESTART_IPC); setSleeping(p, true); r = KBLOCK;
    } else r = -ENOMEM;   // not queued: nothing would wake us
  } else {
    if (q.tail != 0) changetype<Msg>(q.tail).next = changetype<usize>(m); else q.head = changetype<usize>(m);
    q.tail = changetype<usize>(m);
    q.qnum++;
    q.cbytes += size;
    q.lspid = p.pid;
    q.stime = seconds();
    wakeAll(slotQueue(slotAt(ids, q.idx), RECEIVERS));
    release(permLock(q));
    restartEnd(t);
    return 0;
  }
  release(permLock(q));
  kfree(changetype<usize>(m));
  if (r != KBLOCK) restartEnd(t);
  return r;
}

/** The message msgrcv takes for `typ` and MSG_EXCEPT (Linux's find_msg), and the one before it (0 = it is the head). */
function findMsg(q: MsgQueue, typ: i64, except: bool, prevOut: usize): usize {
  const lim = typ == i64.MIN_VALUE ? i64.MAX_VALUE : -typ;   // |typ|, for typ < 0
  let prev: usize = 0;
  let best: usize = 0;
  let bestPrev: usize = 0;
  let m = q.head;
  while (m != 0) {
    const mt = <i64>changetype<Msg>(m).mtype;
    if (typ == 0) { best = m; bestPrev = prev; break; }
    if (typ > 0) {
      if ((mt == typ) != except) { best = m; bestPrev = prev; break; }
    } else if (mt <= lim && (best == 0 || mt < <i64>changetype<Msg>(best).mtype)) {
      best = m; bestPrev = prev;   // the lowest type <= |typ|, the oldest of it
      if (mt == 1) break;          // nothing can be lower
    }
    prev = m;
    m = changetype<Msg>(m).next;
  }
  store<usize>(prevOut, bestPrev);
  return best;
}

/**
 * msgrcv(id, msgp, size, typ, flags): takes a message (findMsg) into
 * {mtype, mtext[size]}; returns the mtext bytes copied. Blocks while
 * there is none.
 */
export function sys_msgrcv(id: i32, umsg: u32, size: i32, typ: i64, flag: i32): i32 {
  const t = cur();
  if (size < 0 || id < 0) { restartEnd(t); return -EINVAL; }
  if ((flag & MSG_COPY) != 0) { restartEnd(t); return -ENOSYS; }   // Linux without CONFIG_CHECKPOINT_RESTORE
  const ids = msgIds();
  const q = changetype<MsgQueue | null>(ipcLock(ids, id));
  if (q == null) return ipcGoneErr(t);
  const p = curProc();
  let r: i32;
  if (!ipcPermits(q, p, MAY_READ)) r = -EACCES;
  else {
    const prevAt = scratch(SCRATCH_TMP);
    const m = findMsg(q, typ, (flag & MSG_EXCEPT) != 0, prevAt);
    if (m == 0) {
      if ((flag & IPC_NOWAIT) != 0) r = -ENOMSG;
      else if (waitOn(slotQueue(slotAt(ids, q.idx), RECEIVERS), t)) {
        restartKeep(t, RESTART_IPC); setSleeping(p, true);
        release(permLock(q));
        return KBLOCK;
      } else r = -ENOMEM;
    } else {
      const msg = changetype<Msg>(m);
      if (<u32>size < msg.size && (flag & MSG_NOERROR) == 0) r = -E2BIG;   // it stays queued
      else {
        const n = <u32>size < msg.size ? <u32>size : msg.size;
        // Copied out before it is taken: a bad buffer loses no message.
        if (!copyout(umsg, m + MSG_REC, 4 + n)) r = -EFAULT;
        else {
          const prev = load<usize>(prevAt);
          if (prev != 0) changetype<Msg>(prev).next = msg.next; else q.head = msg.next;
          if (q.tail == m) q.tail = prev;
          q.qnum--;
          q.cbytes -= <i32>msg.size;
          q.lrpid = p.pid;
          q.rtime = seconds();
          wakeAll(slotQueue(slotAt(ids, q.idx), SENDERS));
          release(permLock(q));
          kfree(m);
          restartEnd(t);
          return <i32>n;
        }
      }
    }
  }
  release(permLock(q));
  restartEnd(t);
  return r;
}

/** Writes Linux's struct msqid_ds for wasm32 (docs/abi.md) at kernel address `k`. */
function fillMsqid(q: MsgQueue, k: usize): void {
  memory.fill(k, 0, MSQID_DS_SIZE);
  store<i32>(k, q.key);
  store<i32>(k + 4, q.uid);
  store<i32>(k + 8, q.gid);
  store<i32>(k + 12, q.cuid);
  store<i32>(k + 16, q.cgid);
  store<u32>(k + 20, q.mode);
  store<i32>(k + 24, q.seq);
  store<i64>(k + 40, q.stime);
  store<i64>(k + 48, q.rtime);
  store<i64>(k + 56, q.ctime);
  store<i32>(k + 64, q.cbytes);
  store<i32>(k + 68, q.qnum);
  store<i32>(k + 72, q.qbytes);
  store<i32>(k + 76, q.lspid);
  store<i32>(k + 80, q.lrpid);
}

/** IPC_INFO / MSG_INFO: struct msginfo; returns the highest index in use (ipcs walks 0..it with MSG_STAT). */
function msgInfo(cmd: i32, ubuf: u32): i32 {
  const ns = sysvNs();
  const ids = msgIds();
  const k = scratch(SCRATCH_TMP);
  memory.fill(k, 0, MSGINFO_SIZE);
  let queues = 0, msgs = 0, bytes = 0;
  if (cmd == MSG_INFO) {
    acquire(idsLock(ids));
    for (let i = 0; i < ids.hiIdx; i++) {
      const o = slotAt(ids, i).obj;
      if (o == 0) continue;
      const q = changetype<MsgQueue>(o);
      acquire(permLock(q));
      queues++; msgs += q.qnum; bytes += q.cbytes;
      release(permLock(q));
    }
    release(idsLock(ids));
  }
  // Linux's fields: msgpool (KiB of message pool; MSG_INFO: queues in use),
  // msgmap (MSG_INFO: messages queued), msgmax, msgmnb, msgmni, msgssz,
  // msgtql (MSG_INFO: bytes queued), msgseg.
  store<i32>(k, cmd == MSG_INFO ? queues : (ns.msgmni * ns.msgmnb) >> 10);
  store<i32>(k + 4, cmd == MSG_INFO ? msgs : ns.msgmni * ns.msgmnb / 16);
  store<i32>(k + 8, ns.msgmax);
  store<i32>(k + 12, ns.msgmnb);
  store<i32>(k + 16, ns.msgmni);
  store<i32>(k + 20, 16);
  store<i32>(k + 24, cmd == MSG_INFO ? bytes : ns.msgmni * ns.msgmnb / 16);
  store<u16>(k + 28, 0xffff);
  if (!copyout(ubuf, k, MSGINFO_SIZE)) return -EFAULT;
  return ipcMaxIdx(ids);
}

/** Frees a removed queue's messages and the queue (nobody can reach it: util.ts ipcRemove). */
function queueFree(q: MsgQueue): void {
  let m = q.head;
  while (m != 0) { const n = changetype<Msg>(m).next; kfree(m); m = n; }
  kfree(changetype<usize>(q));
}

/** msgctl(id, cmd, buf): IPC_STAT, IPC_SET, IPC_RMID, IPC_INFO, MSG_INFO, MSG_STAT, MSG_STAT_ANY. */
export function sys_msgctl(id: i32, cmd: i32, ubuf: u32): i32 {
  const p = curProc();
  const ids = msgIds();
  const k = scratch(SCRATCH_TMP);
  if (cmd == IPC_INFO || cmd == MSG_INFO) return msgInfo(cmd, ubuf);
  if (cmd == IPC_STAT || cmd == MSG_STAT || cmd == MSG_STAT_ANY) {
    const q = changetype<MsgQueue | null>(cmd == IPC_STAT ? ipcLock(ids, id) : ipcLockIndex(ids, id));
    if (q == null) return -EINVAL;
    if (cmd != MSG_STAT_ANY && !ipcPermits(q, p, MAY_READ)) { release(permLock(q)); return -EACCES; }
    fillMsqid(q, k);
    const r = cmd == IPC_STAT ? 0 : ipcId(q);
    release(permLock(q));
    return copyout(ubuf, k, MSQID_DS_SIZE) ? r : -EFAULT;
  }
  if (cmd == IPC_SET) {
    if (!copyin(k, ubuf, MSQID_DS_SIZE)) return -EFAULT;   // read once, before the queue is looked at
    const uid = load<i32>(k + 4), gid = load<i32>(k + 8), mode = load<u32>(k + 20), qbytes = load<u32>(k + 72);
    const q = changetype<MsgQueue | null>(ipcLock(ids, id));
    if (q == null) return -EINVAL;
    let r = 0;
    // Linux's order: the owner check, msg_qbytes (unsigned) past msgmnb
    // without CAP_SYS_RESOURCE, then ids that are no ids ((uid_t)-1).
    if (!ipcOwnerOrRoot(q, p)) r = -EPERM;
    else if (qbytes > <u32>sysvNs().msgmnb && p.euid != 0) r = -EPERM;
    else if (uid == -1 || gid == -1) r = -EINVAL;
    else {
      q.uid = uid; q.gid = gid;
      q.mode = mode & 0o777;
      q.qbytes = qbytes > <u32>i32.MAX_VALUE ? i32.MAX_VALUE : <i32>qbytes;
      q.ctime = seconds();
      wakeAll(slotQueue(slotAt(ids, q.idx), SENDERS));     // there may be room now
      wakeAll(slotQueue(slotAt(ids, q.idx), RECEIVERS));   // and they look at the new mode
    }
    release(permLock(q));
    return r;
  }
  if (cmd == IPC_RMID) {
    const q = changetype<MsgQueue | null>(ipcLock(ids, id, true));
    if (q == null) return -EINVAL;
    if (!ipcOwnerOrRoot(q, p)) { release(permLock(q)); release(idsLock(ids)); return -EPERM; }
    const s = slotAt(ids, q.idx);
    ipcRemove(ids, q);
    // Waiters retry, find the id gone and, having waited (RESTART_IPC), say EIDRM.
    wakeAll(slotQueue(s, SENDERS));
    wakeAll(slotQueue(s, RECEIVERS));
    release(permLock(q));
    queueFree(q);
    return 0;
  }
  return -EINVAL;
}

/** The message-queue limits at boot (runtime BootOptions msg); 0 keeps one. */
export function k_msgLimits(msgmax: i32, msgmnb: i32, msgmni: i32): i32 {
  return sysvMsgLimits(msgmax, msgmnb, msgmni);
}

// ---- introspection (snapshot.ts, section SEC_MSGQ) ----

/** Bytes of one queue's snapshot record (docs/abi.md "Snapshot", type 5). */
export const MSGQ_REC: u32 = 56;

/**
 * One record per queue: i32 id, key, uid, gid, u32 mode, i32 messages,
 * bytes, max bytes, last sender's pid, last receiver's pid, senders
 * waiting, receivers waiting; u32 kernel addresses of the senders' and
 * receivers' wait queues (snapshot.ts names a process's wait by them).
 * Under the table lock, each queue's own lock briefly inside it (the
 * family's order, as ipcLock), its wait queues' counts after it.
 */
export function msgSnapshot(out: KBuf): void {
  if (G().sysvNs == 0) return;
  const ids = msgIds();
  acquire(idsLock(ids));
  for (let i = 0; i < ids.hiIdx; i++) {
    const slot = slotAt(ids, i);
    if (slot.obj == 0) continue;
    const r = kbufGrow(out, MSGQ_REC);
    if (r == 0) break;
    const q = changetype<MsgQueue>(slot.obj);
    acquire(permLock(q));
    store<i32>(r, ipcId(q));
    store<i32>(r + 4, q.key);
    store<i32>(r + 8, q.uid);
    store<i32>(r + 12, q.gid);
    store<u32>(r + 16, q.mode);
    store<i32>(r + 20, q.qnum);
    store<i32>(r + 24, q.cbytes);
    store<i32>(r + 28, q.qbytes);
    store<i32>(r + 32, q.lspid);
    store<i32>(r + 36, q.lrpid);
    release(permLock(q));
    store<i32>(r + 40, queueLength(slotQueue(slot, SENDERS)));
    store<i32>(r + 44, queueLength(slotQueue(slot, RECEIVERS)));
    store<u32>(r + 48, <u32>slotQueue(slot, SENDERS));
    store<u32>(r + 52, <u32>slotQueue(slot, RECEIVERS));
  }
  release(idsLock(ids));
}
