// Regular tmpfs files: bytes in 4 KiB pages of the page allocator, found
// through a per-inode radix tree (as ext2's indirect blocks, with the depth
// growing with the file as Linux's xarray does). Pages never move, so a file
// can later be mapped. Files are sparse: a page that was never written is a
// hole and reads as zeros.
//
//   depth 0: inode.data is the file's only page (files up to 4 KiB)
//   depth 1: inode.data is an index page of 1024 page pointers (4 MiB)
//   depth 2: an index of index pages (4 GiB; files stop at MAX_FILE)
//
// Every byte past the size inside the last page is zero (truncate clears
// it), so growing a file shows zeros. Data pages count against the tmpfs
// size limit (ENOSPC); offsets past MAX_FILE are EFBIG. All of it is done
// under the inode's lock; `version` is odd while a change is under way, so
// a reader without the lock (the host copying a program, image.ts) can tell
// a torn copy.

import { EFAULT, EFBIG, EINVAL, ENOSPC } from "../abi/errno";
import { O_APPEND } from "../abi/constants";
import { pageAlloc, pageFree, PAGE_SHIFT, PAGE_SIZE } from "./pages";
import { G, Globals } from "./globals";
import { acquire, release } from "./lock";
import { Uio, uioMove } from "./user";
import { now, CLOCK_REALTIME } from "./clock";
import { File } from "./file";
import { Inode, inodeLock } from "./vfs";
import { inodeTouchLocked, inodeAccessedLocked, TOUCH_MTIME, TOUCH_CTIME } from "./fs/times";

/** The largest file size (Linux's s_maxbytes): offsets at or past it are EFBIG. */
export const MAX_FILE: u64 = 1 << 30;

const FAN_SHIFT = 10;                  // 1024 four-byte pointers per index page
const FAN: u32 = 1 << FAN_SHIFT;

// @ts-ignore: decorator
@inline function gaddr(field: usize): usize { return changetype<usize>(G()) + field; }

/** Pages one subtree of `depth` levels covers. */
// @ts-ignore: decorator
@inline function span(depth: i32): u32 { return <u32>1 << (<u32>depth * FAN_SHIFT); }

/** A zeroed index page, or 0. */
function indexPage(): usize {
  const p = pageAlloc(0);
  if (p == 0) return 0;
  memory.fill(p, 0, PAGE_SIZE);
  atomic.add<i32>(gaddr(offsetof<Globals>("filePages")), 1);
  return p;
}

/** Reserves `n` data pages of the tmpfs size limit; false when they would pass it. */
function reserve(n: i32): bool {
  const used = gaddr(offsetof<Globals>("tmpfsPages"));
  if (atomic.add<i32>(used, n) + n <= G().tmpfsMaxPages) return true;
  atomic.sub<i32>(used, n);
  return false;
}

/** A zeroed data page (its place in the limit reserved already, or now), or 0 (ENOSPC). */
function dataPage(reserved: bool): usize {
  if (!reserved && !reserve(1)) return 0;
  const p = pageAlloc(0);
  if (p == 0) { atomic.sub<i32>(gaddr(offsetof<Globals>("tmpfsPages")), 1); return 0; }
  memory.fill(p, 0, PAGE_SIZE);
  atomic.add<i32>(gaddr(offsetof<Globals>("filePages")), 1);
  return p;
}

function putPage(p: usize, isData: bool): void {
  pageFree(p);
  atomic.sub<i32>(gaddr(offsetof<Globals>("filePages")), 1);
  if (isData) atomic.sub<i32>(gaddr(offsetof<Globals>("tmpfsPages")), 1);
}

/** Deepens the tree until page `pi` fits. False when an index page cannot be had. */
function reach(node: Inode, pi: u32): bool {
  while (pi >= span(node.depth)) {
    if (node.data == 0) { node.depth++; continue; }   // nothing to push down
    const root = indexPage();
    if (root == 0) return false;
    store<u32>(root, <u32>node.data);
    node.data = root;
    node.depth++;
  }
  return true;
}

/**
 * The address of the word that holds page `pi`'s address, or 0. With
 * `create`, missing index pages are made (0 when they cannot be).
 */
