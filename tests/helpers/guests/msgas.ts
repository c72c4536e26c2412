// msgas: the guest library's System V calls (programs/lib/msg.ts) from
// AssemblyScript: a private queue, typed messages out of order, msgStat's
// counts, msgInfo's totals, the errors as -errno, removal.
import {
  exit, stdout, msgget, msgSend, msgReceive, msgStat, msgInfo, msgRemove, MsqidDs, MsgInfo, strerror,
  IPC_PRIVATE, IPC_NOWAIT, MSG_EXCEPT, getpid,
} from "../../../programs/lib";

function bytes(s: string): Uint8Array { return Uint8Array.wrap(String.UTF8.encode(s)); }
function text(b: Uint8Array): string { return String.UTF8.decode(b.buffer.slice(b.byteOffset, b.byteOffset + b.length)); }

const err = new Int32Array(1);
function take(label: string, id: i32, typ: i64, flags: i32): void {
  const m = msgReceive(id, 16, typ, flags, err);
  stdout.line(m == null ? label + " " + strerror(-err[0]) : label + " " + m.mtype.toString() + " " + text(m.text));
}

const q = msgget(IPC_PRIVATE, 0o600);
stdout.line("get " + (q >= 0 ? "ok" : strerror(-q)));
stdout.line("send " + msgSend(q, 2, bytes("two")).toString() + " " + msgSend(q, 1, bytes("one")).toString() + " " + msgSend(q, 5, bytes("five")).toString());
stdout.line("send-type0 " + strerror(-msgSend(q, 0, bytes("x"))));
const d = new MsqidDs();
stdout.line("stat " + msgStat(q, d).toString() + " qnum " + d.qnum.toString() + " cbytes " + d.cbytes.toString()
  + " mode " + d.mode.toString(8) + " lspid-me " + (d.lspid == getpid() ? "1" : "0"));
const info = new MsgInfo();
const limits = new MsgInfo();
stdout.line("info " + msgInfo(info, true).toString() + " queues>=1 " + (info.pool >= 1 ? "1" : "0") + " limits " + msgInfo(limits, false).toString()
  + " msgmax " + limits.max.toString() + " msgmnb " + limits.mnb.toString());
take("lowest", q, -9, 0);
take("except2", q, 2, MSG_EXCEPT);
take("rest", q, 0, 0);
take("empty", q, 0, IPC_NOWAIT);
stdout.line("remove " + msgRemove(q).toString() + " again " + strerror(-msgRemove(q)));
exit(0);
