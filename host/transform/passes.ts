// The load-time transform pipeline's passes: which exist, in which order
// they run, and which a module needs. A module gets only the passes it needs
// (every module gets safepoint, few any other); the result is cached by the
// module's content hash and the pass set (pipeline.ts), so every pass name
// carries a version, bumped whenever its output changes.
//
// Order matters and is fixed here, whatever the set:
//   0. `wasi-cwd`      the cwd hooks of a stock wasi-libc program
//                      (host/wasi-cwd.ts): a byte-level edit run here, in
//                      the host, not by binaryen, and first, on the
//                      linker's own bytes (its name section, its LEB128s).
//                      The hooks do nothing while the cwd is "/", so every
//                      load gets the same module.
//   1. `safepoint`     (signals, #14, host/transform/safepoint.ts) a counter
//                      check at loop headers and at the entry of recursive
//                      functions, calling wasmux.safepoint now and then.
//                      Every module gets it (one that imports
//                      wasmux.safepoint itself too: a guest cannot opt out
//                      of being killed). A host pass too (a rewriter of the
//                      bytes, no binaryen), after wasi-cwd (which reads the
//                      linker's code) and before asyncify: code added after
//                      asyncify would run in the middle of a rewind.
//                      fork-globals then exports its counter too, so a
//                      forked child goes on counting where its parent was.
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
// A binaryen pass is applied by host/transform/binaryen.ts, a host pass by its `apply`.

import type { ImportName } from './inspect.js';
import { cwdTransform } from '../wasi-cwd.js';
import { safepointPass } from './safepoint.js';

export interface PassInfo {
  /** Name and version: part of the cache key. */
  name: string;
  version: number;
  /** Whether a module with these imports needs the pass. */
  needed(imports: readonly ImportName[]): boolean;
  /** A pass the host runs itself on the bytes (the others are binaryen's); the same bytes back: nothing to do. */
  apply?: (bytes: Uint8Array) => Uint8Array;
  /** A host pass cheaper than hashing the module: a load that needs only such passes is not cached. */
  cheap?: boolean;
}

/** The guest import that makes a module forkable. */
export const FORK_IMPORT = { module: 'wasmux', name: 'fork' } as const;
/** The memory import `fork-memory` makes of the module's own memory. */
export const MEMORY_IMPORT = { module: 'wasmux', name: 'memory' } as const;
/** Prefix of the exports `fork-globals` adds: `${prefix}${index}` per mutable global. */
export const GLOBAL_EXPORT_PREFIX = '__wasmux_global_';

const importsFork = (imports: readonly ImportName[]): boolean =>
  imports.some((i) => i.kind === 0 && i.module === FORK_IMPORT.module && i.name === FORK_IMPORT.name);

/** A wasi-libc program with preopens (its paths and getcwd are the cwd hooks' business). */
const importsPreopens = (imports: readonly ImportName[]): boolean =>
  imports.some((i) => i.kind === 0 && i.module === 'wasi_snapshot_preview1' && i.name === 'fd_prestat_get');

/** Every pass, in the order they run. */
export const PASSES: readonly PassInfo[] = [
  { name: 'wasi-cwd', version: 1, needed: importsPreopens, apply: cwdTransform, cheap: true },
  { name: 'safepoint', version: 3, needed: () => true, apply: safepointPass },
  { name: 'fork-memory', version: 1, needed: importsFork },
  { name: 'fork-globals', version: 1, needed: importsFork },
  { name: 'asyncify', version: 1, needed: importsFork },
];

/** The passes a module with these imports needs, in pipeline order. */
export function selectPasses(imports: readonly ImportName[]): string[] {
  return PASSES.filter((p) => p.needed(imports)).map(passId);
}

/** A pass's id in a pass set and the cache key: name@version. */
export const passId = (p: PassInfo): string => `${p.name}@${p.version}`;

/** Whether the pass with this id is a cheap host pass (PassInfo.cheap). */
export function cheapPass(id: string): boolean {
  return PASSES.find((p) => passId(p) === id)?.cheap === true;
}

/** The host-run pass with this id, or undefined for one of binaryen's. */
export function hostPass(id: string): ((bytes: Uint8Array) => Uint8Array) | undefined {
  return PASSES.find((p) => passId(p) === id)?.apply;
}
