// fork of an unmodified guest, the host's half. A module that imports
// wasmux.fork went through the transform pipeline (host/transform/): its
// mutable globals are exported and Asyncify lets its stack be unwound into a
// buffer in its own memory and rewound from it. fork() then:
//   1. in the parent's import: start an unwind; the guest's frames return,
//      one by one, saving their locals into the buffer, out of `_start`;
//   2. the host (runEntry) lays the parent's memory (only chunks that are not
//      all zero) and globals out in a block of kernel memory the kernel made
//      for the child (k_fork), and queues the child (k_forkCommit);
//   3. the parent rewinds (`_start` again, which re-enters the saved frames,
//      not the code before them): the import returns the child's pid;
//   4. the child's worker instantiates the same module, copies the image
//      over its fresh memory, sets the globals, and rewinds the same way:
//      its import returns 0.
// The kernel's half (assembly/fork.ts) is the process: inherited fds (shared
// open file descriptions), cwd, ids, signal state.
// The unwind buffer: one 64 KiB page the first fork adds at the end of the
// guest's memory (wasm memory only grows; a malloc built on sbrk, as
// wasi-libc's, takes the gap as a foreign sbrk). Its address is in the image,
// so a child forks with the same one.

import { ENOMEM, ENOSYS, KDEAD } from '../abi/errno.js';
import { PAGE } from './wasm-binary.js';
import { GLOBAL_EXPORT_PREFIX } from './transform/passes.js';
import type { Kernel } from './kernel.js';
import { usedChunks } from './zero-scan.js';
import type { Gate } from './syscalls.js';

/** Granularity of the image: a chunk all zero in the parent is not copied. */
export const CHUNK = 16384;
const BUF_SIZE = PAGE;
const MAGIC = 0x6b726f66;   // 'fork'
const HEADER = 32;
const GLOBAL_REC = 16;

const STATE_UNWINDING = 1, STATE_REWINDING = 2;   // asyncify_get_state; 0 = normal

interface Asyncify {
  asyncify_start_unwind(buf: number): void;
  asyncify_stop_unwind(): void;
  asyncify_start_rewind(buf: number): void;
  asyncify_stop_rewind(): void;
  asyncify_get_state(): number;
}

/** What fork needs of one instance of a guest (one per program a process runs). */
export class ForkContext {
  readonly asyncify: Asyncify | null;
  /** The exported mutable globals, by their index in the module. */
  readonly globals: [number, WebAssembly.Global][] = [];
  /** Guest address of the unwind buffer, 0 until the first fork. */
  buf = 0;
  /** The import asked for an unwind that the entry has not seen yet. */
  unwinding = false;
  /** What fork() returns when the rewind reaches it. */
  result = 0;
  /** Inside `_start` (a fork from anywhere else could not be rewound). */
  inEntry = false;

  constructor(readonly memory: WebAssembly.Memory, exports: WebAssembly.Exports) {
    const a = exports as unknown as Partial<Asyncify>;
    this.asyncify = typeof a.asyncify_start_unwind === 'function' && typeof a.asyncify_get_state === 'function'
      ? a as Asyncify : null;
    for (const [name, v] of Object.entries(exports)) {
      if (name.startsWith(GLOBAL_EXPORT_PREFIX) && v instanceof WebAssembly.Global) {
        this.globals.push([Number(name.slice(GLOBAL_EXPORT_PREFIX.length)), v]);
      }
    }
    this.globals.sort((x, y) => x[0] - y[0]);
  }

  /**
   * Whether the instance is between runs: no unwind or rewind under way.
   * Only then may it serve another forked child (host/process.ts recycle).
   */
  idle(): boolean {
    return !this.unwinding && !this.inEntry && (this.asyncify === null || this.asyncify.asyncify_get_state() === 0);
  }

  /** As new, for the instance's next process (a forked child: restoreImage sets the buffer). */
  reset(): void {
    this.buf = 0;
    this.unwinding = false;
    this.result = 0;
    this.inEntry = false;
  }

  /** The unwind buffer, made on first use: false when the memory cannot grow (ENOMEM). */
  ensureBuffer(): boolean {
    if (this.buf !== 0) return true;
    try {
      this.buf = this.memory.grow(BUF_SIZE / PAGE) * PAGE;
    } catch {
      return false;
    }
    return true;
  }
}

