// One thread's instance of the kernel over the machine's shared memory. The
// host imports the kernel needs (guest copies, console, clock, random) are
// bound here to this thread's current user memory.

import { EFAULT, ENOSYS } from '../abi/errno.js';
import { decodeRequest } from './hostfs.js';
import { KernelMemory, UserMemory } from './usermem.js';
import { KernelFault } from './fault.js';
import type { HostPlatform } from './platform.js';

/**
 * Copies up to this many bytes word by word (or byte by byte) instead of
 * through subarray views: making the two views costs ~0.3 us, more than the
 * copy of a small record or message (measured: 64 aligned bytes ~0.1 us).
 */
const SMALL_COPY = 256;

/** dst[d..d+n) = src[s..s+n), by 32-bit words when all three are 4-aligned. */
function copySmall(dst: Uint8Array<ArrayBufferLike>, dst32: Int32Array<ArrayBufferLike>, d: number,
  src: Uint8Array<ArrayBufferLike>, src32: Int32Array<ArrayBufferLike>, s: number, n: number): void {
  if (((d | s | n) & 3) === 0) {
    const dw = d >>> 2, sw = s >>> 2, nw = n >>> 2;
    for (let i = 0; i < nw; i++) dst32[dw + i] = src32[sw + i];
    return;
  }
  for (let i = 0; i < n; i++) dst[d + i] = src[s + i];
}

/** The kernel's exports as the host sees them (syscalls are looked up by name). */
export interface KernelExports {
  k_boot(maxProcs: number, maxFds: number, pipeSize: number, clockMode: number, seed: bigint,
    memPages: number, tmpfsPages: number): number;
  k_mqLimits(maxMsg: number, msgSizeMax: number, queuesMax: number, bytesMax: bigint): number;
  k_schedYield(runnable: number): number;
  k_schedToken(): number;
  k_schedAcquire(): number;
  k_attachInit(): number;
  k_attach(pid: number, worker: number): number;
  k_runqPop(): number;
  k_runqWord(): number;
  k_runqLength(): number;
  k_idleWorkers(delta: number): number;
  k_spinningWorkers(delta: number): number;
  k_preopen(): number;
  k_imageInfo(): number;
  k_imagePage(index: number): number;
  k_unblock(): number;
  k_attention(r: number, deliver: number): number;
  k_stopped(): number;
  k_sigTramp(has: number): void;
  k_sigInterrupt(restartable: number): number;
  k_interrupted(): number;
  k_exitSignal(sig: number): void;
  k_exitOther(pid: number, sig: number): number;
  k_workerLost(pid: number, worker: number, sig: number): number;
  k_faultWord(): number;
  k_locksHeld(): number;
  k_faultInject(pid: number): number;
  k_faultInjectFork(pid: number): number;
  k_forkStall(): number;
  k_faultInjectRaise(sig: number): number;
  k_raiseStalled(): number;
  k_faultInjectFifo(): number;
  k_fifoStalled(): number;
  k_taskOf(pid: number): number;
  k_claimForTermination(pid: number): number;
  k_nudgeWanted(pid: number): number;
  k_setSafepoints(pid: number, on: number): number;
  k_safepointsOn(): number;
  k_safepoint(): number;
  k_enter(): number;
  k_taskDone(task: number): void;
  k_consoleFeed(ptr: number, len: number): number;
  k_consoleEof(permanent: number): void;
  k_consoleSignal(sig: number): number;
  k_consoleTty(mask: number): void;
  k_mount(path: number, plen: number, host: number, hlen: number, ro: number): number;
  k_heapBlocks(): number;
  k_memLimit(): number;
  k_taskLayout(): number;
  k_msgLimits(msgmax: number, msgmnb: number, msgmni: number): number;
  k_taskTimes(): number;
  k_restartAbandon(): void;
  k_monotonic(): bigint;
  // timers (assembly/itimer.ts)
  k_parkDeadline(): bigint;
  k_timerDue(): number;
  k_leave(): void;
  // fork and exec (assembly/fork.ts, exec.ts)
  k_fork(imageSize: number): number;
  k_forkImage(pid: number): number;
  k_forkImageSize(pid: number): number;
  k_forkCommit(pid: number): number;
  k_forkAbort(pid: number): number;
  k_forkImageDone(): void;
  k_execCommit(): void;
  k_execAbort(): void;
  [name: string]: unknown;
}

