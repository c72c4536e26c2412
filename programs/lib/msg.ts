// System V message queues for AssemblyScript guests (the kernel's msgget,
// msgsnd, msgrcv and msgctl; assembly/ipc/msg.ts). Results are >= 0 or
// -errno, as everywhere in this library. A message in guest memory is
// {i32 mtype, mtext}: msgSend builds it, msgReceive takes it apart.
import { IPC_STAT, MSG_STAT, MSG_INFO, IPC_INFO, IPC_RMID, MSQID_DS_SIZE, MSGINFO_SIZE } from "../../abi/constants";

@external("wasmux", "msgget") declare function sys_msgget(key: i32, flags: i32): i32;
@external("wasmux", "msgsnd") declare function sys_msgsnd(id: i32, msg: usize, size: u32, flags: i32): i32;
@external("wasmux", "msgrcv") declare function sys_msgrcv(id: i32, msg: usize, size: u32, type: i64, flags: i32): i32;
@external("wasmux", "msgctl") declare function sys_msgctl(id: i32, cmd: i32, buf: usize): i32;

export function msgget(key: i32, flags: i32): i32 { return sys_msgget(key, flags); }

/** Sends `text` as a message of type `mtype` (>= 1). */
export function msgSend(id: i32, mtype: i32, text: Uint8Array, flags: i32 = 0): i32 {
  const rec = new Uint8Array(4 + text.length);
  store<i32>(rec.dataStart, mtype);
  memory.copy(rec.dataStart + 4, text.dataStart, <usize>text.length);
  return sys_msgsnd(id, rec.dataStart, <u32>text.length, flags);
}

/** A received message: its type and text. */
export class Message {
  constructor(public mtype: i32, public text: Uint8Array) {}
}

/** Receives a message of at most `max` bytes (msgtyp as msgrcv(2)); null with *err on failure. */
export function msgReceive(id: i32, max: i32, msgtyp: i64, flags: i32, err: Int32Array): Message | null {
  const rec = new Uint8Array(4 + max);
  const n = sys_msgrcv(id, rec.dataStart, <u32>max, msgtyp, flags);
  if (n < 0) { err[0] = n; return null; }
  return new Message(load<i32>(rec.dataStart), rec.slice(4, 4 + n));
}

/** What msgctl(IPC_STAT / MSG_STAT) tells about a queue (struct msqid_ds, docs/abi.md). */
export class MsqidDs {
  id: i32 = 0;   // MSG_STAT: the id of the queue at the index asked
  key: i32 = 0; uid: i32 = 0; gid: i32 = 0; cuid: i32 = 0; cgid: i32 = 0; mode: i32 = 0;
  stime: i64 = 0; rtime: i64 = 0; ctime: i64 = 0;
  cbytes: i32 = 0; qnum: i32 = 0; qbytes: i32 = 0; lspid: i32 = 0; lrpid: i32 = 0;
}

function decode(b: usize, d: MsqidDs): void {
  d.key = load<i32>(b); d.uid = load<i32>(b, 4); d.gid = load<i32>(b, 8);
  d.cuid = load<i32>(b, 12); d.cgid = load<i32>(b, 16); d.mode = load<i32>(b, 20);
  d.stime = load<i64>(b, 40); d.rtime = load<i64>(b, 48); d.ctime = load<i64>(b, 56);
  d.cbytes = load<i32>(b, 64); d.qnum = load<i32>(b, 68); d.qbytes = load<i32>(b, 72);
  d.lspid = load<i32>(b, 76); d.lrpid = load<i32>(b, 80);
}

/** IPC_STAT of queue `id` (or MSG_STAT of slot index `id` when `byIndex`) into `d`; 0 / the id, or -errno. */
export function msgStat(id: i32, d: MsqidDs, byIndex: bool = false): i32 {
  const buf = new Uint8Array(<i32>MSQID_DS_SIZE);
  const r = sys_msgctl(id, byIndex ? MSG_STAT : IPC_STAT, buf.dataStart);
  if (r < 0) return r;
  decode(buf.dataStart, d);
  d.id = byIndex ? r : id;
  return r;
}

/** The limits and totals of struct msginfo. */
export class MsgInfo {
  maxIndex: i32 = 0;   // the highest slot index in use (what msgctl returns)
  pool: i32 = 0; map: i32 = 0; max: i32 = 0; mnb: i32 = 0; mni: i32 = 0; tql: i32 = 0;
}

/** IPC_INFO (limits) or, with `totals`, MSG_INFO (queues, messages, bytes in use); 0 or -errno. */
export function msgInfo(out: MsgInfo, totals: bool): i32 {
  const buf = new Uint8Array(<i32>MSGINFO_SIZE);
  const r = sys_msgctl(0, totals ? MSG_INFO : IPC_INFO, buf.dataStart);
  if (r < 0) return r;
  const b = buf.dataStart;
  out.maxIndex = r;
  out.pool = load<i32>(b); out.map = load<i32>(b, 4); out.max = load<i32>(b, 8);
  out.mnb = load<i32>(b, 12); out.mni = load<i32>(b, 16); out.tql = load<i32>(b, 24);
  return 0;
}

/** IPC_RMID: removes queue `id`. */
export function msgRemove(id: i32): i32 { return sys_msgctl(id, IPC_RMID, 0); }
