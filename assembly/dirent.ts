// stat records and directory listings (getdents and WASI fd_readdir), for
// tmpfs directories and host directories alike.

import { EFAULT, EINVAL } from "../abi/errno";
import {
  S_IFMT, S_IFDIR, S_IFREG, S_IFIFO, S_IFCHR, S_IFLNK, DT_DIR, DT_REG, DT_FIFO, DT_CHR, DT_LNK,
} from "../abi/constants";
import { acquire, release } from "./lock";
import { PATH_MAX } from "../abi/constants";
import { scratch, SCRATCH_FULL, SCRATCH_TMP, SCRATCH_PATH2, copyout, sc } from "./user";
import { File, fops, fileStat } from "./file";
import { inodeAccessed } from "./fs/times";
import { Pipe, pipeUsed } from "./pipe";
import { Inode, Dentry, vfsLock } from "./vfs";


/** Fills the 64-byte stat record (docs/abi.md) at kernel address `k`. */
export function statFill(node: Inode, k: usize): void {
  memory.fill(k, 0, 64);
  store<u64>(k, 1);
  store<u64>(k + 8, <u64>node.ino);
  store<u32>(k + 16, node.mode);
  store<u32>(k + 20, <u32>node.nlink);
  store<u32>(k + 24, <u32>node.uid);
  store<u32>(k + 28, <u32>node.gid);
  store<u64>(k + 32, (node.mode & S_IFMT) == S_IFIFO && node.pipe != 0 ? <u64>pipeUsed(changetype<Pipe>(node.pipe)) : <u64>node.size);
  store<i64>(k + 40, node.mtime);
  store<i64>(k + 48, node.atime);
  store<i64>(k + 56, node.ctime);
}

export function dtypeOf(node: Inode): u8 {
  const t = node.mode & S_IFMT;
  return t == S_IFDIR ? <u8>DT_DIR : t == S_IFIFO ? <u8>DT_FIFO : t == S_IFCHR ? <u8>DT_CHR
    : t == S_IFLNK ? <u8>DT_LNK : <u8>DT_REG;
}

// @ts-ignore: decorator
@inline export function dirNext(): i64 { return sc().dirNext; }

// A listing position ("start", the cookie of the last entry returned) is a
// value a directory type's list operation hands out with each entry, never
// an index: 0 is the beginning. A tmpfs directory lists newest first and
// its cookie is the entry's creation number (Dentry.seq), so a listing
// resumed from a cookie returns exactly the entries older than the last
// one it returned: none twice, none skipped that existed throughout, and
// those made since are not met at all. A host directory's cookie is the
// index in the host's listing sorted by name (stable while it is unchanged).

/** Bytes of a packed entry: {u64 ino, u64 next cookie, u8 d_type, u8 namelen, name}. */
export const PACKED_HDR: u32 = 18;

/**
 * Packs entries of a tmpfs directory after cookie `start` into `out` (at
 * most `cap` bytes); returns how many fit. A cookie this directory never
 * handed out (past its last seq) lists nothing.
 */
export function packEntries(dir: Inode, start: i64, out: usize, cap: u32): i32 {
  acquire(vfsLock());
  let used: u32 = 0, n = 0;
  if (start >= 0 && start <= dir.dseq) {
    let d = dir.dents;
    if (start > 0) while (d != 0 && changetype<Dentry>(d).seq >= start) d = changetype<Dentry>(d).next;
    while (d != 0) {
      const e = changetype<Dentry>(d);
      if (used + PACKED_HDR + <u32>e.nameLen > cap) break;
      store<u64>(out + used, <u64>changetype<Inode>(e.inode).ino);
      store<i64>(out + used + 8, e.seq);
      store<u8>(out + used + 16, dtypeOf(changetype<Inode>(e.inode)));
      store<u8>(out + used + 17, <u8>e.nameLen);
      memory.copy(out + used + PACKED_HDR, e.name, e.nameLen);
      used += PACKED_HDR + <u32>e.nameLen;
      n++;
      d = e.next;
    }
  }
  release(vfsLock());
  inodeAccessed(dir);
  return n;
}

const DT_TO_WASI: StaticArray<u8> = [0, 0, 2, 0, 3, 0, 1, 0, 4, 0, 7, 0, 6];

/** WASI cookies 1 and 2 follow the "." and ".." entries fd_readdir adds; a listing cookie c is c + 2. */
const WASI_DOTS: i64 = 2;

/**
 * One WASI dirent {d_next, d_ino, d_namlen, d_type, name} at `ubuf + used`,
 * cut short when the buffer ends (as fd_readdir allows). Returns the bytes
 * written, or -EFAULT.
 */
function putWasiDirent(ubuf: u32, used: u32, len: u32, next: i64, ino: u64, type: u8, name: usize, nameLen: u32): i32 {
  const rec = scratch(SCRATCH_PATH2);
  const size: u32 = 24 + nameLen;
  store<u64>(rec, <u64>next);
  store<u64>(rec + 8, ino);
  store<u32>(rec + 16, nameLen);
  store<u32>(rec + 20, <u32>type);
  memory.copy(rec + 24, name, nameLen);
  const room = len - used;
  const m = size < room ? size : room;
  if (!copyout(ubuf + used, rec, m)) return -EFAULT;
  return <i32>m;
}

