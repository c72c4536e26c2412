// The System V IPC namespace, in the manner of Linux ipc/util.c: one id
// table per family (message queues today; shared memory and semaphores are
// two more tables over the same helpers), key lookup for the *get calls,
// the kern_ipc_perm every object starts with, and the permission and
// ownership checks. The namespace hangs off Globals.sysvNs.
//
// An id is index + seq * IPC_SEQ_MULTIPLIER, as Linux's: the table's seq
// moves at every allocation, so an id kept after IPC_RMID names nothing
// (EINVAL) even when its slot holds a newer object.
//
// Locks: a table lock (lookups, allocation, removal) and one per object,
// always taken in that order. A lookup takes the object's lock before it
// drops the table's, and a removal holds both while it clears the slot, so
// an object is never freed under a caller. Waiters sleep on wait queues in
// the *slot*, not in the object: a slot lives as long as the namespace, so a
// waiter that wakes after its object was freed (or a process killed while
// it waited) only ever touches memory that is still there.

import { EINVAL, EACCES, EEXIST, ENOENT, ENOSPC, ENOMEM, EIDRM } from "../../abi/errno";
import { IPC_PRIVATE, IPC_CREAT, IPC_EXCL, IPC_SEQ_MULTIPLIER } from "../../abi/constants";
import { MSGMAX_DEFAULT, MSGMNB_DEFAULT, MSGMNI_DEFAULT } from "../../abi/constants";
import { kalloc, kfree } from "../alloc";
import { G } from "../globals";
import { acquire, release } from "../lock";
import { Proc, Task } from "../task";
import { modePermits } from "../perm";
import { restartBegin, restartEnd, RESTART_IPC } from "../restart";

/** What every System V object starts with (Linux's struct kern_ipc_perm). */
@unmanaged
export class IpcPerm {
  lock: i32;       // the object's lock
  key: i32;
  uid: i32;        // owner (IPC_SET changes it)
  gid: i32;
  cuid: i32;       // creator
  cgid: i32;
  mode: u32;       // the low 9 bits (rwx for owner, group, other)
  seq: i32;        // id / IPC_SEQ_MULTIPLIER
  idx: i32;        // slot index: id % IPC_SEQ_MULTIPLIER
}

/** One entry of a family's table: the object and the two wait queues ({lock, head} each) its callers sleep on. */
@unmanaged
export class IpcSlot {
  obj: usize;      // IpcPerm*, 0 = free
  q0Lock: i32;     // msg: senders waiting for room
  q0Head: usize;
  q1Lock: i32;     // msg: receivers waiting for a message
  q1Head: usize;
}

/** A family's id table (Linux's struct ipc_ids). */
@unmanaged
export class IpcIds {
  lock: i32;
  inUse: i32;      // objects in the table
  hiIdx: i32;      // one past the highest slot in use (scans stop here)
  seq: i32;        // the next object's seq
  cap: i32;        // slots (the family's mni limit)
  slots: usize;    // IpcSlot[cap]
}

/** The namespace: one table per family, and the limits set at boot. */
@unmanaged
export class SysvNs {
  msgIds: usize;   // IpcIds* of the message queues (ipc/msg.ts)
  msgmax: i32;     // largest message, bytes
  msgmnb: i32;     // default (and unprivileged maximum) msg_qbytes of a queue
  msgmni: i32;     // most queues at once
}

// @ts-ignore: decorator
@inline export function sysvNs(): SysvNs { return changetype<SysvNs>(G().sysvNs); }
// @ts-ignore: decorator
@inline export function idsLock(ids: IpcIds): usize { return changetype<usize>(ids); }
// @ts-ignore: decorator
@inline export function permLock(p: IpcPerm): usize { return changetype<usize>(p); }
// @ts-ignore: decorator
@inline export function slotAt(ids: IpcIds, idx: i32): IpcSlot { return changetype<IpcSlot>(ids.slots + <usize>idx * offsetof<IpcSlot>()); }
/** The address of a slot's wait queue 0 or 1, for waitOn / wakeAll. */
// @ts-ignore: decorator
@inline export function slotQueue(s: IpcSlot, which: i32): usize {
  return changetype<usize>(s) + (which == 0 ? offsetof<IpcSlot>("q0Lock") : offsetof<IpcSlot>("q1Lock"));
}
// @ts-ignore: decorator
@inline export function ipcId(p: IpcPerm): i32 { return p.seq * IPC_SEQ_MULTIPLIER + p.idx; }

