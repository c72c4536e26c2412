// The descriptor operations behind both syscall ABIs, as Linux's ksys_*:
// wasi_* (wasi.ts) and sys_* (syscall.ts) only decode their arguments and
// encode the result, and what an operation checks and does is written once,
// here, so the two cannot drift apart (fd_filestat_set_size once lacked
// ftruncate's check for a descriptor not open for writing). Results are
// >= 0, -errno, or the KBLOCK / KDEAD sentinels, which pass through.

import { EBADF, EINVAL, ENOTDIR, ESPIPE, EROFS, ENOTSUP } from "../abi/errno";
import { KBLOCK, KDEAD } from "../abi/errno";
import { O_ACCMODE, O_NONBLOCK, O_APPEND } from "../abi/constants";
import { curProc } from "./task";
import { curUio, uioFromBuffer, uioFromIovecs } from "./user";
import {
  File, fdAcquire, filePut, fdInstall, fops, fileRead, fileWrite, fileSeek, fileStat, isDirFile,
  writable, fileGetOffset, fileSetOffset, fileSetFlags, FT_REG, FT_DIR, FT_HOST, FT_HOSTDIR, FT_PIPE,
  FT_CONSOLE,
} from "./file";
import { Inode } from "./vfs";
import { HF_STREAM, HF_ROMOUNT, hostFdOp, hostTimes, HOST_FSYNC } from "./mount";
import { inodeSetTimes, resolveTimes, timesFlagsErr } from "./fs/times";
import { scratch, SCRATCH_TMP } from "./user";
import { vfsOpen, dirRead, dirNext } from "./vfs";

/**
 * The File behind `fd` (a reference the caller must filePut), or -EBADF;
 * -ENOTCAPABLE when the descriptor gave up a WASI right in `need`
 * (rights.ts: only the wasi_* adapters pass rights; sys_* pass 0).
 */
// @ts-ignore: decorator
@inline function fgetR(fd: i32, need: u32): isize { return fdAcquire(curProc(), fd, need); }

/**
 * read, readv, pread (fd_read, fd_pread): into one guest buffer or, with
 * `iovec`, the `n` iovecs at `ubuf`; at the file offset (`at` < 0) or at `at`.
 */
export function fdRead(fd: i32, ubuf: u32, n: u32, iovec: bool, at: i64, need: u32 = 0): i32 {
  const g = fgetR(fd, need);
  if (g < 0) return <i32>g;
  const f = changetype<File>(g);
  let r = iovec ? uioFromIovecs(ubuf, n) : uioFromBuffer(ubuf, n);
  if (r == 0) r = fileRead(f, curUio(), at);
  filePut(f);
  return r;
}

/** write, writev, pwrite (fd_write, fd_pwrite); as fdRead. */
export function fdWrite(fd: i32, ubuf: u32, n: u32, iovec: bool, at: i64, need: u32 = 0): i32 {
  const g = fgetR(fd, need);
  if (g < 0) return <i32>g;
  const f = changetype<File>(g);
  let r = iovec ? uioFromIovecs(ubuf, n) : uioFromBuffer(ubuf, n);
  if (r == 0) r = fileWrite(f, curUio(), at);
  filePut(f);
  return r;
}

