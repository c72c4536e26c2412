// Crossing between guest memory and kernel memory. The host owns the guest's
// memory and checks every range against it: a bad pointer comes back as
// EFAULT here, never as a host exception (invariant 3). This is the single
// place guest pointers are dereferenced.

import { EFAULT, EINVAL, ENAMETOOLONG, ENOENT } from "../abi/errno";
import { PATH_MAX } from "../abi/constants";
import { cur } from "./task";

@external("host", "copyin") declare function hostCopyin(kdst: usize, usrc: u32, len: u32): i32;
@external("host", "copyout") declare function hostCopyout(udst: u32, ksrc: usize, len: u32): i32;

/**
 * A task's scratch block (one per task, so per thread; kernel memory, not
 * AssemblyScript globals: invariant 2) starts with this struct: the small
 * values one step of a call leaves for the next. The buffers follow it, at
 * the SCRATCH_* offsets below, each used by one step at a time.
 */
@unmanaged
export class Scratch {
  argBytes: u32;     // spawn.ts copyStrings: byte size of the block it just made
  normLen: i32;      // spawn.ts normalizePath: length of the path it just made
  lastName: usize;   // fs/namei.ts walk (WALK_PARENT): the last component of the path
  lastLen: i32;
  segBase: u32;      // uioSegment: guest address of the cursor's current segment
  dirNext: i64;      // dirent.ts dirRead: the cookie after the last entry returned
  walkHost: usize;   // mount.ts enterMount: the host path a walk ended in,
  walkHostLen: i32;  //   its length,
  walkMount: usize;  //   the mount point's Inode,
  walkSeq: i32;      //   and which host path buffer the next walk uses
  walkLen: i32;      // fs/namei.ts walkPrepare: length of the path put in SCRATCH_FULL
  lastSlash: i32;    // fs/namei.ts walk: the path ended in "/" (after lastName, or below a mount)
}

export const SCRATCH_VARS: usize = 64;   // room for Scratch
if (offsetof<Scratch>() > SCRATCH_VARS) {
  ERROR("assembly/user.ts: Scratch is larger than SCRATCH_VARS: make room before SCRATCH_IOV");
}

// @ts-ignore: decorator
@inline export function sc(): Scratch { return changetype<Scratch>(cur().scratch); }

// Layout of the buffers of a task's scratch block.
export const IOV_MAX = 1024;
export const SCRATCH_IOV: usize = SCRATCH_VARS;              // IOV_MAX * 8
export const SCRATCH_PATH1: usize = SCRATCH_IOV + IOV_MAX * 8; // PATH_MAX
export const SCRATCH_PATH2: usize = SCRATCH_PATH1 + PATH_MAX; // PATH_MAX
export const SCRATCH_FULL: usize = SCRATCH_PATH2 + PATH_MAX; // PATH_MAX: absolute path being walked
export const SCRATCH_TMP: usize = SCRATCH_FULL + PATH_MAX;   // 128: one small value or record at a time
export const SCRATCH_REC: usize = SCRATCH_TMP + 128;         // 64: a second record (a poll event, a stat) while TMP is in use
export const SCRATCH_UIO: usize = SCRATCH_REC + 64;          // one Uio
export const SCRATCH_HOST1: usize = SCRATCH_UIO + 64;         // PATH_MAX: host path of a mounted name
export const SCRATCH_HOST2: usize = SCRATCH_HOST1 + PATH_MAX; // PATH_MAX: a second one (rename)
export const SCRATCH_HOSTREQ: usize = SCRATCH_HOST2 + PATH_MAX; // 64: a request to the host file system
export const SCRATCH_HOSTOUT: usize = SCRATCH_HOSTREQ + 64;   // 4096: what the host answers with
export const SCRATCH_SIZE: usize = SCRATCH_HOSTOUT + 4096;

// @ts-ignore: decorator
@inline export function scratch(off: usize): usize { return cur().scratch + off; }

export function copyin(kdst: usize, usrc: u32, len: u32): bool {
  return len == 0 || hostCopyin(kdst, usrc, len) == 0;
}

export function copyout(udst: u32, ksrc: usize, len: u32): bool {
  return len == 0 || hostCopyout(udst, ksrc, len) == 0;
}

export function putU32(udst: u32, v: u32): i32 {
  const t = scratch(SCRATCH_TMP);
  store<u32>(t, v);
  return copyout(udst, t, 4) ? 0 : -EFAULT;
}