/** Linux's seq_max: ids stay positive ints. */
const SEQ_MAX: i32 = 0x7fffffff / IPC_SEQ_MULTIPLIER;

function idsCreate(cap: i32): IpcIds | null {
  const ids = changetype<IpcIds>(kalloc(offsetof<IpcIds>()));
  if (changetype<usize>(ids) == 0) return null;
  ids.slots = kalloc(<usize>cap * offsetof<IpcSlot>());
  if (ids.slots == 0) { kfree(changetype<usize>(ids)); return null; }
  ids.cap = cap;
  return ids;
}

/** At boot (k_boot): the namespace with the default limits. False when out of memory. */
export function sysvInit(): bool {
  const ns = changetype<SysvNs>(kalloc(offsetof<SysvNs>()));
  if (changetype<usize>(ns) == 0) return false;
  ns.msgmax = MSGMAX_DEFAULT;
  ns.msgmnb = MSGMNB_DEFAULT;
  ns.msgmni = MSGMNI_DEFAULT;
  const ids = idsCreate(MSGMNI_DEFAULT);
  if (ids == null) { kfree(changetype<usize>(ns)); return false; }
  ns.msgIds = changetype<usize>(ids);
  G().sysvNs = changetype<usize>(ns);
  return true;
}

/**
 * The message-queue limits (BootOptions msg, right after boot, before any
 * queue exists). 0 keeps a limit. -EINVAL outside 1..IPC_SEQ_MULTIPLIER
 * queues or for a non-positive size, -ENOMEM if the table cannot be made.
 */
export function sysvMsgLimits(msgmax: i32, msgmnb: i32, msgmni: i32): i32 {
  const ns = sysvNs();
  if (msgmax < 0 || msgmnb < 0 || msgmni < 0 || msgmni > IPC_SEQ_MULTIPLIER) return -EINVAL;
  const old = changetype<IpcIds>(ns.msgIds);
  if (msgmni != 0 && msgmni != old.cap) {
    acquire(idsLock(old));
    const busy = old.inUse != 0;
    release(idsLock(old));
    if (busy) return -EINVAL;
    const ids = idsCreate(msgmni);
    if (ids == null) return -ENOMEM;
    ns.msgIds = changetype<usize>(ids);
    kfree(old.slots);
    kfree(changetype<usize>(old));
    ns.msgmni = msgmni;
  }
  if (msgmax != 0) ns.msgmax = msgmax;
  if (msgmnb != 0) ns.msgmnb = msgmnb;
  return 0;
}

/** ipcLookupKey's "no such object yet: make one" (below every -errno and the K* sentinels). */
export const IPC_MAKE: i32 = -0x10000;

/** The MAY_* bits a *get call's flag asks for (Linux's ipcperms folds the three classes). */
export function ipcWanted(flag: i32): i32 {
  return ((flag >> 6) | (flag >> 3) | flag) & 7;
}

/** May `p` do `want` (MAY_* bits) to the object? (modePermits: owner/group/other, root bypass.) */
export function ipcPermits(perm: IpcPerm, p: Proc, want: i32): bool {
  return modePermits(perm.mode, perm.uid, perm.gid, p, want);
}

/** IPC_SET and IPC_RMID: only the owner, the creator or euid 0 (else EPERM). */
export function ipcOwnerOrRoot(perm: IpcPerm, p: Proc): bool {
  return p.euid == 0 || p.euid == perm.uid || p.euid == perm.cuid;
}

/** The object with `key` (the table lock held), or null. */
function findKey(ids: IpcIds, key: i32): IpcPerm | null {
  for (let i = 0; i < ids.hiIdx; i++) {
    const o = slotAt(ids, i).obj;
    if (o != 0 && changetype<IpcPerm>(o).key == key) return changetype<IpcPerm>(o);
  }
  return null;
}

/**
 * The lookup half of a *get call (Linux's ipcget), with the table lock
 * held: >= 0 the id of an existing object the caller may use, IPC_MAKE
 * when a new object must be made (ipcAdd), else -errno (EEXIST, EACCES,
 * ENOENT, ENOSPC). The caller releases the table lock.
 */