// Offsets of the task words the host touches (assembly/task.ts keeps them first).
export const TASK_WAKE = 0;
export const TASK_KSTATE = 4;
export const TASK_ATTN = 8;
export const TASK_PARKED = 12;
export const TASK_WAKE_AT = 16;
/** The restart block's owner (assembly/restart.ts); nonzero = a blocked call's state is kept. */
export const TASK_RESTART = 24;

const relaxCell = new Int32Array(new SharedArrayBuffer(4));

export class Kernel {
  readonly exports: KernelExports;
  readonly kmem: KernelMemory;
  readonly user = new UserMemory();
  /** Address of the machine's fault word (host/fault.ts). */
  readonly faultAddr: number;

  constructor(module: WebAssembly.Module, memory: WebAssembly.Memory, platform: HostPlatform) {
    this.kmem = new KernelMemory(memory);
    const { kmem, user } = this;
    let faultAddr = 0;   // set below, before any kernel code can call relax
    const host = {
      copyin(kdst: number, usrc: number, len: number): number {
        if ((len >>> 0) <= SMALL_COPY) {
          const u = user.within(usrc, len);
          if (!u) return -EFAULT;
          if ((kdst >>> 0) + len > kmem.u8.length) kmem.refresh();   // the kernel memory grew
          copySmall(kmem.u8, kmem.i32, kdst >>> 0, u, user.words, usrc >>> 0, len);
          return 0;
        }
        const src = user.range(usrc, len);
        if (!src) return -EFAULT;
        kmem.range(kdst, len).set(src);
        return 0;
      },
      copyout(udst: number, ksrc: number, len: number): number {
        if ((len >>> 0) <= SMALL_COPY) {
          const u = user.within(udst, len);
          if (!u) return -EFAULT;
          if ((ksrc >>> 0) + len > kmem.u8.length) kmem.refresh();
          copySmall(u, user.words, udst >>> 0, kmem.u8, kmem.i32, ksrc >>> 0, len);
          return 0;
        }
        const dst = user.range(udst, len);
        if (!dst) return -EFAULT;
        dst.set(kmem.range(ksrc, len));
        return 0;
      },
      consoleWrite(stream: number, ubuf: number, len: number): number {
        const src = user.range(ubuf, len);
        if (!src) return -EFAULT;
        return platform.consoleWrite(stream, src);
      },
      clock(id: number): bigint { return platform.clock(id); },
      random(ubuf: number, len: number): number {
        const dst = user.range(ubuf, len);
        if (!dst) return -EFAULT;
        for (let i = 0; i < dst.length; i += 65536) crypto.getRandomValues(dst.subarray(i, i + 65536));
        return 0;
      },
      fs(req: number): bigint {
        if (!platform.fileSystem) return BigInt(-ENOSYS);
        return BigInt(platform.fileSystem(decodeRequest(kmem, req), user));
      },
      relax(): void {
        // A lock held by a thread that trapped in the kernel is never released:
        // once the machine is declared faulted, stop waiting (host/fault.ts).
        if (Atomics.load(kmem.words(faultAddr), faultAddr >> 2) !== 0) throw new KernelFault('kernel fault: a thread trapped in the kernel, the lock it held is never released');
        // Give the CPU away briefly: a lock holder may be a descheduled worker.
        try { Atomics.wait(relaxCell, 0, 0, 0.01); } catch { /* main browser thread */ }
      },
    };
    const instance = new WebAssembly.Instance(module, { env: { memory }, host });
    this.exports = instance.exports as unknown as KernelExports;
    this.faultAddr = faultAddr = this.exports.k_faultWord();
    // (k_taskLayout also sets a high bit if parked is not at 12 or restartKind not at 24.)
    const layout = TASK_WAKE | (TASK_KSTATE << 8) | (TASK_ATTN << 16) | (TASK_WAKE_AT << 24);
    if (this.exports.k_taskLayout() !== layout) throw new Error('host/kernel.ts TASK_* offsets do not match assembly/task.ts');
  }
}
