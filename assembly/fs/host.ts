// Host files and directories below a mount (FT_HOST, FT_HOSTDIR) as open
// files: each operation is one request to the host's file system on the
// host descriptor in f.aux (../mount.ts), made outside every kernel lock.

import { EINVAL } from "../../abi/errno";
import { SEEK_END } from "../../abi/constants";
import { kfree } from "../alloc";
import {
  File, IoOp, SeekOp, StatOp, PollOp, TruncOp, AllocOp, ListOp, TypeOp, CloseOp,
  seekTo, hostClose, opReadDir, opWriteNone, opPollReady, opTruncNone, opAllocNone, opListNone,
} from "../file";
import { FOP_PIO, FOP_DIR } from "./fop";
import {
  hostIo, hostFdOp, hostOut, hostReaddir, HOST_READ, HOST_WRITE, HOST_FSTAT, HOST_TRUNCATE,
} from "../mount";
import { Uio, uioSegment, uioSkip, scratch, SCRATCH_TMP } from "../user";
import { dirSeek, dirFileType } from "./dir";

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

function hostRead(f: File, u: Uio, at: i64): i32 { return hostTransfer(f, u, at, HOST_READ); }
function hostWrite(f: File, u: Uio, at: i64): i32 { return hostTransfer(f, u, at, HOST_WRITE); }

/** SEEK_END asks the host for the size. */
function hostSeek(f: File, off: i64, whence: i32): i64 {
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

function hostList(f: File, start: i64, out: usize, cap: u32): i32 {
  // The host packs into hostOut() (4096 bytes), which is where dirRead looks.
  return <i32>hostReaddir(f.hpath, f.hpathLen, start);
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
];
