// Applies the pipeline's passes (passes.ts) to a module with binaryen, the
// one that comes with AssemblyScript. binaryen's JS build loads with a
// top-level await, which a worker running a guest cannot wait for, so this
// runs where an await is fine: the transform process (runtime/transform-cli.ts)
// or a test. It takes the binaryen module as an argument and imports nothing.

import { FORK_IMPORT, GLOBAL_EXPORT_PREFIX, MEMORY_IMPORT, PASSES } from './passes.js';

// Only what is used here of binaryen's API (its own typings are the package's).
interface BinaryenModule {
  setFeatures(f: number): void;
  getNumGlobals(): number;
  hasMemory(): boolean;
  getMemoryInfo(): { module: string | null; base: string | null };
  addMemoryImport(internal: string, module: string, base: string): void;
  getGlobalByIndex(i: number): number;
  addGlobalExport(internal: string, external: string): number;
  runPasses(passes: string[]): void;
  optimize(): void;
  validate(): number;
  emitBinary(): Uint8Array;
  dispose(): void;
}
export interface Binaryen {
  readBinaryWithFeatures(data: Uint8Array, features: number): BinaryenModule;
  getGlobalInfo(g: number): { name: string; module: string | null; mutable: boolean };
  setPassArgument(key: string, value: string | null): void;
  clearPassArguments(): void;
  setOptimizeLevel(level: number): number;
  setShrinkLevel(level: number): number;
  Features: Record<string, number>;
}

/**
 * What guests may use and Node 20 runs (clang's output has no
 * target_features section, so binaryen is told): no GC, no memory64, no
 * multi-memory (V8 11.3 refuses a second memory).
 */
function features(b: Binaryen): number {
  const F = b.Features;
  // BulkMemoryOpt (memory.copy/fill) goes with BulkMemory: binaryen asserts one implies the other.
  return F.MutableGlobals | F.NontrappingFPToInt | F.SIMD128 | F.BulkMemory | F.BulkMemoryOpt | F.SignExt
    | F.ReferenceTypes | F.Multivalue | F.ExceptionHandling | F.TailCall | F.Atomics;
}

function forkMemory(_b: Binaryen, m: BinaryenModule): void {
  if (!m.hasMemory()) throw new Error('fork-memory: the module has no memory');
  const info = m.getMemoryInfo();
  if (info.module) {
    if (info.module === MEMORY_IMPORT.module && info.base === MEMORY_IMPORT.name) return;
    throw new Error(`fork-memory: the module imports its memory (${info.module}.${info.base})`);
  }
  // binaryen names an unnamed memory "0"; given an existing memory's name,
  // addMemoryImport turns that memory into an import (index 0 stays).
  m.addMemoryImport('0', MEMORY_IMPORT.module, MEMORY_IMPORT.name);
  const after = m.getMemoryInfo();
  if (after.module !== MEMORY_IMPORT.module) throw new Error('fork-memory: the memory has a name of its own');
}

function forkGlobals(b: Binaryen, m: BinaryenModule): void {
  for (let i = 0; i < m.getNumGlobals(); i++) {
    const g = b.getGlobalInfo(m.getGlobalByIndex(i));
    if (g.mutable && !g.module) m.addGlobalExport(g.name, `${GLOBAL_EXPORT_PREFIX}${i}`);
  }
}

function asyncify(b: Binaryen, m: BinaryenModule): void {
  b.setPassArgument('asyncify-imports', `${FORK_IMPORT.module}.${FORK_IMPORT.name}`);
  m.runPasses(['asyncify']);
  b.clearPassArguments();
  // asyncify's output is bloated with state checks: -O1 takes most of it
  // back (DESIGN.md: +19 % size, +3-7 % run time on a C guest).
  b.setOptimizeLevel(1);
  b.setShrinkLevel(0);
  m.optimize();
}

const APPLY: Record<string, (b: Binaryen, m: BinaryenModule) => void> = {
  'fork-memory': forkMemory,
  'fork-globals': forkGlobals,
  asyncify,
};

/** Runs `passes` (names with versions, from selectPasses) over `bytes`. */
export function applyPasses(b: Binaryen, bytes: Uint8Array, passes: readonly string[]): Uint8Array {
  const m = b.readBinaryWithFeatures(bytes, features(b));
  try {
    for (const p of passes) {
      const [name, version] = p.split('@');
      const info = PASSES.find((x) => x.name === name);
      if (!info || String(info.version) !== version || !APPLY[name]) throw new Error(`unknown transform pass ${p}`);
      APPLY[name](b, m);
    }
    if (!m.validate()) throw new Error('transformed module does not validate');
    return m.emitBinary();
  } finally {
    m.dispose();
  }
}
