// The typed decoder of the kernel's snapshot record (assembly/snapshot.ts,
// docs/abi.md "Snapshot"). Sections are read by type; a section or a
// record tail this decoder does not know is skipped, so an older page or
// embedder reads a newer kernel's record. The raw sections stay available
// (`sections`) for readers of types added later.

export const SNAP_MAGIC = 0x4e535857;   // "WXSN"
export const SNAP_VERSION = 1;

export const SEC_PROCS = 1;
export const SEC_FDS = 2;
export const SEC_PIPES = 3;
export const SEC_SIGNALS = 4;
export const SEC_MSGQ = 5;
export const SEC_MQUEUE = 6;

const STATES = ['free', 'embryo', 'running', 'sleeping', 'zombie', 'stopped'] as const;
export type ProcState = typeof STATES[number] | 'unknown';

/** What a sleeping process waits for. */
export type BlockKind = 'none' | 'pipe-read' | 'pipe-write' | 'fifo-open' | 'wait' | 'sleep' | 'signal' | 'stopped' | 'queue' | 'poll'
  | 'msg-send' | 'msg-recv' | 'mq-send' | 'mq-recv' | 'unknown';
const BLOCKS: BlockKind[] = ['none', 'pipe-read', 'pipe-write', 'fifo-open', 'wait', 'sleep', 'signal', 'stopped', 'queue', 'poll',
  'msg-send', 'msg-recv', 'mq-send', 'mq-recv'];

/** File types (assembly/file.ts FT_*). */
const FILE_TYPES = ['?', 'pipe', 'file', 'dir', 'null', 'zero', 'console', 'host', 'hostdir', 'mqueue'] as const;
export type FileType = typeof FILE_TYPES[number];

export interface SnapProc {
  pid: number; ppid: number; pgid: number; sid: number; uid: number; gid: number;
  state: ProcState;
  /** The wait status once a zombie. */
  status: number;
  blocked: BlockKind;
  /**
   * The pipe id for pipe-read / pipe-write / fifo-open, the msqid for msg-send / msg-recv, the POSIX
   * queue's id (its descriptors' object) for mq-send / mq-recv; a queue's kernel address for 'queue'; else 0.
   */
  blockedOn: number;
  /** Deadline of a timed wait (kernel clock, ns), 0n when none. */
  wakeAt: bigint;
  name: string;
}

export interface SnapFd {
  pid: number; fd: number; type: FileType;
  /** Open flags (access mode, O_NONBLOCK, O_APPEND …). */
  flags: number;
  cloexec: boolean;
  /** What it refers to: a pipe's id, an inode's, else the open file's. */
  object: number;
  access: 'r' | 'w' | 'rw' | '-';
}

export interface SnapPipe {
  id: number; fifo: boolean; console: boolean;
  capacity: number; buffered: number;
  readers: number; writers: number;
  waitingReaders: number; waitingWriters: number; waitingOpens: number;
  /** The FIFO's inode id (0 for an anonymous pipe). */
  inode: number;
}

export interface SnapSignals {
  pid: number;
  /** Bit n-1 = signal n. */
  pending: bigint; blocked: bigint; ignored: bigint; caught: bigint;
}

/** A System V message queue (section 5). */
export interface SnapMsgQueue {
  id: number; key: number; uid: number; gid: number; mode: number;
  messages: number; bytes: number; maxBytes: number;
  lastSender: number; lastReceiver: number;
  waitingSenders: number; waitingReceivers: number;
}

/** A POSIX message queue (section 6), named or only still open. */
export interface SnapPosixQueue {
  /** Its id: what its descriptors show as `object`. */
  id: number;
  /** Its inode number in /dev/mqueue. */
  ino: number;
  /** The name without its "/" ("" once unlinked while still open). */
  name: string;
  mode: number; uid: number; gid: number;
  maxMessages: number; messageSize: number;
  messages: number; bytes: number;
  /** The process registered with mq_notify (0: none) and the signal it gets (0 for SIGEV_NONE). */
  notifyPid: number; notifySignal: number;
  waitingReceivers: number; waitingSenders: number;
}

export interface SnapSection { type: number; version: number; count: number; recordSize: number; bytes: Uint8Array }

export interface MachineSnapshot {
  version: number;
  processes: SnapProc[];
  descriptors: SnapFd[];
  pipes: SnapPipe[];
  signals: SnapSignals[];
  /** System V message queues; empty when the kernel has no such section. */
  msgQueues: SnapMsgQueue[];
  /** POSIX message queues; empty when the kernel has no such section. */
  posixQueues: SnapPosixQueue[];
  /** Every section as it came, known or not. */
  sections: SnapSection[];
}

const utf8 = new TextDecoder();

function records<T>(sec: SnapSection | undefined, min: number, read: (dv: DataView, o: number) => T): T[] {
  if (!sec || sec.recordSize < min) return [];
  const dv = new DataView(sec.bytes.buffer, sec.bytes.byteOffset, sec.bytes.byteLength);
  const out: T[] = [];
  for (let i = 0; i < sec.count && (i + 1) * sec.recordSize <= sec.bytes.length; i++) out.push(read(dv, i * sec.recordSize));
  return out;
}

/** The header's size field: how many bytes the record needs (also after -ENOSPC). */
export function snapshotSize(bytes: Uint8Array): number {
  if (bytes.length < 16) return 0;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, 16);
  return dv.getUint32(0, true) === SNAP_MAGIC ? dv.getUint32(8, true) : 0;
}

