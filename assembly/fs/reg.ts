// Regular tmpfs files as open files (FT_REG): the bytes are ../regfile.ts.

import { EINVAL, EFBIG } from "../../abi/errno";
import {
  File, IoOp, SeekOp, StatOp, PollOp, TruncOp, AllocOp, ListOp, TypeOp, CloseOp,
  seekTo, opStatInode, opListNone, opCloseNone,
} from "../file";
import { FOP_PIO } from "./fop";
import { Inode, regRead, regWrite, regTruncate, regAllocate } from "../vfs";

// @ts-ignore: decorator
@inline function node(f: File): Inode { return changetype<Inode>(f.inode); }

function regFileSeek(f: File, off: i64, whence: i32): i64 { return seekTo(f, off, whence, <i64>node(f).size); }

/** Always ready; a read reports the bytes left after the offset. */
function regFilePoll(f: File, write: bool, queue: bool, ev: usize): bool {
  if (!write) {
    const left = <i64>node(f).size - f.offset;
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
  changetype<usize>(<IoOp>regRead),
  changetype<usize>(<IoOp>regWrite),
  changetype<usize>(<SeekOp>regFileSeek),
  changetype<usize>(<StatOp>opStatInode),
  changetype<usize>(<PollOp>regFilePoll),
  changetype<usize>(<TruncOp>regFileTruncate),
  changetype<usize>(<AllocOp>regFileAllocate),
  changetype<usize>(<ListOp>opListNone),
  changetype<usize>(<TypeOp>regFileType),
  changetype<usize>(<CloseOp>opCloseNone),
];
