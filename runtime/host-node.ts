// The Node HostPlatform: what each thread's host needs (console output,
// clocks, trace lines, host files). Worker threads load this module and not
// the rest of the Node adapter (runtime/node.ts), so it imports only what a
// worker needs: every module more is more of a worker's start-up time.

import * as fs from 'node:fs';
import type { HostPlatform } from '../host/platform.js';
import { nodeHostFs, nodeReadHostFile } from './hostfs-node.js';
import { overloaded } from './load-node.js';
import { nodeTransform } from './transform-node.js';

const hrBase = process.hrtime.bigint();
const epochBase = BigInt(Date.now()) * 1_000_000n;

/**
 * The descriptor console output goes to. A pipe or terminal gets a
 * non-blocking open file description of its own (reopened through
 * /proc/self/fd, as libuv reopens a tty, so the flag does not change the
 * description others share): a write to a full pipe (or a stopped terminal)
 * answers EAGAIN and the kernel retries it, killable, instead of this thread
 * sleeping in the host kernel for as long as nobody drains the pipe. A socket
 * cannot be reopened; it blocks unless Node made it non-blocking already.
 * Every character device is reopened, not only terminals: asking isatty
 * would load node:tty (and node:net) into every worker, a few ms of its
 * start, and reopening /dev/null or the like changes nothing.
 */
const consoleFds = new Map<number, number>();
function consoleFd(stream: number): number {
  let fd = consoleFds.get(stream);
  if (fd !== undefined) return fd;
  fd = stream;
  try {
    const st = fs.fstatSync(stream);
    if (st.isFIFO() || st.isCharacterDevice()) {
      fd = fs.openSync(`/proc/self/fd/${stream}`, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
    }
  } catch { /* no /proc, or no reader left: write to the stream itself */ }
  consoleFds.set(stream, fd);
  return fd;
}

export const nodeHostPlatform: HostPlatform = {
  consoleWrite(stream, bytes) {
    const fd = consoleFd(stream === 2 ? 2 : 1);
    let done = 0;
    while (done < bytes.length) {
      try {
        done += fs.writeSync(fd, bytes, done, bytes.length - done);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') return done > 0 ? done : -6;   // EAGAIN: full, the kernel retries
        if (code === 'EPIPE') return done > 0 ? done : -64;   // EPIPE
        return done > 0 ? done : -29;                         // EIO
      }
    }
    return done;
  },
  clock(id) {
    // hrtime is CLOCK_MONOTONIC, one clock for every thread: workers started
    // at different times agree (the kernel counts it from boot).
    const mono = process.hrtime.bigint();
    return id === 0 ? epochBase + (mono - hrBase) : mono;
  },
  traceWrite(line) {
    try { fs.writeSync(2, line); } catch { /* stderr gone */ }
  },
  fileSystem: nodeHostFs,
  readFile: nodeReadHostFile,
  transform: nodeTransform,
  overloaded,
};
