// The Node platform adapter: with host-node.ts, hostfs-node.ts, prestart.ts,
// worker.ts and cli.ts the only modules that touch Node APIs (files,
// terminal, worker_threads). A browser adapter implements the same two
// interfaces (HostPlatform, RuntimePlatform). The part every thread needs,
// HostPlatform, is host-node.ts: workers load only that.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as os from 'node:os';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { RuntimePlatform, TerminalInput } from './platform.js';
import { nodeHostPlatform } from './host-node.js';
import { startWorkerThread, takePrestarted } from './prestart.js';
import { builtin } from './builtin.js';

// Only a run whose console is a terminal needs node:tty (and node:net below it).
const tty = builtin<typeof import('node:tty')>('node:tty');
// The CLI's CommonJS bundle knows its directory without node:url (4 ms to load).
const url = builtin<typeof import('node:url')>('node:url');

/** Where the built artefacts are, relative to this file (dist/ or runtime/). */
export function packageRoot(): string {
  let dir = typeof __dirname === 'string' ? __dirname : path.dirname(url().fileURLToPath(import.meta.url));
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
      // The CLI's worker started before the runtime loaded (runtime/prestart.ts), else a new one.
      const file = path.join(root, 'dist', 'worker.cjs');
      const { worker, why } = takePrestarted(file) ?? startWorkerThread(file);
      return {
        endpoint: nodeEndpoint(worker),
        terminate: () => worker.terminate(),
        onExit: (listener) => { worker.once('exit', (code) => listener(why() || `worker exited with code ${code}`)); },
      };
    },
    ttyMask: () => (isatty(0) ? 1 : 0) | (isatty(1) ? 2 : 0) | (isatty(2) ? 4 : 0),
    terminalInput: nodeTerminalInput,
    hostMemory: () => os.totalmem(),
  };
}

/**
 * isatty(fd) without touching process.stdin/stdout/stderr (each would make
 * a stream, and load node:net for a pipe) and without node:tty for what is
 * surely no terminal: anything but a character device, or one of Linux's
 * memory devices (major 1: /dev/null, /dev/zero...).
 */
function isatty(fd: number): boolean {
  let st: fs.Stats;
  try { st = fs.fstatSync(fd); } catch { return false; }
  if (!st.isCharacterDevice() || (process.platform === 'linux' && ((st.rdev >> 8) & 0xfff) === 1)) return false;
  return tty().isatty(fd);
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
      if (process.stdin.isTTY) { sink.end(true); listen(new (tty().ReadStream)(0), sink); }
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
