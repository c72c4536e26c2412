// The machine's boot options: their types, their defaults and the checks
// every one passes before anything starts (a bad one is a WasmuxError
// naming it, its value and the rule; runtime/options.ts).

import { PIPE_BUF, MSGMAX_DEFAULT, MSGMNB_DEFAULT, MSGMNI_DEFAULT, IPC_SEQ_MULTIPLIER, MQ_MAXMSG_DEFAULT, MQ_MSGSIZE_MAX_DEFAULT, MQ_QUEUES_MAX_DEFAULT } from '../abi/constants.js';
import { intOption, boolOption, optionError } from './options.js';

export interface Mount { host: string; guest: string; readonly?: boolean }

/** POSIX message queue limits (mq_overview(7)'s /proc/sys/fs/mqueue files). */
export interface MqueueOptions {
  /** The most messages mq_attr.mq_maxmsg may ask for (default 1024; Linux's msg_max). Past it mq_open is EINVAL. */
  maxMsg?: number;
  /** The largest mq_attr.mq_msgsize, bytes (default 65536; Linux's msgsize_max). Past it mq_open is EINVAL. */
  msgSizeMax?: number;
  /** Queues on the machine (default 256; Linux's queues_max). Past it mq_open(O_CREAT) is ENOSPC. */
  queuesMax?: number;
  /**
   * Bytes all queues together may hold, each reserving maxmsg x (msgsize + 12) when made (default: a
   * quarter of the kernel memory). Past it mq_open(O_CREAT) is EMFILE (Linux's RLIMIT_MSGQUEUE error).
   */
  bytesMax?: number;
}

export interface BootOptions {
  /** Most processes at once, zombies included (spawning past it is EAGAIN). */
  maxProcs?: number;
  /** Descriptors per process (past it: EMFILE). */
  maxFds?: number;
  /** Pipe capacity in bytes. */
  pipeSize?: number;
  /**
   * Most linear memory one process may have, in bytes (rounded down to 64
   * KiB pages; default: half the host's memory shared by maxProcs, within 32–256 MiB). memory.grow past it fails (malloc returns
   * NULL); a program whose initial memory is larger is refused (status 126).
   */
  maxProcessMemory?: number;
  /**
   * The tmpfs size limit in bytes (file data, counted in 4 KiB pages; past
   * it writes fail with ENOSPC). Default: 256 MiB, or half the kernel
   * memory if that is less.
   */
  tmpfsSize?: number;
  /** The kernel memory's maximum in bytes, 16 MiB to 2 GiB (default 2 GiB; rounded up to 64 KiB). */
  kernelMemory?: number;
  /** Workers started ahead of need. */
  warmWorkers?: number;
  /** Print one line per syscall to stderr. */
  trace?: boolean;
  /**
   * The trace can be switched on and off while the machine runs
   * (Machine.setTrace; `trace` is then only where it starts). Each syscall
   * then reads one shared word; without it the trace costs nothing.
   */
  traceToggle?: boolean;
  /** Spin iterations before a blocked call parks its thread. */
  spin?: number;
  /** Spin iterations of a worker that just finished a process, before it sleeps. */
  idleSpin?: number;
  /** Milliseconds a worker beyond the warm reserve stays idle before it retires. */
  idleWorkerMs?: number;
  /** Feed the host's stdin to the console (/dev/tty, fd 0 of inheriting processes). */
  stdin?: boolean;
  /** Host directories to make visible. */
  mounts?: Mount[];
  /** Directory of .wasm programs installed in /bin (default: the built userland; Node). */
  programsDir?: string;
  /**
   * Deterministic mode with this seed: one process runs at a time, every
   * syscall is a scheduling point, the next process is a seeded choice and
   * time is virtual. Same programs + same seed => the same run, byte for byte.
   */
  seed?: number | bigint;
  /**
   * Where transformed guest modules are cached on disk (host/transform/: a
   * module that can fork is rewritten once, then loaded from here). Default
   * (undefined): $WASMUX_CACHE_DIR or a wasmux-cache directory in the
   * system's temporary directory; null: memory only.
   */
  transformCache?: string | null;
  /**
   * System V message queue limits (assembly/ipc/msg.ts; Linux's
   * kernel.msgmax/msgmnb/msgmni): the largest message (default 8192 bytes;
   * msgsnd past it is EINVAL), a new queue's byte limit msg_qbytes (16384;
   * only root may raise a queue past it), and the most queues (1024, not
   * Linux's 32000, and fewer by default when the kernel memory is small:
   * msgmni × msgmnb must fit in a quarter of it; msgget past it is ENOSPC).
   */
  msg?: { msgmax?: number; msgmnb?: number; msgmni?: number };
  /** POSIX message queue limits. */
  mqueue?: MqueueOptions;
}

