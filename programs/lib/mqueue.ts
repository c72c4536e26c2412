// POSIX message queues for AssemblyScript programs (docs/abi.md "Message
// queues"; the kernel side is assembly/mqueue.ts). A queue descriptor is a
// file descriptor: close() closes it, poll() watches it. Names are "/name".
// Every call returns >= 0 or -errno, as the rest of the library.
//
//   const q = mqOpen("/jobs", O_RDWR | O_CREAT, 0o600, 16, 256);
//   mqSendString(q, "hello", 5);
//   const buf = new Uint8Array(256);
//   const n = mqReceive(q, buf);          // length; mqLastPriority() is 5

import { O_NONBLOCK, MQ_ATTR_SIZE, SIGEV_SIGNAL, SIGEV_NONE } from "../../abi/constants";

@external("wasmux", "mq_open") declare function mq_open(name: usize, len: u32, oflag: i32, mode: i32, attr: usize): i32;
@external("wasmux", "mq_unlink") declare function mq_unlink(name: usize, len: u32): i32;
@external("wasmux", "mq_timedsend") declare function mq_timedsend(q: i32, msg: usize, len: u32, prio: u32, ts: usize): i32;
@external("wasmux", "mq_timedreceive") declare function mq_timedreceive(q: i32, msg: usize, len: u32, prio: usize, ts: usize): i32;
@external("wasmux", "mq_notify") declare function mq_notify(q: i32, sev: usize): i32;
@external("wasmux", "mq_getsetattr") declare function mq_getsetattr(q: i32, nw: usize, old: usize): i32;

/** A queue's attributes (struct mq_attr). */
export class MqAttr {
  flags: i32 = 0;     // 0 or O_NONBLOCK
  maxmsg: i32 = 0;
  msgsize: i32 = 0;
  curmsgs: i32 = 0;
}

// The records the kernel reads and writes: mq_attr (32 bytes), a timespec (16), a sigevent head (12), a priority (4).
const ATTR = memory.data(MQ_ATTR_SIZE, 8);
const TS = memory.data(16, 8);
const SEV = memory.data(12, 4);
const PRIO = memory.data(4, 4);

/** A deadline (absolute CLOCK_REALTIME ns, < 0: none) as a timespec, or 0. */
function deadline(ns: i64): usize {
  if (ns < 0) return 0;
  store<i64>(TS, ns / 1000000000);
  store<i32>(TS + 8, <i32>(ns % 1000000000));
  return TS;
}

/**
 * mq_open: `oflag` is the kernel's O_* (O_RDONLY/O_WRONLY/O_RDWR, O_CREAT,
 * O_EXCL, O_NONBLOCK, O_CLOEXEC). With O_CREAT, `maxmsg`/`msgsize` > 0 set
 * the attributes (0: the defaults, 10 x 8192 within the boot limits).
 */
export function mqOpen(name: string, oflag: i32, mode: i32 = 0o600, maxmsg: i32 = 0, msgsize: i32 = 0): i32 {
  let attr: usize = 0;
  if (maxmsg > 0 || msgsize > 0) {
    memory.fill(ATTR, 0, MQ_ATTR_SIZE);
    store<i32>(ATTR + 4, maxmsg);
    store<i32>(ATTR + 8, msgsize);
    attr = ATTR;
  }
  const b = String.UTF8.encode(name);
  return mq_open(changetype<usize>(b), <u32>b.byteLength, oflag, mode, attr);
}

export function mqUnlink(name: string): i32 {
  const b = String.UTF8.encode(name);
  return mq_unlink(changetype<usize>(b), <u32>b.byteLength);
}

/** Sends `len` bytes at `ptr` with priority `prio` (0..32767); blocks while full unless O_NONBLOCK or the deadline passes (ETIMEDOUT). */
export function mqSendRaw(q: i32, ptr: usize, len: u32, prio: u32, deadlineNs: i64 = -1): i32 {
  return mq_timedsend(q, ptr, len, prio, deadline(deadlineNs));
}

export function mqSend(q: i32, data: Uint8Array, prio: u32, deadlineNs: i64 = -1): i32 {
  return mqSendRaw(q, data.dataStart, <u32>data.length, prio, deadlineNs);
}

export function mqSendString(q: i32, s: string, prio: u32, deadlineNs: i64 = -1): i32 {
  const b = String.UTF8.encode(s);
  return mqSendRaw(q, changetype<usize>(b), <u32>b.byteLength, prio, deadlineNs);
}

let lastPrio: u32 = 0;

/**
 * Receives the oldest message of the highest priority into `buf` (which
 * must hold the queue's mq_msgsize, else EMSGSIZE): its length; its
 * priority is then mqLastPriority().
 */
export function mqReceive(q: i32, buf: Uint8Array, deadlineNs: i64 = -1): i32 {
  const n = mq_timedreceive(q, buf.dataStart, <u32>buf.length, PRIO, deadline(deadlineNs));
  if (n >= 0) lastPrio = load<u32>(PRIO);
  return n;
}

/** The priority of the message the last successful mqReceive took. */
export function mqLastPriority(): u32 { return lastPrio; }

/** Registers for signal `sig` with `value` (si_value) when a message arrives in the empty queue; EBUSY if someone is registered. */
export function mqNotifySignal(q: i32, sig: i32, value: i32 = 0): i32 {
  store<i32>(SEV, value); store<i32>(SEV + 4, sig); store<i32>(SEV + 8, SIGEV_SIGNAL);
  return mq_notify(q, SEV);
}

/** Registers without a signal (SIGEV_NONE): the queue is reserved for us until the next arrival. */
export function mqNotifyNone(q: i32): i32 {
  store<i32>(SEV, 0); store<i32>(SEV + 4, 0); store<i32>(SEV + 8, SIGEV_NONE);
  return mq_notify(q, SEV);
}

/** Removes our registration. */
export function mqNotifyCancel(q: i32): i32 { return mq_notify(q, 0); }

export function mqGetAttr(q: i32, out: MqAttr): i32 {
  const r = mq_getsetattr(q, 0, ATTR);
  if (r < 0) return r;
  out.flags = load<i32>(ATTR); out.maxmsg = load<i32>(ATTR + 4);
  out.msgsize = load<i32>(ATTR + 8); out.curmsgs = load<i32>(ATTR + 12);
  return 0;
}

/** mq_setattr: only O_NONBLOCK changes. */
export function mqSetNonblock(q: i32, on: bool): i32 {
  memory.fill(ATTR, 0, MQ_ATTR_SIZE);
  store<i32>(ATTR, on ? O_NONBLOCK : 0);
  return mq_getsetattr(q, ATTR, 0);
}