/**
 * The fork import's body. Normal state: ask for an unwind (the result is
 * what runEntry decides, returned on the rewind). Rewinding: the parent or
 * the child has come back to this call: stop and return the result.
 */
export function forkImport(ctx: ForkContext | null, gate: Gate, kernel: Kernel): number {
  const a = ctx?.asyncify;
  // In a signal handler the guest's stack has the Gate's frames in it, which Asyncify cannot unwind: ENOSYS.
  if (!ctx || !a || !ctx.inEntry || gate.handlerDepth > 0) return gate.call(kernel.exports.sys_fork as Function, []) as number;
  if (a.asyncify_get_state() === STATE_REWINDING) {
    a.asyncify_stop_rewind();
    return ctx.result;
  }
  if (!ctx.ensureBuffer()) return -ENOMEM;
  const words = new Int32Array(ctx.memory.buffer, ctx.buf, 2);
  words[0] = ctx.buf + 8;          // asyncify's data pointer ...
  words[1] = ctx.buf + BUF_SIZE;   // ... and its end
  a.asyncify_start_unwind(ctx.buf);
  ctx.unwinding = true;
  return 0;
}

/**
 * Runs an entry export (`_start`) to its end, through any number of forks:
 * each unwind that reaches here becomes a fork, then a rewind. `rewind`: the
 * entry starts by rewinding (a forked child). Returns false when the
 * process died meanwhile (KDEAD from the kernel).
 */
export function runEntry(ctx: ForkContext, entry: () => void, gate: Gate, kernel: Kernel,
                         onChild: (pid: number) => void, trace: ((r: unknown) => void) | null,
                         rewind: boolean): boolean {
  const a = ctx.asyncify;
  if (rewind && a) a.asyncify_start_rewind(ctx.buf);
  ctx.inEntry = true;
  try {
    for (;;) {
      entry();
      if (!ctx.unwinding || !a) return true;
      ctx.unwinding = false;
      if (a.asyncify_get_state() !== STATE_UNWINDING) throw new Error('fork: the unwind did not reach the entry');
      a.asyncify_stop_unwind();
      const r = forkParent(ctx, gate, kernel, trace);
      if (r === KDEAD) return false;
      if (r > 0) onChild(r);
      ctx.result = r;
      a.asyncify_start_rewind(ctx.buf);
    }
  } finally {
    ctx.inEntry = false;
  }
}

function imageSize(nglobals: number, nchunks: number): number {
  const index = (nchunks * 4 + 15) & ~15;
  return HEADER + nglobals * GLOBAL_REC + index + nchunks * CHUNK;
}

/**
 * Step 2: the child and its image. Returns its pid, -errno, or KDEAD. The
 * image is written outside the kernel (it may take milliseconds, and no
 * kernel lock is held meanwhile): if this worker dies there, or the parent
 * is killed before the commit, the parent's exit discards the uncommitted
 * child (assembly/proc.ts procExit), so no process-table slot leaks.
 */
function forkParent(ctx: ForkContext, gate: Gate, kernel: Kernel, trace: ((r: unknown) => void) | null): number {
  const mem = ctx.memory.buffer as ArrayBuffer;
  const chunks = usedChunks(ctx.memory, CHUNK);
  const size = imageSize(ctx.globals.length, chunks.length);
  const k = kernel.exports;
  let addr = 0, stall = 0;
  const pid = gate.call(() => {
    const p = k.k_fork(size);
    if (p > 0) { addr = k.k_forkImage(p); stall = k.k_forkStall(); }
    return p;
  }, []) as number;
  if (pid <= 0) { if (pid !== KDEAD) trace?.(pid); return pid; }
  // Tests only (Machine._stallNextFork): the worker waits here, the child half made, to be terminated.
  if (stall !== 0) for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
  writeImage(kernel, addr, size, mem, chunks, ctx);
  return gate.call(() => {
    const r = k.k_forkCommit(pid);
    return r < 0 ? r : pid;
  }, [], trace ?? undefined) as number;
}

