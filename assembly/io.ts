// The descriptor operations behind both syscall ABIs, as Linux's ksys_*:
// wasi_* (wasi.ts) and sys_* (syscall.ts) only decode their arguments and
// encode the result, and what an operation checks and does is written once,
// here, so the two cannot drift apart (fd_filestat_set_size once lacked
// ftruncate's check for a descriptor not open for writing). Results are
// >= 0, -errno, or the KBLOCK / KDEAD sentinels, which pass through.

import { EBADF, EINVAL, ENOTDIR } from "../abi/errno";
import { KBLOCK, KDEAD } from "../abi/errno";
import { O_ACCMODE, O_NONBLOCK, O_APPEND } from "../abi/constants";
import { curProc } from "./task";
import { curUio, uioFromBuffer, uioFromIovecs } from "./user";
import {
  File, fdGet, filePut, fdInstall, fops, fileRead, fileWrite, fileSeek, fileStat, isDirFile,
  writable, fileGetOffset, fileSetOffset, fileSetFlags,
} from "./file";
import { Inode, vfsOpen, dirRead, dirNext } from "./vfs";

// @ts-ignore: decorator
@inline function fget(fd: i32): File | null { return fdGet(curProc(), fd); }

/**
 * read, readv, pread (fd_read, fd_pread): into one guest buffer or, with
 * `iovec`, the `n` iovecs at `ubuf`; at the file offset (`at` < 0) or at `at`.
 */
export function fdRead(fd: i32, ubuf: u32, n: u32, iovec: bool, at: i64): i32 {
  const f = fget(fd);
  if (f == null) return -EBADF;
  let r = iovec ? uioFromIovecs(ubuf, n) : uioFromBuffer(ubuf, n);
  if (r == 0) r = fileRead(f, curUio(), at);
  filePut(f);
  return r;
}

/** write, writev, pwrite (fd_write, fd_pwrite); as fdRead. */
export function fdWrite(fd: i32, ubuf: u32, n: u32, iovec: bool, at: i64): i32 {
  const f = fget(fd);
  if (f == null) return -EBADF;
  let r = iovec ? uioFromIovecs(ubuf, n) : uioFromBuffer(ubuf, n);
  if (r == 0) r = fileWrite(f, curUio(), at);
  filePut(f);
  return r;
}

/** lseek, fd_seek, fd_tell: the new offset. */
export function fdSeek(fd: i32, off: i64, whence: i32): i64 {
  const f = fget(fd);
  if (f == null) return -EBADF;
  const r = fileSeek(f, off, whence);
  filePut(f);
  return r;
}

/**
 * ftruncate, fd_filestat_set_size. A descriptor not open for writing gets
 * EINVAL, as Linux's ftruncate gives (POSIX allows EBADF or EINVAL; WASI's
 * rights would say ENOTCAPABLE, but wasi-libc hands the errno straight to
 * C's ftruncate, whose callers expect Linux's answer). So do a negative
 * length and a file that cannot be truncated (a pipe, a device).
 */
export function fdTruncate(fd: i32, size: i64): i32 {
  const f = fget(fd);
  if (f == null) return -EBADF;
  const r = !writable(f) || size < 0 ? -EINVAL : fops(f).truncate(f, size);
  filePut(f);
  return r;
}

/**
 * fstat, fd_filestat_get: the 64-byte stat record (docs/abi.md) at kernel
 * address `k`. Returns the file's WASI filetype (fd_filestat_get needs it).
 */
export function fdStat(fd: i32, k: usize): i32 {
  const f = fget(fd);
  if (f == null) return -EBADF;
  fileStat(f, k);
  const type = <i32>fops(f).filetype(f);
  filePut(f);
  return type;
}

/** fd_allocate (posix_fallocate): EBADF unless open for writing, as Linux's fallocate. */
export function fdAllocate(fd: i32, off: i64, len: i64): i32 {
  const f = fget(fd);
  if (f == null) return -EBADF;
  const r = writable(f) ? fops(f).allocate(f, off, len) : -EBADF;
  filePut(f);
  return r;
}

/** The status flags F_GETFL reports (and fd_fdstat_get, in WASI's bits). */
// @ts-ignore: decorator
@inline export function statusFlags(f: File): i32 { return f.flags & (O_ACCMODE | O_NONBLOCK | O_APPEND); }

/** F_SETFL, fd_fdstat_set_flags: O_NONBLOCK and O_APPEND change; the rest is kept. */
export function setStatusFlags(f: File, flags: i32): void {
  fileSetFlags(f, O_NONBLOCK | O_APPEND, flags);   // under the file lock
}

export function fdSetStatusFlags(fd: i32, flags: i32): i32 {
  const f = fget(fd);
  if (f == null) return -EBADF;
  setStatusFlags(f, flags);
  filePut(f);
  return 0;
}

/**
 * getdents (from the file offset, which it advances: `advance`) and
 * fd_readdir (from the caller's cookie, `start`): the bytes written.
 */
export function fdReaddir(fd: i32, start: i64, ubuf: u32, len: u32, wasi: bool, advance: bool): i32 {
  const f = fget(fd);
  if (f == null) return -EBADF;
  let r = -ENOTDIR;
  if (isDirFile(f)) {
    r = dirRead(f, advance ? fileGetOffset(f) : start, ubuf, len, wasi);
    if (r >= 0 && advance) fileSetOffset(f, dirNext());
  }
  filePut(f);
  return r;
}

/**
 * open, openat, path_open: the namespace's open (kernel path at `path`,
 * relative to the directory `base`, null: the cwd), then the
 * lowest free descriptor. KBLOCK while a FIFO open waits for its peer.
 */
export function openFd(path: usize, n: i32, flags: i32, mode: u32, cloexec: bool, base: Inode | null = null): i32 {
  const r = vfsOpen(path, n, flags, mode, false, base);
  if (r < 0 || r == KBLOCK || r == KDEAD) return <i32>r;
  const f = changetype<File>(r);
  const fd = fdInstall(curProc(), f, 0, cloexec);
  if (fd < 0) filePut(f);
  return fd;
}
