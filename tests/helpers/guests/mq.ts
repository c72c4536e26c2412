// POSIX message queues through the AssemblyScript library (programs/lib/mqueue.ts):
// `mq <case>`; "label value" lines (errno names for failures).
import {
  args, exit, close, O_RDWR, O_RDONLY, O_CREAT, O_EXCL, O_NONBLOCK, SIGUSR1,
  mqOpen, mqUnlink, mqSendString, mqReceive, mqLastPriority, mqNotifySignal, mqNotifyNone, mqNotifyCancel,
  mqGetAttr, mqSetNonblock, MqAttr, realtimeNs,
} from "../../../programs/lib";
import { out, say } from "./common";

const a = args();
const what = a.length > 1 ? a[1] : "";
const buf = new Uint8Array(64);
function text(n: i32): string { return n <= 0 ? "" : String.UTF8.decodeUnsafe(buf.dataStart, <usize>n); }

if (what == "basic") {
  mqUnlink("/asq");
  const q = mqOpen("/asq", O_RDWR | O_CREAT | O_EXCL | O_NONBLOCK, 0o600, 4, 64);
  out("open", q >= 0 ? 0 : q);
  out("send-low", mqSendString(q, "low", 1));
  out("send-high", mqSendString(q, "high", 7));
  out("send-mid", mqSendString(q, "mid", 3));
  const at = new MqAttr();
  out("getattr", mqGetAttr(q, at));
  say("attr", at.maxmsg.toString() + "x" + at.msgsize.toString() + " cur " + at.curmsgs.toString() + " nb " + ((at.flags & O_NONBLOCK) != 0 ? "1" : "0"));
  for (let i = 0; i < 3; i++) {
    const n = mqReceive(q, buf);
    say("got", text(n) + " " + mqLastPriority().toString());
  }
  out("empty", mqReceive(q, buf));
  out("small-buf", mqReceive(q, new Uint8Array(8)));
  out("blocking", mqSetNonblock(q, false));
  out("timed-out", mqReceive(q, buf, realtimeNs() + 20000000));
  out("notify", mqNotifySignal(q, SIGUSR1, 9));
  out("notify-busy", mqNotifyNone(q));
  out("cancel", mqNotifyCancel(q));
  out("notify-none", mqNotifyNone(q));
  out("rdonly-send", mqSendString(mqOpen("/asq", O_RDONLY), "x", 0));
  out("unlink", mqUnlink("/asq"));
  out("close", close(q));
  out("missing", mqOpen("/asq", O_RDONLY));
  exit(0);
}
say("usage", "mq basic");
exit(2);
