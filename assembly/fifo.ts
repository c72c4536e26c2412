// FIFOs: the open rendezvous and the last close (the pipe itself is pipe.ts).

import { EINVAL, ENOMEM, ENXIO } from "../abi/errno";
import { KBLOCK } from "../abi/errno";
import { O_ACCMODE, O_RDONLY, O_WRONLY, O_NONBLOCK } from "../abi/constants";
import { acquire, release } from "./lock";
import { Proc, cur } from "./task";
import { setSleeping } from "./proc";
import { restartKeep, restartEnd, RESTART_OPEN } from "./restart";
import { waitOn, wakeAll } from "./wait";
import { File, filePut } from "./file";
import { Pipe, pipeCreate, pipeFree, pipeDetach, oq, pipeLock } from "./pipe";
import { Inode, inodeLock, inodePut } from "./vfs";
import { fifoStallArmed, fifoStall } from "./fifostall";

/**
 * The FIFO open rendezvous: a reader waits for a writer and vice versa. The
 * half-open File survives a retry in the task's restart block (restart.ts,
 * RESTART_OPEN), so the count of readers/writers is taken once; vfsOpen
 * hands it back on the retry.
 */
export function fifoOpen(f: File, flags: i32): isize {
  const t = cur();
  const node = changetype<Inode>(f.inode);
  const reader = (flags & O_ACCMODE) == O_RDONLY;
  const writer = (flags & O_ACCMODE) == O_WRONLY;
  const nonblock = (flags & O_NONBLOCK) != 0;
  // Access mode 3 (neither read nor write, as Linux calls it) is EINVAL for a
  // FIFO, as on Linux: counted as both ends here but released as neither, it
  // kept the pipe (and a phantom writer) for ever.
  if (f.obj == 0 && (flags & O_ACCMODE) == O_ACCMODE) { filePut(f); return -EINVAL; }
  if (f.obj == 0) {
    acquire(inodeLock(node));
    if (node.pipe == 0) {
      const np = pipeCreate();
      if (np == null) { release(inodeLock(node)); f.inode = 0; filePut(f); inodePut(node); return -ENOMEM; }
      node.pipe = changetype<usize>(np);
    }
    const p = changetype<Pipe>(node.pipe);
    acquire(pipeLock(p));
    if (writer && nonblock && p.readers == 0) {
      release(pipeLock(p));
      const unused = p.writers == 0;
      if (unused) { node.pipe = 0; pipeFree(p); }
      release(inodeLock(node));
      filePut(f);
      return -ENXIO;
    }
    if (!writer) { p.readers++; p.ropens++; }
    if (!reader) { p.writers++; p.wopens++; }
    // Whether to wait is decided here, under the lock that counted us, as
    // Linux's fifo_open does: a partner open now is met even if it closes
    // before we could look again (a writer that wrote and left: its reader
    // waited for ever for the next one).
    const alone = reader ? !nonblock && p.writers == 0 : writer && p.readers == 0;
    t.restartAux = reader ? p.wopens : p.ropens;
    release(pipeLock(p));
    wakeAll(oq(p));
    release(inodeLock(node));
    f.obj = changetype<usize>(p);
    if (reader && !alone && fifoStallArmed()) fifoStall(p);   // tests only (fifostall.ts): the writer writes and leaves here
    if (!alone) { restartEnd(t); return changetype<isize>(f); }
  }
  const p = changetype<Pipe>(f.obj);
  acquire(pipeLock(p));
  const waitWriter = reader && !nonblock && p.writers == 0 && p.wopens == t.restartAux;
  const waitReader = writer && p.readers == 0 && p.ropens == t.restartAux;
  if (waitWriter || waitReader) {
    const queued = waitOn(oq(p), t);
    release(pipeLock(p));
    if (!queued) { restartEnd(t); filePut(f); return -ENOMEM; }   // nothing would wake us
    t.restartFile = changetype<usize>(f);
    restartKeep(t, RESTART_OPEN);
    setSleeping(changetype<Proc>(t.proc), true);
    return KBLOCK;
  }
  release(pipeLock(p));
  restartEnd(t);
  return changetype<isize>(f);
}

/** Last close of a FIFO end: the pipe goes when nobody has it open. */
export function fifoDetach(node: Inode, p: Pipe, reader: bool, writer: bool): void {
  acquire(inodeLock(node));
  if (pipeDetach(p, reader, writer)) {
    node.pipe = 0;
    pipeFree(p);
  }
  release(inodeLock(node));
}

