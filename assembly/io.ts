// Reading and writing any open file: the switch from a File to the object
// behind it (pipe, tmpfs file, device, console).

import { EBADF, EISDIR, ESPIPE, EINVAL, EFAULT } from "../abi/errno";
import { SEEK_SET, SEEK_CUR, SEEK_END, S_IFIFO } from "../abi/constants";
import { Inode, statFill } from "./vfs";
import { O_NONBLOCK } from "../abi/constants";
import { G, Globals } from "./globals";
import {
  File, readable, writable, FT_PIPE, FT_REG, FT_DIR, FT_NULL, FT_ZERO, FT_CONSOLE, FT_HOST,
  FT_HOSTDIR,
} from "./file";
import { hostIo, hostFdOp, hostOut, HOST_READ, HOST_WRITE, HOST_FSTAT } from "./mount";
import { Pipe, pipeRead, pipeWrite, pipeUsed } from "./pipe";
import { regRead, regWrite } from "./vfs";
import { Uio, uioMove, uioSegment, uioSkip, scratch, SCRATCH_TMP } from "./user";

@external("host", "consoleWrite") declare function hostConsoleWrite(stream: i32, ubuf: u32, len: u32): i32;

// @ts-ignore: decorator
@inline function nonblocking(f: File): bool { return (f.flags & O_NONBLOCK) != 0; }

/** Reads into the uio at the file offset (`at` < 0) or at `at` (pread). */
export function fileRead(f: File, u: Uio, at: i64): i32 {
  if (!readable(f)) return -EBADF;
  const t = f.type;
  if (at >= 0 && t != FT_REG && t != FT_HOST) return t == FT_DIR || t == FT_HOSTDIR ? -EISDIR : -ESPIPE;
  if (t == FT_PIPE) return pipeRead(changetype<Pipe>(f.obj), u, nonblocking(f));
  if (t == FT_HOST) return hostTransfer(f, u, at, HOST_READ);
  if (t == FT_REG) return regRead(f, u, at);
  if (t == FT_CONSOLE) return consoleRead(u, nonblocking(f));
  if (t == FT_NULL) return 0;
  if (t == FT_ZERO) return zeroFill(u);
  if (t == FT_DIR || t == FT_HOSTDIR) return -EISDIR;
  return -EINVAL;
}

export function fileWrite(f: File, u: Uio, at: i64): i32 {
  if (!writable(f)) return -EBADF;
  const t = f.type;
  if (at >= 0 && t != FT_REG && t != FT_HOST) return -ESPIPE;
  if (t == FT_PIPE) return pipeWrite(changetype<Pipe>(f.obj), u, nonblocking(f));
  if (t == FT_HOST) return hostTransfer(f, u, at, HOST_WRITE);
  if (t == FT_REG) return regWrite(f, u, at);
  if (t == FT_CONSOLE) return consoleWrite(f.aux, u);
  if (t == FT_NULL || t == FT_ZERO) { const n = u.resid; uioSkip(u, n); return <i32>n; }
  return -EINVAL;
}

/** Host file I/O goes straight between the host file and guest memory, a segment at a time. */
function hostTransfer(f: File, u: Uio, at: i64, op: i32): i32 {
  const seg = scratch(SCRATCH_TMP + 64);
  let pos = at >= 0 ? at : f.offset;
  let done: u32 = 0;
  while (u.resid > 0) {
    const len = uioSegment(u, seg);
    if (len == 0) break;
    const r = hostIo(op, f.aux, load<u32>(seg), len, pos);
    if (r < 0) { if (done > 0) break; return <i32>r; }
    uioSkip(u, <u32>r);
    done += <u32>r;
    pos += r;
    if (<u32>r < len) break;   // short: end of file or disk full
  }
  if (at < 0) f.offset = pos;
  return <i32>done;
}

function zeroFill(u: Uio): i32 {
  const chunk: u32 = 128;
  const z = scratch(SCRATCH_TMP);
  memory.fill(z, 0, chunk);
  let done: u32 = 0;
  while (u.resid > 0) {
    const n = u.resid < chunk ? u.resid : chunk;
    if (!uioMove(u, z, n, true)) return done > 0 ? <i32>done : -EFAULT;
    done += n;
  }
  return <i32>done;
}

/** A ^D is waiting to end a console read (k_consoleEof). */
export function consoleEofPending(): bool {
  return atomic.load<i32>(changetype<usize>(G()) + offsetof<Globals>("consoleEofs")) > 0;
}

/** Terminal input: the console pipe, where a ^D ends one read with 0 (k_consoleEof). */
function consoleRead(u: Uio, nonblock: bool): i32 {
  const g = G();
  const p = changetype<Pipe>(g.consoleIn);
  const eofs = changetype<usize>(g) + offsetof<Globals>("consoleEofs");
  if (pipeUsed(p) == 0) {
    const n = atomic.load<i32>(eofs);
    if (n > 0 && atomic.cmpxchg<i32>(eofs, n, n - 1) == n) return 0;
  }
  return pipeRead(p, u, nonblock);
}

/** The console writes straight from guest memory to the host terminal. */
function consoleWrite(stream: i32, u: Uio): i32 {
  const seg = scratch(SCRATCH_TMP + 64);
  let done: u32 = 0;
  while (u.resid > 0) {
    const len = uioSegment(u, seg);
    if (len == 0) break;
    const r = hostConsoleWrite(stream, load<u32>(seg), len);
    if (r < 0) return done > 0 ? <i32>done : r;
    uioSkip(u, <u32>r);
    done += <u32>r;
  }
  return <i32>done;
}

/** lseek on any file; shared by the WASI fd_seek. */
export function fileSeek(f: File, off: i64, whence: i32): i64 {
  if (f.type == FT_PIPE || f.type == FT_CONSOLE) return -ESPIPE;
  if (f.type == FT_NULL || f.type == FT_ZERO) return 0;
  let base: i64 = 0;
  if (whence == SEEK_CUR) base = f.offset;
  else if (whence == SEEK_END) {
    if (f.type == FT_REG) base = <i64>changetype<Inode>(f.inode).size;
    else if (f.type == FT_HOST) {
      const e = hostFdOp(HOST_FSTAT, f.aux, 0);
      if (e < 0) return e;
      base = load<i64>(hostOut() + 32);
    }
  }
  else if (whence != SEEK_SET) return -EINVAL;
  const pos = base + off;
  if (pos < 0) return -EINVAL;
  if ((f.type == FT_DIR || f.type == FT_HOSTDIR) && pos != 0 && whence != SEEK_CUR) return -EINVAL;
  f.offset = pos;
  return pos;
}


/** Stat of an open file; pipes have no inode and get a synthetic FIFO record. */
export function fileStat(f: File, k: usize): void {
  if (f.inode != 0) { statFill(changetype<Inode>(f.inode), k); return; }
  if (f.type == FT_HOST || f.type == FT_HOSTDIR) {
    memory.fill(k, 0, 64);
    if (hostFdOp(HOST_FSTAT, f.aux, 0) >= 0) memory.copy(k, hostOut(), 64);
    return;
  }
  memory.fill(k, 0, 64);
  store<u64>(k, 2);
  store<u64>(k + 8, <u64>changetype<usize>(f.obj));
  store<u32>(k + 16, S_IFIFO | 0o600);
  store<u32>(k + 20, 1);
  if (f.type == FT_PIPE) store<u64>(k + 32, <u64>pipeUsed(changetype<Pipe>(f.obj)));
}

