// wasi_snapshot_preview1 over the same kernel objects. WASI returns errno as
// a positive number and results through pointers; the KBLOCK / KDEAD
// sentinels pass through unchanged for the host.

import { EBADF, EINVAL, EFAULT, ENOTSUP, ENOTSOCK, ENOTDIR, ENAMETOOLONG, EISDIR, ESPIPE } from "../abi/errno";
import { KBLOCK, KDEAD } from "../abi/errno";
import {
  O_RDONLY, O_WRONLY, O_RDWR, O_ACCMODE, O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_NONBLOCK, O_DIRECTORY, O_NOFOLLOW,
  PATH_MAX, SEEK_CUR,
} from "../abi/constants";
import { cur, curProc } from "./task";
import {
  copyout, putU32, putU64, scratch, SCRATCH_PATH1, SCRATCH_PATH2, SCRATCH_TMP, SCRATCH_REC, copyPath, sc,
} from "./user";
import {
  File, filePut, fdGet, fdInstallAt, fdClose, fops, seekable, FT_DIR, FT_HOSTDIR, isDirFile, fdRenumber,
  fdRights, fdSetRights,
} from "./file";
import {
  fdRead, fdWrite, fdSeek, fdTruncate, fdStat, fdAllocate, fdSetStatusFlags, statusFlags,
  fdReaddir, openFd, fdAdvise, fdSync, fdSetTimes,
} from "./io";
import {
  RIGHT_FD_READ, RIGHT_FD_WRITE, RIGHT_FD_SEEK, RIGHT_FD_TELL, RIGHT_FD_ADVISE, RIGHT_FD_DATASYNC,
  RIGHT_FD_SYNC, RIGHT_FD_ALLOCATE, RIGHT_FD_FDSTAT_SET_FLAGS, RIGHT_FD_FILESTAT_GET,
  RIGHT_FD_FILESTAT_SET_SIZE, RIGHT_FD_FILESTAT_SET_TIMES, RIGHT_FD_READDIR,
} from "./rights";
import { vfsSetTimes } from "./fs/times";
import { vfsMkdir, vfsRemove, vfsRename, vfsStat, vfsSymlink, vfsLink, vfsReadlink, wasiFiletype } from "./vfs";
import { procExit } from "./proc";
import { Inode } from "./vfs";
import { dirInode, dirPath } from "./fs/namei";
import { prestatGet, prestatDirName } from "./preopen";
import { sigRaise } from "./signal";
import { now } from "./clock";
import { pollOneoff } from "./poll";
import { umasked } from "./cred";
import { deterministic, schedRandomLocked } from "./sched";
import { G } from "./globals";

@external("host", "random") declare function hostRandom(ubuf: u32, len: u32): i32;

/** Converts a kernel result to WASI's convention. */
function ret(r: i32): i32 {
  if (r == KBLOCK || r == KDEAD) return r;
  return r < 0 ? -r : 0;
}

// @ts-ignore: decorator
@inline function fget(fd: i32): File | null { return fdGet(curProc(), fd); }

// ---- args and environment ----

function vecSizes(count: i32, bytes: i32, ucount: u32, usize_: u32): i32 {
  if (putU32(ucount, count) < 0 || putU32(usize_, bytes) < 0) return EFAULT;
  return 0;
}

/** Writes the NUL-separated block and the pointer array WASI expects. */
function vecGet(block: usize, count: i32, bytes: i32, uptrs: u32, ubuf: u32): i32 {
  if (!copyout(ubuf, block, bytes)) return EFAULT;
  let off: u32 = 0;
  for (let i = 0; i < count; i++) {
    if (putU32(uptrs + (<u32>i << 2), ubuf + off) < 0) return EFAULT;
    while (load<u8>(block + off) != 0) off++;
    off++;
  }
  return 0;
}

export function wasi_args_sizes_get(argc: u32, size: u32): i32 { const p = curProc(); return vecSizes(p.argc, p.argBytes, argc, size); }
export function wasi_args_get(argv: u32, buf: u32): i32 { const p = curProc(); return vecGet(p.args, p.argc, p.argBytes, argv, buf); }
export function wasi_environ_sizes_get(count: u32, size: u32): i32 { const p = curProc(); return vecSizes(p.envc, p.envBytes, count, size); }
export function wasi_environ_get(env: u32, buf: u32): i32 { const p = curProc(); return vecGet(p.env, p.envc, p.envBytes, env, buf); }

// ---- clocks, random, scheduling ----

