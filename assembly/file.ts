// Open file descriptions and per-process descriptor tables. A File is shared
// by dup/dup2/inheritance and counted; the descriptor table maps small
// integers to Files plus the per-descriptor FD_CLOEXEC flag.
//
// What a File does depends on its type, through one operations table (as
// Linux's file_operations or xv6's devsw): FILE_OPS[f.type] is that type's
// row, defined in the type's own file under assembly/fs/. A new kind of
// descriptor is one new file there plus one row here.

import { EBADF, EMFILE, ENOMEM, EINVAL, EISDIR, ESPIPE, ENOTSUP, ENOTDIR, ENOTCAPABLE } from "../abi/errno";
import {
  O_ACCMODE, O_RDONLY, O_WRONLY, O_RDWR, FD_CLOEXEC, SEEK_SET, SEEK_CUR, SEEK_END, S_IFIFO,
} from "../abi/constants";
import { kalloc, kfree } from "./alloc";
import { acquire, release } from "./lock";
import { Proc } from "./task";
import { Inode, inodePut, statFill } from "./vfs";
import { Uio } from "./user";
import { hostFdOp, HOST_CLOSE } from "./mount";
import { PIPE_OPS } from "./fs/pipe";
import { REG_OPS } from "./fs/reg";
import { DIR_OPS } from "./fs/dir";
import { NULL_OPS, ZERO_OPS } from "./fs/dev";
import { CONSOLE_OPS } from "./fs/console";
import { HOST_OPS, HOSTDIR_OPS } from "./fs/host";
import { MQUEUE_OPS } from "./fs/mqueue";
import { FOP_PIO, FOP_DIR } from "./fs/fop";
import { typeRights, typeInheriting, RIGHTS_ALL } from "./rights";

export function hostClose(fd: i32): void { hostFdOp(HOST_CLOSE, fd, 0); }

export const FT_PIPE = 1;
export const FT_REG = 2;
export const FT_DIR = 3;
export const FT_NULL = 4;
export const FT_ZERO = 5;
export const FT_CONSOLE = 6;
export const FT_HOST = 7;
export const FT_HOSTDIR = 8;
export const FT_MQUEUE = 9;

@unmanaged
export class File {
  ref: i32;
  type: i32;
  flags: i32;     // open flags: access mode, O_NONBLOCK, O_APPEND
  lock: i32;      // guards offset
  offset: i64;
  obj: usize;     // Pipe* for FT_PIPE, MQueue* for FT_MQUEUE
  inode: usize;   // Inode* (held reference) when the file came from the namespace
  aux: i32;       // FT_CONSOLE: host stream (1 = stdout, 2 = stderr); FT_HOST(DIR): host fd
  hpath: usize;   // FT_HOST(DIR): the host path
  hpathLen: i32;
  pname: usize;   // a WASI preopen's name (kernel block: u32 length, bytes; assembly/preopen.ts), or 0
}

// ---- the operations table ----

/** read/write: into or from the uio, at the file offset (`at` < 0) or at `at` (pread/pwrite). */
export type IoOp = (f: File, u: Uio, at: i64) => i32;
/** lseek: the new offset or -errno. */
export type SeekOp = (f: File, off: i64, whence: i32) => i64;
/** fstat: fills the 64-byte stat record (docs/abi.md) at kernel address `k`. */
export type StatOp = (f: File, k: usize) => void;
/**
 * poll: ready for reading (or, with `write`, writing)? When ready it fills
 * the WASI event at `ev` (nbytes @16, flags @24, error @8); when not and
 * `queue` is set, it puts the task on the wait queue that will signal the
 * change, under the lock that guards the state it checked.
 */
export type PollOp = (f: File, write: bool, queue: bool, ev: usize) => bool;
/** ftruncate / fd_filestat_set_size once the descriptor is known writable. */
export type TruncOp = (f: File, size: i64) => i32;
/** fd_allocate: make [off, off + len) part of the file. */
export type AllocOp = (f: File, off: i64, len: i64) => i32;
/**
 * Directory listing: the entries after listing cookie `start` (0: from the
 * beginning) packed into `out` (at most `cap` bytes) as {u64 ino, u64 next,
 * u8 d_type, u8 namelen, name}, where `next` is the cookie to go on from
 * after that entry (dirent.ts); the count or -errno.
 */