export function putU64(udst: u32, v: u64): i32 {
  const t = scratch(SCRATCH_TMP);
  store<u64>(t, v);
  return copyout(udst, t, 8) ? 0 : -EFAULT;
}

/** Reads a u32 from the guest; returns false on a bad pointer. */
export function getU32(usrc: u32, out: usize): bool {
  return copyin(out, usrc, 4);
}

/**
 * Copies a (ptr, len) path from the guest into scratch slot `slot`.
 * Returns the length, or -errno.
 */
export function copyPath(uptr: u32, len: u32, slot: usize): i32 {
  if (len == 0) return -ENOENT;
  if (len >= <u32>PATH_MAX) return -ENAMETOOLONG;
  const k = scratch(slot);
  if (!copyin(k, uptr, len)) return -EFAULT;
  for (let i: u32 = 0; i < len; i++) if (load<u8>(k + i) == 0) return -EINVAL;
  return <i32>len;
}

/**
 * A cursor over a guest iovec array, as BSD's uio: kernel objects move bytes
 * to or from the guest through it without caring how the buffers are split.
 */
@unmanaged
export class Uio {
  iov: usize;    // kernel copy of {u32 base, u32 len}[cnt]
  cnt: i32;
  idx: i32;
  off: u32;      // offset inside iov[idx]
  resid: u32;    // bytes left
}

/** A uio over `cnt` guest iovecs at `uiovs`. Returns null-ish (0) and sets *err. */
export function uioFromIovecs(uiovs: u32, cnt: u32): i32 {
  if (cnt > <u32>IOV_MAX) return -EINVAL;
  const kiov = scratch(SCRATCH_IOV);
  if (!copyin(kiov, uiovs, cnt << 3)) return -EFAULT;
  let total: u64 = 0;
  for (let i: u32 = 0; i < cnt; i++) total += <u64>load<u32>(kiov + (<usize>i << 3) + 4);
  if (total > 0x7fffffff) return -EINVAL;
  const u = changetype<Uio>(scratch(SCRATCH_UIO));
  u.iov = kiov; u.cnt = cnt; u.idx = 0; u.off = 0; u.resid = <u32>total;
  return 0;
}

/** A uio over one guest buffer (read/write). */
export function uioFromBuffer(ubuf: u32, len: u32): i32 {
  if (len > 0x7fffffff) return -EINVAL;
  const kiov = scratch(SCRATCH_IOV);
  store<u32>(kiov, ubuf);
  store<u32>(kiov + 4, len);
  const u = changetype<Uio>(scratch(SCRATCH_UIO));
  u.iov = kiov; u.cnt = 1; u.idx = 0; u.off = 0; u.resid = len;
  return 0;
}

// @ts-ignore: decorator
@inline export function curUio(): Uio { return changetype<Uio>(scratch(SCRATCH_UIO)); }

/**
 * Moves `n` bytes (n <= resid) between kernel address `k` and the guest
 * buffers; `toUser` is the direction. Returns false on a bad guest range,
 * with the cursor left where the fault happened.
 */
export function uioMove(u: Uio, k: usize, n: u32, toUser: bool): bool {
  while (n > 0) {
    const e = u.iov + (<usize>u.idx << 3);
    const base = load<u32>(e);
    const len = load<u32>(e + 4);
    const avail = len - u.off;
    if (avail == 0) { u.idx++; u.off = 0; continue; }
    const m = avail < n ? avail : n;
    const ok = toUser ? copyout(base + u.off, k, m) : copyin(k, base + u.off, m);
    if (!ok) return false;
    u.off += m; u.resid -= m; n -= m; k += m;
  }
  return true;
}

/** Skips `n` bytes already handled by an earlier attempt of this call. */
export function uioSkip(u: Uio, n: u32): void {
  while (n > 0 && u.resid > 0) {
    const len = load<u32>(u.iov + (<usize>u.idx << 3) + 4);
    const avail = len - u.off;
    if (avail == 0) { u.idx++; u.off = 0; continue; }
    const m = avail < n ? avail : n;
    u.off += m; u.resid -= m; n -= m;
  }
}

/** The length of the cursor's current guest segment, its address in sc().segBase (zero-copy host I/O). */
export function uioSegment(u: Uio): u32 {
  while (u.idx < u.cnt) {
    const e = u.iov + (<usize>u.idx << 3);
    const len = load<u32>(e + 4);
    if (len - u.off > 0) { sc().segBase = load<u32>(e) + u.off; return len - u.off; }
    u.idx++; u.off = 0;
  }
  return 0;
}