export function wasi_clock_res_get(id: i32, ures: u32): i32 {
  if (id < 0 || id > 3) return EINVAL;
  return putU64(ures, 1000) < 0 ? EFAULT : 0;
}

export function wasi_clock_time_get(id: i32, precision: i64, utime: u32): i32 {
  if (id < 0 || id > 3) return EINVAL;
  return putU64(utime, <u64>now(id == 0 ? 0 : 1)) < 0 ? EFAULT : 0;
}

export function wasi_random_get(buf: u32, len: u32): i32 {
  if (!deterministic()) return ret(hostRandom(buf, len));
  // Deterministic mode: bytes from the seeded generator, so runs replay.
  const k = scratch(SCRATCH_TMP);
  for (let off: u32 = 0; off < len; off += 8) {
    store<u64>(k, schedRandomLocked());
    const n = len - off < 8 ? len - off : 8;
    if (!copyout(buf + off, k, n)) return EFAULT;
  }
  return 0;
}
export function wasi_sched_yield(): i32 { return 0; }

export function wasi_proc_exit(code: i32): i32 {
  procExit(curProc(), (code & 0xff) << 8);
  return KDEAD;
}

export function wasi_proc_raise(sig: i32): i32 {
  if (sig <= 0 || sig >= 65) return EINVAL;
  sigRaise(cur(), sig);
  return 0;
}

// ---- descriptors ----
// Each fd_* call names the WASI right it needs (rights.ts): a descriptor
// that gave it up (fd_fdstat_set_rights, path_open) is ENOTCAPABLE.

/**
 * fd_read/fd_write/fd_pread/fd_pwrite: iovecs in, a count out. `at` < 0
 * uses and moves the file offset. pread/pwrite need only the read/write
 * right, so a pipe answers ESPIPE (as Linux), not ENOTCAPABLE.
 */
function iovecIo(fd: i32, iovs: u32, n: u32, at: i64, ucount: u32, write: bool): i32 {
  // A bad count pointer fails before any data moves.
  if (putU32(ucount, 0) < 0) return simpleCheck(fd) != 0 ? EBADF : EFAULT;
  const r = write ? fdWrite(fd, iovs, n, true, at, RIGHT_FD_WRITE) : fdRead(fd, iovs, n, true, at, RIGHT_FD_READ);
  if (r >= 0) return putU32(ucount, r) < 0 ? EFAULT : 0;
  return ret(r);
}

export function wasi_fd_read(fd: i32, iovs: u32, n: u32, unread: u32): i32 { return iovecIo(fd, iovs, n, -1, unread, false); }
export function wasi_fd_write(fd: i32, iovs: u32, n: u32, uwritten: u32): i32 { return iovecIo(fd, iovs, n, -1, uwritten, true); }

export function wasi_fd_pread(fd: i32, iovs: u32, n: u32, off: i64, unread: u32): i32 {
  return off < 0 ? badOr(fd, EINVAL) : iovecIo(fd, iovs, n, off, unread, false);
}

export function wasi_fd_pwrite(fd: i32, iovs: u32, n: u32, off: i64, uwritten: u32): i32 {
  return off < 0 ? badOr(fd, EINVAL) : iovecIo(fd, iovs, n, off, uwritten, true);
}

export function wasi_fd_close(fd: i32): i32 { return ret(fdClose(curProc(), fd)); }

/**
 * fd_seek, fd_tell. A directory's position is its fd_readdir cookie, which
 * the guest keeps itself: fd_seek and fd_tell on a directory are ESPIPE
 * (the spec leaves it open; a directory has no fd_seek/fd_tell rights, and
 * the wasmux ABI's lseek keeps getdents' position for C's telldir).
 */
function seekOut(fd: i32, off: i64, whence: i32, unew: u32, need: u32): i32 {
  const e = dirCheck(fd);
  if (e != 0) return e;
  const r = fdSeek(fd, off, whence, need);
  if (r < 0) return <i32>-r;
  return putU64(unew, <u64>r) < 0 ? EFAULT : 0;
}

export function wasi_fd_seek(fd: i32, off: i64, whence: i32, unew: u32): i32 { return seekOut(fd, off, whence, unew, RIGHT_FD_SEEK); }
export function wasi_fd_tell(fd: i32, uoff: u32): i32 { return seekOut(fd, 0, SEEK_CUR, uoff, RIGHT_FD_TELL); }