/** lseek, fd_seek, fd_tell: the new offset. */
export function fdSeek(fd: i32, off: i64, whence: i32, need: u32 = 0): i64 {
  const g = fgetR(fd, need);
  if (g < 0) return <i64>g;
  const f = changetype<File>(g);
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
export function fdTruncate(fd: i32, size: i64, need: u32 = 0): i32 {
  const g = fgetR(fd, need);
  if (g < 0) return <i32>g;
  const f = changetype<File>(g);
  const r = !writable(f) || size < 0 ? -EINVAL : fops(f).truncate(f, size);
  filePut(f);
  return r;
}

/**
 * fstat, fd_filestat_get: the 64-byte stat record (docs/abi.md) at kernel
 * address `k`. Returns the file's WASI filetype (fd_filestat_get needs it).
 */
export function fdStat(fd: i32, k: usize, need: u32 = 0): i32 {
  const g = fgetR(fd, need);
  if (g < 0) return <i32>g;
  const f = changetype<File>(g);
  fileStat(f, k);
  const type = <i32>fops(f).filetype(f);
  filePut(f);
  return type;
}

/** fd_allocate (posix_fallocate): EBADF unless open for writing, as Linux's fallocate. */
export function fdAllocate(fd: i32, off: i64, len: i64, need: u32 = 0): i32 {
  const g = fgetR(fd, need);
  if (g < 0) return <i32>g;
  const f = changetype<File>(g);
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

export function fdSetStatusFlags(fd: i32, flags: i32, need: u32 = 0): i32 {
  const g = fgetR(fd, need);
  if (g < 0) return <i32>g;
  const f = changetype<File>(g);
  setStatusFlags(f, flags);
  filePut(f);
  return 0;
}

/**
 * getdents (from the file offset, which it advances: `advance`) and
 * fd_readdir (from the caller's cookie, `start`): the bytes written.
 */
export function fdReaddir(fd: i32, start: i64, ubuf: u32, len: u32, wasi: bool, advance: bool, need: u32 = 0): i32 {
  const g = fgetR(fd, need);
  if (g < 0) return <i32>g;
  const f = changetype<File>(g);
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

/** A stream without positions (pipe, FIFO, a host FIFO or device, a console that is not a terminal). */
function isStream(f: File): bool {
  if (f.type == FT_PIPE) return true;
  if (f.type == FT_HOST) return (f.flags & HF_STREAM) != 0;
  return f.type == FT_CONSOLE && fops(f).filetype(f) != 2;
}

/**
 * fd_advise (posix_fadvise): advice 0-5 (normal, sequential, random,
 * willneed, dontneed, noreuse) and a range that does not start or run
 * negative, else EINVAL; ESPIPE on a pipe or FIFO, as Linux. The tmpfs is
 * memory and the host's cache is the host's: accepted, nothing to do.
 */
export function fdAdvise(fd: i32, off: i64, len: i64, advice: i32, need: u32 = 0): i32 {
  const g = fgetR(fd, need);
  if (g < 0) return <i32>g;
  const f = changetype<File>(g);
  let r = 0;
  if (isStream(f)) r = -ESPIPE;
  else if (advice < 0 || advice > 5 || off < 0 || len < 0) r = -EINVAL;
  filePut(f);
  return r;
}

/**
 * fsync / fdatasync (fd_sync, fd_datasync): a tmpfs file or directory is
 * always in sync; a host file or directory is flushed by the host; anything
 * else (pipes, terminals, devices) is EINVAL, as Linux answers for a file
 * that cannot be synchronised.
 */
export function fdSync(fd: i32, dataOnly: bool, need: u32 = 0): i32 {
  const g = fgetR(fd, need);
  if (g < 0) return <i32>g;
  const f = changetype<File>(g);
  let r = 0;
  if (f.type == FT_HOSTDIR || (f.type == FT_HOST && (f.flags & HF_STREAM) == 0)) r = <i32>hostFdOp(HOST_FSYNC, f.aux, dataOnly ? 1 : 0);
  else if (f.type != FT_REG && f.type != FT_DIR) r = -EINVAL;
  filePut(f);
  return r;
}

/**
 * futimens (fd_filestat_set_times): atime and/or mtime from the arguments
 * or now (fs/times.ts FST_*). A tmpfs file's own times (anything opened
 * from the namespace: files, directories, FIFOs, devices); a host file's
 * through the host, EROFS below a read-only mount; ENOTSUP for an
 * anonymous pipe or the boot console, which keep no times.
 */
export function fdSetTimes(fd: i32, atim: i64, mtim: i64, fst: i32, need: u32 = 0): i32 {
  const g = fgetR(fd, need);
  if (g < 0) return <i32>g;
  const f = changetype<File>(g);
  let r = timesFlagsErr(fst);
  if (r == 0) {
    if (f.type == FT_HOST || f.type == FT_HOSTDIR) {
      if ((f.flags & HF_ROMOUNT) != 0) r = -EROFS;
      else if (fst != 0) {
        const t = scratch(SCRATCH_TMP);
        r = <i32>hostTimes(f.aux, resolveTimes(atim, mtim, fst, t), t, false);
      }
    } else if (f.inode != 0) r = inodeSetTimes(changetype<Inode>(f.inode), atim, mtim, fst);
    else r = -ENOTSUP;
  }
  filePut(f);
  return r;
}
