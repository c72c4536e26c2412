// The Node platform adapter: with hostfs-node.ts, worker.ts and cli.ts the
// only modules that touch Node APIs (files, terminal, worker_threads). A
// browser adapter implements the same two interfaces (HostPlatform,
// RuntimePlatform).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import * as tty from 'node:tty';
import * as os from 'node:os';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { HostPlatform } from '../host/platform.js';
import type { RuntimePlatform, TerminalInput } from './platform.js';
import { nodeHostFs, nodeReadHostFile } from './hostfs-node.js';

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
 */
const consoleFds = new Map<number, number>();
function consoleFd(stream: number): number {
  let fd = consoleFds.get(stream);
  if (fd !== undefined) return fd;
  fd = stream;
  try {
    if (fs.fstatSync(stream).isFIFO() || tty.isatty(stream)) {
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
};

/** Where the built artefacts are, relative to this file (dist/ or runtime/). */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
}

/** The Node runtime platform: programs from build/programs, worker_threads, process stdio. */
export function nodeRuntimePlatform(programsDir?: string): RuntimePlatform {
  const root = packageRoot();
  const dir = programsDir ?? path.join(root, 'build', 'programs');
  return {
    host: nodeHostPlatform,
    readKernel: () => new Uint8Array(fs.readFileSync(path.join(root, 'build', 'kernel.wasm'))),
    listPrograms: () => fs.existsSync(dir)
      ? fs.readdirSync(dir).filter((f) => f.endsWith('.wasm')).sort()
        .map((f) => ({ name: f.slice(0, -5), bytes: fs.readFileSync(path.join(dir, f)) }))
      : [],
    newWorker: () => {
      // Host descriptors of mounted files are opened and closed by different workers.
      const worker = new Worker(path.join(root, 'dist', 'worker.js'), { trackUnmanagedFds: false });
      worker.unref();
      // An uncaught error in the worker is its death, not the host's: listened
      // for here (an unheard 'error' event would throw in the host).
      let why = '';
      worker.on('error', (e) => { why = String(e); });
      return {
        endpoint: nodeEndpoint(worker),
        terminate: () => worker.terminate(),
        onExit: (listener) => { worker.once('exit', (code) => listener(why || `worker exited with code ${code}`)); },
      };
    },
    ttyMask: () => (process.stdin.isTTY ? 1 : 0) | (process.stdout.isTTY ? 2 : 0) | (process.stderr.isTTY ? 4 : 0),
    terminalInput: nodeTerminalInput,
    hostMemory: () => os.totalmem(),
  };
}

/**
 * process.stdin as console input. At a terminal, ^D ends Node's stream;
 * a fresh tty stream on fd 0 then carries on, as a tty does after ^D.
 */
function nodeTerminalInput(): TerminalInput {
  let stream: NodeJS.ReadableStream & { destroy?: () => void } = process.stdin;
  let stopped = false;
  const listen = (s: typeof stream, sink: Parameters<TerminalInput['start']>[0]): void => {
    stream = s;
    s.on('data', (d: Buffer) => sink.data(new Uint8Array(d)));
    s.on('end', () => {
      if (stopped) return;
      if (process.stdin.isTTY) { sink.end(true); listen(new tty.ReadStream(0), sink); }
      else sink.end(false);
    });
    s.on('error', () => sink.end(false));
  };
  return {
    start: (sink) => listen(process.stdin, sink),
    pause: () => { stream.pause(); },
    resume: () => { stream.resume(); },
    stop: () => {
      stopped = true;
      stream.pause();
      stream.removeAllListeners();
      if (stream !== process.stdin) stream.destroy?.();
      process.stdin.unref?.();
    },
  };
}