function simpleCheck(fd: i32): i32 {
  const f = fget(fd);
  if (f == null) return EBADF;
  filePut(f);
  return 0;
}

/** EBADF for a bad descriptor before the argument error `e`. */
function badOr(fd: i32, e: i32): i32 { return simpleCheck(fd) != 0 ? EBADF : e; }

/** ESPIPE for a directory (see seekOut), EBADF for no descriptor, else 0. */
function dirCheck(fd: i32): i32 {
  const f = fget(fd);
  if (f == null) return EBADF;
  const dir = isDirFile(f);
  filePut(f);
  return dir ? ESPIPE : 0;
}

export function wasi_fd_advise(fd: i32, off: i64, len: i64, advice: i32): i32 { return ret(fdAdvise(fd, off, len, advice, RIGHT_FD_ADVISE)); }
export function wasi_fd_datasync(fd: i32): i32 { return ret(fdSync(fd, true, RIGHT_FD_DATASYNC)); }
export function wasi_fd_sync(fd: i32): i32 { return ret(fdSync(fd, false, RIGHT_FD_SYNC)); }
export function wasi_fd_fdstat_set_rights(fd: i32, base: i64, inh: i64): i32 { return ret(fdSetRights(curProc(), fd, <u64>base, <u64>inh)); }

export function wasi_fd_allocate(fd: i32, off: i64, len: i64): i32 { return ret(fdAllocate(fd, off, len, RIGHT_FD_ALLOCATE)); }

// @ts-ignore: decorator
@inline function fdFiletype(f: File): u8 { return fops(f).filetype(f); }

/** fd_fdstat_get: the filetype, the APPEND/NONBLOCK flags and the rights (rights.ts) of the descriptor. */
export function wasi_fd_fdstat_get(fd: i32, ustat: u32): i32 {
  const f = fget(fd);
  if (f == null) return EBADF;
  const k = scratch(SCRATCH_TMP);
  memory.fill(k, 0, 32);
  store<u8>(k, fdFiletype(f));
  const fl = statusFlags(f);
  let flags: u16 = 0;
  if (fl & O_APPEND) flags |= FDFLAG_APPEND;
  if (fl & O_NONBLOCK) flags |= FDFLAG_NONBLOCK;
  store<u16>(k + 2, flags);
  filePut(f);
  const r = fdRights(curProc(), fd, k + 24);
  if (r < 0) return -r;
  store<u64>(k + 8, <u64>load<u32>(k + 24));
  store<u64>(k + 16, <u64>load<u32>(k + 28));
  return copyout(ustat, k, 24) ? 0 : EFAULT;
}

const FDFLAG_APPEND: u16 = 1;
const FDFLAG_DSYNC: u16 = 2;
const FDFLAG_NONBLOCK: u16 = 4;
const FDFLAG_RSYNC: u16 = 8;
const FDFLAG_SYNC: u16 = 16;

/**
 * fd_fdstat_set_flags: APPEND and NONBLOCK change (as F_SETFL); DSYNC,
 * RSYNC and SYNC are accepted and change nothing, as Linux's F_SETFL
 * ignores them (every tmpfs write is already in memory); any other bit is
 * EINVAL.
 */
export function wasi_fd_fdstat_set_flags(fd: i32, flags: i32): i32 {
  if ((flags & ~<i32>(FDFLAG_APPEND | FDFLAG_DSYNC | FDFLAG_NONBLOCK | FDFLAG_RSYNC | FDFLAG_SYNC)) != 0) return badOr(fd, EINVAL);
  const fl = ((flags & FDFLAG_APPEND) != 0 ? O_APPEND : 0) | ((flags & FDFLAG_NONBLOCK) != 0 ? O_NONBLOCK : 0);
  return ret(fdSetStatusFlags(fd, fl, RIGHT_FD_FDSTAT_SET_FLAGS));
}

/** WASI's filestat from our stat record. */
function toWasiFilestat(k: usize, out: usize, type: u8): void {
  memory.fill(out, 0, 64);
  store<u64>(out, load<u64>(k));
  store<u64>(out + 8, load<u64>(k + 8));
  store<u8>(out + 16, type);
  store<u64>(out + 24, <u64>load<u32>(k + 20));
  store<u64>(out + 32, load<u64>(k + 32));
  store<u64>(out + 40, load<u64>(k + 48));
  store<u64>(out + 48, load<u64>(k + 40));
  store<u64>(out + 56, load<u64>(k + 56));
}

