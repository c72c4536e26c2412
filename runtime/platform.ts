// What the runtime needs from its surroundings: the only seam between the
// machine and Node. runtime/node.ts implements it for Node; a browser
// implementation supplies the same pieces (a Worker, fetch()ed programs, a
// terminal element).

import type { Endpoint } from 'comlink';
import type { HostPlatform } from '../host/platform.js';

/** A pool worker as the runtime drives it: a Comlink endpoint it can terminate. */
export interface WorkerHandle {
  endpoint: Endpoint;
  /** Stops the thread; the promise (if any) settles once it has stopped. */
  terminate(): Promise<unknown> | void;
  /**
   * Calls `listener` once when the thread stops, whatever stopped it (a
   * crash, running out of memory, terminate()), with what is known of why.
   */
  onExit?(listener: (reason: string) => void): void;
}

/** Bytes typed at the host's terminal (or piped into the CLI). */
export interface TerminalInput {
  /**
   * Starts delivering input. `end(once)`: once = a terminal's ^D (input goes
   * on afterwards); otherwise the input has ended for good.
   */
  start(sink: { data(bytes: Uint8Array): void; end(once: boolean): void }): void;
  pause(): void;
  resume(): void;
  stop(): void;
}

export interface RuntimePlatform {
  /** What each thread's host needs (console, clocks, host files). */
  host: HostPlatform;
  readKernel(): Uint8Array<ArrayBuffer>;
  /** The programs installed in /bin. */
  listPrograms(): { name: string; bytes: Uint8Array }[];
  newWorker(): WorkerHandle;
  /** Bit n set: console stream n (0 in, 1 out, 2 err) is a terminal. */
  ttyMask(): number;
  /** The terminal's input, if the console should be fed from it. */
  terminalInput(): TerminalInput;
  /** The host's memory in bytes, if known (sets the default per-process memory cap). */
  hostMemory?(): number;
}
