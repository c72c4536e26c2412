// The kernel's snapshot record (the snapshot syscall, assembly/snapshot.ts;
// docs/abi.md "Snapshot") for AssemblyScript guests: ps and ipcs read the
// machine through it, the same view the page and Machine.snapshot() have.
// Sections are found by type; one this reader does not know is skipped,
// and of a record longer than it expects only the known prefix is read.
import { ENOSPC, EINVAL } from "../../abi/errno";
import * as sys from "./sys";

const MAGIC: u32 = 0x4E535857;   // "WXSN"
const SEC_PROCS: u16 = 1;
const SEC_MSGQ: u16 = 5;
const PROC_MIN: u32 = 96;
const MSGQ_MIN: u32 = 48;
const NAME_SIZE: u32 = 48;

/** A process (section 1). `state` is a PSTATE_* value, `blocked` a BLOCK_* kind. */
export class SnapProc {
  pid: i32 = 0; ppid: i32 = 0; pgid: i32 = 0; sid: i32 = 0; uid: i32 = 0; gid: i32 = 0;
  state: i32 = 0;
  /** The wait status once a zombie. */
  status: i32 = 0;
  blocked: i32 = 0;
  blockedOn: u32 = 0;
  name: string = "";
}

/** A System V message queue (section 5). */
export class SnapMsgQueue {
  id: i32 = 0; key: i32 = 0; uid: i32 = 0; gid: i32 = 0; mode: u32 = 0;
  messages: i32 = 0; bytes: i32 = 0; maxBytes: i32 = 0;
  lastSender: i32 = 0; lastReceiver: i32 = 0;
  waitingSenders: i32 = 0; waitingReceivers: i32 = 0;
}

/** What one snapshot call saw. */
export class Snapshot {
  procs: SnapProc[] = [];
  msgQueues: SnapMsgQueue[] = [];
}

/**
 * Takes a snapshot into `out` (its lists replaced): 0, or -errno (EINVAL
 * for a record this reader cannot make sense of). A buffer the record does
 * not fit is grown to the size the kernel's header asks for, with room to
 * spare since the machine moves on meanwhile.
 */
export function snapshot(out: Snapshot): i32 {
  let size: u32 = 16384;
  for (let tries = 0; ; tries++) {
    const buf = new Uint8Array(<i32>size);
    const r = sys.snapshot(buf.dataStart, size);
    if (r == -ENOSPC && tries < 8) {
      const need = load<u32>(buf.dataStart, 8);
      size = (need > size ? need : size) * 2;
      continue;
    }
    if (r < 0) return r;
    return decode(buf.dataStart, <u32>r, out);
  }
}

function decode(b: usize, total: u32, out: Snapshot): i32 {
  if (total < 16 || load<u32>(b) != MAGIC) return -EINVAL;
  const nsec = load<u32>(b, 12);
  let off: u32 = <u32>load<u16>(b, 6);
  out.procs = [];
  out.msgQueues = [];
  for (let i: u32 = 0; i < nsec && off + 16 <= total; i++) {
    const s = b + off;
    const type = load<u16>(s);
    const len = load<u32>(s, 4);
    const count = load<u32>(s, 8);
    const recSize = load<u32>(s, 12);
    if (len < 16 || off + len > total || <u64>recSize * <u64>count > <u64>(len - 16)) return -EINVAL;
    if (type == SEC_PROCS && recSize >= PROC_MIN) {
      for (let j: u32 = 0; j < count; j++) out.procs.push(readProc(s + 16 + <usize>(j * recSize)));
    } else if (type == SEC_MSGQ && recSize >= MSGQ_MIN) {
      for (let j: u32 = 0; j < count; j++) out.msgQueues.push(readMsgQueue(s + 16 + <usize>(j * recSize)));
    }
    off += len;
  }
  return 0;
}

function readProc(r: usize): SnapProc {
  const p = new SnapProc();
  p.pid = load<i32>(r); p.ppid = load<i32>(r, 4); p.pgid = load<i32>(r, 8); p.sid = load<i32>(r, 12);
  p.uid = load<i32>(r, 16); p.gid = load<i32>(r, 20); p.state = load<i32>(r, 24); p.status = load<i32>(r, 28);
  p.blocked = load<i32>(r, 32); p.blockedOn = load<u32>(r, 36);
  let n: u32 = 0;
  while (n < NAME_SIZE && load<u8>(r + 48 + n) != 0) n++;
  p.name = String.UTF8.decodeUnsafe(r + 48, n);
  return p;
}

function readMsgQueue(r: usize): SnapMsgQueue {
  const q = new SnapMsgQueue();
  q.id = load<i32>(r); q.key = load<i32>(r, 4); q.uid = load<i32>(r, 8); q.gid = load<i32>(r, 12);
  q.mode = load<u32>(r, 16); q.messages = load<i32>(r, 20); q.bytes = load<i32>(r, 24); q.maxBytes = load<i32>(r, 28);
  q.lastSender = load<i32>(r, 32); q.lastReceiver = load<i32>(r, 36);
  q.waitingSenders = load<i32>(r, 40); q.waitingReceivers = load<i32>(r, 44);
  return q;
}
