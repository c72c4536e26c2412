// The kernel allocator: power-of-two size classes with free lists, carved from
// a bump pointer. Its state lives in the Globals page under one lock, so every
// worker's kernel instance allocates from the same heap (invariant 2).

import { G, FREELISTS_ADDR, NCLASSES } from "./globals";
import { acquire, release } from "./lock";

const HEADER: usize = 16;    // keeps payloads 16-byte aligned
const MIN_CLASS = 5;         // 32 bytes, header included

function classOf(size: usize): i32 {
  const total = size + HEADER;
  let c = MIN_CLASS;
  while ((<usize>1 << c) < total) c++;
  return c;
}

// Memory is grown this far ahead of need. Another worker's instance learns
// of a grow at its next interrupt check, a moment later; memory handed out
// the instant it appears could trap there. Headroom keeps new memory unused
// until every instance has seen it.
const HEADROOM: usize = 16 << 20;

function growTo(end: usize): bool {
  // memory.size on a shared memory is a call into the engine: ask it only
  // when the cached size says we might be short. The caller holds heapLock.
  const g = G();
  if (end + HEADROOM <= g.heapEnd) return true;
  const have = <usize>memory.size() << 16;
  g.heapEnd = have;
  if (end + HEADROOM <= have) return true;
  const want = end + 2 * HEADROOM;
  const pages = <i32>((want - have + 0xffff) >> 16);
  if (memory.grow(pages) < 0 && end > have && memory.grow(<i32>((end - have + 0xffff) >> 16)) < 0) return false;   // near the maximum
  g.heapEnd = <usize>memory.size() << 16;
  return true;
}

/** Allocates `size` zeroed bytes, or returns 0 when memory is exhausted. */
export function kalloc(size: usize): usize {
  const p = kallocRaw(size);
  if (p != 0) memory.fill(p, 0, size);
  return p;
}

/** Allocates `size` bytes with whatever they held before (for buffers written before read). */
export function kallocRaw(size: usize): usize {
  const c = classOf(size);
  if (c >= NCLASSES) return 0;
  const head = FREELISTS_ADDR + (<usize>c << 2);
  const g = G();
  acquire(changetype<usize>(g) + offsetof<Globals>("heapLock"));
  let block = <usize>load<u32>(head);
  if (block != 0) {
    store<u32>(head, load<u32>(block + 4));
  } else {
    block = g.heapTop;
    const end = block + (<usize>1 << c);
    if (!growTo(end)) { release(changetype<usize>(g) + offsetof<Globals>("heapLock")); return 0; }
    g.heapTop = end;
  }
  g.heapBlocks++;
  release(changetype<usize>(g) + offsetof<Globals>("heapLock"));
  store<u32>(block, c);
  store<u32>(block + 4, 0);
  return block + HEADER;
}

export function kfree(ptr: usize): void {
  if (ptr == 0) return;
  const block = ptr - HEADER;
  const c = load<u32>(block);
  const head = FREELISTS_ADDR + (<usize>c << 2);
  const g = G();
  acquire(changetype<usize>(g) + offsetof<Globals>("heapLock"));
  store<u32>(block + 4, load<u32>(head));
  store<u32>(head, <u32>block);
  g.heapBlocks--;
  release(changetype<usize>(g) + offsetof<Globals>("heapLock"));
}

/** Usable bytes of an allocated block. */
export function kcapacity(ptr: usize): usize {
  return (<usize>1 << load<u32>(ptr - HEADER)) - HEADER;
}

/** Copies `len` bytes of a kernel string into a fresh block (no terminator). */
export function kdup(src: usize, len: usize): usize {
  const p = kalloc(len);
  if (p != 0) memory.copy(p, src, len);
  return p;
}

import { Globals } from "./globals";
