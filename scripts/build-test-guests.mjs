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
// run in worker threads (a compiler crash calls process.exit()).
import { readdir, stat, mkdir, readFile, rm } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SRC_DIR = path.join(ROOT, 'tests', 'helpers', 'guests');
const OUT_DIR = path.join(ROOT, 'build', 'test-guests');
const SHARED = ['programs/lib', 'abi', 'tests/helpers/guests'];
const NOT_PROGRAMS = new Set(['common', 'imports']);
const ALLOWED = new Set(['wasi_snapshot_preview1', 'wasmux']);

function compilerArgs(name) {
  return [
    `tests/helpers/guests/${name}.ts`,
    '--outFile', `build/test-guests/${name}.wasm`,
    '--config', 'programs/asconfig.json',
    '--target', 'release',
    '--baseDir', ROOT,
    '--noColors',
  ];
}

async function newestMtime(dir) {
  let newest = 0;
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile() || !e.name.endsWith('.ts')) continue;
    newest = Math.max(newest, (await stat(path.join(e.parentPath ?? e.path, e.name))).mtimeMs);
  }
  return newest;
}

function checkModule(name, bytes) {
  const m = new WebAssembly.Module(bytes);
  for (const imp of WebAssembly.Module.imports(m)) {
    if (!ALLOWED.has(imp.module)) throw new Error(`${name}.wasm imports ${imp.module}.${imp.name}`);
  }
  const exps = WebAssembly.Module.exports(m).map((e) => e.name);
  for (const req of ['memory', '_start']) if (!exps.includes(req)) throw new Error(`${name}.wasm does not export ${req}`);
}

async function compileOne(name) {
  const { default: asc } = await import('assemblyscript/asc');
  let errors = '';
  const sink = { write(chunk) { errors += String(chunk); return true; } };
  const { error } = await asc.main(compilerArgs(name), { stdout: sink, stderr: sink });
  if (error) return errors || String(error);
  const output = path.join(OUT_DIR, `${name}.wasm`);
  try { checkModule(name, await readFile(output)); } catch (e) { await rm(output, { force: true }); throw e; }
  return '';
}

function compileInWorkers(names) {
  const poolSize = Math.max(1, Math.min(names.length, availableParallelism(), 4));
  const queue = [...names];
  const failures = new Map();
  const runWorker = () => new Promise((resolve) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: { testGuestCompiler: true } });
    let current;
    const next = () => {
      current = queue.shift();
      if (current === undefined) worker.terminate(); else worker.postMessage(current);
    };
    worker.on('message', ({ name, error }) => { if (error) failures.set(name, error); next(); });
    worker.on('error', (err) => { if (current) failures.set(current, String(err?.stack ?? err)); });
    worker.on('exit', () => {
      if (current && !failures.has(current)) failures.set(current, 'the compiler crashed');
      resolve();
    });
    next();
  });
  return Promise.all(Array.from({ length: poolSize }, runWorker)).then(() => failures);
}

/** Builds every test guest (or only `names`); resolves to { built, skipped }. */
export async function buildTestGuests({ force = false, names = null } = {}) {
  await mkdir(OUT_DIR, { recursive: true });
  const all = (await readdir(SRC_DIR)).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3))
    .filter((n) => !NOT_PROGRAMS.has(n)).sort();
  const wanted = names ? all.filter((n) => names.includes(n)) : all;
  const shared = Math.max(
    ...(await Promise.all(SHARED.map((d) => newestMtime(path.join(ROOT, d))))),
    (await stat(fileURLToPath(import.meta.url))).mtimeMs,
    (await stat(path.join(ROOT, 'programs', 'asconfig.json'))).mtimeMs,
  );
  const built = [], skipped = [];
  for (const name of wanted) {
    let fresh = false;
    try { fresh = !force && (await stat(path.join(OUT_DIR, `${name}.wasm`))).mtimeMs > shared; } catch {}
    (fresh ? skipped : built).push(name);
  }
  if (built.length) {
    const failures = await compileInWorkers(built);
    if (failures.size) {
      const report = [...failures].map(([n, e]) => `--- ${n}\n${e}`).join('\n');
      throw new Error(`failed to compile test guests ${[...failures.keys()].join(', ')}\n${report}`);
    }
  }
  return { built, skipped };
}

if (!isMainThread && workerData?.testGuestCompiler) {
  parentPort.on('message', async (name) => {
    let error = '';
    try { error = await compileOne(name); } catch (e) { error = String(e?.stack ?? e); }
    parentPort.postMessage({ name, error });
  });
} else if (isMainThread && import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const flags = process.argv.slice(2);
  const names = flags.filter((f) => !f.startsWith('--'));
  const t0 = Date.now();
  buildTestGuests({ force: flags.includes('--force'), names: names.length ? names : null })
    .then(({ built, skipped }) => console.log(`built ${built.length} test guest(s)${skipped.length ? `, ${skipped.length} up to date` : ''} in ${Date.now() - t0} ms`))
    .catch((e) => { console.error(e.message); process.exit(1); });
}
