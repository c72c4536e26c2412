// A console to type into: a machine booted with a terminal whose input the
// test pushes (the console's line discipline is on: ^C, ^\ and ^Z raise
// signals), and whose output the test reads from a spawn's stdout pipe.
import { Machine, nodeRuntimePlatform } from '../../dist/index.js';

/** TerminalInput fed by `type`; `eof()` is a ^D. */
export class TestTerminal {
  constructor() { this.sink = null; this.queue = []; this.paused = false; }
  type(text) { this.queue.push(new TextEncoder().encode(text)); this.drain(); }
  eof() { this.queue.push('eof'); this.drain(); }
  start(sink) { this.sink = sink; this.drain(); }
  pause() { this.paused = true; }
  resume() { this.paused = false; this.drain(); }
  stop() { this.sink = null; this.queue = []; }
  drain() {
    while (this.sink && !this.paused && this.queue.length > 0) {
      const item = this.queue.shift();
      if (item === 'eof') this.sink.end(true); else this.sink.data(item);
    }
  }
}

/** Boots a machine whose console input is `term` and a terminal (its output streams are not). */
export function bootWithTerminal(term, options = {}) {
  const platform = { ...nodeRuntimePlatform(), terminalInput: () => term, ttyMask: () => 1 };
  return Machine.boot({ stdin: true, ...options }, platform);
}