function slotOf(node: Inode, pi: u32, create: bool): usize {
  if (pi >= span(node.depth)) {
    if (!create || !reach(node, pi)) return 0;
  }
  let slot = changetype<usize>(node) + offsetof<Inode>("data");
  let d = node.depth;
  while (d > 0) {
    let index = <usize>load<u32>(slot);
    if (index == 0) {
      if (!create) return 0;
      index = indexPage();
      if (index == 0) return 0;
      store<u32>(slot, <u32>index);
    }
    d--;
    slot = index + (<usize>((pi >> (<u32>d * FAN_SHIFT)) & (FAN - 1)) << 2);
  }
  return slot;
}

/** Page `pi` of the file, or 0 for a hole. Under the inode lock. */
export function regPage(node: Inode, pi: u32): usize {
  const slot = slotOf(node, pi, false);
  return slot == 0 ? 0 : <usize>load<u32>(slot);
}

/** Page `pi`, made if it is a hole; 0 when there is no room (ENOSPC). */
function pageForWrite(node: Inode, pi: u32): usize {
  const slot = slotOf(node, pi, true);
  if (slot == 0) return 0;
  let p = <usize>load<u32>(slot);
  if (p == 0) {
    p = dataPage(false);
    if (p != 0) store<u32>(slot, <u32>p);
  }
  return p;
}

/** Makes hole `pi` a page whose place in the limit is reserved. False when memory is out. */
function fillHole(node: Inode, pi: u32): bool {
  const slot = slotOf(node, pi, true);
  if (slot == 0) { atomic.sub<i32>(gaddr(offsetof<Globals>("tmpfsPages")), 1); return false; }
  const p = dataPage(true);
  if (p == 0) return false;
  store<u32>(slot, <u32>p);
  return true;
}

/**
 * Frees the pages of the subtree in `slot` (`depth` levels, its first page
 * `first`) from page `from` on; clears the slot when nothing of it is left.
 */
function freeFrom(slot: usize, depth: i32, first: u32, from: u32): void {
  const p = <usize>load<u32>(slot);
  if (p == 0) return;
  if (depth == 0) {
    if (first >= from) { putPage(p, true); store<u32>(slot, 0); }
    return;
  }
  const child = span(depth - 1);
  let kept = false;
  for (let i: u32 = 0; i < FAN; i++) {
    const f = first + i * child;
    const s = p + (<usize>i << 2);
    if (f + child > from) freeFrom(s, depth - 1, f, from);
    if (load<u32>(s) != 0) kept = true;
  }
  if (!kept) { putPage(p, false); store<u32>(slot, 0); }
}

/** Drops the pages from `size` on and zeroes the rest of the last page. Under the inode lock. */
function shrink(node: Inode, size: u64): void {
  const from = <u32>((size + PAGE_SIZE - 1) >> PAGE_SHIFT);
  freeFrom(changetype<usize>(node) + offsetof<Inode>("data"), node.depth, 0, from);
  if (node.data == 0) node.depth = 0;
  const tail = <usize>(size & (PAGE_SIZE - 1));
  if (tail != 0) {
    const p = regPage(node, <u32>(size >> PAGE_SHIFT));
    if (p != 0) memory.fill(p + tail, 0, PAGE_SIZE - tail);
  }
}

/** Frees every page of a file that is going away. */
export function regRelease(node: Inode): void {
  shrink(node, 0);
  node.size = 0;
}

// @ts-ignore: decorator
@inline function beginChange(node: Inode): void {
  atomic.add<i32>(changetype<usize>(node) + offsetof<Inode>("version"), 1);
}
function endChange(node: Inode): void {
  atomic.add<i32>(changetype<usize>(node) + offsetof<Inode>("version"), 1);
  inodeTouchLocked(node, TOUCH_MTIME | TOUCH_CTIME, now(CLOCK_REALTIME));
}

export function regTruncate(node: Inode, size: i64): i32 {
  if (size < 0) return -EINVAL;
  if (<u64>size > MAX_FILE) return -EFBIG;
  acquire(inodeLock(node));
  beginChange(node);
  if (<u64>size < <u64>node.size) shrink(node, <u64>size);
  node.size = <u32>size;
  endChange(node);
  release(inodeLock(node));
  return 0;
}

/**
 * fallocate(2) mode 0 (WASI fd_allocate): pages for [off, off+len), and the
 * size at least off+len. The space is reserved first, all or nothing.
 */