export type ListOp = (f: File, start: i64, out: usize, cap: u32) => i32;
/** The WASI filetype of the open file. */
export type TypeOp = (f: File) => u8;
/** The last reference is gone: release what the file holds (besides its inode). */
export type CloseOp = (f: File) => void;
/**
 * Process `p` closes one of its descriptors of the file (close, dup2 over
 * it, exec's close-on-exec, exit), as Linux's `flush`: called for every
 * descriptor, not only the last reference.
 */
export type FlushOp = (f: File, p: Proc) => void;

export { FOP_PIO, FOP_DIR };

/**
 * One row of the table, viewed over a constant StaticArray<usize> (asc puts
 * such an array, with the function references in it, in the static data:
 * the same bytes in every kernel instance, nothing built at run time, which
 * keeps to invariant 2). A row lists, in exactly this order, the flags and
 * then one function per slot, each written as `changetype<usize>(<Type>fn)`
 * so the compiler checks the function against its slot's type.
 */
@unmanaged
export class FileOps {
  flags: usize;       // FOP_*
  read: IoOp;
  write: IoOp;
  seek: SeekOp;
  stat: StatOp;
  poll: PollOp;
  truncate: TruncOp;
  allocate: AllocOp;
  list: ListOp;
  filetype: TypeOp;
  close: CloseOp;
  flush: FlushOp;
}

/** Slots in a row: the flags and one per operation. */
// @ts-ignore: decorator
@inline const FILEOPS_SLOTS = <i32>(offsetof<FileOps>() / sizeof<usize>());

/** The rows, indexed by FT_*. */
const FILE_OPS: StaticArray<usize> = [
  0,
  changetype<usize>(PIPE_OPS),      // FT_PIPE
  changetype<usize>(REG_OPS),       // FT_REG
  changetype<usize>(DIR_OPS),       // FT_DIR
  changetype<usize>(NULL_OPS),      // FT_NULL
  changetype<usize>(ZERO_OPS),      // FT_ZERO
  changetype<usize>(CONSOLE_OPS),   // FT_CONSOLE
  changetype<usize>(HOST_OPS),      // FT_HOST
  changetype<usize>(HOSTDIR_OPS),   // FT_HOSTDIR
  changetype<usize>(MQUEUE_OPS),    // FT_MQUEUE
];

// @ts-ignore: decorator
@inline export function fops(f: File): FileOps { return changetype<FileOps>(unchecked(FILE_OPS[f.type])); }

/** Checked at boot: a row per type, an entry per slot (a short row would call through garbage). */
export function fileOpsValid(): bool {
  if (FILE_OPS.length != FT_MQUEUE + 1) return false;
  for (let t = 1; t < FILE_OPS.length; t++) {
    if (changetype<StaticArray<usize>>(unchecked(FILE_OPS[t])).length != FILEOPS_SLOTS) return false;
  }
  return true;
}

// Operations shared by several types (a row names them like its own).

export function opWriteNone(f: File, u: Uio, at: i64): i32 { return -EINVAL; }
export function opReadDir(f: File, u: Uio, at: i64): i32 { return -EISDIR; }
export function opSeekNone(f: File, off: i64, whence: i32): i64 { return -ESPIPE; }
export function opPollReady(f: File, write: bool, queue: bool, ev: usize): bool { return true; }
export function opTruncNone(f: File, size: i64): i32 { return -EINVAL; }
export function opAllocNone(f: File, off: i64, len: i64): i32 { return -ENOTSUP; }
export function opListNone(f: File, start: i64, out: usize, cap: u32): i32 { return -ENOTDIR; }
export function opCloseNone(f: File): void {}
export function opFlushNone(f: File, p: Proc): void {}

// An open file's shared state — its offset and status flags — changes only
// under the file's own lock (File.lock), as Linux's f_pos_lock and f_lock:
// processes sharing a File (dup, inheritance) and, later, threads race on
// them. Lock order: the file lock, then the inode's lock.

// @ts-ignore: decorator
@inline export function fileLock(f: File): usize { return changetype<usize>(f) + offsetof<File>("lock"); }

