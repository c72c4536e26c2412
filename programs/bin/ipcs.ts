// ipcs [-q] [-m] [-s] [-a]: the System V IPC objects, in Linux's table
// format. Message queues are read as Linux's ipcs reads them: msgctl
// MSG_INFO for the highest index in use, then MSG_STAT for each index.
// Shared memory and semaphores are not implemented yet: their tables are
// printed with their headers and no rows, which is what the kernel holds.
import { args, exit, stdout, complain, complainErrno, padRight, MsqidDs, MsgInfo, msgInfo, msgStat, EINVAL, EACCES } from "../lib";

const PROG = "ipcs";

function hex8(v: i32): string {
  let s = (<u32>v).toString(16);
  return "0x" + "0".repeat(8 - s.length) + s;
}

function col(s: string, w: i32): string { return padRight(s, w) + " "; }

function messageQueues(): bool {
  stdout.line("");
  stdout.line("------ Message Queues --------");
  stdout.line(col("key", 10) + col("msqid", 10) + col("owner", 10) + col("perms", 10) + col("used-bytes", 12) + "messages");
  const info = new MsgInfo();
  const err = msgInfo(info, true);
  if (err < 0) { complainErrno(PROG, "msgctl", err); return false; }
  const d = new MsqidDs();
  for (let i = 0; i <= info.maxIndex; i++) {
    const r = msgStat(i, d, true);
    if (r == -EINVAL || r == -EACCES) continue;   // a free slot, or one we may not read (Linux's ipcs skips both)
    if (r < 0) { complainErrno(PROG, "msgctl", r); return false; }
    stdout.line(col(hex8(d.key), 10) + col(d.id.toString(), 10) + col(d.uid.toString(), 10)
      + col((d.mode & 0o777).toString(8), 10) + col(d.cbytes.toString(), 12) + d.qnum.toString());
  }
  stdout.line("");
  return true;
}

function sharedMemory(): void {
  stdout.line("");
  stdout.line("------ Shared Memory Segments --------");
  stdout.line(col("key", 10) + col("shmid", 10) + col("owner", 10) + col("perms", 10) + col("bytes", 10) + col("nattch", 10) + "status");
  stdout.line("");
}

function semaphores(): void {
  stdout.line("");
  stdout.line("------ Semaphore Arrays --------");
  stdout.line(col("key", 10) + col("semid", 10) + col("owner", 10) + col("perms", 10) + "nsems");
  stdout.line("");
}

let q = false, m = false, s = false;
const argv = args();
for (let i = 1; i < argv.length; i++) {
  const a = argv[i];
  if (!a.startsWith("-") || a.length < 2) { complain(PROG, "unknown argument '" + a + "'"); exit(1); }
  for (let j = 1; j < a.length; j++) {
    const c = a.charAt(j);
    if (c == "q") q = true;
    else if (c == "m") m = true;
    else if (c == "s") s = true;
    else if (c == "a") { q = true; m = true; s = true; }
    else { complain(PROG, "invalid option -- '" + c + "'"); exit(1); }
  }
}
if (!q && !m && !s) { q = true; m = true; s = true; }
let ok = true;
if (q) ok = messageQueues();
if (m) sharedMemory();
if (s) semaphores();
exit(ok ? 0 : 1);
