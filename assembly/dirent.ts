// stat records and directory listings (getdents and WASI fd_readdir), for
// tmpfs directories and host directories alike.

import { EFAULT, EINVAL } from "../abi/errno";
import {
  S_IFMT, S_IFDIR, S_IFREG, S_IFIFO, S_IFCHR, S_IFLNK, DT_DIR, DT_REG, DT_FIFO, DT_CHR, DT_LNK,
} from "../abi/constants";
import { acquire, release } from "./lock";
import { scratch, SCRATCH_FULL, SCRATCH_TMP, copyout, sc } from "./user";
import { File, fops } from "./file";
import { Pipe, pipeUsed } from "./pipe";
import { hostOut } from "./mount";
import { Inode, Dentry, vfsLock } from "./vfs";


/** Fills the 64-byte stat record (docs/abi.md) at kernel address `k`. */
export function statFill(node: Inode, k: usize): void {
  memory.fill(k, 0, 64);
  store<u64>(k, 1);
  store<u64>(k + 8, <u64>node.ino);
  store<u32>(k + 16, node.mode);
  store<u32>(k + 20, <u32>node.nlink);
  store<u64>(k + 32, (node.mode & S_IFMT) == S_IFIFO && node.pipe != 0 ? <u64>pipeUsed(changetype<Pipe>(node.pipe)) : <u64>node.size);
  store<i64>(k + 40, node.mtime);
  store<i64>(k + 48, node.mtime);
  store<i64>(k + 56, node.ctime);
}

export function dtypeOf(node: Inode): u8 {
  const t = node.mode & S_IFMT;
  return t == S_IFDIR ? <u8>DT_DIR : t == S_IFIFO ? <u8>DT_FIFO : t == S_IFCHR ? <u8>DT_CHR
    : t == S_IFLNK ? <u8>DT_LNK : <u8>DT_REG;
}

// @ts-ignore: decorator
@inline export function dirNext(): i64 { return sc().dirNext; }

/**
 * Packs entries of a tmpfs directory from index `start` into `out` as
 * {u64 ino, u8 d_type, u8 namelen, name}; returns how many fit.
 */
export function packEntries(dir: Inode, start: i64, out: usize, cap: u32): i32 {
  acquire(vfsLock());
  let d = dir.dents;
  let i: i64 = 0;
  while (d != 0 && i < start) { d = changetype<Dentry>(d).next; i++; }
  let used: u32 = 0, n = 0;
  while (d != 0) {
    const e = changetype<Dentry>(d);
    if (used + 10 + <u32>e.nameLen > cap) break;
    store<u64>(out + used, <u64>changetype<Inode>(e.inode).ino);
    store<u8>(out + used + 8, dtypeOf(changetype<Inode>(e.inode)));
    store<u8>(out + used + 9, <u8>e.nameLen);
    memory.copy(out + used + 10, e.name, e.nameLen);
    used += 10 + <u32>e.nameLen;
    n++;
    d = e.next;
  }
  release(vfsLock());
  return n;
}

const DT_TO_WASI: StaticArray<u8> = [0, 0, 2, 0, 3, 0, 1, 0, 4, 0, 7, 0, 6];

/**
 * Lists a directory (tmpfs or host: its type's list operation packs the
 * entries) from entry index `start` into a guest buffer: getdents records
 * (docs/abi.md) or, with `wasi`, WASI dirents
 * (which may end with a truncated entry, as fd_readdir allows). Returns the
 * bytes written; the index after the last whole entry is left in dirNext().
 */
export function dirRead(f: File, start: i64, ubuf: u32, len: u32, wasi: bool): i32 {
  const packed = hostOut();
  const n = fops(f).list(f, start, packed, 4096);
  if (n < 0) return n;
  const rec = scratch(SCRATCH_FULL);
  let used: u32 = 0, p = packed, i = start;
  for (let k = 0; k < n; k++) {
    const ino = load<u64>(p), type = load<u8>(p + 8), nameLen: u32 = <u32>load<u8>(p + 9), name = p + 10;
    p += 10 + nameLen;
    if (wasi) {
      const size: u32 = 24 + nameLen;
      store<u64>(rec, <u64>(i + 1));
      store<u64>(rec + 8, ino);
      store<u32>(rec + 16, nameLen);
      store<u32>(rec + 20, <u32>(type < 13 ? DT_TO_WASI[type] : 0));
      memory.copy(rec + 24, name, nameLen);
      const room = len - used;
      const m = size < room ? size : room;
      if (!copyout(ubuf + used, rec, m)) return -EFAULT;
      used += m;
      if (m < size) break;
    } else {
      const size = (12 + nameLen + 7) & ~7;
      if (used + size > len) {
        if (used == 0) return -EINVAL;
        break;
      }
      memory.fill(rec, 0, size);
      store<u64>(rec, ino);
      store<u16>(rec + 8, <u16>size);
      store<u8>(rec + 10, type);
      store<u8>(rec + 11, <u8>nameLen);
      memory.copy(rec + 12, name, nameLen);
      if (!copyout(ubuf + used, rec, size)) return -EFAULT;
      used += size;
    }
    i++;
  }
  sc().dirNext = i;
  return <i32>used;
}

/** WASI filetype numbering (no FIFO type there: reported as unknown). */
export function wasiFiletype(mode: u32): u32 {
  const t = mode & S_IFMT;
  return t == S_IFDIR ? 3 : t == S_IFREG ? 4 : t == S_IFCHR ? 2 : t == S_IFLNK ? 7 : 0;
}