/** The offset, read whole (an i64 store may tear while another thread writes). */
export function fileGetOffset(f: File): i64 {
  acquire(fileLock(f));
  const v = f.offset;
  release(fileLock(f));
  return v;
}

export function fileSetOffset(f: File, v: i64): void {
  acquire(fileLock(f));
  f.offset = v;
  release(fileLock(f));
}

/** Replaces the status flags in `mask` with `bits` (F_SETFL, fd_fdstat_set_flags). */
export function fileSetFlags(f: File, mask: i32, bits: i32): void {
  acquire(fileLock(f));
  f.flags = (f.flags & ~mask) | (bits & mask);
  release(fileLock(f));
}

/**
 * The offset lseek would give (without moving it): from the start, the
 * current offset or `end` (the size, for SEEK_END). -errno when invalid.
 */
export function seekPos(f: File, off: i64, whence: i32, end: i64): i64 {
  let base: i64 = 0;
  if (whence == SEEK_CUR) base = f.offset;
  else if (whence == SEEK_END) base = end;
  else if (whence != SEEK_SET) return -EINVAL;
  const pos = base + off;
  if (pos < 0) return -EINVAL;
  return pos;
}

/** lseek on a file with positions: `end` is the size for SEEK_END. */
export function seekTo(f: File, off: i64, whence: i32, end: i64): i64 {
  // Read, check and move the offset in one step (under the file lock): a write in
  // between would otherwise be overwritten by the next write at a stale offset.
  acquire(fileLock(f));
  const pos = seekPos(f, off, whence, end);
  if (pos >= 0) f.offset = pos;
  release(fileLock(f));
  return pos;
}

/** fstat through the inode the file was opened by, else a synthetic FIFO record. */
export function opStatInode(f: File, k: usize): void {
  if (f.inode != 0) statFill(changetype<Inode>(f.inode), k);
  else anonStat(f, k, 0);
}

/** The stat record of a file with no inode (a pipe, the boot console): a FIFO. */
export function anonStat(f: File, k: usize, size: u64): void {
  memory.fill(k, 0, 64);
  store<u64>(k, 2);
  store<u64>(k + 8, <u64>changetype<usize>(f.obj));
  store<u32>(k + 16, S_IFIFO | 0o600);
  store<u32>(k + 20, 1);
  store<u64>(k + 32, size);
}

// ---- dispatch ----

export function fileAlloc(type: i32, flags: i32, obj: usize, inode: usize): File | null {
  const f = changetype<File>(kalloc(offsetof<File>()));
  if (changetype<usize>(f) == 0) return null;
  f.ref = 1; f.type = type; f.flags = flags; f.obj = obj; f.inode = inode;
  return f;
}

// @ts-ignore: decorator
@inline export function readable(f: File): bool { const m = f.flags & O_ACCMODE; return m == O_RDONLY || m == O_RDWR; }
// @ts-ignore: decorator
@inline export function writable(f: File): bool { const m = f.flags & O_ACCMODE; return m == O_WRONLY || m == O_RDWR; }
// @ts-ignore: decorator
@inline export function isDirFile(f: File): bool { return (fops(f).flags & FOP_DIR) != 0; }
/** lseek moves it (the rights WASI reports: wasi-libc's isatty tells a tty by a missing seek right). */
// @ts-ignore: decorator
@inline export function seekable(f: File): bool { return (fops(f).flags & (FOP_PIO | FOP_DIR)) != 0; }

/** Reads into the uio at the file offset (`at` < 0) or at `at` (pread). */
export function fileRead(f: File, u: Uio, at: i64): i32 {
  if (!readable(f)) return -EBADF;
  const o = fops(f);
  if (at >= 0 && (o.flags & FOP_PIO) == 0) return (o.flags & FOP_DIR) != 0 ? -EISDIR : -ESPIPE;
  return o.read(f, u, at);
}

export function fileWrite(f: File, u: Uio, at: i64): i32 {
  if (!writable(f)) return -EBADF;
  const o = fops(f);
  if (at >= 0 && (o.flags & FOP_PIO) == 0) return -ESPIPE;
  return o.write(f, u, at);
}

/** lseek on any file. */
export function fileSeek(f: File, off: i64, whence: i32): i64 { return fops(f).seek(f, off, whence); }

