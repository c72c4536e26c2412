// A growable kernel buffer (kalloc'd, doubled as it fills) that a snapshot
// section is built in (snapshot.ts, and the subsystems' take functions).

import { kalloc, kfree } from "./alloc";

/** A growable kernel buffer a section is built in. */
@unmanaged
export class KBuf {
  ptr: usize;
  len: u32;
  cap: u32;
  count: u32;
  failed: i32;
}

/** Room for `n` more bytes at the end; the address, or 0 when memory ran out. */
export function kbufGrow(b: KBuf, n: u32): usize {
  if (b.failed != 0) return 0;
  if (b.len + n > b.cap) {
    let cap: u32 = b.cap == 0 ? 1024 : b.cap;
    while (cap < b.len + n) cap <<= 1;
    const p = kalloc(cap);
    if (p == 0) { b.failed = 1; return 0; }
    if (b.ptr != 0) { memory.copy(p, b.ptr, b.len); kfree(b.ptr); }
    b.ptr = p;
    b.cap = cap;
  }
  const at = b.ptr + b.len;
  memory.fill(at, 0, n);
  b.len += n;
  b.count++;
  return at;
}

export function kbufFree(b: KBuf): void {
  if (b.ptr != 0) kfree(b.ptr);
  b.ptr = 0; b.len = 0; b.cap = 0; b.count = 0;
}

