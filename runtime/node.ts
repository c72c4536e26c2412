// The Node platform adapter: the only module of the runtime and host that
// touches Node APIs (files, terminal, worker_threads). A browser adapter
// implements the same two interfaces.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import type { HostPlatform } from '../host/platform.js';
import { nodeHostFs } from './hostfs-node.js';

const sleepCell = new Int32Array(new SharedArrayBuffer(4));
const hrBase = process.hrtime.bigint();
const epochBase = BigInt(Date.now()) * 1_000_000n;

export const nodeHostPlatform: HostPlatform = {
  consoleWrite(stream, bytes) {
    let done = 0;
    while (done < bytes.length) {
      try {
        done += fs.writeSync(stream === 2 ? 2 : 1, bytes, done, bytes.length - done);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') { Atomics.wait(sleepCell, 0, 0, 1); continue; }
        if (code === 'EPIPE') return done > 0 ? done : -64;   // EPIPE
        return done > 0 ? done : -29;                         // EIO
      }
    }
    return done;
  },
  clock(id) {
    const mono = process.hrtime.bigint() - hrBase;
    return id === 0 ? epochBase + mono : mono;
  },
  traceWrite(line) {
    try { fs.writeSync(2, line); } catch { /* stderr gone */ }
  },
  fileSystem: nodeHostFs,
  readFile: (p) => new Uint8Array(fs.readFileSync(p)),
};

/** Where the built artefacts are, relative to this file (dist/ or runtime/). */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
}

export interface RuntimePlatform {
  readKernel(): Uint8Array<ArrayBuffer>;
  listPrograms(): { name: string; bytes: Uint8Array }[];
  newWorker(): Worker;
}

export function nodeRuntimePlatform(programsDir?: string): RuntimePlatform {
  const root = packageRoot();
  const dir = programsDir ?? path.join(root, 'build', 'programs');
  return {
    readKernel: () => new Uint8Array(fs.readFileSync(path.join(root, 'build', 'kernel.wasm'))),
    listPrograms: () => fs.existsSync(dir)
      ? fs.readdirSync(dir).filter((f) => f.endsWith('.wasm')).sort()
        .map((f) => ({ name: f.slice(0, -5), bytes: fs.readFileSync(path.join(dir, f)) }))
      : [],
    // Host descriptors of mounted files are opened and closed by different workers.
    newWorker: () => new Worker(path.join(root, 'dist', 'worker.js'), { trackUnmanagedFds: false }),
  };
}