/** Decodes a record k_snapshot wrote. Throws on a bad magic or a record that runs past its bytes. */
export function decodeSnapshot(bytes: Uint8Array): MachineSnapshot {
  if (bytes.length < 16) throw new Error('snapshot: shorter than its header');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dv.getUint32(0, true) !== SNAP_MAGIC) throw new Error('snapshot: bad magic');
  const version = dv.getUint16(4, true);
  const headerSize = dv.getUint16(6, true);
  const total = dv.getUint32(8, true);
  const nsec = dv.getUint32(12, true);
  if (total > bytes.length) throw new Error(`snapshot: ${total} bytes said, ${bytes.length} given`);
  const sections: SnapSection[] = [];
  let off = headerSize;
  for (let i = 0; i < nsec && off + 16 <= total; i++) {
    const len = dv.getUint32(off + 4, true);
    if (len < 16 || off + len > total) throw new Error('snapshot: a section runs past the record');
    sections.push({
      type: dv.getUint16(off, true), version: dv.getUint16(off + 2, true),
      count: dv.getUint32(off + 8, true), recordSize: dv.getUint32(off + 12, true),
      bytes: bytes.subarray(off + 16, off + len),
    });
    off += len;
  }
  const sec = (type: number) => sections.find((s) => s.type === type);
  const processes = records(sec(SEC_PROCS), 96, (d, o): SnapProc => {
    const raw = new Uint8Array(d.buffer, d.byteOffset + o + 48, 48);
    const end = raw.indexOf(0);
    return {
      pid: d.getInt32(o, true), ppid: d.getInt32(o + 4, true), pgid: d.getInt32(o + 8, true),
      sid: d.getInt32(o + 12, true), uid: d.getInt32(o + 16, true), gid: d.getInt32(o + 20, true),
      state: STATES[d.getInt32(o + 24, true)] ?? 'unknown', status: d.getInt32(o + 28, true),
      blocked: BLOCKS[d.getInt32(o + 32, true)] ?? 'unknown', blockedOn: d.getUint32(o + 36, true),
      wakeAt: d.getBigInt64(o + 40, true),
      name: utf8.decode(raw.subarray(0, end < 0 ? 48 : end)),
    };
  });
  const descriptors = records(sec(SEC_FDS), 24, (d, o): SnapFd => {
    const flags = d.getInt32(o + 12, true);
    const mode = flags & 3;
    return {
      pid: d.getInt32(o, true), fd: d.getInt32(o + 4, true), type: FILE_TYPES[d.getInt32(o + 8, true)] ?? '?',
      flags, cloexec: (d.getUint32(o + 16, true) & 1) !== 0, object: d.getUint32(o + 20, true),
      access: mode === 0 ? 'r' : mode === 1 ? 'w' : mode === 2 ? 'rw' : '-',
    };
  });
  const pipes = records(sec(SEC_PIPES), 40, (d, o): SnapPipe => {
    const flags = d.getUint32(o + 4, true);
    return {
      id: d.getUint32(o, true), fifo: (flags & 1) !== 0, console: (flags & 2) !== 0,
      capacity: d.getUint32(o + 8, true), buffered: d.getUint32(o + 12, true),
      readers: d.getInt32(o + 16, true), writers: d.getInt32(o + 20, true),
      waitingReaders: d.getInt32(o + 24, true), waitingWriters: d.getInt32(o + 28, true),
      waitingOpens: d.getInt32(o + 32, true), inode: d.getUint32(o + 36, true),
    };
  });
  const signals = records(sec(SEC_SIGNALS), 40, (d, o): SnapSignals => ({
    pid: d.getInt32(o, true), pending: d.getBigUint64(o + 8, true), blocked: d.getBigUint64(o + 16, true),
    ignored: d.getBigUint64(o + 24, true), caught: d.getBigUint64(o + 32, true),
  }));
  const msgQueues = records(sec(SEC_MSGQ), 48, (d, o): SnapMsgQueue => ({
    id: d.getInt32(o, true), key: d.getInt32(o + 4, true), uid: d.getInt32(o + 8, true), gid: d.getInt32(o + 12, true),
    mode: d.getUint32(o + 16, true), messages: d.getInt32(o + 20, true), bytes: d.getInt32(o + 24, true),
    maxBytes: d.getInt32(o + 28, true), lastSender: d.getInt32(o + 32, true), lastReceiver: d.getInt32(o + 36, true),
    waitingSenders: d.getInt32(o + 40, true), waitingReceivers: d.getInt32(o + 44, true),
  }));
  const posixQueues = records(sec(SEC_MQUEUE), 320, (d, o): SnapPosixQueue => {
    const raw = new Uint8Array(d.buffer, d.byteOffset + o + 64, 256);
    const end = raw.indexOf(0);
    return {
      id: d.getUint32(o, true), ino: d.getInt32(o + 4, true), name: utf8.decode(raw.subarray(0, end < 0 ? 256 : end)),
      mode: d.getUint32(o + 8, true), uid: d.getInt32(o + 12, true), gid: d.getInt32(o + 16, true),
      maxMessages: d.getInt32(o + 20, true), messageSize: d.getInt32(o + 24, true),
      messages: d.getInt32(o + 28, true), bytes: d.getUint32(o + 32, true),
      notifyPid: d.getInt32(o + 36, true), notifySignal: d.getInt32(o + 40, true),
      waitingReceivers: d.getInt32(o + 48, true), waitingSenders: d.getInt32(o + 52, true),
    };
  });
  return { version, processes, descriptors, pipes, signals, msgQueues, posixQueues, sections };
}

/** The signal numbers in a set (bit n-1 = signal n). */
export function signalList(set: bigint): number[] {
  const out: number[] = [];
  for (let n = 1; n <= 64; n++) if ((set >> BigInt(n - 1)) & 1n) out.push(n);
  return out;
}
