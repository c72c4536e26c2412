// The one load-time transform pipeline: every guest module goes through
// transformGuest before the host compiles it. The passes a module needs are
// chosen from its imports (passes.ts); a module that needs none comes back
// as it is, with no hashing and no copy. A transformed module is cached by
// the content hash of the original bytes and the pass set: in memory (per
// thread) and on disk (a directory shared by every worker and machine,
// written write-then-rename so concurrent writers never expose half a file).
// The host passes (wasi-cwd, safepoint) are the host's own code, run in
// this thread; running binaryen is the platform's (TransformBackend: a
// child process in Node, runtime/transform-node.ts; a transform worker in
// the browser, runtime/transform-browser.ts). A platform without one
// gets only the host passes, uncached (its fork is ENOSYS). A pass that
// fails is left out and the others still apply.

import { importsOf } from './inspect.js';
import { selectPasses, hostPass, cheapPass } from './passes.js';

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
  /** Where the result came from ('failed': some pass, or all, could not be applied; `error` says why). */
  source: 'none' | 'memory' | 'disk' | 'run' | 'failed';
  error?: string;
}

/** Bump when the key's meaning changes (the pass versions are in it too). */
const PIPELINE_VERSION = 1;
const MEMORY_ENTRIES = 16;
/** Results by key, most recently used last; a partial one (some pass failed) is kept too: not tried again. */
const memory = new Map<string, Transformed>();
/** Keys whose (host-only) passes changed nothing: the module loads as it is. */
const unchanged = new Set<string>();

/** The cache key of `bytes` under `passes`. */
export function transformKey(hash: string, passes: readonly string[]): string {
  return `${hash}-p${PIPELINE_VERSION}-${passes.join('+').replace(/[^A-Za-z0-9+@-]/g, '_')}`;
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * The module as the host compiles it. `dir`: the disk cache (undefined: the
 * platform's default, null: none). A pass that fails is left out (source
 * 'failed', with the error): the module runs, and what needed the pass is
 * unavailable (fork is ENOSYS; without safepoints a computing guest is
 * killed by terminating its worker), as on a platform without binaryen.
 * `without`: names of passes this load leaves out (the CLI's inline run
 * needs no safepoints).
 */
export function transformGuest(bytes: Uint8Array, backend: TransformBackend | undefined,
                               dir: string | null | undefined, without: readonly string[] = []): Transformed {
  const passes = selectPasses(importsOf(bytes)).filter((id) => !without.includes(id.slice(0, id.indexOf('@'))));
  if (passes.length === 0) return { bytes, passes: [], source: 'none' };
  const host = passes.filter((p) => hostPass(p) !== undefined);
  // Without a backend (no binaryen, no hash): the host's own passes only,
  // uncached. So too when every pass is a cheap one: running it costs less
  // than the hash would (a cold start loads node:crypto for the hash alone,
  // ~4 ms here, against well under 1 ms of wasi-cwd).
  if (!backend || passes.every(cheapPass)) {
    const t = runHostPasses(bytes, host);
    return t.bytes === bytes && !t.error ? { bytes, passes: [], source: 'none' } : t;
  }
  const key = transformKey(backend.hash(bytes), passes);
  const hit = memory.get(key);
  if (hit) {
    memory.delete(key);   // most recently used last
    memory.set(key, hit);
    return hit.source === 'failed' ? hit : { ...hit, source: 'memory' };
  }
  if (unchanged.has(key)) return { bytes, passes: [], source: 'none' };
  let t: Transformed;
  const cached = backend.read(dir, key);
  if (cached) t = { bytes: cached, passes, source: 'disk' };
  else {
    t = runHostPasses(bytes, host);
    const binaryen = passes.filter((p) => hostPass(p) === undefined);
    if (binaryen.length === 0 && t.bytes === bytes && !t.error) {
      // The host's passes found nothing to do: no copy of the module is kept, here or on disk.
      unchanged.add(key);
      return { bytes, passes: [], source: 'none' };
    }
    if (binaryen.length > 0) {
      try {
        t = { ...t, bytes: backend.run(t.bytes, binaryen), passes: [...t.passes, ...binaryen] };
      } catch (e) {
        t = { ...t, source: 'failed', error: [t.error, message(e)].filter(Boolean).join('; ') };
      }
    }
    // Only a whole result goes to disk: another thread may yet succeed where this one failed.
    if (t.source === 'run') backend.write(dir, key, t.bytes);
  }
  memory.set(key, t);
  if (memory.size > MEMORY_ENTRIES) memory.delete(memory.keys().next().value as string);
  return t;
}

/**
 * The host's passes of the set, in order, over `bytes` (the same array back
 * when none changed it). One that throws, or whose output does not
 * validate, is left out: a bug of a pass must not stop the program from
 * loading (checked once per transform, the result is cached: 0.5 s for a
 * 30 MB module).
 */
function runHostPasses(bytes: Uint8Array, ids: readonly string[]): Transformed {
  let out = bytes;
  const applied: string[] = [];
  const errors: string[] = [];
  for (const id of ids) {
    try {
      const next = hostPass(id)!(out);
      if (next !== out && !WebAssembly.validate(next as Uint8Array<ArrayBuffer>)
          && WebAssembly.validate(out as Uint8Array<ArrayBuffer>)) throw new Error(`${id}: its output does not validate`);
      if (next !== out) applied.push(id);
      out = next;
    } catch (e) {
      errors.push(message(e));
    }
  }
  return errors.length > 0 ? { bytes: out, passes: applied, source: 'failed', error: errors.join('; ') }
    : { bytes: out, passes: applied, source: 'run' };
}

/** Forgets the in-memory cache (tests, benchmarks of the disk cache). */
export function clearTransformMemory(): void { memory.clear(); unchanged.clear(); }