export function wasi_fd_filestat_get(fd: i32, ustat: u32): i32 {
  const k = scratch(SCRATCH_PATH2);
  const type = fdStat(fd, k, RIGHT_FD_FILESTAT_GET);
  if (type < 0) return -type;
  toWasiFilestat(k, k + 64, <u8>type);
  return copyout(ustat, k + 64, 64) ? 0 : EFAULT;
}

/** ftruncate's rules (io.ts fdTruncate): EINVAL for a descriptor not open for writing. */
export function wasi_fd_filestat_set_size(fd: i32, size: i64): i32 { return ret(fdTruncate(fd, size, RIGHT_FD_FILESTAT_SET_SIZE)); }

export function wasi_fd_filestat_set_times(fd: i32, atim: i64, mtim: i64, flags: i32): i32 {
  return ret(fdSetTimes(fd, atim, mtim, flags, RIGHT_FD_FILESTAT_SET_TIMES));
}

/** The preopens and their names: assembly/preopen.ts. */
export function wasi_fd_prestat_get(fd: i32, uout: u32): i32 { return prestatGet(fd, uout); }

export function wasi_fd_prestat_dir_name(fd: i32, ubuf: u32, len: u32): i32 { return prestatDirName(fd, ubuf, len); }

export function wasi_fd_readdir(fd: i32, ubuf: u32, len: u32, cookie: i64, uused: u32): i32 {
  const r = fdReaddir(fd, cookie, ubuf, len, true, false, RIGHT_FD_READDIR);
  if (r < 0) return -r;
  return putU32(uused, r) < 0 ? EFAULT : 0;
}

/** fd_renumber: `to` must be open; it is closed and `from` moves there (file.ts fdRenumber). */
export function wasi_fd_renumber(from: i32, to: i32): i32 { return ret(fdRenumber(curProc(), from, to)); }

// ---- paths: each relative to its directory descriptor (openat-style) ----

/**
 * 0 if `fd` is a descriptor of the root directory (the preopen or a dup of
 * it), else EBADF / ENOTDIR / ENOTSUP. Decided by what the descriptor is
 * now, not by its number: after close(3) or dup2(x, 3), fd 3 no longer
 * means "/" (what fd_prestat_* report).
 */
function rootDirErr(fd: i32): i32 {
  const f = fget(fd);
  if (f == null) return EBADF;
  const isdir = f.type == FT_DIR;
  const root = f.inode == G().root;
  filePut(f);
  if (!isdir) return ENOTDIR;
  return root ? 0 : ENOTSUP;
}

/**
 * The directory a WASI path is relative to: the File behind `dirfd`, held
 * (the caller puts it), or -errno: EBADF for no descriptor, ENOTDIR for one
 * that is not a directory (tmpfs or host).
 */
function wasiDir(dirfd: i32): isize {
  const f = fget(dirfd);
  if (f == null) return -EBADF;
  if (f.type != FT_DIR && f.type != FT_HOSTDIR) { filePut(f); return -ENOTDIR; }
  return changetype<isize>(f);
}

// @ts-ignore: decorator
@inline function asDir(r: isize): File { return changetype<File>(r); }

/**
 * Copies a WASI path into scratch `slot` and gets its directory. Returns the
 * directory File (held) with the path's length in sc().normLen, or -errno.
 * The path is checked first: a path of 2^31 bytes is ENAMETOOLONG before any
 * copy, a bad pointer EFAULT, a NUL inside EINVAL.
 */
function wasiPath(dirfd: i32, upath: u32, len: u32, slot: usize): isize {
  const n = copyPath(upath, len, slot);
  if (n < 0) {
    const d = wasiDir(dirfd);   // a bad descriptor is reported before a bad path, as node:wasi and wasmtime
    if (d < 0) return d;
    filePut(asDir(d));
    return n;
  }
  const d = wasiDir(dirfd);
  if (d < 0) return d;
  const m = dirPath(asDir(d), slot, n);   // a host directory: its path now, in front
  if (m < 0) { filePut(asDir(d)); return m; }
  sc().normLen = m;
  return d;
}

/** Where a walk relative to the directory File `d` starts. */
// @ts-ignore: decorator
@inline function dirOf(d: isize): Inode | null { return dirInode(changetype<File>(d)); }

