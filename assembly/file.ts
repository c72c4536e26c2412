// Open file descriptions and per-process descriptor tables. A File is shared
// by dup/dup2/inheritance and counted; the descriptor table maps small
// integers to Files plus the per-descriptor FD_CLOEXEC flag.

import { EBADF, EMFILE, ENOMEM } from "../abi/errno";
import { O_ACCMODE, O_RDONLY, O_WRONLY, O_RDWR, FD_CLOEXEC } from "../abi/constants";
import { kalloc, kfree } from "./alloc";
import { acquire, release } from "./lock";
import { Proc } from "./task";
import { Pipe, pipeDetach, pipeFree } from "./pipe";
import { Inode, inodePut, fifoDetach } from "./vfs";
import { hostFdOp, HOST_CLOSE } from "./mount";

export function hostClose(fd: i32): void { hostFdOp(HOST_CLOSE, fd, 0); }

export const FT_PIPE = 1;
export const FT_REG = 2;
export const FT_DIR = 3;
export const FT_NULL = 4;
export const FT_ZERO = 5;
export const FT_CONSOLE = 6;
export const FT_HOST = 7;
export const FT_HOSTDIR = 8;

@unmanaged
export class File {
  ref: i32;
  type: i32;
  flags: i32;     // open flags: access mode, O_NONBLOCK, O_APPEND
  lock: i32;      // guards offset
  offset: i64;
  obj: usize;     // Pipe* for FT_PIPE
  inode: usize;   // Inode* (held reference) when the file came from the namespace
  aux: i32;       // FT_CONSOLE: host stream (1 = stdout, 2 = stderr); FT_HOST(DIR): host fd
  hpath: usize;   // FT_HOST(DIR): the host path
  hpathLen: i32;
}

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

export function fileHold(f: File): File { atomic.add<i32>(changetype<usize>(f), 1); return f; }

/** Drops a reference; the last one releases the object behind the file. */
export function filePut(f: File): void {
  if (atomic.sub<i32>(changetype<usize>(f), 1) != 1) return;
  if (f.type == FT_PIPE) {
    const p = changetype<Pipe>(f.obj);
    if (f.inode != 0) fifoDetach(changetype<Inode>(f.inode), p, readable(f), writable(f));
    else if (pipeDetach(p, readable(f), writable(f))) pipeFree(p);
  }
  if (f.type == FT_HOST || f.type == FT_HOSTDIR) { hostClose(f.aux); kfree(f.hpath); }
  if (f.inode != 0) inodePut(changetype<Inode>(f.inode));
  kfree(changetype<usize>(f));
}

// ---- descriptor tables: maxFds entries of {File* file, u32 fdflags} ----

// @ts-ignore: decorator
@inline function slot(p: Proc, fd: i32): usize { return p.fdt + (<usize>fd << 3); }
// @ts-ignore: decorator
@inline function fdLock(p: Proc): usize { return changetype<usize>(p) + offsetof<Proc>("lock"); }

export function fdtCreate(p: Proc, maxFds: i32): bool {
  p.fdt = kalloc(<usize>maxFds << 3);
  p.maxFds = maxFds;
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
  for (let fd = minFd < 0 ? 0 : minFd; fd < p.maxFds; fd++) {
    if (load<usize>(slot(p, fd)) == 0) {
      store<usize>(slot(p, fd), changetype<usize>(f));
      store<u32>(slot(p, fd) + 4, cloexec ? FD_CLOEXEC : 0);
      if (fd >= p.fdHigh) p.fdHigh = fd + 1;
      release(fdLock(p));
      return fd;
    }
  }
  release(fdLock(p));
  return -EMFILE;
}

/** Puts `f` at exactly `fd` (dup2), closing what was there. Takes over the reference. */
export function fdInstallAt(p: Proc, f: File, fd: i32, cloexec: bool): i32 {
  if (fd < 0 || fd >= p.maxFds) return -EBADF;
  acquire(fdLock(p));
  const old = load<usize>(slot(p, fd));
  store<usize>(slot(p, fd), changetype<usize>(f));
  store<u32>(slot(p, fd) + 4, cloexec ? FD_CLOEXEC : 0);
  if (fd >= p.fdHigh) p.fdHigh = fd + 1;
  release(fdLock(p));
  if (old != 0) filePut(changetype<File>(old));
  return fd;
}

export function fdClose(p: Proc, fd: i32): i32 {
  if (fd < 0 || fd >= p.maxFds) return -EBADF;
  acquire(fdLock(p));
  const f = load<usize>(slot(p, fd));
  store<usize>(slot(p, fd), 0);
  release(fdLock(p));
  if (f == 0) return -EBADF;
  filePut(changetype<File>(f));
  return 0;
}

export function fdGetFlags(p: Proc, fd: i32): i32 {
  if (fd < 0 || fd >= p.maxFds || load<usize>(slot(p, fd)) == 0) return -EBADF;
  return <i32>load<u32>(slot(p, fd) + 4);
}

export function fdSetFlags(p: Proc, fd: i32, flags: i32): i32 {
  if (fd < 0 || fd >= p.maxFds || load<usize>(slot(p, fd)) == 0) return -EBADF;
  store<u32>(slot(p, fd) + 4, flags & FD_CLOEXEC);
  return 0;
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
    store<usize>(slot(child, fd), f);
    store<u32>(slot(child, fd) + 4, load<u32>(slot(parent, fd) + 4));
  }
  release(fdLock(parent));
  return 0;
}

/** Closes the descriptors marked FD_CLOEXEC (when a new image starts). */
export function fdtCloseExec(p: Proc): void {
  for (let fd = 0; fd < p.fdHigh; fd++) {
    if (load<usize>(slot(p, fd)) != 0 && (load<u32>(slot(p, fd) + 4) & FD_CLOEXEC) != 0) fdClose(p, fd);
  }
}

/** Closes everything and frees the table (exit). */
export function fdtDestroy(p: Proc): void {
  if (p.fdt == 0) return;
  for (let fd = 0; fd < p.fdHigh; fd++) if (load<usize>(slot(p, fd)) != 0) fdClose(p, fd);
  kfree(p.fdt);
  p.fdt = 0;
}

