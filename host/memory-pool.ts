// Guest memories prepared ahead of time, per worker. A fresh
// WebAssembly.Memory costs its reservation and then a page fault per 4 KiB
// on first touch (measured here: ~0.35 ms to create one of 18 pages and
// ~4.7 ms to create it and copy 1 MiB in, against 66 µs to copy into one
// already touched). Modules the fork transform prepared import their memory
// (wasmux.memory, host/transform/passes.ts), so the host chooses it: when a
// process of such a module ends, its memory is zeroed (off the fork path:
// its parent was told of the exit already) and kept here by size, and the
// next process of that size and maximum on this worker (a forked child, or
// a spawn of a forkable program) takes it: resident, zero, the exact size
// its guest must see.

import { PAGE } from './wasm-binary.js';

/**
 * Most bytes of memory one worker keeps, and most memories of one shape (a
 * worker runs one process at a time: one per shape serves a fork loop).
 * Bounded per worker: maxProcs workers could each hold this much, until
 * idle ones retire (idleWorkerMs) and take their pools with them.
 */
const POOL_BYTES = 16 * 1024 * 1024;
const PER_SHAPE = 1;
/** A memory larger than this is not kept (zeroing it costs more than it saves, and it is a lot to hold). */
const MAX_KEPT = 8 * 1024 * 1024;

export class MemoryPool {
  private shapes = new Map<string, WebAssembly.Memory[]>();
  private bytes = 0;

  /** A zeroed memory of exactly `pages` pages with maximum `max`: pooled, else new. */
  take(pages: number, max: number): WebAssembly.Memory {
    const list = this.shapes.get(`${pages}/${max}`);
    const m = list?.pop();
    if (m) { this.bytes -= pages * PAGE; return m; }
    return new WebAssembly.Memory({ initial: pages, maximum: max });
  }

  /** Keeps `m` (a memory no instance uses any more) for a later take, zeroed. */
  give(m: WebAssembly.Memory, max: number): void {
    const size = m.buffer.byteLength;
    if (size > MAX_KEPT || this.bytes + size > POOL_BYTES) return;
    const key = `${size / PAGE}/${max}`;
    const list = this.shapes.get(key) ?? [];
    if (list.length >= PER_SHAPE) return;
    new Uint8Array(m.buffer).fill(0);
    list.push(m);
    this.shapes.set(key, list);
    this.bytes += size;
  }
}
