// Terminal input → the console (k_consoleFeed), with back-pressure when
// the console buffer is full. A ^D at a terminal ends one read; the end of
// piped input ends them all. One per machine booted with stdin
// (runtime/machine.ts).

import type { Kernel } from '../host/kernel.js';
import type { TerminalInput } from './platform.js';
import type { Arena } from './arena.js';

/** The console's special characters (^C, ^\\, ^Z): the kernel raises a signal for each, at a terminal. */
const TTY_SIGNAL_CHARS = [0x03, 0x1c, 0x1a];

/** What the feed needs of the machine. */
export interface ConsoleFeedHost {
  readonly kernel: Kernel;
  readonly arena: Arena;
  closed(): boolean;
  kcall<T>(f: () => T): T;
  guard(f: () => void): void;
  /** A typed ^C, ^\ or ^Z raised a signal for the foreground group: a member computing without syscalls. */
  nudgeAll(): void;
}

export class ConsoleFeed {
  private stdinTimer: ReturnType<typeof setTimeout> | null = null;
  private terminal: TerminalInput | null;

  constructor(m: ConsoleFeedHost, input: TerminalInput) {
    const EOF_ONCE = null;
    const queue: (Uint8Array | null)[] = [];
    let ended = false;
    let eofSent = false;
    // One feeding chain at a time: input arriving while a back-pressure
    // retry is pending only queues (two chains would feed out of order and
    // report the end of input twice).
    const kick = (): void => { if (this.stdinTimer === null) m.guard(flush); };
    const flush = (): void => {
      this.stdinTimer = null;
      while (queue.length > 0) {
        const head = queue[0];
        if (m.closed()) return;
        if (head === EOF_ONCE) { m.kcall(() => m.kernel.exports.k_consoleEof(0)); queue.shift(); continue; }
        m.arena.reset();
        const chunk = head.subarray(0, 65536);
        const p = m.arena.bytes(chunk);
        const n = m.kcall(() => m.kernel.exports.k_consoleFeed(p, chunk.length));
        if (n <= 0) { this.stdinTimer = setTimeout(() => m.guard(flush), 2); return; }
        if (n === 1 && TTY_SIGNAL_CHARS.includes(chunk[0]!)) m.nudgeAll();   // ^C, ^\ or ^Z raised a signal (assembly/tty.ts)
        queue[0] = head.subarray(n);
        if (queue[0]!.length === 0) queue.shift();
      }
      if (m.closed()) return;
      if (!ended) input.resume();
      else if (!eofSent) { eofSent = true; m.kcall(() => m.kernel.exports.k_consoleEof(1)); }
    };
    input.start({
      data: (bytes) => { queue.push(bytes); input.pause(); kick(); },
      end: (once) => { if (once) queue.push(EOF_ONCE); else ended = true; kick(); },
    });
    this.terminal = input;
  }

  /** No more input: the retry timer and the terminal stop. */
  stop(): void {
    if (this.stdinTimer) clearTimeout(this.stdinTimer);
    this.stdinTimer = null;
    this.terminal?.stop();
    this.terminal = null;
  }
}
