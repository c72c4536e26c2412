// The console of a process that runs on the main thread (runtime/inline.ts):
// the host's stdin is read synchronously, on that thread, only when the
// process is about to wait for good — for console input, as far as
// anything can tell, since nothing else can come. Node only (the CLI).

import * as fs from 'node:fs';
import type { ConsoleSink } from './inline.js';
import { builtin } from './builtin.js';

const tty = builtin<typeof import('node:tty')>('node:tty');

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * The console of a process on the main thread: host stdin is read
 * synchronously, only when the process is about to wait for good (for
 * console input, as far as anything can tell: nothing else can come).
 */
export class SyncConsole {
  private pending: Uint8Array | null = null;
  private ended = false;
  private readonly buf = new Uint8Array(65536);

  constructor(private sink: ConsoleSink, private fd = 0) {}

  /** Gate.beforeSleep: true if the console got something (bytes or an end). */
  pull(): boolean {
    if (this.pending) return this.give(this.pending);
    if (this.ended) return false;
    let n: number;
    try {
      n = fs.readSync(this.fd, this.buf, 0, this.buf.length, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // A non-blocking stdin (another process set the flag): look again shortly.
      if (code === 'EAGAIN') { Atomics.wait(pause, 0, 0, 2); return true; }
      n = 0;   // gone (EIO, EBADF...): as its end
    }
    if (n === 0) {
      // ^D at a terminal ends one read; the end of a pipe or file, all.
      const once = tty().isatty(this.fd);
      this.ended = !once;
      this.sink.end(!once);
      return true;
    }
    return this.give(this.buf.slice(0, n));
  }

  private give(bytes: Uint8Array): boolean {
    const n = this.sink.feed(bytes);
    this.pending = n < bytes.length ? bytes.subarray(n) : null;
    return n > 0;
  }
}

