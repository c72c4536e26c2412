// Regular tmpfs files: bytes in one kernel block that grows by doubling.

import { EFAULT, EFBIG, EINVAL } from "../abi/errno";
import { O_APPEND } from "../abi/constants";
import { kalloc, kfree, kcapacity } from "./alloc";
import { acquire, release } from "./lock";
import { Uio, uioMove } from "./user";
import { now, CLOCK_REALTIME } from "./clock";
import { File } from "./file";
import { Inode, inodeLock } from "./vfs";

const MAX_FILE: u64 = 1 << 30;


function ensureCapacity(node: Inode, size: u64): bool {
  if (size > MAX_FILE) return false;
  if (node.data != 0 && kcapacity(node.data) >= <usize>size) return true;
  let cap: usize = node.data == 0 ? 256 : kcapacity(node.data) * 2;
  while (cap < <usize>size) cap *= 2;
  const nd = kalloc(cap);
  if (nd == 0) return false;
  if (node.data != 0) { memory.copy(nd, node.data, node.size); kfree(node.data); }
  node.data = nd;
  return true;
}

export function regTruncate(node: Inode, size: i64): i32 {
  if (size < 0) return -EINVAL;
  acquire(inodeLock(node));
  if (!ensureCapacity(node, <u64>size)) { release(inodeLock(node)); return -EFBIG; }
  if (<u32>size > node.size) memory.fill(node.data + node.size, 0, <u32>size - node.size);
  node.size = <u32>size;
  node.version++;
  node.mtime = now(CLOCK_REALTIME);
  release(inodeLock(node));
  return 0;
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
    if (!uioMove(u, node.data + <usize>off, n, true)) { release(inodeLock(node)); return -EFAULT; }
  }
  if (at < 0) f.offset = off + n;
  release(inodeLock(node));
  return <i32>n;
}

export function regWrite(f: File, u: Uio, at: i64): i32 {
  const node = changetype<Inode>(f.inode);
  acquire(inodeLock(node));
  const off: i64 = at >= 0 ? at : (f.flags & O_APPEND) ? <i64>node.size : f.offset;
  const n = u.resid;
  const end = <u64>off + n;
  if (!ensureCapacity(node, end)) { release(inodeLock(node)); return -EFBIG; }
  if (off > <i64>node.size) memory.fill(node.data + node.size, 0, <usize>(off - node.size));
  if (!uioMove(u, node.data + <usize>off, n, false)) { release(inodeLock(node)); return -EFAULT; }
  if (end > <u64>node.size) node.size = <u32>end;
  if (at < 0) f.offset = <i64>end;
  node.version++;
  node.mtime = now(CLOCK_REALTIME);
  release(inodeLock(node));
  return <i32>n;
}

