// The one guest-pointer check. A process's memory (or, on the runtime's own
// thread, a plain scratch buffer standing in for it) is reached only through
// a UserMemory, which turns any range outside it into EFAULT (invariant 3).

import { EFAULT } from '../abi/errno.js';

export class UserMemory {
  private view: Uint8Array<ArrayBufferLike> = new Uint8Array(0);
  /** The same memory as 32-bit words (small aligned copies: host/kernel.ts copySmall). */
  words: Int32Array<ArrayBufferLike> = new Int32Array(0);
  private source: { buffer: ArrayBufferLike } | null = null;
  constructor(source: { buffer: ArrayBufferLike } | null = null) {
    if (source) this.attach(source);
  }

  /** Binds the memory of the process this thread now runs. */
  attach(source: { buffer: ArrayBufferLike }): void {
    this.source = source;
    this.view = new Uint8Array(source.buffer);
    this.words = new Int32Array(source.buffer, 0, this.view.length >>> 2);
  }

  /**
   * Unbinds it (its process has ended): until the next attach every range
   * is EFAULT, so nothing of one process is ever read or written for another.
   */
  detach(): void {
    this.source = null;
    this.view = new Uint8Array(0);
    this.words = new Int32Array(0);
  }

  get bound(): boolean { return this.source !== null; }

  /** The bytes [ptr, ptr+len) of guest memory, or null when out of range or unbound. */
  range(ptr: number, len: number): Uint8Array<ArrayBufferLike> | null {
    const v = this.within(ptr, len);
    if (!v) return null;
    ptr >>>= 0;
    return v.subarray(ptr, ptr + (len >>> 0));
  }

  /**
   * The whole memory's view when [ptr, ptr+len) lies inside it, else null:
   * the same check as range() without making a view of the range (which
   * costs more than copying a few bytes).
   */
  within(ptr: number, len: number): Uint8Array<ArrayBufferLike> | null {
    if (!this.source) return null;
    const end = (ptr >>> 0) + (len >>> 0);
    if (end > this.view.length) {
      // Memory may have grown (old views detach or stay short): look again.
      this.view = new Uint8Array(this.source.buffer);
      this.words = new Int32Array(this.source.buffer, 0, this.view.length >>> 2);
      if (end > this.view.length) return null;
    }
    return this.view;
  }

  get bytes(): Uint8Array<ArrayBufferLike> {
    if (this.source && this.view.buffer !== this.source.buffer) {
      this.view = new Uint8Array(this.source.buffer);
      this.words = new Int32Array(this.source.buffer, 0, this.view.length >>> 2);
    }
    return this.view;
  }
}

/** Kernel memory views that follow memory.grow. */
export class KernelMemory {
  u8: Uint8Array<ArrayBufferLike>;
  i32: Int32Array<ArrayBufferLike>;
  constructor(readonly memory: WebAssembly.Memory) {
    this.u8 = new Uint8Array(memory.buffer);
    this.i32 = new Int32Array(memory.buffer);
    this.f64v = new Float64Array(memory.buffer);
  }
  /** The i32 view, grown if needed to cover the word at `addr`. */
  words(addr: number): Int32Array<ArrayBufferLike> {
    if (addr + 8 > this.u8.length) this.refresh();
    return this.i32;
  }
  refresh(): void {
    this.u8 = new Uint8Array(this.memory.buffer);
    this.i32 = new Int32Array(this.memory.buffer);
    this.f64v = new Float64Array(this.memory.buffer);
  }
  private f64v: Float64Array<ArrayBufferLike>;
  /** The f64 view, grown if needed to cover the value at `addr` (8-aligned). */
  f64(addr: number): Float64Array<ArrayBufferLike> {
    if (addr + 8 > this.u8.length) this.refresh();
    return this.f64v;
  }
  /** A view of [ptr, ptr+len) in kernel memory. */
  range(ptr: number, len: number): Uint8Array<ArrayBufferLike> {
    ptr >>>= 0;
    if (ptr + len > this.u8.length) this.refresh();
    return this.u8.subarray(ptr, ptr + len);
  }
  u32(ptr: number): number {
    if (ptr + 4 > this.u8.length) this.refresh();
    return this.i32[ptr >>> 2] >>> 0;
  }
  i64(ptr: number): bigint {
    if (ptr + 8 > this.u8.length) this.refresh();
    return new BigInt64Array(this.memory.buffer, ptr, 1)[0];
  }
}

export { EFAULT };
