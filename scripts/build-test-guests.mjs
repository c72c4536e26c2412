// Compiles the AssemblyScript test guests: every tests/helpers/guests/<name>.ts
// (except the shared modules common.ts and imports.ts) becomes build/test-guests/<name>.wasm,
// a WASI command importing only wasi_snapshot_preview1 and wasmux, built with
// the same options as the userland (programs/asconfig.json). They live under
// tests/helpers/ because `npm test` runs `uvu tests -i helpers`, which would
// otherwise try to load every .ts file under tests/ as a test suite.
//
//   import { buildTestGuests } from './scripts/build-test-guests.mjs';
//   await buildTestGuests();
//
// or `node scripts/build-test-guests.mjs [--force] [name...]`. Called by
// scripts/build.mjs. Outputs newer than every source are skipped; compiles
// run in worker threads (scripts/asc-compile.mjs).
import { stat, mkdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import { ROOT, compileInWorkers, throwFailures, sourcesMtime, tsNames } from './asc-compile.mjs';

const SRC_DIR = path.join(ROOT, 'tests', 'helpers', 'guests');
const OUT_DIR = path.join(ROOT, 'build', 'test-guests');
const SHARED = ['programs/lib', 'abi', 'tests/helpers/guests'];
const NOT_PROGRAMS = new Set(['common', 'imports']);

function compileJob(name) {
  return {
    name,
    source: `tests/helpers/guests/${name}.ts`,
    outFile: `build/test-guests/${name}.wasm`,
    config: 'programs/asconfig.json',
    target: 'release',
  };
}

/** Builds every test guest (or only `names`); resolves to { built, skipped }. */
export async function buildTestGuests({ force = false, names = null } = {}) {
  await mkdir(OUT_DIR, { recursive: true });
  const all = (await tsNames(SRC_DIR)).filter((n) => !NOT_PROGRAMS.has(n));
  const wanted = names ? all.filter((n) => names.includes(n)) : all;
  const shared = await sourcesMtime(SHARED, [
    fileURLToPath(import.meta.url), fileURLToPath(new URL('./asc-compile.mjs', import.meta.url)),
    path.join(ROOT, 'programs', 'asconfig.json'),
  ]);
  const built = [], skipped = [];
  for (const name of wanted) {
    let fresh = false;
    try { fresh = !force && (await stat(path.join(OUT_DIR, `${name}.wasm`))).mtimeMs > shared; } catch {}
    (fresh ? skipped : built).push(name);
  }
  if (built.length) throwFailures(await compileInWorkers(built.map(compileJob), 4), 'test guests ');
  return { built, skipped };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const flags = process.argv.slice(2);
  const names = flags.filter((f) => !f.startsWith('--'));
  const t0 = Date.now();
  buildTestGuests({ force: flags.includes('--force'), names: names.length ? names : null })
    .then(({ built, skipped }) => console.log(`built ${built.length} test guest(s)${skipped.length ? `, ${skipped.length} up to date` : ''} in ${Date.now() - t0} ms`))
    .catch((e) => { console.error(e.message); process.exit(1); });
}
