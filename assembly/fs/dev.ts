// Character devices as open files: /dev/null (FT_NULL) and /dev/zero
// (FT_ZERO). /dev/tty is the console (console.ts).

import { EFAULT } from "../../abi/errno";
import {
  File, IoOp, SeekOp, StatOp, PollOp, TruncOp, AllocOp, ListOp, TypeOp, CloseOp, opStatInode,
  opPollReady, opTruncNone, opAllocNone, opListNone, opCloseNone, FlushOp, opFlushNone,
} from "../file";
import { Uio, uioMove, uioSkip, scratch, SCRATCH_TMP } from "../user";

/** /dev/null reads as end of file. */
function nullRead(f: File, u: Uio, at: i64): i32 { return 0; }

/** Both devices swallow every write whole. */
function devWrite(f: File, u: Uio, at: i64): i32 { const n = u.resid; uioSkip(u, n); return <i32>n; }

/** lseek on a device succeeds and stays at 0, as on Linux. */
function devSeek(f: File, off: i64, whence: i32): i64 { return 0; }

/** WASI character_device. */
function devType(f: File): u8 { return 2; }

/** /dev/zero reads as zeros, a small block at a time from the scratch area. */
function zeroRead(f: File, u: Uio, at: i64): i32 {
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

export const NULL_OPS: StaticArray<usize> = [
  0,
  changetype<usize>(<IoOp>nullRead),
  changetype<usize>(<IoOp>devWrite),
  changetype<usize>(<SeekOp>devSeek),
  changetype<usize>(<StatOp>opStatInode),
  changetype<usize>(<PollOp>opPollReady),
  changetype<usize>(<TruncOp>opTruncNone),
  changetype<usize>(<AllocOp>opAllocNone),
  changetype<usize>(<ListOp>opListNone),
  changetype<usize>(<TypeOp>devType),
  changetype<usize>(<CloseOp>opCloseNone),
  changetype<usize>(<FlushOp>opFlushNone),
];

export const ZERO_OPS: StaticArray<usize> = [
  0,
  changetype<usize>(<IoOp>zeroRead),
  changetype<usize>(<IoOp>devWrite),
  changetype<usize>(<SeekOp>devSeek),
  changetype<usize>(<StatOp>opStatInode),
  changetype<usize>(<PollOp>opPollReady),
  changetype<usize>(<TruncOp>opTruncNone),
  changetype<usize>(<AllocOp>opAllocNone),
  changetype<usize>(<ListOp>opListNone),
  changetype<usize>(<TypeOp>devType),
  changetype<usize>(<CloseOp>opCloseNone),
  changetype<usize>(<FlushOp>opFlushNone),
];
