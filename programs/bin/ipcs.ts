// ipcs [-q] [-m] [-s] [-a]: the System V IPC objects, in Linux's table
// format. Message queues come from the kernel's snapshot (its System V
// section; programs/lib/snapshot.ts), the one view ps and the page read
// too; as Linux's ipcs (MSG_STAT per index), a queue the caller may not
// read is left out, by the kernel's own rule (owner, group, other bits;
// euid 0 reads all). Shared memory and semaphores are not implemented yet:
// their tables are printed with their headers and no rows, which is what
// the kernel holds.
import { args, exit, stdout, complain, complainErrno, padRight, snapshot, Snapshot, SnapMsgQueue, geteuid, getegid } from "../lib";

const PROG = "ipcs";

function hex8(v: i32): string {
  let s = (<u32>v).toString(16);
  return "0x" + "0".repeat(8 - s.length) + s;
}

function col(s: string, w: i32): string { return padRight(s, w) + " "; }

/** May the caller read `q`? (assembly/perm.ts modePermits with MAY_READ, as msgctl MSG_STAT checks.) */
function readable(q: SnapMsgQueue, euid: i32, egid: i32): bool {
  if (euid == 0) return true;
  const bits = euid == q.uid ? q.mode >> 6 : egid == q.gid ? q.mode >> 3 : q.mode;
  return (bits & 4) != 0;
}

function messageQueues(): bool {
  stdout.line("");
  stdout.line("------ Message Queues --------");
  stdout.line(col("key", 10) + col("msqid", 10) + col("owner", 10) + col("perms", 10) + col("used-bytes", 12) + "messages");
  const snap = new Snapshot();
  const err = snapshot(snap);
  if (err < 0) { complainErrno(PROG, "snapshot", err); return false; }
  const euid = geteuid(), egid = getegid();
  for (let i = 0; i < snap.msgQueues.length; i++) {
    const d = snap.msgQueues[i];
    if (!readable(d, euid, egid)) continue;
    stdout.line(col(hex8(d.key), 10) + col(d.id.toString(), 10) + col(d.uid.toString(), 10)
      + col((d.mode & 0o777).toString(8), 10) + col(d.bytes.toString(), 12) + d.messages.toString());
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
