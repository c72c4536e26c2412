// The page allocator: every byte of kernel memory above the static data and
// this allocator's own map, in 4 KiB pages handed out as buddy blocks of
// 2^order pages (as Linux's page allocator). Freed blocks merge with their
// buddies, so memory given back — a removed file, an exited process — serves
// any later request, large or small. Pages never move: tmpfs file data lives
// in them (mmap and shared memory will need that), and the kernel heap
// (alloc.ts) carves its small objects from them.
//
// What the allocator knows about each page sits in a side table (the page
// map), never inside the pages: a page's contents may be a guest's file
// bytes, and nothing a guest writes may look like allocator state. Free
// blocks are doubly linked through the map, one list per order, so a merge
// can take a buddy out of the middle of its list.
//
// Pages are carved from the top (pageTop) only when no free block is big
// enough; memory grows ahead of the carving, checked against the memory's
// maximum (no address arithmetic can pass it).

import { G, Globals, PAGE_LISTS_ADDR } from "./globals";
import { acquire, release } from "./lock";

export const PAGE_SHIFT = 12;
export const PAGE_SIZE: usize = 1 << PAGE_SHIFT;
export const MAX_ORDER = 19;            // 2^19 pages = 2 GiB, the largest memory there is

// Page states in the map (only a block's first page carries one).
export const PG_NONE: u8 = 0;           // inside a block, or not carved yet
export const PG_FREE: u8 = 1;           // first page of a free block
export const PG_USED: u8 = 2;           // first page of an allocated block
export const PG_SLAB: u8 = 3;           // a page of small heap objects (alloc.ts)

@unmanaged
export class PageInfo {
  state: u8;
  order: u8;
  cls: u8;        // slab: size class
  pad: u8;
  inuse: u16;     // slab: live objects
  free: u16;      // slab: offset + 1 of the first free object, 0 = none
  prev: u32;      // list links: page index + 1, 0 = none
  next: u32;
}

// Memory is grown this far ahead of need. Another worker's instance learns
// of a grow at its next interrupt check, a moment later; memory handed out
// the instant it appears could trap there. Headroom keeps new memory unused
// until every instance has seen it (except in the last HEADROOM bytes below
// the maximum, where there is no more to grow).
const HEADROOM: u64 = 16 << 20;

// @ts-ignore: decorator
@inline function pageLock(): usize { return changetype<usize>(G()) + offsetof<Globals>("pageLock"); }
// @ts-ignore: decorator
@inline export function pageInfo(idx: u32): PageInfo {
  return changetype<PageInfo>(G().pageMap + (<usize>idx << 4));
}
// @ts-ignore: decorator
@inline export function pageAddr(idx: u32): usize { return G().pageBase + (<usize>idx << PAGE_SHIFT); }
// @ts-ignore: decorator
@inline function listHead(order: i32): usize { return PAGE_LISTS_ADDR + (<usize>order << 2); }

/** The index of the page holding `addr`, or -1 when it is not an allocator page. */
export function pageIndex(addr: usize): i32 {
  const g = G();
  if (addr < g.pageBase) return -1;
  const idx = (addr - g.pageBase) >> PAGE_SHIFT;
  return idx < <usize>g.pageTop ? <i32>idx : -1;
}

/**
 * Lays out the page map between the static data and the first page. `limit`
 * is the memory's maximum in bytes: the map covers every page below it.
 */
export function pagesInit(heapBase: usize, limit: u64): bool {
  const g = G();
  const base = <u64>((heapBase + 15) & ~15);
  if (limit <= base) return false;
  // Each page costs PAGE_SIZE bytes plus a 16-byte map entry.
  const count = (limit - base) / (<u64>PAGE_SIZE + 16);
  const pageBase = (base + (count << 4) + PAGE_SIZE - 1) & ~(<u64>PAGE_SIZE - 1);
  if (pageBase >= limit) return false;
  g.memLimit = limit;
  g.pageMap = <usize>base;
  g.pageBase = <usize>pageBase;
  const fit = (limit - pageBase) >> PAGE_SHIFT;
  g.pageCount = <i32>(fit < count ? fit : count);
  g.pageTop = 0;
  g.heapTop = <usize>pageBase;
  // The map starts zeroed (every page PG_NONE): a new memory is all zeros,
  // and only the entries of pages in use are ever touched (and committed).
  return ensureMemory(pageBase);
}

/**
 * Makes memory cover [0, end), with headroom when there is room for it.
 * Everything is u64 and bounded by the memory's maximum. Under pageLock.
 */