export function wasi_path_open(dirfd: i32, dirflags: i32, upath: u32, len: u32, oflags: i32,
                               base: i64, inheriting: i64, fdflags: i32, ufd: u32): i32 {
  const d = wasiPath(dirfd, upath, len, SCRATCH_PATH1);
  if (d < 0) return <i32>-d;
  const n = sc().normLen;
  const read = (base & 0x2) != 0 || (base & 0x4000) != 0;   // FD_READ or FD_READDIR
  const write = (base & 0x40) != 0;
  let flags = write ? (read ? O_RDWR : O_WRONLY) : O_RDONLY;
  if (oflags & 1) flags |= O_CREAT;
  if (oflags & 2) flags |= O_DIRECTORY;
  if (oflags & 4) flags |= O_EXCL;
  if (oflags & 8) flags |= O_TRUNC;
  if (fdflags & 1) flags |= O_APPEND;
  if (fdflags & 4) flags |= O_NONBLOCK;
  if ((oflags & 2) != 0) flags = (flags & ~3) | O_RDONLY;
  if ((dirflags & 1) == 0) flags |= O_NOFOLLOW;   // no LOOKUPFLAGS_SYMLINK_FOLLOW
  let fd = openFd(scratch(SCRATCH_PATH1), n, flags, umasked(0o644), false, dirOf(d));
  // Rights are what a descriptor may do, not an access mode: asked for
  // every right (fd_write included), a directory opens for what a
  // directory can do (rights.ts), as under wasmtime, where Linux's open
  // would say EISDIR.
  if (fd == -EISDIR && (flags & O_ACCMODE) != O_RDONLY && (flags & (O_CREAT | O_TRUNC)) == 0) {
    fd = openFd(scratch(SCRATCH_PATH1), n, (flags & ~O_ACCMODE) | O_RDONLY | O_DIRECTORY, umasked(0o644), false, dirOf(d));
  }
  filePut(asDir(d));
  if (fd < 0) return ret(fd);
  // The descriptor keeps only the rights it asked for.
  fdSetRights(curProc(), fd, <u64>base, <u64>inheriting, false);
  if (putU32(ufd, fd) < 0) { fdClose(curProc(), fd); return EFAULT; }
  return 0;
}

export function wasi_path_create_directory(dirfd: i32, upath: u32, len: u32): i32 {
  const d = wasiPath(dirfd, upath, len, SCRATCH_PATH1);
  if (d < 0) return <i32>-d;
  const r = vfsMkdir(scratch(SCRATCH_PATH1), sc().normLen, umasked(0o755), dirOf(d));
  filePut(asDir(d));
  return ret(r);
}

function removeAt(dirfd: i32, upath: u32, len: u32, wantDir: bool): i32 {
  const d = wasiPath(dirfd, upath, len, SCRATCH_PATH1);
  if (d < 0) return <i32>-d;
  const r = vfsRemove(scratch(SCRATCH_PATH1), sc().normLen, wantDir, dirOf(d));
  filePut(asDir(d));
  return ret(r);
}

export function wasi_path_remove_directory(dirfd: i32, upath: u32, len: u32): i32 { return removeAt(dirfd, upath, len, true); }
export function wasi_path_unlink_file(dirfd: i32, upath: u32, len: u32): i32 { return removeAt(dirfd, upath, len, false); }

/** Two paths, each with its directory (rename, link): 0 or an errno; the Files in `out`, `out + 8`. */
function wasiPathPair(d1: i32, p1: u32, l1: u32, d2: i32, p2: u32, l2: u32, out: usize): i32 {
  const a = wasiPath(d1, p1, l1, SCRATCH_PATH1);
  if (a < 0) return <i32>-a;
  const n1 = sc().normLen;
  const b = wasiPath(d2, p2, l2, SCRATCH_PATH2);
  if (b < 0) { filePut(asDir(a)); return <i32>-b; }
  store<usize>(out, a);
  store<usize>(out + 8, b);
  store<i32>(out + 16, n1);
  store<i32>(out + 20, sc().normLen);
  return 0;
}

export function wasi_path_rename(d1: i32, p1: u32, l1: u32, d2: i32, p2: u32, l2: u32): i32 {
  const k = scratch(SCRATCH_REC);
  const e = wasiPathPair(d1, p1, l1, d2, p2, l2, k);
  if (e != 0) return e;
  const a = changetype<File>(load<usize>(k)), b = changetype<File>(load<usize>(k + 8));
  const r = vfsRename(scratch(SCRATCH_PATH1), load<i32>(k + 16), scratch(SCRATCH_PATH2), load<i32>(k + 20), dirInode(a), dirInode(b));
  filePut(a); filePut(b);
  return ret(r);
}