/** The inode numbers of "." and ".." of an open directory: tmpfs inodes, or the host's for ".". */
function dotInos(f: File, out: usize): void {
  if (f.inode != 0) {
    const node = changetype<Inode>(f.inode);
    acquire(vfsLock());   // a rename moves the parent
    store<u64>(out, <u64>node.ino);
    store<u64>(out + 8, <u64>changetype<Inode>(node.parent).ino);
    release(vfsLock());
    return;
  }
  // A host directory: its own number from fstat; its parent's is not looked up (0, "unknown").
  fileStat(f, out + 16);
  store<u64>(out, load<u64>(out + 16 + 8));
  store<u64>(out + 8, 0);
}

/**
 * fd_readdir: WASI dirents from `cookie` into the guest buffer — ".", ".."
 * (cookies 1, 2), then the directory's entries — until the buffer is full
 * (the last entry may be cut short) or the listing ends. Returns the bytes
 * written.
 */
function wasiDirRead(f: File, cookie: i64, ubuf: u32, len: u32): i32 {
  let used: u32 = 0;
  // A cookie is a u64 of the guest's choosing: one past every cookie handed
  // out (as an i64, negative) lists nothing.
  if (cookie < 0) return 0;
  if (cookie < WASI_DOTS) {
    const inos = scratch(SCRATCH_TMP);
    dotInos(f, inos);
    for (let c = cookie; c < WASI_DOTS && used < len; c++) {
      const dots = scratch(SCRATCH_TMP) + 120;
      store<u16>(dots, 0x2e2e);
      const m = putWasiDirent(ubuf, used, len, c + 1, load<u64>(inos + (<usize>c << 3)), 3, dots, <u32>c + 1);
      if (m < 0) return m;
      used += <u32>m;
    }
    cookie = WASI_DOTS;
  }
  let start = cookie - WASI_DOTS;
  const packed = scratch(SCRATCH_FULL);
  while (used < len) {
    const n = fops(f).list(f, start, packed, <u32>PATH_MAX);
    if (n <= 0) { if (n < 0 && used == 0) return n; break; }
    let p = packed;
    for (let k = 0; k < n && used < len; k++) {
      const ino = load<u64>(p), next = load<i64>(p + 8), type = load<u8>(p + 16);
      const nameLen = <u32>load<u8>(p + 17);
      const m = putWasiDirent(ubuf, used, len, next + WASI_DOTS, ino, type < 13 ? DT_TO_WASI[type] : 0, p + PACKED_HDR, nameLen);
      if (m < 0) return used > 0 ? <i32>used : m;
      used += <u32>m;
      start = next;
      p += PACKED_HDR + nameLen;
    }
  }
  return <i32>used;
}

/**
 * getdents: records (docs/abi.md) of whole entries after listing cookie
 * `start`; EINVAL when not even one fits. Returns the bytes written and
 * leaves the cookie of the last entry written in dirNext().
 */
function getdentsRead(f: File, start: i64, ubuf: u32, len: u32): i32 {
  const packed = scratch(SCRATCH_FULL);
  const rec = scratch(SCRATCH_PATH2);
  let used: u32 = 0;
  let full = false;
  while (!full) {
    const n = fops(f).list(f, start, packed, <u32>PATH_MAX);
    if (n <= 0) { if (n < 0 && used == 0) return n; break; }
    let p = packed;
    for (let k = 0; k < n; k++) {
      const ino = load<u64>(p), next = load<i64>(p + 8), type = load<u8>(p + 16);
      const nameLen = <u32>load<u8>(p + 17);
      const size = (12 + nameLen + 7) & ~7;
      if (used + size > len) {
        if (used == 0) return -EINVAL;
        full = true;
        break;
      }
      memory.fill(rec, 0, size);
      store<u64>(rec, ino);
      store<u16>(rec + 8, <u16>size);
      store<u8>(rec + 10, type);
      store<u8>(rec + 11, <u8>nameLen);
      memory.copy(rec + 12, p + PACKED_HDR, nameLen);
      if (!copyout(ubuf + used, rec, size)) { sc().dirNext = start; return used > 0 ? <i32>used : -EFAULT; }
      used += size;
      start = next;
      p += PACKED_HDR + nameLen;
    }
  }
  sc().dirNext = start;
  return <i32>used;
}

/**
 * Lists a directory (tmpfs or host: its type's list operation packs the
 * entries) into a guest buffer: getdents records from listing cookie
 * `start` (the cookie to go on from is left in dirNext()), or, with `wasi`,
 * WASI dirents from fd_readdir cookie `start`. Returns the bytes written.
 */
export function dirRead(f: File, start: i64, ubuf: u32, len: u32, wasi: bool): i32 {
  return wasi ? wasiDirRead(f, start, ubuf, len) : getdentsRead(f, start, ubuf, len);
}

/** WASI filetype numbering (no FIFO type there: reported as unknown). */
export function wasiFiletype(mode: u32): u32 {
  const t = mode & S_IFMT;
  return t == S_IFDIR ? 3 : t == S_IFREG ? 4 : t == S_IFCHR ? 2 : t == S_IFLNK ? 7 : 0;
}