/**
 * At most 256 MiB: ample for ordinary programs, and 16× less than wasm32's
 * 4 GiB, which three guests once committed thrice over in one host process.
 */
export const DEFAULT_MAX_PROCESS_MEMORY = 256 * 1024 * 1024;
const MIN_DEFAULT_PROCESS_MEMORY = 32 * 1024 * 1024;

/**
 * The default cap: maxProcs guests all at their cap together fit in half
 * the host's memory (so they cannot exhaust it), within [32, 256] MiB. A
 * platform that cannot tell its memory gets 256 MiB.
 */
export function defaultProcessMemory(maxProcs: number, hostMemory: number | undefined): number {
  if (!hostMemory || !(hostMemory > 0)) return DEFAULT_MAX_PROCESS_MEMORY;
  const share = Math.floor(hostMemory / 2 / maxProcs / 65536) * 65536;
  return Math.max(MIN_DEFAULT_PROCESS_MEMORY, Math.min(DEFAULT_MAX_PROCESS_MEMORY, share));
}

export type Options = Required<Omit<BootOptions, 'mounts' | 'programsDir' | 'seed' | 'tmpfsSize' | 'kernelMemory' | 'transformCache' | 'msg' | 'mqueue'>>
  & { deterministic: boolean; transformCache: string | null | undefined; mqueue: Required<MqueueOptions> };

const MiB = 1 << 20;
const MAX_KERNEL_MEMORY = 2048 * MiB;   // the kernel module's own maximum (asconfig.json)

/** The kernel memory maximum and the tmpfs limit, checked; in wasm pages and 4 KiB pages. */
export function memoryLimits(options: BootOptions): { memPages: number; tmpfsPages: number } {
  const kmem = intOption('kernelMemory', options.kernelMemory, MAX_KERNEL_MEMORY,
    { min: 16 * MiB, max: MAX_KERNEL_MEMORY, note: 'bytes (16 MiB to 2 GiB)' });
  const memPages = Math.ceil(kmem / 65536);
  const tmpfs = intOption('tmpfsSize', options.tmpfsSize, Math.min(256 * MiB, memPages * 65536 / 2),
    { min: 4096, max: 2 ** 43 - 4096, note: 'bytes' });
  return { memPages, tmpfsPages: Math.ceil(tmpfs / 4096) };
}

/** The System V message queue limits (BootOptions msg), checked against each other and the kernel memory. */
export function msgLimits(options: BootOptions): { msgmax: number; msgmnb: number; msgmni: number } {
  const m = options.msg;
  if (m !== undefined && (m === null || typeof m !== 'object')) throw optionError('msg', m, 'an object { msgmax, msgmnb, msgmni }');
  const msgmax = intOption('msg.msgmax', m?.msgmax, MSGMAX_DEFAULT, { min: 1, max: 1 << 20, note: 'bytes' });
  const msgmnb = intOption('msg.msgmnb', m?.msgmnb, Math.max(MSGMNB_DEFAULT, msgmax), { min: 1, max: 1 << 24, note: 'bytes' });
  const { memPages } = memoryLimits(options);
  const quarter = memPages * 65536 / 4;
  // The default shrinks with a small kernel memory; one given is checked.
  const fit = Math.max(1, Math.min(MSGMNI_DEFAULT, Math.floor(quarter / msgmnb)));
  const msgmni = intOption('msg.msgmni', m?.msgmni, fit, { min: 1, max: IPC_SEQ_MULTIPLIER, note: 'queues' });
  if (msgmni * msgmnb > quarter) {
    throw optionError('msg', m, `limits whose msgmni × msgmnb (${msgmni} × ${msgmnb}) fits in a quarter of the kernel memory (${quarter} bytes)`);
  }
  return { msgmax, msgmnb, msgmni };
}