function ensureMemory(end: u64): bool {
  const g = G();
  const limit = g.memLimit;
  if (end > limit) return false;
  const soon = end + HEADROOM < limit ? end + HEADROOM : limit;
  if (soon <= <u64>g.heapEnd) return true;
  // memory.size on a shared memory is a call into the engine: ask it only
  // when the cached size says we might be short.
  const have = <u64>memory.size() << 16;
  g.heapEnd = <usize>have;
  if (soon <= have) return true;
  const want = end + 2 * HEADROOM < limit ? end + 2 * HEADROOM : limit;
  if (memory.grow(<i32>((want - have + 0xffff) >> 16)) < 0) {
    if (end > have && memory.grow(<i32>((end - have + 0xffff) >> 16)) < 0) return false;
  }
  g.heapEnd = <usize>(<u64>memory.size() << 16);
  return true;
}

function listPush(order: i32, idx: u32): void {
  const head = listHead(order);
  const e = pageInfo(idx);
  const first = load<u32>(head);
  e.state = PG_FREE;
  e.order = <u8>order;
  e.prev = 0;
  e.next = first;
  if (first != 0) pageInfo(first - 1).prev = idx + 1;
  store<u32>(head, idx + 1);
}

function listUnlink(order: i32, idx: u32): void {
  const e = pageInfo(idx);
  if (e.prev != 0) pageInfo(e.prev - 1).next = e.next;
  else store<u32>(listHead(order), e.next);
  if (e.next != 0) pageInfo(e.next - 1).prev = e.prev;
  e.state = PG_NONE;
  e.prev = e.next = 0;
}

/** Frees block `idx` of `order`, merging it with free buddies. Under pageLock. */
function freeBlock(idx: u32, order: i32): void {
  const top = <u32>G().pageTop;
  while (order < MAX_ORDER) {
    const buddy = idx ^ (<u32>1 << order);
    if (buddy + (<u32>1 << order) > top) break;
    const b = pageInfo(buddy);
    if (b.state != PG_FREE || <i32>b.order != order) break;
    listUnlink(order, buddy);
    if (buddy < idx) { pageInfo(idx).state = PG_NONE; idx = buddy; }
    order++;
  }
  listPush(order, idx);
}

/** A block of 2^order pages from the top of the carved region, or -1. Under pageLock. */
function carve(order: i32): i64 {
  const g = G();
  const size = <u32>1 << order;
  const old = <u32>g.pageTop;
  const idx = (old + size - 1) & ~(size - 1);
  if (<u64>idx + size > <u64>g.pageCount) return -1;
  if (!ensureMemory(<u64>g.pageBase + ((<u64>idx + size) << PAGE_SHIFT))) return -1;
  g.pageTop = <i32>(idx + size);
  g.heapTop = g.pageBase + (<usize>g.pageTop << PAGE_SHIFT);
  // The gap the alignment skipped becomes free blocks, largest first.
  let p = old;
  while (p < idx) {
    let o = 0;
    while (o < order && (p & ((<u32>2 << o) - 1)) == 0 && p + (<u32>2 << o) <= idx) o++;
    freeBlock(p, o);
    p += <u32>1 << o;
  }
  return idx;
}

/** 2^order pages, aligned to their size within the page area; 0 when memory is exhausted. */
export function pageAlloc(order: i32): usize {
  if (order < 0 || order > MAX_ORDER) return 0;
  acquire(pageLock());
  let o = order;
  while (o <= MAX_ORDER && load<u32>(listHead(o)) == 0) o++;
  let idx: u32;
  if (o <= MAX_ORDER) {
    idx = load<u32>(listHead(o)) - 1;
    listUnlink(o, idx);
    // Split down to the order asked for; the upper halves stay free.
    while (o > order) {
      o--;
      listPush(o, idx + (<u32>1 << o));
    }
  } else {
    const c = carve(order);
    if (c < 0) { release(pageLock()); return 0; }
    idx = <u32>c;
  }
  const e = pageInfo(idx);
  e.state = PG_USED;
  e.order = <u8>order;
  G().pagesUsed += 1 << order;
  release(pageLock());
  return pageAddr(idx);
}

/** Gives back a block pageAlloc returned. */
export function pageFree(addr: usize): void {
  const i = pageIndex(addr);
  if (i < 0) return;
  acquire(pageLock());
  const e = pageInfo(<u32>i);
  if (e.state == PG_USED) {
    const order = <i32>e.order;
    G().pagesUsed -= 1 << order;
    freeBlock(<u32>i, order);
  }
  release(pageLock());
}

/** The order of the smallest block holding `bytes`, or -1 when none can. */
export function orderFor(bytes: usize): i32 {
  const pages = (<u64>bytes + PAGE_SIZE - 1) >> PAGE_SHIFT;
  let o = 0;
  while ((<u64>1 << o) < pages) o++;
  return o <= MAX_ORDER ? o : -1;
}