export function regAllocate(node: Inode, off: i64, len: i64): i32 {
  if (off < 0 || len <= 0) return -EINVAL;
  if (<u64>off + <u64>len > MAX_FILE) return -EFBIG;
  const end = <u64>off + <u64>len;
  acquire(inodeLock(node));
  const first = <u32>(<u64>off >> PAGE_SHIFT), last = <u32>((end - 1) >> PAGE_SHIFT);
  let missing = 0;
  for (let pi = first; pi <= last; pi++) if (regPage(node, pi) == 0) missing++;
  if (!reserve(missing)) { release(inodeLock(node)); return -ENOSPC; }
  beginChange(node);
  let r = 0;
  for (let pi = first; pi <= last && missing > 0; pi++) {
    if (regPage(node, pi) != 0) continue;
    // dataPage gives a failed page's reservation back; the rest go here.
    if (!fillHole(node, pi)) { r = -ENOSPC; atomic.sub<i32>(gaddr(offsetof<Globals>("tmpfsPages")), missing - 1); break; }
    missing--;
  }
  if (r == 0 && end > <u64>node.size) node.size = <u32>end;
  endChange(node);
  release(inodeLock(node));
  return r;
}

/** Reads at `at`, or at the file offset when `at` < 0 (then advancing it). */
export function regRead(f: File, u: Uio, at: i64): i32 {
  const node = changetype<Inode>(f.inode);
  acquire(inodeLock(node));
  const off = at < 0 ? f.offset : at;
  let n: u32 = 0;
  if (off < <i64>node.size) {
    const avail = <u32>(<i64>node.size - off);
    n = avail < u.resid ? avail : u.resid;
  }
  const start = u.resid;
  let pos = <u64>off, left = n;
  while (left > 0) {
    const po = <u32>(pos & (PAGE_SIZE - 1));
    let m = <u32>PAGE_SIZE - po;
    if (m > left) m = left;
    const p = regPage(node, <u32>(pos >> PAGE_SHIFT));
    // Pages carved one after another are often adjacent: one copy for a run.
    while (p != 0 && m < left) {
      const q = regPage(node, <u32>((pos + m) >> PAGE_SHIFT));
      if (q != p + po + m) break;
      m = left - m < <u32>PAGE_SIZE ? left : m + <u32>PAGE_SIZE;
    }
    const src = p != 0 ? p + po : G().zeroPage + po;
    if (!uioMove(u, src, m, true)) break;
    pos += m; left -= m;
  }
  const done = start - u.resid;
  if (at < 0) f.offset = off + done;
  inodeAccessedLocked(node);   // as Linux's filemap_read, also at the end of the file
  release(inodeLock(node));
  return done == 0 && n != 0 ? -EFAULT : <i32>done;
}

export function regWrite(f: File, u: Uio, at: i64): i32 {
  const node = changetype<Inode>(f.inode);
  acquire(inodeLock(node));
  const off: i64 = at >= 0 ? at : (f.flags & O_APPEND) ? <i64>node.size : f.offset;
  let n = u.resid;
  if (n == 0) { release(inodeLock(node)); return 0; }
  if (<u64>off >= MAX_FILE) { release(inodeLock(node)); return -EFBIG; }
  if (<u64>off + n > MAX_FILE) n = <u32>(MAX_FILE - <u64>off);
  beginChange(node);
  const start = u.resid;
  let err = 0;
  let pos = <u64>off, left = n;
  while (left > 0) {
    const po = <u32>(pos & (PAGE_SIZE - 1));
    const m = <u32>PAGE_SIZE - po < left ? <u32>PAGE_SIZE - po : left;
    const p = pageForWrite(node, <u32>(pos >> PAGE_SHIFT));
    if (p == 0) { err = -ENOSPC; break; }
    if (!uioMove(u, p + po, m, false)) { err = -EFAULT; break; }
    pos += m; left -= m;
  }
  // A short write counts what was written (a fault may stop inside a page).
  const done = start - u.resid;
  const end = <u64>off + done;
  if (end > <u64>node.size) node.size = <u32>end;
  if (at < 0) f.offset = <i64>end;
  endChange(node);
  release(inodeLock(node));
  return done > 0 ? <i32>done : err;
}

/** The first four bytes of a file (0 when shorter), for the wasm magic check. */
export function regFirstWord(node: Inode): u32 {
  acquire(inodeLock(node));
  const p = node.size >= 4 ? regPage(node, 0) : 0;
  const w = p != 0 ? load<u32>(p) : 0;
  release(inodeLock(node));
  return w;
}
