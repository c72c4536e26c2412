// The browser platform adapter: the same two interfaces as runtime/node.ts
// (HostPlatform, RuntimePlatform) over fetch(), module Workers and
// callbacks of the page. The page must be cross-origin isolated
// (Cross-Origin-Opener-Policy: same-origin, Cross-Origin-Embedder-Policy:
// require-corp): the kernel memory is a SharedArrayBuffer.
//
//   import { bootInBrowser } from './dist/browser/browser.js';
//   const machine = await bootInBrowser({
//     kernelUrl: '/build/kernel.wasm',
//     programsBaseUrl: '/build/programs/', programNames: ['sh', 'echo', 'cat'],
//     onConsole: (stream, bytes) => term.write(bytes),
//   });
//   const p = machine.spawn('sh', ['sh', '-c', 'echo hi | cat'], { stdout: 'pipe' });
//   await p.wait();   // p.stdout === 'hi\n'
//
// Kernel and program bytes are fetched before boot (a browser cannot read
// them synchronously). Each process worker runs dist/browser/worker-browser.js;
// its console output and trace lines are posted to the page, where
// onConsole / onTrace receive them. There are no mounts here.

import { Machine, type BootOptions } from './machine.js';
import type { HostPlatform } from '../host/platform.js';
import type { RuntimePlatform, TerminalInput, WorkerHandle } from './platform.js';
import { TransformWorker, TRANSFORM_PORT_MESSAGE } from './transform-browser.js';

export { Machine, ProcessHandle, WasmuxError, decodeStatus } from './machine.js';
export type { BootOptions, SpawnOptions, ExitStatus, ProcInfo, Stdio } from './machine.js';
export type { RuntimePlatform, TerminalInput, WorkerHandle } from './platform.js';
export type { MachineSnapshot, SnapProc, SnapFd, SnapPipe, SnapSignals, SnapMsgQueue, SnapPosixQueue, SnapSection, BlockKind, ProcState, FileType } from './snapshot.js';
export { decodeSnapshot, signalList } from './snapshot.js';

/** What a worker's host posts to the page (besides Comlink's own messages). */
export type HostMessage =
  | { wasmux: 'console'; stream: number; bytes: Uint8Array }
  | { wasmux: 'trace'; line: string };

const WORKER_NAME = 'wasmux-worker@';

function isHostMessage(data: unknown): data is HostMessage {
  return typeof data === 'object' && data !== null && 'wasmux' in data;
}

/**
 * A browser HostPlatform whose console and trace output goes to `post`
 * (on the page: straight to the callbacks; in a worker: postMessage).
 * `origin` is the page's performance.timeOrigin, so that every thread
 * reads the same monotonic clock.
 */
export function browserHostPlatform(post: (m: HostMessage) => void, origin = performance.timeOrigin): HostPlatform {
  const skew = performance.timeOrigin - origin;
  return {
    consoleWrite(stream, bytes) {
      // A copy: `bytes` views guest memory, which goes on changing.
      post({ wasmux: 'console', stream: stream === 2 ? 2 : 1, bytes: bytes.slice() });
      return bytes.length;
    },
    clock(id) {
      const now = performance.now();
      if (id === 0) return BigInt(Math.round(performance.timeOrigin * 1000)) * 1000n + BigInt(Math.round(now * 1e6));
      return BigInt(Math.max(0, Math.round((skew + now) * 1e6)));
    },
    traceWrite(line) { post({ wasmux: 'trace', line }); },
  };
}

/** The host platform of a browser process worker (used by worker-browser.ts). */
export function workerHostPlatform(scope: { name: string; postMessage(m: unknown): void }): HostPlatform {
  const origin = scope.name.startsWith(WORKER_NAME) ? Number(scope.name.slice(WORKER_NAME.length)) : NaN;
  return browserHostPlatform((m) => scope.postMessage(m), Number.isFinite(origin) ? origin : performance.timeOrigin);
}

/**
 * Console input fed by the page: push() what is typed, eof() for a ^D
 * (ends one read), end() when there will be no more input.
 */
export class BrowserTerminal implements TerminalInput {
  private sink: Parameters<TerminalInput['start']>[0] | null = null;
  private queue: (Uint8Array | 'eof' | 'end')[] = [];
  private paused = false;
  private draining = false;
  private stopped = false;

  push(input: Uint8Array | string): void {
    if (this.stopped) return;
    const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input.slice();
    if (bytes.length > 0) this.queue.push(bytes);
    this.drain();
  }
  eof(): void { if (!this.stopped) { this.queue.push('eof'); this.drain(); } }
  end(): void { if (!this.stopped) { this.queue.push('end'); this.drain(); } }

  start(sink: Parameters<TerminalInput['start']>[0]): void { this.sink = sink; this.drain(); }
  pause(): void { this.paused = true; }
  resume(): void { this.paused = false; this.drain(); }
  stop(): void { this.stopped = true; this.sink = null; this.queue = []; }

  private drain(): void {
    if (this.draining) return;   // resume() from inside a delivery: the loop below goes on
    this.draining = true;
    try {
      while (this.sink && !this.paused && this.queue.length > 0) {
        const item = this.queue.shift()!;
        if (item === 'eof') this.sink.end(true);
        else if (item === 'end') this.sink.end(false);
        else this.sink.data(item);
      }
    } finally {
      this.draining = false;
    }
  }
}

