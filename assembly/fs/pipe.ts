// Pipes and FIFOs as open files (FT_PIPE): the ring itself is ../pipe.ts,
// the FIFO open rendezvous ../fifo.ts.

import { EPIPE } from "../../abi/errno";
import { O_NONBLOCK } from "../../abi/constants";
import {
  File, IoOp, SeekOp, StatOp, PollOp, TruncOp, AllocOp, ListOp, TypeOp, CloseOp, readable,
  writable, anonStat, opSeekNone, opTruncNone, opAllocNone, opListNone, FlushOp, opFlushNone,
} from "../file";
import { Pipe, pipeRead, pipeWrite, pipePoll, pipeUsed, pipeDetach, pipeFree } from "../pipe";
import { fifoDetach } from "../fifo";
import { Inode, statFill } from "../vfs";
import { Uio } from "../user";

function pipeFileRead(f: File, u: Uio, at: i64): i32 {
  return pipeRead(changetype<Pipe>(f.obj), u, (f.flags & O_NONBLOCK) != 0);
}

function pipeFileWrite(f: File, u: Uio, at: i64): i32 {
  return pipeWrite(changetype<Pipe>(f.obj), u, (f.flags & O_NONBLOCK) != 0);
}

/** A FIFO has its inode's record; an anonymous pipe a synthetic one. Either shows the bytes held. */
function pipeFileStat(f: File, k: usize): void {
  if (f.inode != 0) statFill(changetype<Inode>(f.inode), k);
  else anonStat(f, k, <u64>pipeUsed(changetype<Pipe>(f.obj)));
}

/** Readable with data or at EOF (no writer); writable with room or when no reader is left (EPIPE). */
function pipeFilePoll(f: File, write: bool, queue: bool, ev: usize): bool {
  const ready = pipePoll(changetype<Pipe>(f.obj), write, queue, ev);
  if (ready && write && load<u16>(ev + 24) != 0) store<u16>(ev + 8, <u16>EPIPE);
  return ready;
}

/** WASI has no filetype for pipes and FIFOs: unknown. */
function pipeFileType(f: File): u8 { return 0; }

/** The last close of this end: peers see EOF or EPIPE; the pipe goes with its last user. */
function pipeFileClose(f: File): void {
  // A FIFO open that failed before it joined the pipe (ENXIO, ENOMEM) has none.
  if (f.obj == 0) return;
  const p = changetype<Pipe>(f.obj);
  if (f.inode != 0) fifoDetach(changetype<Inode>(f.inode), p, readable(f), writable(f));
  else if (pipeDetach(p, readable(f), writable(f))) pipeFree(p);
}

export const PIPE_OPS: StaticArray<usize> = [
  0,
  changetype<usize>(<IoOp>pipeFileRead),
  changetype<usize>(<IoOp>pipeFileWrite),
  changetype<usize>(<SeekOp>opSeekNone),
  changetype<usize>(<StatOp>pipeFileStat),
  changetype<usize>(<PollOp>pipeFilePoll),
  changetype<usize>(<TruncOp>opTruncNone),
  changetype<usize>(<AllocOp>opAllocNone),
  changetype<usize>(<ListOp>opListNone),
  changetype<usize>(<TypeOp>pipeFileType),
  changetype<usize>(<CloseOp>pipeFileClose),
  changetype<usize>(<FlushOp>opFlushNone),
];