function writeImage(kernel: Kernel, addr: number, size: number, mem: ArrayBuffer,
                    chunks: Uint32Array, ctx: ForkContext): void {
  const out = kernel.kmem.range(addr, size);
  const dv = new DataView(out.buffer, out.byteOffset, size);
  dv.setUint32(0, MAGIC, true);
  dv.setUint32(4, mem.byteLength / PAGE, true);
  dv.setUint32(8, ctx.buf, true);
  dv.setUint32(12, ctx.globals.length, true);
  dv.setUint32(16, chunks.length, true);
  dv.setUint32(20, CHUNK, true);
  let o = HEADER;
  for (const [index, g] of ctx.globals) {
    dv.setUint32(o, index, true);
    const v = g.value as unknown;
    if (typeof v === 'bigint') { dv.setUint32(o + 4, 1, true); dv.setBigInt64(o + 8, v, true); }
    else { dv.setUint32(o + 4, 0, true); dv.setFloat64(o + 8, v as number, true); }
    o += GLOBAL_REC;
  }
  for (let i = 0; i < chunks.length; i++) dv.setUint32(o + i * 4, chunks[i], true);
  o += (chunks.length * 4 + 15) & ~15;
  const src = new Uint8Array(mem);
  forEachRun(chunks.length, (i) => chunks[i], (first, count, c) => {
    const at = c * CHUNK;
    out.set(src.subarray(at, Math.min(at + count * CHUNK, src.length)), o + first * CHUNK);
  });
}

/**
 * Calls `copy(first, count, chunk)` for each run of consecutive chunk
 * numbers among the `n` (ascending) that `chunkAt` gives: one copy per run,
 * not per chunk. A TypedArray copy to or from a SharedArrayBuffer (the
 * kernel's memory) costs twice one between ArrayBuffers, and in 16 KiB
 * pieces twice that again (measured here: 93 against 202 µs a MiB).
 */
function forEachRun(n: number, chunkAt: (i: number) => number,
                    copy: (first: number, count: number, chunk: number) => void): void {
  for (let i = 0; i < n;) {
    const c = chunkAt(i);
    let j = i + 1;
    while (j < n && chunkAt(j) === c + (j - i)) j++;
    copy(i, j - i, c);
    i = j;
  }
}

/** The memory size (pages) of the image at `addr`: what the child's memory must have. */
export function imagePages(kernel: Kernel, addr: number): number {
  return kernel.kmem.u32(addr + 4);
}

/**
 * Step 4, in the child: the image over the fresh instance. `dataEnd`: how
 * far instantiation wrote data segments (those bytes are zeroed where the
 * parent's image has no chunk). Throws if the image is not one.
 */
export function restoreImage(kernel: Kernel, addr: number, size: number, ctx: ForkContext, dataEnd: number): void {
  const img = kernel.kmem.range(addr, size);
  const dv = new DataView(img.buffer, img.byteOffset, size);
  if (dv.getUint32(0, true) !== MAGIC || dv.getUint32(20, true) !== CHUNK) throw new Error('fork: not a memory image');
  const pages = dv.getUint32(4, true);
  const have = ctx.memory.buffer.byteLength / PAGE;
  if (pages > have) ctx.memory.grow(pages - have);
  ctx.buf = dv.getUint32(8, true);
  const nglobals = dv.getUint32(12, true), nchunks = dv.getUint32(16, true);
  const mem = new Uint8Array(ctx.memory.buffer);
  let o = HEADER;
  const byIndex = new Map(ctx.globals);
  for (let i = 0; i < nglobals; i++, o += GLOBAL_REC) {
    const g = byIndex.get(dv.getUint32(o, true));
    if (!g) throw new Error('fork: the image has a global the module does not');
    g.value = dv.getUint32(o + 4, true) === 1 ? dv.getBigInt64(o + 8, true) : dv.getFloat64(o + 8, true);
  }
  const index = o;
  o += (nchunks * 4 + 15) & ~15;
  // What instantiation wrote where the parent has zeros goes back to zero.
  const dirty = Math.min(Math.ceil(dataEnd / CHUNK), Math.ceil(mem.length / CHUNK));
  let next = 0;
  for (let c = 0; c < dirty; c++) {
    while (next < nchunks && dv.getUint32(index + next * 4, true) < c) next++;
    if (next < nchunks && dv.getUint32(index + next * 4, true) === c) continue;
    mem.fill(0, c * CHUNK, Math.min((c + 1) * CHUNK, mem.length));
  }
  forEachRun(nchunks, (i) => dv.getUint32(index + i * 4, true), (first, count, c) => {
    const at = c * CHUNK;
    const n = Math.min(count * CHUNK, mem.length - at);
    mem.set(img.subarray(o + first * CHUNK, o + first * CHUNK + n), at);
  });
}

export { ENOSYS };
