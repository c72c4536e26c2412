// The load-time transform pipeline's passes: which exist, in which order
// they run, and which a module needs. A module gets only the passes it needs
// (most get none and are loaded as they are); the result is cached by the
// module's content hash and the pass set (pipeline.ts), so every pass name
// carries a version, bumped whenever its output changes.
//
// Order matters and is fixed here, whatever the set:
//   1. `safepoint`     (signals, #14, host/transform/safepoint.ts) a counter
//                      check at loop headers and at the entry of recursive
//                      functions, calling wasmux.safepoint now and then.
//                      Every module gets it (one that imports
//                      wasmux.safepoint itself too: a guest cannot opt out
//                      of being killed). It must come before asyncify:
//                      code added after asyncify would run in the middle of a
//                      rewind. It runs first, in the host's own thread (a
//                      rewriter of the bytes, no binaryen): fork-globals then
//                      exports its counter too, so a forked child goes on
//                      counting where its parent was (same runs per seed).
//   2. `fork-memory`   the module's memory becomes an import (wasmux.memory),
//                      so the host can hand a forked child a memory prepared
//                      ahead of time (host/memory-pool.ts: fresh memory costs
//                      page faults, several ms for 1 MiB on this VM).
//      `fork-globals`  export the mutable globals (__stack_pointer among
//                      them), so a forked child's host can copy them.
//   3. `asyncify`      unwind/rewind around `wasmux.fork` (host/fork.ts);
//                      wasmux.safepoint is not one of its unwinding imports.
//   4. (shared memory) `address`: accesses in a reserved window redirected
//                      to attached segments; after asyncify, so the
//                      unwind buffer's own loads and stores are left alone.
// A pass is applied by host/transform/binaryen.ts, or in the host's thread
// for the `local` ones (LOCAL_PASSES in pipeline.ts).

import type { ImportName } from './inspect.js';

export interface PassInfo {
  /** Name and version: part of the cache key. */
  name: string;
  version: number;
  /** Whether a module with these imports needs the pass. */
  needed(imports: readonly ImportName[]): boolean;
  /** Applied by the host's own code (pipeline.ts), not by binaryen. */
  local?: boolean;
}

/** The guest import that makes a module forkable. */
export const FORK_IMPORT = { module: 'wasmux', name: 'fork' } as const;
/** The memory import `fork-memory` makes of the module's own memory. */
export const MEMORY_IMPORT = { module: 'wasmux', name: 'memory' } as const;
/** Prefix of the exports `fork-globals` adds: `${prefix}${index}` per mutable global. */
export const GLOBAL_EXPORT_PREFIX = '__wasmux_global_';

const importsFork = (imports: readonly ImportName[]): boolean =>
  imports.some((i) => i.kind === 0 && i.module === FORK_IMPORT.module && i.name === FORK_IMPORT.name);

/** Every pass, in the order they run. */
export const PASSES: readonly PassInfo[] = [
  { name: 'safepoint', version: 1, needed: () => true, local: true },
  { name: 'fork-memory', version: 1, needed: importsFork },
  { name: 'fork-globals', version: 1, needed: importsFork },
  { name: 'asyncify', version: 1, needed: importsFork },
];

/** The passes a module with these imports needs, in pipeline order. */
export function selectPasses(imports: readonly ImportName[]): string[] {
  return PASSES.filter((p) => p.needed(imports)).map((p) => `${p.name}@${p.version}`);
}
