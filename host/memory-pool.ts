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
//
// A memory may be kept with the instance that used it (`kept`: what
// host/process.ts needs to run that instance again). A forked child never
// runs its module's start code (its memory and globals are its parent's
// image), so an instance whose process has ended can serve the next child
// of the same module and family as well as a new one, without the 50-100 µs
// of `new WebAssembly.Instance` (host/process.ts says when it may).

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

interface Entry<K> { memory: WebAssembly.Memory; kept: K | null }

export class MemoryPool<K = unknown> {
  private shapes = new Map<string, Entry<K>[]>();
  private bytes = 0;

  /** A zeroed memory of exactly `pages` pages with maximum `max`: pooled (its instance, if any, dropped), else new. */
  take(pages: number, max: number): WebAssembly.Memory {
    const e = this.pop(pages, max, () => true);
    return e ? e.memory : new WebAssembly.Memory({ initial: pages, maximum: max });
  }

  /** A zeroed memory of that shape kept with an instance `match` accepts, or null. */
  takeKept(pages: number, max: number, match: (kept: K) => boolean): { memory: WebAssembly.Memory; kept: K } | null {
    const e = this.pop(pages, max, (x) => x.kept !== null && match(x.kept));
    return e ? { memory: e.memory, kept: e.kept! } : null;
  }

  /** Keeps `m` (a memory no instance runs on any more), zeroed, with `kept` to run its instance again (or null). */
  give(m: WebAssembly.Memory, max: number, kept: K | null = null): void {
    const size = m.buffer.byteLength;
    if (size > MAX_KEPT || this.bytes + size > POOL_BYTES) return;
    const key = `${size / PAGE}/${max}`;
    const list = this.shapes.get(key) ?? [];
    // The newest wins: the next fork of a loop is most likely of the same family.
    if (list.length >= PER_SHAPE) this.bytes -= list.shift()!.memory.buffer.byteLength;
    new Uint8Array(m.buffer).fill(0);
    list.push({ memory: m, kept });
    this.shapes.set(key, list);
    this.bytes += size;
  }

  private pop(pages: number, max: number, ok: (e: Entry<K>) => boolean): Entry<K> | null {
    const list = this.shapes.get(`${pages}/${max}`);
    const i = list ? list.findIndex(ok) : -1;
    if (i < 0) return null;
    const [e] = list!.splice(i, 1);
    this.bytes -= pages * PAGE;
    return e;
  }
}