function transformCacheOption(v: unknown): string | null | undefined {
  if (v === undefined || v === null) return v;
  if (typeof v !== 'string' || v === '') {
    throw optionError('transformCache', v, 'a directory path (a non-empty string), or null');
  }
  return v;
}

/** The message queue limits, each within Linux's hard bounds (HARD_MSGMAX, HARD_MSGSIZEMAX). */
function mqueueOptions(v: unknown): Required<MqueueOptions> {
  if (v !== undefined && (typeof v !== 'object' || v === null || Array.isArray(v))) {
    throw optionError('mqueue', v, 'an object { maxMsg?, msgSizeMax?, queuesMax?, bytesMax? }');
  }
  const o = (v ?? {}) as MqueueOptions;
  return {
    maxMsg: intOption('mqueue.maxMsg', o.maxMsg, MQ_MAXMSG_DEFAULT, { min: 1, max: 65536 }),
    msgSizeMax: intOption('mqueue.msgSizeMax', o.msgSizeMax, MQ_MSGSIZE_MAX_DEFAULT, { min: 128, max: 16 * MiB, note: 'bytes (128 to 16 MiB)' }),
    queuesMax: intOption('mqueue.queuesMax', o.queuesMax, MQ_QUEUES_MAX_DEFAULT, { min: 1, max: 65536 }),
    bytesMax: intOption('mqueue.bytesMax', o.bytesMax, 0, { min: 0, max: 2 ** 31, note: 'bytes (0: a quarter of the kernel memory)' }),
  };
}

/**
 * Every option checked (runtime/options.ts), before anything starts: a
 * bad one is a WasmuxError naming it, its value and the rule.
 */
export function checkBootOptions(options: BootOptions): Options {
  const maxProcs = intOption('maxProcs', options.maxProcs, 128, { min: 2, max: 1024 });
  const spinRule = { min: 0, max: 100_000_000 };
  const opts: Options = {
    maxProcs,
    maxFds: intOption('maxFds', options.maxFds, 1024, { min: 3, max: 65536 }),
    // Ring positions are u32 taken modulo the size: only a power of two
    // divides 2^32; below PIPE_BUF an atomic write could never fit.
    pipeSize: intOption('pipeSize', options.pipeSize, 65536, { min: PIPE_BUF, max: 1 << 20, powerOfTwo: true, note: '(PIPE_BUF to 1 MiB)' }),
    warmWorkers: intOption('warmWorkers', options.warmWorkers, Math.min(2, maxProcs), { min: 0, max: maxProcs, note: '(maxProcs)' }),
    idleSpin: intOption('idleSpin', options.idleSpin, 20000, spinRule),
    spin: intOption('spin', options.spin, 20000, spinRule),
    idleWorkerMs: intOption('idleWorkerMs', options.idleWorkerMs, 1000, { min: 0, max: 3_600_000 }),
    maxProcessMemory: intOption('maxProcessMemory', options.maxProcessMemory, 0,   // 0: from the host, in boot
      { min: 65536, max: 2 ** 32, note: 'bytes (64 KiB to 4 GiB)' }),
    trace: boolOption('trace', options.trace, false),
    traceToggle: boolOption('traceToggle', options.traceToggle, false),
    stdin: boolOption('stdin', options.stdin, false),
    deterministic: options.seed !== undefined,
    transformCache: transformCacheOption(options.transformCache),
    mqueue: mqueueOptions(options.mqueue),
  };
  return opts;
}
