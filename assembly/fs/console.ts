// The console as an open file (FT_CONSOLE: the boot stdio and /dev/tty).
// Input is a pipe the host fills (k_consoleFeed); output goes straight from
// guest memory to the host's terminal stream in f.aux (1 = stdout, 2 = stderr).

import { O_NONBLOCK } from "../../abi/constants";
import {
  File, IoOp, SeekOp, StatOp, PollOp, TruncOp, AllocOp, ListOp, TypeOp, CloseOp, opStatInode,
  opSeekNone, opTruncNone, opAllocNone, opListNone, opCloseNone, FlushOp, opFlushNone,
} from "../file";
import { G, Globals } from "../globals";
import { acquire, release } from "../lock";
import { Pipe, pipeRead, pipePoll, pipeUsed, pipeLock, pipeWakeReaders } from "../pipe";
import { Uio } from "../user";
import { consoleOut } from "../hostio";
import { ttyReadCheck } from "../tty";

/** A ^D is waiting to end a console read (k_consoleEof). */
export function consoleEofPending(): bool {
  return atomic.load<i32>(changetype<usize>(G()) + offsetof<Globals>("consoleEofs")) > 0;
}

/**
 * The host's input has ended for good (a pipe or file that reached its end):
 * the console pipe loses its one writer, the host, so every read from now on
 * is EOF and every poll hung up. Said twice, it must not count twice: the
 * runtime can repeat it (a feed retried after back-pressure), and a writer
 * count below zero read as "a writer is left", so a poll after EOF waited
 * for its timeout.
 */
export function consoleHangup(): void {
  const p = changetype<Pipe>(G().consoleIn);
  acquire(pipeLock(p));
  const open = p.writers > 0;
  if (open) p.writers = 0;
  release(pipeLock(p));
  if (open) pipeWakeReaders(p);
}

/**
 * Terminal input: the console pipe, where a ^D ends one read with 0
 * (k_consoleEof). A background process of the console's session is
 * stopped by SIGTTIN first (../tty.ts).
 */
function consoleRead(f: File, u: Uio, at: i64): i32 {
  const jc = ttyReadCheck();
  if (jc != 0) return jc;
  const g = G();
  const p = changetype<Pipe>(g.consoleIn);
  const eofs = changetype<usize>(g) + offsetof<Globals>("consoleEofs");
  if (pipeUsed(p) == 0) {
    const n = atomic.load<i32>(eofs);
    if (n > 0 && atomic.cmpxchg<i32>(eofs, n, n - 1) == n) return 0;
  }
  return pipeRead(p, u, (f.flags & O_NONBLOCK) != 0);
}

/** Output: straight from guest memory to the host terminal, retried while a host pipe is full (../hostio.ts). */
function consoleWrite(f: File, u: Uio, at: i64): i32 { return consoleOut(f, u); }

/** Input is ready with data, a pending ^D or the end of the host's input; output always. */
function consolePoll(f: File, write: bool, queue: bool, ev: usize): bool {
  if (write) return true;
  if (consoleEofPending()) return true;   // a ^D: the read returns 0
  return pipePoll(changetype<Pipe>(G().consoleIn), false, queue, ev);
}

/** A character device when the host stream is a terminal, else unknown (a pipe or file on the host). */
function consoleType(f: File): u8 { return (G().consoleTty & (1 << f.aux)) != 0 ? 2 : 0; }

export const CONSOLE_OPS: StaticArray<usize> = [
  0,
  changetype<usize>(<IoOp>consoleRead),
  changetype<usize>(<IoOp>consoleWrite),
  changetype<usize>(<SeekOp>opSeekNone),
  changetype<usize>(<StatOp>opStatInode),
  changetype<usize>(<PollOp>consolePoll),
  changetype<usize>(<TruncOp>opTruncNone),
  changetype<usize>(<AllocOp>opAllocNone),
  changetype<usize>(<ListOp>opListNone),
  changetype<usize>(<TypeOp>consoleType),
  changetype<usize>(<CloseOp>opCloseNone),
  changetype<usize>(<FlushOp>opFlushNone),
];