/** fstat of an open file into the 64-byte record at `k`. */
export function fileStat(f: File, k: usize): void { fops(f).stat(f, k); }

/** Readiness of one open file for poll_oneoff (see PollOp). */
export function filePoll(f: File, write: bool, queue: bool, ev: usize): bool { return fops(f).poll(f, write, queue, ev); }

/** `p`'s descriptor of `f` is gone (its slot cleared): the type's flush, then the reference goes. */
function fdDrop(p: Proc, f: File): void {
  fops(f).flush(f, p);
  filePut(f);
}

export function fileHold(f: File): File { atomic.add<i32>(changetype<usize>(f), 1); return f; }

/** Drops a reference; the last one releases the object behind the file. */
export function filePut(f: File): void {
  if (atomic.sub<i32>(changetype<usize>(f), 1) != 1) return;
  fops(f).close(f);
  if (f.inode != 0) inodePut(changetype<Inode>(f.inode));
  if (f.pname != 0) kfree(f.pname);
  kfree(changetype<usize>(f));
}

// ---- descriptor tables: maxFds entries of {File* file, u32 fdflags, u32 dropped, u32 droppedInh} ----
// `dropped` and `droppedInh` are the WASI rights (base and inheriting) the
// descriptor has given up (rights.ts): 0 in a new descriptor.

// @ts-ignore: decorator
@inline function slot(p: Proc, fd: i32): usize { return p.fdt + (<usize>fd << 4); }

// @ts-ignore: decorator
@inline function slotFill(p: Proc, fd: i32, f: usize, cloexec: bool): void {
  const s = slot(p, fd);
  store<usize>(s, f);
  store<u32>(s + 4, cloexec ? FD_CLOEXEC : 0);
  store<u64>(s + 8, 0);
}
// @ts-ignore: decorator
@inline function fdLock(p: Proc): usize { return changetype<usize>(p) + offsetof<Proc>("lock"); }

export function fdtCreate(p: Proc, maxFds: i32): bool {
  p.fdt = kalloc(<usize>maxFds << 4);
  p.maxFds = maxFds;
  // RLIMIT_NOFILE (cred.ts): inherited limits stay, within the table.
  if (p.nofileMax <= 0 || p.nofileMax > maxFds) p.nofileMax = maxFds;
  if (p.nofile <= 0 || p.nofile > p.nofileMax) p.nofile = p.nofileMax;
  return p.fdt != 0;
}

/** The File behind `fd`, with a reference the caller must filePut. */
export function fdGet(p: Proc, fd: i32): File | null {
  if (fd < 0 || fd >= p.maxFds) return null;
  acquire(fdLock(p));
  const f = load<usize>(slot(p, fd));
  if (f != 0) fileHold(changetype<File>(f));
  release(fdLock(p));
  return changetype<File | null>(f);
}

/** Installs `f` (taking over the caller's reference) at the lowest free fd >= minFd. */
export function fdInstall(p: Proc, f: File, minFd: i32, cloexec: bool): i32 {
  acquire(fdLock(p));
  for (let fd = minFd < 0 ? 0 : minFd; fd < p.nofile; fd++) {
    if (load<usize>(slot(p, fd)) == 0) {
      slotFill(p, fd, changetype<usize>(f), cloexec);
      if (fd >= p.fdHigh) p.fdHigh = fd + 1;
      release(fdLock(p));
      return fd;
    }
  }
  release(fdLock(p));
  return -EMFILE;
}

/**
 * Installs `a` and `b` at the two lowest free fds in one step (pipe2), so
 * no other thread sees one without the other; writes them at `out` and
 * `out + 4`. Takes over both references on success; -EMFILE leaves them to
 * the caller.
 */
export function fdInstall2(p: Proc, a: File, b: File, cloexec: bool, out: usize): i32 {
  acquire(fdLock(p));
  let first = -1;
  for (let fd = 0; fd < p.nofile; fd++) {
    if (load<usize>(slot(p, fd)) != 0) continue;
    if (first < 0) { first = fd; continue; }
    slotFill(p, first, changetype<usize>(a), cloexec);
    slotFill(p, fd, changetype<usize>(b), cloexec);
    if (fd >= p.fdHigh) p.fdHigh = fd + 1;
    release(fdLock(p));
    store<i32>(out, first);
    store<i32>(out + 4, fd);
    return 0;
  }
  release(fdLock(p));
  return -EMFILE;
}

