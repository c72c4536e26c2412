// Host files and directories below a mount (FT_HOST, FT_HOSTDIR) as open
// files: each operation is one request to the host's file system on the
// host descriptor in f.aux (../mount.ts), made outside every kernel lock.

import { EINVAL, ESPIPE } from "../../abi/errno";
import { SEEK_END } from "../../abi/constants";
import { kfree } from "../alloc";
import {
  File, IoOp, SeekOp, StatOp, PollOp, TruncOp, AllocOp, ListOp, TypeOp, CloseOp,
  seekTo, hostClose, opReadDir, opWriteNone, opPollReady, opTruncNone, opAllocNone, opListNone, FlushOp, opFlushNone,
} from "../file";
import { FOP_PIO, FOP_DIR } from "./fop";
import { hostFdOp, hostOut, hostReaddir, HOST_FSTAT, HOST_TRUNCATE } from "../mount";
import { hostTransfer, isHostStream } from "../hostio";
import { Uio } from "../user";
import { dirSeek, dirFileType } from "./dir";
import { PACKED_HDR } from "../dirent";

// Transfers, and the timed retries of a FIFO or device that would block, are in ../hostio.ts.
function hostRead(f: File, u: Uio, at: i64): i32 { return hostTransfer(f, u, at, false); }
function hostWrite(f: File, u: Uio, at: i64): i32 { return hostTransfer(f, u, at, true); }

/** SEEK_END asks the host for the size; a FIFO or device has no offset. */
function hostSeek(f: File, off: i64, whence: i32): i64 {
  if (isHostStream(f)) return -ESPIPE;
  let end: i64 = 0;
  if (whence == SEEK_END) {
    const e = hostFdOp(HOST_FSTAT, f.aux, 0);
    if (e < 0) return e;
    end = load<i64>(hostOut() + 32);
  }
  return seekTo(f, off, whence, end);
}

/** The host's fstat, already in our record layout (zeros if it failed). */
function hostStat(f: File, k: usize): void {
  memory.fill(k, 0, 64);
  if (hostFdOp(HOST_FSTAT, f.aux, 0) >= 0) memory.copy(k, hostOut(), 64);
}

function hostTruncate(f: File, size: i64): i32 {
  return size >= 0 ? <i32>hostFdOp(HOST_TRUNCATE, f.aux, size) : -EINVAL;
}

/**
 * The host packs the entries after cookie `start` into hostOut() already as
 * the list operation gives them (../dirent.ts), each with its cookie (a
 * hash of its name, runtime/hostfs-node.ts: stable while entries come and
 * go, as a tmpfs cookie is).
 */
function hostList(f: File, start: i64, out: usize, cap: u32): i32 {
  if (start < 0) return 0;
  const n = <i32>hostReaddir(f.aux, f.hpath, f.hpathLen, start);
  if (n <= 0) return n;
  let used: u32 = 0, k = 0;
  for (; k < n; k++) {
    const size = PACKED_HDR + <u32>load<u8>(hostOut() + used + 17);
    if (used + size > cap || used + size > 4096) break;
    used += size;
  }
  memory.copy(out, hostOut(), used);
  return k;
}

function hostFileType(f: File): u8 { return 4; }   // WASI regular_file

function hostFileClose(f: File): void { hostClose(f.aux); kfree(f.hpath); }

export const HOST_OPS: StaticArray<usize> = [
  FOP_PIO,
  changetype<usize>(<IoOp>hostRead),
  changetype<usize>(<IoOp>hostWrite),
  changetype<usize>(<SeekOp>hostSeek),
  changetype<usize>(<StatOp>hostStat),
  changetype<usize>(<PollOp>opPollReady),
  changetype<usize>(<TruncOp>hostTruncate),
  changetype<usize>(<AllocOp>opAllocNone),
  changetype<usize>(<ListOp>opListNone),
  changetype<usize>(<TypeOp>hostFileType),
  changetype<usize>(<CloseOp>hostFileClose),
  changetype<usize>(<FlushOp>opFlushNone),
];

export const HOSTDIR_OPS: StaticArray<usize> = [
  FOP_DIR,
  changetype<usize>(<IoOp>opReadDir),
  changetype<usize>(<IoOp>opWriteNone),
  changetype<usize>(<SeekOp>dirSeek),
  changetype<usize>(<StatOp>hostStat),
  changetype<usize>(<PollOp>opPollReady),
  changetype<usize>(<TruncOp>opTruncNone),
  changetype<usize>(<AllocOp>opAllocNone),
  changetype<usize>(<ListOp>hostList),
  changetype<usize>(<TypeOp>dirFileType),
  changetype<usize>(<CloseOp>hostFileClose),
  changetype<usize>(<FlushOp>opFlushNone),
];
