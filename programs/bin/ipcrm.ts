// ipcrm [-q msqid] [-Q msgkey] [-m shmid] [-M shmkey] [-s semid] [-S semkey] ...:
// removes System V IPC objects, with util-linux's messages. Only message
// queues exist in the kernel so far: an id or key of the other two
// families names nothing, which is Linux's "invalid id" (EINVAL from
// shmctl/semctl) or "invalid key" (ENOENT from shmget/semget).
import { args, exit, complain, msgget, msgRemove, EINVAL, EACCES, EPERM, EIDRM, ENOENT, strerror } from "../lib";

const PROG = "ipcrm";

/** A key or id operand: decimal, or hex with 0x (strtoul base 0); -1 if it is not a number. */
function parseNum(s: string): i64 {
  let v: i64 = 0;
  let i = 0, base = 10;
  if (s.startsWith("0x") || s.startsWith("0X")) { base = 16; i = 2; }
  if (i >= s.length) return -1;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let d = -1;
    if (c >= 0x30 && c <= 0x39) d = c - 0x30;
    else if (base == 16 && c >= 0x61 && c <= 0x66) d = c - 0x61 + 10;
    else if (base == 16 && c >= 0x41 && c <= 0x46) d = c - 0x41 + 10;
    if (d < 0) return -1;
    v = v * base + d;
    if (v > 0xffffffff) return -1;
  }
  return v;
}

/** The message for a failed removal or key lookup, as util-linux words it. */
function why(err: i32, key: bool): string {
  if (err == -EACCES || err == -EPERM) return key ? "permission denied for key" : "permission denied for id";
  if (err == -EINVAL || err == -ENOENT) return key ? "invalid key" : "invalid id";
  if (err == -EIDRM) return key ? "already removed key" : "already removed id";
  return strerror(-err);
}

let failures = 0;
const argv = args();
if (argv.length < 2) { complain(PROG, "bad usage"); exit(1); }
for (let i = 1; i < argv.length; i++) {
  const opt = argv[i];
  if (opt.length != 2 || !opt.startsWith("-") || "qQmMsS".indexOf(opt.charAt(1)) < 0) {
    complain(PROG, "unknown option '" + opt + "'"); exit(1);
  }
  if (i + 1 >= argv.length) { complain(PROG, "option requires an argument -- '" + opt.charAt(1) + "'"); exit(1); }
  const operand = argv[++i];
  const c = opt.charAt(1);
  const byKey = c == "Q" || c == "M" || c == "S";
  const n = parseNum(operand);
  if (n < 0) { complain(PROG, (byKey ? "invalid key" : "invalid id") + " (" + operand + ")"); failures++; continue; }
  if (byKey && n == 0) { complain(PROG, "illegal key (" + operand + ")"); failures++; continue; }
  let r: i32;
  if (c == "q") r = msgRemove(<i32>n);
  else if (c == "Q") {
    const id = msgget(<i32>n, 0);
    r = id < 0 ? id : msgRemove(id);
  } else r = byKey ? -ENOENT : -EINVAL;   // no shared memory segments or semaphore arrays exist
  if (r < 0) { complain(PROG, why(r, byKey) + " (" + operand + ")"); failures++; }
}
exit(failures > 0 ? 1 : 0);
