// Regular tmpfs files as open files (FT_REG): the bytes are ../regfile.ts.

import { EINVAL, EFBIG } from "../../abi/errno";
import {
  File, IoOp, SeekOp, StatOp, PollOp, TruncOp, AllocOp, ListOp, TypeOp, CloseOp,
  seekTo, opStatInode, opListNone, opCloseNone, fileLock, fileGetOffset, FlushOp, opFlushNone,
} from "../file";
import { FOP_PIO } from "./fop";
import { Inode, regRead, regWrite, regTruncate, regAllocate } from "../vfs";
import { Uio } from "../user";
import { acquire, release } from "../lock";

// @ts-ignore: decorator
@inline function node(f: File): Inode { return changetype<Inode>(f.inode); }

function regFileSeek(f: File, off: i64, whence: i32): i64 { return seekTo(f, off, whence, <i64>node(f).size); }

/**
 * read/write at the file offset hold the file lock (file.ts), so sharers
 * of the File each get their own bytes (a memory copy: the section is short).
 */
function regFileRead(f: File, u: Uio, at: i64): i32 {
  if (at >= 0) return regRead(f, u, at);
  acquire(fileLock(f));
  const r = regRead(f, u, -1);
  release(fileLock(f));
  return r;
}

function regFileWrite(f: File, u: Uio, at: i64): i32 {
  if (at >= 0) return regWrite(f, u, at);
  acquire(fileLock(f));
  const r = regWrite(f, u, -1);
  release(fileLock(f));
  return r;
}

/** Always ready; a read reports the bytes left after the offset. */
function regFilePoll(f: File, write: bool, queue: bool, ev: usize): bool {
  if (!write) {
    const left = <i64>node(f).size - fileGetOffset(f);
    store<u64>(ev + 16, left > 0 ? <u64>left : 0);
  }
  return true;
}

function regFileTruncate(f: File, size: i64): i32 { return regTruncate(node(f), size); }

function regFileAllocate(f: File, off: i64, len: i64): i32 {
  if (off < 0 || len <= 0) return -EINVAL;
  if (len > I64.MAX_VALUE - off) return -EFBIG;   // the end would overflow
  return regAllocate(node(f), off, len);
}

function regFileType(f: File): u8 { return 4; }   // WASI regular_file

export const REG_OPS: StaticArray<usize> = [
  FOP_PIO,
  changetype<usize>(<IoOp>regFileRead),
  changetype<usize>(<IoOp>regFileWrite),
  changetype<usize>(<SeekOp>regFileSeek),
  changetype<usize>(<StatOp>opStatInode),
  changetype<usize>(<PollOp>regFilePoll),
  changetype<usize>(<TruncOp>regFileTruncate),
  changetype<usize>(<AllocOp>regFileAllocate),
  changetype<usize>(<ListOp>opListNone),
  changetype<usize>(<TypeOp>regFileType),
  changetype<usize>(<CloseOp>opCloseNone),
  changetype<usize>(<FlushOp>opFlushNone),
];
