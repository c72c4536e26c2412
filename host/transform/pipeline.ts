// The one load-time transform pipeline: every guest module goes through
// transformGuest before the host compiles it. The passes a module needs are
// chosen from its imports (passes.ts); a module that needs none comes back
// as it is, with no hashing and no copy. A transformed module is cached by
// the content hash of the original bytes and the pass set: in memory (per
// thread) and on disk (a directory shared by every worker and machine,
// written write-then-rename so concurrent writers never expose half a file).
// Running binaryen is the platform's (TransformBackend: a child process in
// Node, runtime/transform-node.ts); a platform without one loads modules
// untransformed, and their fork is ENOSYS.

import { importsOf } from './inspect.js';
import { selectPasses, hostPass } from './passes.js';

/** What a platform provides to run and cache transforms. */
export interface TransformBackend {
  /** A content hash of `bytes` (hex). */
  hash(bytes: Uint8Array): string;
  /** The cached result for `key` in `dir`, or null. */
  read(dir: string | null | undefined, key: string): Uint8Array | null;
  /** Caches `bytes` under `key` in `dir` (atomically: write, then rename). */
  write(dir: string | null | undefined, key: string, bytes: Uint8Array): void;
  /** Runs the passes (binaryen). Throws with binaryen's message on failure. */
  run(bytes: Uint8Array, passes: readonly string[]): Uint8Array;
}

export interface Transformed {
  bytes: Uint8Array;
  /** The passes applied (empty: the module as it was). */
  passes: string[];
  /** Where the result came from ('failed': the module as it was; `error` says why). */
  source: 'none' | 'memory' | 'disk' | 'run' | 'failed';
  error?: string;
}

/** Bump when the key's meaning changes (the pass versions are in it too). */
const PIPELINE_VERSION = 1;
const MEMORY_ENTRIES = 16;
const memory = new Map<string, Uint8Array>();
/** Keys whose transform failed on this thread, and why: not tried again. */
const failed = new Map<string, string>();
/** Keys whose (host-only) passes changed nothing: the module loads as it is. */
const unchanged = new Set<string>();

/** The cache key of `bytes` under `passes`. */
export function transformKey(hash: string, passes: readonly string[]): string {
  return `${hash}-p${PIPELINE_VERSION}-${passes.join('+').replace(/[^A-Za-z0-9+@-]/g, '_')}`;
}

/**
 * The module as the host compiles it. `dir`: the disk cache (undefined: the
 * platform's default, null: none). A transform that fails leaves the module
 * as it was (source 'failed', with the error): it runs, and what needed the
 * pass is unavailable (fork is ENOSYS), as on a platform without binaryen.
 */
export function transformGuest(bytes: Uint8Array, backend: TransformBackend | undefined,
                               dir: string | null | undefined): Transformed {
  const passes = selectPasses(importsOf(bytes));
  if (passes.length === 0) return { bytes, passes: [], source: 'none' };
  const host = passes.filter((p) => hostPass(p) !== undefined);
  // Without a backend (no binaryen, no hash): the host's own passes only, uncached.
  if (!backend) {
    const out = runHostPasses(bytes, host);
    return out === bytes ? { bytes, passes: [], source: 'none' } : { bytes: out, passes: host, source: 'run' };
  }
  const key = transformKey(backend.hash(bytes), passes);
  const hit = memory.get(key);
  if (hit) {
    memory.delete(key);   // most recently used last
    memory.set(key, hit);
    return { bytes: hit, passes, source: 'memory' };
  }
  const why = failed.get(key);
  if (why !== undefined) return { bytes, passes: [], source: 'failed', error: why };
  if (unchanged.has(key)) return { bytes, passes: [], source: 'none' };
  let source: Transformed['source'] = 'disk';
  let out = backend.read(dir, key);
  if (!out) {
    const edited = runHostPasses(bytes, host);
    const binaryen = passes.filter((p) => hostPass(p) === undefined);
    if (binaryen.length === 0 && edited === bytes) {
      // The host's passes found nothing to do: no copy of the module is kept, here or on disk.
      unchanged.add(key);
      return { bytes, passes: [], source: 'none' };
    }
    try {
      out = binaryen.length > 0 ? backend.run(edited, binaryen) : edited;
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      failed.set(key, error);
      return { bytes, passes: [], source: 'failed', error };
    }
    backend.write(dir, key, out);
    source = 'run';
  }
  memory.set(key, out);
  if (memory.size > MEMORY_ENTRIES) memory.delete(memory.keys().next().value as string);
  return { bytes: out, passes, source };
}

/** The host's passes of the set, in order, over `bytes` (the same array back when none changed it). */
function runHostPasses(bytes: Uint8Array, ids: readonly string[]): Uint8Array {
  let out = bytes;
  for (const id of ids) out = hostPass(id)!(out);
  return out;
}

/** Forgets the in-memory cache (tests, benchmarks of the disk cache). */
export function clearTransformMemory(): void { memory.clear(); failed.clear(); unchanged.clear(); }
