// A tmpfs program's bytes, for compiling it. The file sits in the kernel's
// 4 KiB pages, not in one block: copy it page by page (k_imagePage), and
// since the copy runs outside the file's lock, check the file's version
// before and after (odd while a change is under way, as a seqlock) and copy
// again if it changed meanwhile.

import type { Kernel } from './kernel.js';

const PAGE = 4096;

/** The current process's program; `info` is a k_imageInfo record with inTmpfs = 1. */
export function readImage(kernel: Kernel, info: number): Uint8Array<ArrayBuffer> {
  const km = kernel.kmem;
  const k = kernel.exports;
  for (;;) {
    const version = km.u32(info + 12);
    const size = km.u32(info + 4);
    if ((version & 1) === 0) {
      const out = new Uint8Array(size);
      for (let off = 0; off < size; off += PAGE) {
        const page = k.k_imagePage(off / PAGE);
        if (page !== 0) out.set(km.range(page, Math.min(PAGE, size - off)), off);   // 0: a hole, zeros
      }
      info = k.k_imageInfo();
      if (km.u32(info + 12) === version && km.u32(info + 4) === size) return out;
    } else {
      info = k.k_imageInfo();
    }
  }
}