/**
 * Closes `fd` only if it still holds `f` (undoing our own install: another
 * thread may have closed it and opened something else there meanwhile).
 */
export function fdCloseIf(p: Proc, fd: i32, f: File): void {
  acquire(fdLock(p));
  const mine = load<usize>(slot(p, fd)) == changetype<usize>(f);
  if (mine) store<usize>(slot(p, fd), 0);
  release(fdLock(p));
  if (mine) fdDrop(p, f);
}

/** Puts `f` at exactly `fd` (dup2), closing what was there. Takes over the reference. */
export function fdInstallAt(p: Proc, f: File, fd: i32, cloexec: bool): i32 {
  if (fd < 0 || fd >= p.maxFds) return -EBADF;
  acquire(fdLock(p));
  const old = load<usize>(slot(p, fd));
  slotFill(p, fd, changetype<usize>(f), cloexec);
  if (fd >= p.fdHigh) p.fdHigh = fd + 1;
  release(fdLock(p));
  if (old != 0) fdDrop(p, changetype<File>(old));
  return fd;
}

/**
 * fd_renumber: moves descriptor `from` (with its flags and rights) onto
 * `to`, which must be open too (as the spec's implementations require), and
 * closes what `to` held, in one step under the table lock. `from == to` is
 * a no-op on an open descriptor.
 */
export function fdRenumber(p: Proc, from: i32, to: i32): i32 {
  if (from < 0 || from >= p.maxFds || to < 0 || to >= p.maxFds) return -EBADF;
  acquire(fdLock(p));
  const f = load<usize>(slot(p, from)), old = load<usize>(slot(p, to));
  if (f == 0 || old == 0) { release(fdLock(p)); return -EBADF; }
  if (from == to) { release(fdLock(p)); return 0; }
  memory.copy(slot(p, to), slot(p, from), 16);
  store<usize>(slot(p, from), 0);
  if (p.preopenFd == from) p.preopenFd = to;
  else if (p.preopenFd == to) p.preopenFd = -1;
  release(fdLock(p));
  fdDrop(p, changetype<File>(old));
  // As Linux's dup2(from, to) + close(from): `from` was closed too, which
  // the type hears (a queue's mq_notify registration ends, mqnotify.ts).
  fops(changetype<File>(f)).flush(changetype<File>(f), p);
  return 0;
}

/**
 * The File behind `fd` with a reference the caller must filePut, unless the
 * descriptor gave up one of the WASI rights in `need` (rights.ts):
 * -ENOTCAPABLE then, -EBADF for no descriptor.
 */
export function fdAcquire(p: Proc, fd: i32, need: u32): isize {
  if (fd < 0 || fd >= p.maxFds) return -EBADF;
  acquire(fdLock(p));
  const f = load<usize>(slot(p, fd));
  const dropped = load<u32>(slot(p, fd) + 8);
  const ok = f != 0 && (need & dropped) == 0;
  if (ok) fileHold(changetype<File>(f));
  release(fdLock(p));
  if (f == 0) return -EBADF;
  return ok ? <isize>f : -ENOTCAPABLE;
}

/**
 * The rights of `fd` (base at `out`, inheriting at `out + 4`): those of its
 * file's type less the ones given up. -EBADF for no descriptor.
 */
export function fdRights(p: Proc, fd: i32, out: usize): i32 {
  const f = fdGet(p, fd);
  if (f == null) return -EBADF;
  acquire(fdLock(p));
  const dropped = load<u32>(slot(p, fd) + 8), droppedInh = load<u32>(slot(p, fd) + 12);
  const same = load<usize>(slot(p, fd)) == changetype<usize>(f);
  release(fdLock(p));
  store<u32>(out, same ? typeRights(f) & ~dropped : 0);
  store<u32>(out + 4, same ? typeInheriting(f) & ~droppedInh : 0);
  filePut(f);
  return 0;
}

/**
 * fd_fdstat_set_rights: rights can only shrink. Asking for one the
 * descriptor does not have (now) is ENOTCAPABLE and changes nothing; not
 * `strict` (path_open keeping what it asked for), such rights are ignored.
 */
