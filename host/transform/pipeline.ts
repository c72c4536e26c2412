// The one load-time transform pipeline: every guest module goes through
// transformGuest before the host compiles it. The passes a module needs are
// chosen from its imports (passes.ts); a module that needs none comes back
// as it is, with no hashing and no copy. A transformed module is cached by
// the content hash of the original bytes and the pass set: in memory (per
// thread) and on disk (a directory shared by every worker and machine,
// written write-then-rename so concurrent writers never expose half a file).
// The host applies the `local` passes itself (safepoint: a rewrite of the
// bytes, in this thread); running binaryen is the platform's
// (TransformBackend: a child process in Node, runtime/transform-node.ts). A
// platform without a backend gets only the local passes, uncached (its fork
// is ENOSYS).

import { importsOf } from './inspect.js';
import { PASSES, selectPasses } from './passes.js';
import { safepointPass } from './safepoint.js';

/** The passes the host applies itself (no binaryen: they run in any worker, on every platform). */
const LOCAL_PASSES: Record<string, (bytes: Uint8Array) => Uint8Array> = { safepoint: safepointPass };
const isLocal = (p: string): boolean => PASSES.some((x) => x.local && p === `${x.name}@${x.version}`);

/** What a platform provides to run and cache transforms. */
export interface TransformBackend {
  /** A content hash of `bytes` (hex). */
  hash(bytes: Uint8Array): string;
  /** The cached result for `key` in `dir`, or null. */
  read(dir: string | null | undefined, key: string): Uint8Array | null;
  /** Caches `bytes` under `key` in `dir` (atomically: write, then rename). */
  write(dir: string | null | undefined, key: string, bytes: Uint8Array): void;
  /** Runs the binaryen passes. Throws with binaryen's message on failure. */
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

/** The cache key of `bytes` under `passes`. */
export function transformKey(hash: string, passes: readonly string[]): string {
  return `${hash}-p${PIPELINE_VERSION}-${passes.join('+').replace(/[^A-Za-z0-9+@-]/g, '_')}`;
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Applies `passes` (pipeline order: the local ones come first): a pass that
 * fails is left out and the others still apply (a module without fork
 * keeps its safepoints; one whose safepoint pass failed can still fork).
 */
function applyAll(bytes: Uint8Array, passes: string[], backend: TransformBackend | undefined): Transformed {
  const applied: string[] = [];
  const errors: string[] = [];
  let out = bytes;
  for (const p of passes.filter(isLocal)) {
    try {
      const next = LOCAL_PASSES[p.split('@')[0]](out);
      // A bug of the pass must not stop the program from loading (once per
      // transform: the result is cached; 0.5 s for a 30 MB module).
      if (!WebAssembly.validate(next as Uint8Array<ArrayBuffer>) && WebAssembly.validate(out as Uint8Array<ArrayBuffer>)) throw new Error(`${p}: its output does not validate`);
      out = next;
      applied.push(p);
    } catch (e) { errors.push(message(e)); }
  }
  const rest = passes.filter((p) => !isLocal(p));
  if (rest.length > 0 && backend) {
    try { out = backend.run(out, rest); applied.push(...rest); } catch (e) { errors.push(message(e)); }
  }
  if (errors.length > 0) return { bytes: out, passes: applied, source: 'failed', error: errors.join('; ') };
  return { bytes: out, passes: applied, source: 'run' };
}

/**
 * The module as the host compiles it. `dir`: the disk cache (undefined: the
 * platform's default, null: none). A pass that fails is left out (source
 * 'failed', with the error): the module runs, and what needed the pass is
 * unavailable (fork is ENOSYS; without safepoints a computing guest is
 * killed by terminating its worker), as on a platform without binaryen.
 * Without a backend only the local passes apply, uncached.
 */
export function transformGuest(bytes: Uint8Array, backend: TransformBackend | undefined,
                               dir: string | null | undefined): Transformed {
  const passes = selectPasses(importsOf(bytes));
  if (!backend) {
    const local = passes.filter(isLocal);
    return local.length === 0 ? { bytes, passes: [], source: 'none' } : applyAll(bytes, local, undefined);
  }
  if (passes.length === 0) return { bytes, passes: [], source: 'none' };
  const key = transformKey(backend.hash(bytes), passes);
  const hit = memory.get(key);
  if (hit) {
    memory.delete(key);   // most recently used last
    memory.set(key, hit);
    return hit.source === 'failed' ? hit : { ...hit, source: 'memory' };
  }
  let t: Transformed;
  const cached = backend.read(dir, key);
  if (cached) t = { bytes: cached, passes, source: 'disk' };
  else {
    t = applyAll(bytes, passes, backend);
    // Only a whole result goes to disk: another thread may yet succeed where this one failed.
    if (t.source === 'run') backend.write(dir, key, t.bytes);
  }
  memory.set(key, t);
  if (memory.size > MEMORY_ENTRIES) memory.delete(memory.keys().next().value as string);
  return t;
}

/** Forgets the in-memory cache (tests, benchmarks of the disk cache). */
export function clearTransformMemory(): void { memory.clear(); }
