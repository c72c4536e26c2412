// POSIX message queues: the mq_notify registration (one per queue: a pid,
// SIGEV_SIGNAL with its signal and value, or SIGEV_NONE), the signal it
// sends when a send to the empty queue takes it (notifyFire), what ends it (mq_notify(NULL), firing, and any close of a descriptor of
// the queue by the registered process: mqFlush, as Linux's
// mqueue_flush_file), and the status line a read of /dev/mqueue/<name>
// shows it in. The queue itself, its lock and the send that fires the
// registration are mqueue.ts.

import { EBADF, EBUSY, EFAULT, EINVAL } from "../abi/errno";
import { MQ_SIGEVENT_SIZE, SIGEV_SIGNAL, SIGEV_NONE, SI_MESGQ, NSIG, PSTATE_ZOMBIE } from "../abi/constants";
import { acquire, release } from "./lock";
import { Task, curProc } from "./task";
import { copyin, scratch, SCRATCH_TMP } from "./user";
import { findProc, ptableLock } from "./proc";
import { sigRaiseInfo } from "./signal";
import { filePut } from "./file";
import { MQueue, mqFile, qLock } from "./mqueue";

/**
 * mq_notify(mqd, sigevent*|0): {i32 value, i32 signo, i32 notify} registers
 * the caller (SIGEV_SIGNAL with a signal 0..64 — 0, as Linux's
 * valid_signal, registers and sends nothing — or SIGEV_NONE; EINVAL
 * otherwise, SIGEV_THREAD included: no threads); EBUSY when a process is
 * registered already. NULL removes the caller's own registration.
 */
export function sys_mq_notify(mqd: i32, usev: u32): i32 {
  let how = 0, sig = 0, value = 0;
  if (usev != 0) {
    const k = scratch(SCRATCH_TMP);
    if (!copyin(k, usev, MQ_SIGEVENT_SIZE)) return -EFAULT;
    value = load<i32>(k); sig = load<i32>(k + 4); how = load<i32>(k + 8);
    if (how != SIGEV_SIGNAL && how != SIGEV_NONE) return -EINVAL;
    if (how == SIGEV_SIGNAL && (sig < 0 || sig >= NSIG)) return -EINVAL;
  }
  const f = mqFile(mqd);
  if (f == null) return -EBADF;
  const q = changetype<MQueue>(f.obj);
  const me = curProc().pid;
  let r = 0;
  acquire(qLock(q));
  if (usev == 0) {
    if (q.notifyPid == me) q.notifyPid = 0;
  } else if (q.notifyPid != 0) r = -EBUSY;
  else {
    q.notifyPid = me; q.notifyHow = how; q.notifySig = sig; q.notifyValue = value;
  }
  release(qLock(q));
  filePut(f);
  return r;
}

/** The registration fired: it is gone; SIGEV_SIGNAL sends its signal with SI_MESGQ and the sender's ids. */
export function notifyFire(pid: i32, how: i32, sig: i32, value: i32): void {
  if (how != SIGEV_SIGNAL || sig == 0) return;
  const me = curProc();
  acquire(ptableLock());
  const p = findProc(pid);
  if (p != null && p.state != PSTATE_ZOMBIE) sigRaiseInfo(changetype<Task>(p.task), sig, SI_MESGQ, me.pid, me.uid, value);
  release(ptableLock());
}

/** Process `pid` closes a descriptor of the queue: its registration, if any, goes (Linux's mqueue_flush_file). */
export function mqFlush(q: MQueue, pid: i32): void {
  acquire(qLock(q));
  if (q.notifyPid == pid) q.notifyPid = 0;
  release(qLock(q));
}

/** QSIZE and the registration, as the line a read of the queue's file shows. */
export function mqStatus(q: MQueue, out: usize): i32 {
  acquire(qLock(q));
  const qsize = q.qsize, pid = q.notifyPid, how = q.notifyHow, sig = q.notifySig;
  release(qLock(q));
  let o = out;
  o = putStr(o, "QSIZE:"); o = putPadded(o, <u64>qsize, 10);
  o = putStr(o, " NOTIFY:"); o = putPadded(o, pid != 0 ? <u64>how : 0, 5);
  o = putStr(o, " SIGNO:"); o = putPadded(o, pid != 0 && how == SIGEV_SIGNAL ? <u64>sig : 0, 5);
  o = putStr(o, " NOTIFY_PID:"); o = putPadded(o, <u64>pid, 6);
  store<u8>(o, 0x0a);
  return <i32>(o + 1 - out);
}

function putStr(o: usize, s: string): usize {
  for (let i = 0; i < s.length; i++) store<u8>(o + <usize>i, <u8>s.charCodeAt(i));
  return o + <usize>s.length;
}

/** `v` in decimal, left-aligned in `width` columns (printf's %-Nlu). */
function putPadded(o: usize, v: u64, width: i32): usize {
  let digits = 1;
  for (let x = v; x >= 10; x /= 10) digits++;
  let x = v;
  for (let i = digits - 1; i >= 0; i--) { store<u8>(o + <usize>i, <u8>(0x30 + <u32>(x % 10))); x /= 10; }
  for (let i = digits; i < width; i++) store<u8>(o + <usize>i, 0x20);
  return o + <usize>(digits > width ? digits : width);
}