export function fdSetRights(p: Proc, fd: i32, base: u64, inh: u64, strict: bool = true): i32 {
  const f = fdGet(p, fd);
  if (f == null) return -EBADF;
  const tb = typeRights(f), ti = typeInheriting(f);
  acquire(fdLock(p));
  let r = 0;
  const s = slot(p, fd);
  if (load<usize>(s) != changetype<usize>(f)) r = -EBADF;   // closed or replaced meanwhile
  else {
    const haveB = <u64>(tb & ~load<u32>(s + 8)), haveI = <u64>(ti & ~load<u32>(s + 12));
    if (strict && ((base & ~haveB) != 0 || (inh & ~haveI) != 0)) r = -ENOTCAPABLE;
    else {
      // Every right not kept is given up, also one the type lacks (fd_write
      // of a read-only file): asked for later, it is ENOTCAPABLE.
      store<u32>(s + 8, load<u32>(s + 8) | (RIGHTS_ALL & ~<u32>base));
      store<u32>(s + 12, load<u32>(s + 12) | (RIGHTS_ALL & ~<u32>inh));
    }
  }
  release(fdLock(p));
  filePut(f);
  return r;
}

export function fdClose(p: Proc, fd: i32): i32 {
  if (fd < 0 || fd >= p.maxFds) return -EBADF;
  acquire(fdLock(p));
  const f = load<usize>(slot(p, fd));
  store<usize>(slot(p, fd), 0);
  release(fdLock(p));
  if (f == 0) return -EBADF;
  fdDrop(p, changetype<File>(f));
  return 0;
}

export function fdGetFlags(p: Proc, fd: i32): i32 {
  if (fd < 0 || fd >= p.maxFds) return -EBADF;
  acquire(fdLock(p));
  const r = load<usize>(slot(p, fd)) == 0 ? -EBADF : <i32>load<u32>(slot(p, fd) + 4);
  release(fdLock(p));
  return r;
}

export function fdSetFlags(p: Proc, fd: i32, flags: i32): i32 {
  if (fd < 0 || fd >= p.maxFds) return -EBADF;
  acquire(fdLock(p));   // the slot must not change (close, dup2) between the check and the store
  const open = load<usize>(slot(p, fd)) != 0;
  if (open) store<u32>(slot(p, fd) + 4, flags & FD_CLOEXEC);
  release(fdLock(p));
  return open ? 0 : -EBADF;
}

/** Gives `child` a copy of `parent`'s table, sharing every File. */
export function fdtCopy(parent: Proc, child: Proc): i32 {
  if (!fdtCreate(child, parent.maxFds)) return -ENOMEM;
  acquire(fdLock(parent));
  child.fdHigh = parent.fdHigh;
  for (let fd = 0; fd < parent.fdHigh; fd++) {
    const f = load<usize>(slot(parent, fd));
    if (f == 0) continue;
    fileHold(changetype<File>(f));
    memory.copy(slot(child, fd), slot(parent, fd), 16);   // flags and rights too
  }
  release(fdLock(parent));
  return 0;
}

/** Closes the descriptors marked FD_CLOEXEC (when a new image starts). */
export function fdtCloseExec(p: Proc): void {
  for (let fd = 0; fd < p.fdHigh; fd++) {
    acquire(fdLock(p));
    const f = load<usize>(slot(p, fd));
    const close = f != 0 && (load<u32>(slot(p, fd) + 4) & FD_CLOEXEC) != 0;
    if (close) store<usize>(slot(p, fd), 0);
    release(fdLock(p));
    if (close) fdDrop(p, changetype<File>(f));
  }
}

/** Closes everything and frees the table (exit). */
export function fdtDestroy(p: Proc): void {
  if (p.fdt == 0) return;
  for (let fd = 0; fd < p.fdHigh; fd++) if (load<usize>(slot(p, fd)) != 0) fdClose(p, fd);
  // Unhooked under the lock: a snapshot (snapshot.ts) reads the table under it.
  acquire(fdLock(p));
  const table = p.fdt;
  p.fdt = 0;
  release(fdLock(p));
  kfree(table);
}

