// What the embedding API hands back for a process it started: its exit
// status once it has ended and its piped output once read to the end.

import type { WasmuxError } from './errors.js';
import type { Preopens } from './preopens.js';

export type Stdio = 'inherit' | 'pipe' | 'null';

export interface SpawnOptions {
  /**
   * The environment, exactly: these variables and no others (nothing is
   * added, PATH and HOME included). As an object (`{ K: 'v' }`) or a list
   * of `K=v` strings. Default: empty.
   */
  env?: Record<string, string> | string[];
  /** The working directory (a namespace path; default "/"). */
  cwd?: string;
  /**
   * The WASI preopened directories, at fds 3, 4, ... in order: a list of
   * `{ name, path }` or an object `{ name: path }` (as node:wasi's), where
   * `path` is a directory of the namespace (mount host directories with
   * the boot option `mounts`) and `name` what fd_prestat_dir_name reports.
   * `[]` gives none. Default: the namespace root, named "/", at fd 3.
   */
  preopens?: Preopens;
  /** Bytes for stdin, or where it comes from. */
  stdin?: 'inherit' | 'null' | string | Uint8Array;
  stdout?: Stdio;
  stderr?: Stdio;
  /**
   * A login on the console: the process leads a new session whose
   * controlling terminal is the console, its group in the foreground, so
   * ^C/^\\/^Z and `terminalSignal` reach it and its jobs (as getty and login
   * do). Default: it joins the runtime's session and process group.
   */
  login?: boolean;
  /**
   * The process's real, effective and saved user id (and `gid`, group
   * ids): an integer from 0 to 2147483647. Default: the runtime's, 0
   * (root). Its children inherit them; file and signal permissions follow
   * them as on Linux.
   */
  uid?: number;
  gid?: number;
}

export interface ExitStatus {
  /** The raw wait status (Linux encoding). */
  status: number;
  /** Exit code, or null when killed. */
  code: number | null;
  /** The signal that killed it, or null. */
  signal: number | null;
}

export function decodeStatus(status: number): ExitStatus {
  const sig = status & 0x7f;
  return sig === 0 ? { status, code: (status >> 8) & 0xff, signal: null } : { status, code: null, signal: sig };
}

/** A process started through the API. */
export class ProcessHandle {
  private chunks: { stdout: Uint8Array[]; stderr: Uint8Array[] } = { stdout: [], stderr: [] };
  private pending = 0;
  private done: Promise<ExitStatus>;
  private resolveDone!: (s: ExitStatus) => void;
  private status: ExitStatus | null = null;
  private drained!: () => void;
  private drainedP: Promise<void>;

  private rejectDone!: (e: Error) => void;

  /** `settled`: called once wait() has its answer (the machine keeps unsettled handles for shutdown). */
  constructor(readonly pid: number, settled?: () => void) {
    this.done = new Promise((resolve, reject) => { this.resolveDone = resolve; this.rejectDone = reject; });
    this.drainedP = new Promise((r) => { this.drained = r; });
    // (The catch also keeps a rejection for wait() callers from being unhandled.)
    Promise.all([this.done, this.drainedP]).catch(() => {}).then(() => settled?.());
  }

  /**
   * Resolves with the exit status once the process is gone and its output
   * read. A process still running at `shutdown()` resolves as killed by
   * SIGKILL (its output as far as it was read); after a kernel fault, wait()
   * rejects with a WasmuxError ("kernel fault: ...").
   */
  async wait(): Promise<ExitStatus> {
    const s = await this.done;
    await this.drainedP;
    return s;
  }

  get stdout(): string { return new TextDecoder().decode(concat(this.chunks.stdout)); }
  get stderr(): string { return new TextDecoder().decode(concat(this.chunks.stderr)); }
  get stdoutBytes(): Uint8Array { return concat(this.chunks.stdout); }

  /** @internal */ _reader(): void { this.pending++; }
  /** @internal */ _chunk(stream: 'stdout' | 'stderr', b: Uint8Array): void { this.chunks[stream].push(b); }
  /** @internal */ _readerDone(): void { if (--this.pending === 0) this.drained(); }
  /** @internal */ _exited(status: number): void {
    if (this.status) return;
    this.status = decodeStatus(status);
    if (this.pending === 0) this.drained();
    this.resolveDone(this.status);
  }
  /**
   * @internal The machine stopped first: settle now, whatever output is
   * still unread (a process that did exit keeps its own status).
   */
  _abandon(outcome: number | WasmuxError): void {
    this.drained();
    if (this.status) return;
    if (typeof outcome === 'number') this.resolveDone(this.status = decodeStatus(outcome));
    else this.rejectDone(outcome);
  }
}

export function concat(list: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(list.reduce((n, b) => n + b.length, 0));
  let o = 0;
  for (const b of list) { out.set(b, o); o += b.length; }
  return out;
}