export interface BrowserBootOptions extends Omit<BootOptions, 'mounts' | 'programsDir'> {
  /** Where kernel.wasm is. */
  kernelUrl: string | URL;
  /** Programs for /bin: name → URL of its .wasm. */
  programs?: Record<string, string | URL>;
  /** Or: a base URL holding NAME.wasm for each of programNames. */
  programsBaseUrl?: string | URL;
  programNames?: string[];
  /** The worker entry (default: worker-browser.js next to this module). */
  workerUrl?: string | URL;
  /** The transform worker's entry, binaryen inside (default: transform-worker-browser.js next to this module). */
  transformWorkerUrl?: string | URL;
  /** Console output of every process (1 = stdout, 2 = stderr). Default: the page's console. */
  onConsole?(stream: number, bytes: Uint8Array): void;
  /** Trace lines (`trace: true`) and worker errors. Default: onConsole's stderr. */
  onTrace?(line: string): void;
  /** The console's input (with `stdin: true`); by default input that ends at once. */
  terminal?: BrowserTerminal;
  /** Bit n set: console stream n (0 in, 1 out, 2 err) is a terminal (default 0). */
  ttyMask?: number;
  /** mounts need a host file system: refused here. */
  mounts?: never;
}

async function fetchBytes(url: string | URL): Promise<Uint8Array<ArrayBuffer>> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`wasmux: fetch ${String(url)}: ${res.status} ${res.statusText}`);
  return new Uint8Array(await res.arrayBuffer());
}

/** The page's console sink: onConsole/onTrace, or the page's console. */
function pageSink(options: BrowserBootOptions): (m: HostMessage) => void {
  const decoders = [new TextDecoder(), new TextDecoder()];
  const encoder = new TextEncoder();
  const console_ = (stream: number, bytes: Uint8Array): void => {
    if (options.onConsole) { options.onConsole(stream, bytes); return; }
    const text = decoders[stream === 2 ? 1 : 0]!.decode(bytes, { stream: true });
    if (text) (stream === 2 ? console.error : console.log)(text.replace(/\n$/, ''));
  };
  return (m) => {
    if (m.wasmux === 'console') console_(m.stream, m.bytes);
    else if (options.onTrace) options.onTrace(m.line);
    else console_(2, encoder.encode(m.line));
  };
}

/** A RuntimePlatform over bytes already fetched. */
export function browserRuntimePlatform(
  kernel: Uint8Array<ArrayBuffer>,
  programs: { name: string; bytes: Uint8Array }[],
  options: Pick<BrowserBootOptions, 'workerUrl' | 'transformWorkerUrl' | 'onConsole' | 'onTrace' | 'terminal' | 'ttyMask'> = {},
): RuntimePlatform {
  const sink = pageSink(options as BrowserBootOptions);
  const workerUrl = options.workerUrl ?? new URL('./worker-browser.js', import.meta.url);
  // fork's transform (binaryen) runs here, for every process worker (transform-browser.ts).
  const transform = new TransformWorker(options.transformWorkerUrl ?? new URL('./transform-worker-browser.js', import.meta.url));
  return {
    host: browserHostPlatform(sink),
    readKernel: () => kernel,
    listPrograms: () => programs,
    newWorker: (): WorkerHandle => {
      const worker = new Worker(workerUrl, { type: 'module', name: `${WORKER_NAME}${performance.timeOrigin}` });
      const port = transform.connect();
      worker.postMessage({ wasmux: TRANSFORM_PORT_MESSAGE, port }, [port]);
      worker.addEventListener('message', (ev: MessageEvent) => { if (isHostMessage(ev.data)) sink(ev.data); });
      worker.addEventListener('error', (ev: ErrorEvent) => {
        sink({ wasmux: 'trace', line: `wasmux: worker error: ${ev.message || 'failed to load'}\n` });
      });
      // Comlink's default endpoint: the Worker itself. A browser worker has no
      // exit event: an uncaught error is its death (it is terminated then).
      let exited: ((reason: string) => void) | null = null;
      worker.addEventListener('error', (ev: ErrorEvent) => {
        worker.terminate();
        exited?.(`worker error: ${ev.message || 'failed to load'}`);
        exited = null;
      });
      return {
        endpoint: worker,
        terminate: () => { exited = null; worker.terminate(); },
        onExit: (listener) => { exited = listener; },
      };
    },
    ttyMask: () => options.ttyMask ?? 0,
    // navigator.deviceMemory is in GiB (rounded, at most 8); not every browser has it.
    hostMemory: () => ((navigator as { deviceMemory?: number }).deviceMemory ?? 0) * 2 ** 30,
    terminalInput: () => {
      if (options.terminal) return options.terminal;
      const t = new BrowserTerminal();
      t.end();
      return t;
    },
  };
}

/** Fetches the kernel and the programs, then boots a machine in this page. */
export async function bootInBrowser(options: BrowserBootOptions): Promise<Machine> {
  if (options.mounts) throw new Error('wasmux: mounts need a host file system, which a browser has not');
  if (!globalThis.crossOriginIsolated) {
    throw new Error('wasmux: the page must be cross-origin isolated (COOP same-origin + COEP require-corp)');
  }
  const urls: [string, string | URL][] = Object.entries(options.programs ?? {});
  if (options.programsBaseUrl !== undefined) {
    const base = new URL(options.programsBaseUrl, location.href);
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    for (const name of options.programNames ?? []) urls.push([name, new URL(`${name}.wasm`, base)]);
  }
  const [kernel, ...bytes] = await Promise.all([
    fetchBytes(options.kernelUrl),
    ...urls.map(([, url]) => fetchBytes(url)),
  ]);
  const programs = urls.map(([name], i) => ({ name, bytes: bytes[i]! }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  // Machine.boot reads only the BootOptions it knows.
  return Machine.boot(options, browserRuntimePlatform(kernel!, programs, options));
}
