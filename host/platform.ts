// What the host needs from its surroundings, so the same host runs in Node
// workers and browser workers. Node's implementation is runtime/node.ts.

import type { HostFsRequest } from './hostfs.js';
import type { UserMemory } from './usermem.js';
import type { TransformBackend } from './transform/pipeline.js';

export interface HostPlatform {
  /** Writes guest bytes to the terminal (1 = stdout, 2 = stderr); returns bytes written. */
  consoleWrite(stream: number, bytes: Uint8Array): number;
  /**
   * Nanoseconds: 0 = realtime (since the epoch), 1 = monotonic, the same
   * clock on every thread of the machine (the kernel subtracts its boot value).
   */
  clock(id: number): bigint;
  /** One line of strace-like output. */
  traceWrite(line: string): void;
  /** Performs a host file-system request for a mount; absent where there are no mounts. */
  fileSystem?(request: HostFsRequest, user: UserMemory): number;
  /**
   * Reads a whole host file (programs that live below a mount), resolved
   * beneath `root` (the mount's directory) as every mount access is.
   */
  readFile?(path: string, root: string): Uint8Array<ArrayBuffer>;
  /**
   * True while the machine has more runnable threads than CPUs (a blocked
   * call then parks without spinning, host/spin.ts); absent where that is
   * not known (the spin policy is then the adaptive budget alone).
   */
  overloaded?(): boolean;
  /** Runs and caches load-time transforms (host/transform/); absent: modules load untransformed. */
  transform?: TransformBackend;
}
