// The Node platform's transform backend (host/transform/pipeline.ts): SHA-256
// content hashes, a disk cache directory, and binaryen run in a child
// process. binaryen's JS build starts with a top-level await, which a
// worker in the middle of loading a guest cannot wait for, so the worker
// runs `node dist/transform-cli.js` synchronously instead (it is blocked on
// that load anyway); that also keeps binaryen's memory out of the workers.
// The cache directory is shared by every worker, machine and run: an entry
// is written to a temporary name and renamed into place, so a reader sees
// a whole file or none, and concurrent writers of one key both succeed.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { builtin } from './builtin.js';
import type { TransformBackend } from '../host/transform/pipeline.js';

/** The default cache directory: $WASMUX_CACHE_DIR, else wasmux-cache-<uid> in the temp dir. */
export function defaultTransformCache(): string {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  return process.env.WASMUX_CACHE_DIR || path.join(os.tmpdir(), `wasmux-cache-${uid}`);
}

function dirOf(dir: string | null | undefined): string | null {
  return dir === undefined ? defaultTransformCache() : dir;
}

/**
 * The transform process's script, next to this bundle: transforms run in
 * worker threads, whose entry is the CommonJS bundle dist/worker.cjs.
 */
function cliPath(): string {
  if (typeof __dirname !== 'string') throw new Error('transform: runs only from the worker bundle (dist/worker.cjs)');
  return path.join(__dirname, 'transform-cli.js');
}

let seq = 0;
// Loaded when a module first needs a transform (runtime/builtin.ts).
const crypto = builtin<typeof import('node:crypto')>('node:crypto');
const childProcess = builtin<typeof import('node:child_process')>('node:child_process');
const threads = builtin<typeof import('node:worker_threads')>('node:worker_threads');

export const nodeTransform: TransformBackend = {
  hash(bytes) {
    return crypto().createHash('sha256').update(bytes).digest('hex');
  },
  read(dir, key) {
    const d = dirOf(dir);
    if (!d) return null;
    try {
      return new Uint8Array(fs.readFileSync(path.join(d, `${key}.wasm`)));
    } catch {
      return null;   // not cached (or unreadable: then transformed again)
    }
  },
  write(dir, key, bytes) {
    const d = dirOf(dir);
    if (!d) return;
    const tmp = path.join(d, `.${key}.${process.pid}.${threads().threadId}.${seq++}.tmp`);
    try {
      fs.mkdirSync(d, { recursive: true, mode: 0o700 });
      fs.writeFileSync(tmp, bytes, { mode: 0o600 });
      fs.renameSync(tmp, path.join(d, `${key}.wasm`));
    } catch {
      // A cache that cannot be written only costs the next load a transform.
      try { fs.unlinkSync(tmp); } catch { /* never written */ }
    }
  },
  run(bytes, passes) {
    try {
      const out = childProcess().execFileSync(process.execPath, [cliPath(), ...passes], {
        input: bytes, maxBuffer: 2 ** 31, stdio: ['pipe', 'pipe', 'pipe'],
      });
      return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
    } catch (e) {
      const stderr = (e as { stderr?: Buffer }).stderr?.toString().trim();
      throw new Error(`transform (${passes.join(', ')}) failed: ${stderr || String(e)}`);
    }
  },
};