export function wasi_path_link(d1: i32, fl: i32, p1: u32, l1: u32, d2: i32, p2: u32, l2: u32): i32 {
  const k = scratch(SCRATCH_REC);
  const e = wasiPathPair(d1, p1, l1, d2, p2, l2, k);
  if (e != 0) return e;
  const a = changetype<File>(load<usize>(k)), b = changetype<File>(load<usize>(k + 8));
  const r = vfsLink(scratch(SCRATCH_PATH1), load<i32>(k + 16), dirInode(a), scratch(SCRATCH_PATH2), load<i32>(k + 20), dirInode(b), (fl & 1) != 0);
  filePut(a); filePut(b);
  return ret(r);
}

export function wasi_path_filestat_get(dirfd: i32, flags: i32, upath: u32, len: u32, ustat: u32): i32 {
  const d = wasiPath(dirfd, upath, len, SCRATCH_PATH1);
  if (d < 0) return <i32>-d;
  const k = scratch(SCRATCH_PATH2);
  const r = vfsStat(scratch(SCRATCH_PATH1), sc().normLen, k, (flags & 1) != 0, dirOf(d));   // lstat without SYMLINK_FOLLOW
  filePut(asDir(d));
  if (r < 0) return -r;
  toWasiFilestat(k, k + 64, <u8>wasiFiletype(load<u32>(k + 16)));
  return copyout(ustat, k + 64, 64) ? 0 : EFAULT;
}

/**
 * Resolves the path as path_filestat_get does (the same errnos); what the
 * times become is the inode's business (fd_filestat_set_times' helper).
 */
export function wasi_path_filestat_set_times(dirfd: i32, flags: i32, upath: u32, len: u32, atim: i64, mtim: i64, fst: i32): i32 {
  const d = wasiPath(dirfd, upath, len, SCRATCH_PATH1);
  if (d < 0) return <i32>-d;
  const r = vfsSetTimes(scratch(SCRATCH_PATH1), sc().normLen, (flags & 1) != 0, atim, mtim, fst, dirOf(d));   // LOOKUPFLAGS_SYMLINK_FOLLOW
  filePut(asDir(d));
  return ret(r);
}

/** symlink: `p1` is the target, kept as given (it is not a path in any directory). */
export function wasi_path_symlink(p1: u32, l1: u32, dirfd: i32, p2: u32, l2: u32): i32 {
  const t = copyPath(p1, l1, SCRATCH_PATH2);
  if (t < 0) return -t;
  const d = wasiPath(dirfd, p2, l2, SCRATCH_PATH1);
  if (d < 0) return <i32>-d;
  const r = vfsSymlink(scratch(SCRATCH_PATH2), t, scratch(SCRATCH_PATH1), sc().normLen, dirOf(d));
  filePut(asDir(d));
  return ret(r);
}

/** readlink: up to `blen` bytes of the target (truncated, as readlink(2)); their count in *uused. */
export function wasi_path_readlink(dirfd: i32, upath: u32, len: u32, ubuf: u32, blen: u32, uused: u32): i32 {
  const d = wasiPath(dirfd, upath, len, SCRATCH_PATH1);
  if (d < 0) return <i32>-d;
  const k = scratch(SCRATCH_PATH2);
  const r = vfsReadlink(scratch(SCRATCH_PATH1), sc().normLen, dirOf(d), k);
  filePut(asDir(d));
  if (r < 0) return -r;
  const m: u32 = <u32>r < blen ? <u32>r : blen;
  if (!copyout(ubuf, k, m)) return EFAULT;
  return putU32(uused, m) < 0 ? EFAULT : 0;
}

export function wasi_poll_oneoff(uin: u32, uout: u32, nsubs: u32, uevents: u32): i32 {
  return pollOneoff(uin, uout, nsubs, uevents);
}

// ---- sockets: none yet ----

function notSock(fd: i32): i32 { const r = simpleCheck(fd); return r != 0 ? r : ENOTSOCK; }
export function wasi_sock_accept(fd: i32, flags: i32, ufd: u32): i32 { return notSock(fd); }
export function wasi_sock_recv(fd: i32, iovs: u32, n: u32, flags: i32, unread: u32, uoflags: u32): i32 { return notSock(fd); }
export function wasi_sock_send(fd: i32, iovs: u32, n: u32, flags: i32, uwritten: u32): i32 { return notSock(fd); }
export function wasi_sock_shutdown(fd: i32, how: i32): i32 { return notSock(fd); }
