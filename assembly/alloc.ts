// The kernel heap. Small objects (up to 2 KiB) come from slab pages: a page
// of the page allocator (pages.ts) cut into equal objects of one power-of-two
// size class, as Linux's SLUB. A page whose objects are all free goes back to
// the page allocator, so the memory of freed inodes, names and processes can
// later hold a file or a pipe. Larger requests are whole buddy blocks of pages.
// No object carries a header: the page map says which class a page holds.
// State lives in kernel memory under heapLock (invariant 2); the page
// allocator has its own lock, always taken after this one.

import { G, Globals, SLAB_LISTS_ADDR } from "./globals";
import { acquire, release } from "./lock";
import {
  pageAlloc, pageFree, pageIndex, pageInfo, pageAddr, orderFor, PageInfo, PAGE_SIZE,
  PG_SLAB, PG_USED,
} from "./pages";

const MIN_SHIFT = 4;                      // 16-byte objects: payloads stay 16-byte aligned
export const SLAB_CLASSES = 8;            // 16 B .. 2 KiB
const SLAB_MAX: usize = 1 << (MIN_SHIFT + SLAB_CLASSES - 1);

// @ts-ignore: decorator
@inline function heapLock(): usize { return changetype<usize>(G()) + offsetof<Globals>("heapLock"); }
// @ts-ignore: decorator
@inline function partialHead(c: i32): usize { return SLAB_LISTS_ADDR + (<usize>c << 2); }
// @ts-ignore: decorator
@inline function blocksAddr(): usize { return changetype<usize>(G()) + offsetof<Globals>("heapBlocks"); }

function classOf(size: usize): i32 {
  let c = 0;
  while ((<usize>1 << (MIN_SHIFT + c)) < size) c++;
  return c;
}

// Slab pages with a free object, one list per class, linked through the page map.
function partialPush(c: i32, idx: u32): void {
  const e = pageInfo(idx);
  const first = load<u32>(partialHead(c));
  e.prev = 0;
  e.next = first;
  if (first != 0) pageInfo(first - 1).prev = idx + 1;
  store<u32>(partialHead(c), idx + 1);
}

function partialUnlink(c: i32, idx: u32): void {
  const e = pageInfo(idx);
  if (e.prev != 0) pageInfo(e.prev - 1).next = e.next;
  else store<u32>(partialHead(c), e.next);
  if (e.next != 0) pageInfo(e.next - 1).prev = e.prev;
  e.prev = e.next = 0;
}

/** A fresh slab page of class `c`, its objects threaded on its free list. Under heapLock. */
function slabNew(c: i32): i32 {
  const page = pageAlloc(0);
  if (page == 0) return -1;
  const idx = <u32>pageIndex(page);
  const size: usize = 1 << (MIN_SHIFT + c);
  for (let off: usize = 0; off < PAGE_SIZE; off += size) {
    store<u16>(page + off, off + size < PAGE_SIZE ? <u16>(off + size + 1) : 0);
  }
  const e = pageInfo(idx);
  e.state = PG_SLAB;
  e.cls = <u8>c;
  e.inuse = 0;
  e.free = 1;
  partialPush(c, idx);
  return <i32>idx;
}

function slabAlloc(c: i32): usize {
  acquire(heapLock());
  let head = load<u32>(partialHead(c));
  if (head == 0) {
    const n = slabNew(c);
    if (n < 0) { release(heapLock()); return 0; }
    head = <u32>n + 1;
  }
  const idx = head - 1;
  const e = pageInfo(idx);
  const obj = pageAddr(idx) + <usize>(e.free - 1);
  e.free = load<u16>(obj);
  e.inuse++;
  if (e.free == 0) partialUnlink(c, idx);
  release(heapLock());
  return obj;
}

function slabFree(idx: u32, e: PageInfo, ptr: usize): void {
  acquire(heapLock());
  const c = <i32>e.cls;
  const wasFull = e.free == 0;
  store<u16>(ptr, e.free);
  e.free = <u16>(ptr - pageAddr(idx) + 1);
  e.inuse--;
  if (wasFull) partialPush(c, idx);
  // An empty page goes back, unless it is its class's only one (a class
  // that allocates and frees one object would otherwise churn pages).
  const give = e.inuse == 0 && (e.prev != 0 || e.next != 0);
  if (give) { partialUnlink(c, idx); e.state = PG_USED; e.order = 0; }
  release(heapLock());
  if (give) pageFree(pageAddr(idx));
}

/** Allocates `size` zeroed bytes, or returns 0 when memory is exhausted. */
export function kalloc(size: usize): usize {
  const p = kallocRaw(size);
  if (p != 0) memory.fill(p, 0, size);
  return p;
}

/** Allocates `size` bytes with whatever they held before (for buffers written before read). */
export function kallocRaw(size: usize): usize {
  if (G().faultCount != 0 && injectedFault()) return 0;   // tests only (faultAlloc)
  let p: usize;
  if (size <= SLAB_MAX) p = slabAlloc(classOf(size));
  else {
    const order = orderFor(size);
    p = order < 0 ? 0 : pageAlloc(order);
  }
  if (p != 0) atomic.add<i32>(blocksAddr(), 1);
  return p;
}

/**
 * Tests only: makes kalloc fail `count` times after `skip` more successes,
 * so error paths can be checked for leaks. Reached through k_faultAlloc, a
 * kernel export no syscall declares (guests cannot call it).
 */
export function faultAlloc(skip: i32, count: i32): void {
  const g = G();
  acquire(heapLock());
  g.faultSkip = skip;
  g.faultCount = count;
  release(heapLock());
}

/** Does this allocation fail by faultAlloc's order? (Takes heapLock: allocations count in order.) */
function injectedFault(): bool {
  const g = G();
  acquire(heapLock());
  let fail = false;
  if (g.faultSkip > 0) g.faultSkip--;
  else if (g.faultCount > 0) { g.faultCount--; fail = true; }
  release(heapLock());
  return fail;
}

export function kfree(ptr: usize): void {
  if (ptr == 0) return;
  const i = pageIndex(ptr);
  if (i < 0) return;
  const e = pageInfo(<u32>i);
  // The page's state cannot change under us: we hold one of its objects.
  if (e.state == PG_SLAB) slabFree(<u32>i, e, ptr);
  else if (e.state == PG_USED && (ptr & (PAGE_SIZE - 1)) == 0) pageFree(ptr);   // pages are 4 KiB-aligned
  else return;
  atomic.sub<i32>(blocksAddr(), 1);
}

/** Usable bytes of an allocated block. */
export function kcapacity(ptr: usize): usize {
  const e = pageInfo(<u32>pageIndex(ptr));
  return e.state == PG_SLAB ? <usize>1 << (MIN_SHIFT + <i32>e.cls) : PAGE_SIZE << <i32>e.order;
}

/** Copies `len` bytes of a kernel string into a fresh block (no terminator). */
export function kdup(src: usize, len: usize): usize {
  const p = kalloc(len);
  if (p != 0) memory.copy(p, src, len);
  return p;
}