export function ipcLookupKey(ids: IpcIds, key: i32, flag: i32, p: Proc, limit: i32): i32 {
  if (key != IPC_PRIVATE) {
    const o = findKey(ids, key);
    if (o != null) {
      if ((flag & IPC_CREAT) != 0 && (flag & IPC_EXCL) != 0) return -EEXIST;
      if (!ipcPermits(o, p, ipcWanted(flag))) return -EACCES;
      return ipcId(o);
    }
    if ((flag & IPC_CREAT) == 0) return -ENOENT;
  }
  if (ids.inUse >= limit || ids.inUse >= ids.cap) return -ENOSPC;
  return IPC_MAKE;
}

/**
 * Puts a new object in a free slot (the table lock held); the caller made
 * it with kalloc. Its perm is filled from the caller's ids. Returns its id,
 * or -ENOSPC.
 */
export function ipcAdd(ids: IpcIds, perm: IpcPerm, key: i32, flag: i32, p: Proc): i32 {
  let idx = -1;
  for (let i = 0; i < ids.cap; i++) if (slotAt(ids, i).obj == 0) { idx = i; break; }
  if (idx < 0) return -ENOSPC;
  perm.key = key;
  perm.uid = p.euid; perm.cuid = p.euid;
  perm.gid = p.egid; perm.cgid = p.egid;
  perm.mode = <u32>flag & 0o777;
  perm.seq = ids.seq;
  perm.idx = idx;
  ids.seq = ids.seq >= SEQ_MAX ? 0 : ids.seq + 1;
  slotAt(ids, idx).obj = changetype<usize>(perm);
  ids.inUse++;
  if (idx >= ids.hiIdx) ids.hiIdx = idx + 1;
  return ipcId(perm);
}

/**
 * The object `id` names, its lock taken (the table's taken around the
 * lookup, and kept when `keepTable`: IPC_RMID), or null (the table lock
 * then released): an id that names nothing, never made or removed.
 */
export function ipcLock(ids: IpcIds, id: i32, keepTable: bool = false): IpcPerm | null {
  let o: usize = 0;
  acquire(idsLock(ids));
  if (id >= 0) {
    const idx = id % IPC_SEQ_MULTIPLIER;
    if (idx < ids.cap) {
      o = slotAt(ids, idx).obj;
      if (o != 0 && changetype<IpcPerm>(o).seq != id / IPC_SEQ_MULTIPLIER) o = 0;
      if (o != 0) acquire(permLock(changetype<IpcPerm>(o)));
    }
  }
  if (o == 0 || !keepTable) release(idsLock(ids));
  return changetype<IpcPerm | null>(o);
}

/** Why ipcLock found nothing: EIDRM if this call had been waiting on the object (it was removed meanwhile), else EINVAL. */
export function ipcGoneErr(t: Task): i32 {
  if (restartBegin(t, RESTART_IPC)) { restartEnd(t); return -EIDRM; }
  return -EINVAL;
}

/** The object at slot `idx` (MSG_STAT), its lock taken, or null. */
export function ipcLockIndex(ids: IpcIds, idx: i32): IpcPerm | null {
  let o: usize = 0;
  acquire(idsLock(ids));
  if (idx >= 0 && idx < ids.hiIdx) {
    o = slotAt(ids, idx).obj;
    if (o != 0) acquire(permLock(changetype<IpcPerm>(o)));
  }
  release(idsLock(ids));
  return changetype<IpcPerm | null>(o);
}

/**
 * Takes an object out of its table (IPC_RMID), with both its lock and the
 * table's held (ipcLock keepTable); releases the table's. Its id names
 * nothing from now on, and since every lookup takes the object's lock only
 * while it holds the table's, nobody else can reach it: the caller wakes
 * the slot's queues, releases the object's lock and frees it.
 */
export function ipcRemove(ids: IpcIds, perm: IpcPerm): void {
  slotAt(ids, perm.idx).obj = 0;
  ids.inUse--;
  while (ids.hiIdx > 0 && slotAt(ids, ids.hiIdx - 1).obj == 0) ids.hiIdx--;
  release(idsLock(ids));
}

/** The highest slot index in use, 0 when none (IPC_INFO / MSG_INFO's result, as Linux's). */
export function ipcMaxIdx(ids: IpcIds): i32 {
  acquire(idsLock(ids));
  const r = ids.hiIdx > 0 ? ids.hiIdx - 1 : 0;
  release(idsLock(ids));
  return r;
}
