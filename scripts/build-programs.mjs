// Compiles the AssemblyScript userland: every programs/bin/<name>.ts becomes
// build/programs/<name>.wasm, a WASI command that imports only from
// `wasi_snapshot_preview1` and `wasmux` and exports `memory` and `_start`.
//
//   import { buildPrograms } from './scripts/build-programs.mjs';
//   await buildPrograms({ release: true });
//
// or `node scripts/build-programs.mjs [--debug] [--force] [name...]`.
//
// Compiles run in a small pool of worker threads (scripts/asc-compile.mjs);
// outputs newer than every source they may depend on are skipped.
import { stat, mkdir, readFile, writeFile, rm } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import { ROOT, compileInWorkers, throwFailures, sourcesMtime, tsNames } from './asc-compile.mjs';

export { checkModule } from './asc-compile.mjs';

const BIN_DIR = path.join(ROOT, 'programs', 'bin');
const OUT_DIR = path.join(ROOT, 'build', 'programs');
/** Everything a program may import besides its own file. */
const SHARED_SOURCES = ['programs/lib', 'programs/sh', 'abi'];
const CONFIG = path.join(ROOT, 'programs', 'asconfig.json');
/** Records whether the outputs are release or debug builds, so switching rebuilds them. */
const MODE_STAMP = path.join(OUT_DIR, '.mode');

/**
 * The compile job for one program (paths relative to ROOT). The options
 * live in programs/asconfig.json:
 *  - `exportStart: _start`: top-level code runs from an exported _start,
 *    not the wasm start section, so it runs once imports may be called;
 *  - `runtime: incremental`: a GC that frees memory, for long pipelines;
 *  - `use abort=...`: failed checks print to stderr and exit 134.
 */
function compileJob(name, release) {
  return {
    name,
    source: `programs/bin/${name}.ts`,
    outFile: `build/programs/${name}.wasm`,
    config: 'programs/asconfig.json',
    target: release ? 'release' : 'debug',
  };
}

async function isUpToDate(name, sharedMtime) {
  try {
    const out = await stat(path.join(OUT_DIR, `${name}.wasm`));
    const src = await stat(path.join(BIN_DIR, `${name}.ts`));
    return out.mtimeMs > Math.max(src.mtimeMs, sharedMtime);
  } catch {
    return false;
  }
}

/**
 * Builds every program (or only `names`). Resolves to { built, skipped };
 * rejects with the compiler's messages if any program fails to compile.
 */
export async function buildPrograms({ release = true, force = false, names = null } = {}) {
  await mkdir(OUT_DIR, { recursive: true });
  const all = await tsNames(BIN_DIR);
  const wanted = names ? all.filter((n) => names.includes(n)) : all;
  const sharedMtime = await sourcesMtime(SHARED_SOURCES, [
    fileURLToPath(import.meta.url), fileURLToPath(new URL('./asc-compile.mjs', import.meta.url)), CONFIG,
  ]);
  const mode = release ? 'release' : 'debug';
  const sameMode = (await readFile(MODE_STAMP, 'utf8').catch(() => '')) === mode;
  const built = [], skipped = [];
  for (const name of wanted) {
    if (!force && sameMode && await isUpToDate(name, sharedMtime)) skipped.push(name);
    else built.push(name);
  }
  if (built.length) {
    // Always in workers, even for one program: a compiler crash calls process.exit().
    throwFailures(await compileInWorkers(built.map((name) => compileJob(name, release)), 6), '');
  }
  // Only once everything is in this mode: a partial build must not mark the rest as current.
  if (!names) await writeFile(MODE_STAMP, mode);
  else if (!sameMode) await rm(MODE_STAMP, { force: true });
  return { built, skipped };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const flags = process.argv.slice(2);
  const names = flags.filter((f) => !f.startsWith('--'));
  const started = Date.now();
  buildPrograms({ release: !flags.includes('--debug'), force: flags.includes('--force'), names: names.length ? names : null })
    .then(({ built, skipped }) => {
      console.log(`built ${built.length} program(s)${skipped.length ? `, ${skipped.length} up to date` : ''} in ${Date.now() - started} ms`);
    })
    .catch((err) => { console.error(err.message); process.exit(1); });
}
