// Compiles the AssemblyScript userland: every programs/bin/<name>.ts becomes
// build/programs/<name>.wasm, a WASI command that imports only from
// `wasi_snapshot_preview1` and `wasmux` and exports `memory` and `_start`.
//
//   import { buildPrograms } from './scripts/build-programs.mjs';
//   await buildPrograms({ release: true });
//
// or `node scripts/build-programs.mjs [--debug] [--force] [name...]`.
//
// Compiles run in a small pool of worker threads (the compiler is
// single-threaded and CPU-bound); outputs newer than every source they may
// depend on are skipped.
import { readdir, stat, mkdir, readFile, writeFile, rm } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN_DIR = path.join(ROOT, 'programs', 'bin');
const OUT_DIR = path.join(ROOT, 'build', 'programs');
/** Everything a program may import besides its own file. */
const SHARED_SOURCES = ['programs/lib', 'programs/sh', 'abi'];
const CONFIG = path.join(ROOT, 'programs', 'asconfig.json');
/** Records whether the outputs are release or debug builds, so switching rebuilds them. */
const MODE_STAMP = path.join(OUT_DIR, '.mode');
const ALLOWED_IMPORT_MODULES = new Set(['wasi_snapshot_preview1', 'wasmux']);

/**
 * The compiler arguments for one program (paths relative to ROOT). The
 * options live in programs/asconfig.json (naming it also keeps asc from
 * picking up the kernel's asconfig.json at the root):
 *  - `exportStart: _start`: top-level code runs from an exported _start,
 *    not the wasm start section, so it runs once imports may be called;
 *  - `runtime: incremental`: a GC that frees memory, for long pipelines;
 *  - `use abort=...`: failed checks print to stderr and exit 134.
 */
function compilerArgs(name, release) {
  return [
    `programs/bin/${name}.ts`,
    '--outFile', `build/programs/${name}.wasm`,
    '--config', 'programs/asconfig.json',
    '--target', release ? 'release' : 'debug',
    '--baseDir', ROOT,
    '--noColors',
  ];
}

async function newestMtime(dir) {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const full = path.join(entry.parentPath ?? entry.path, entry.name);
    newest = Math.max(newest, (await stat(full)).mtimeMs);
  }
  return newest;
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

/** Throws unless `bytes` is a module that imports only what the kernel provides and exports _start. */
export function checkModule(name, bytes) {
  const module = new WebAssembly.Module(bytes);
  for (const imp of WebAssembly.Module.imports(module)) {
    if (!ALLOWED_IMPORT_MODULES.has(imp.module)) {
      throw new Error(`${name}.wasm imports ${imp.module}.${imp.name}: only wasi_snapshot_preview1 and wasmux are allowed`);
    }
  }
  const exports = WebAssembly.Module.exports(module).map((e) => e.name);
  for (const required of ['memory', '_start']) {
    if (!exports.includes(required)) throw new Error(`${name}.wasm does not export ${required}`);
  }
}

/** Compiles one program (in a pool worker); resolves to the compiler's error output ('' on success). */
async function compileOne(name, release) {
  const { default: asc } = await import('assemblyscript/asc');
  let errors = '';
  const sink = { write(chunk) { errors += String(chunk); return true; } };
  const { error } = await asc.main(compilerArgs(name, release), { stdout: sink, stderr: sink });
  if (error) return errors || String(error);
  const output = path.join(OUT_DIR, `${name}.wasm`);
  try {
    checkModule(name, await readFile(output));
  } catch (err) {
    await rm(output, { force: true }); // not a usable program: do not let it look up to date
    throw err;
  }
  return '';
}

/** Runs `names` through a pool of workers; resolves to a map name -> error text. */
function compileInWorkers(names, release) {
  const poolSize = Math.max(1, Math.min(names.length, availableParallelism() - 1, 6));
  const queue = [...names];
  const failures = new Map();
  const runWorker = () => new Promise((resolve) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: { buildProgramsWorker: true, release } });
    let current;
    const next = () => {
      current = queue.shift();
      if (current === undefined) worker.terminate();
      else worker.postMessage(current);
    };
    worker.on('message', ({ name, error }) => {
      if (error) failures.set(name, error);
      next();
    });
    // The compiler calls process.exit() when it crashes, which ends the worker.
    worker.on('error', (err) => { if (current) failures.set(current, String(err?.stack ?? err)); });
    worker.on('exit', () => {
      if (current && !failures.has(current)) failures.set(current, 'the compiler crashed (see above)');
      resolve();
    });
    next();
  });
  return Promise.all(Array.from({ length: poolSize }, runWorker)).then(() => {
    for (const name of queue) failures.set(name, 'not compiled: every compiler worker crashed');
    return failures;
  });
}

/**
 * Builds every program (or only `names`). Resolves to { built, skipped };
 * rejects with the compiler's messages if any program fails to compile.
 */
export async function buildPrograms({ release = true, force = false, names = null } = {}) {
  await mkdir(OUT_DIR, { recursive: true });
  const all = (await readdir(BIN_DIR)).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)).sort();
  const wanted = names ? all.filter((n) => names.includes(n)) : all;
  const sharedMtime = Math.max(
    ...(await Promise.all(SHARED_SOURCES.map((d) => newestMtime(path.join(ROOT, d))))),
    (await stat(fileURLToPath(import.meta.url))).mtimeMs,
    (await stat(CONFIG)).mtimeMs,
  );
  const mode = release ? 'release' : 'debug';
  const sameMode = (await readFile(MODE_STAMP, 'utf8').catch(() => '')) === mode;
  const built = [], skipped = [];
  for (const name of wanted) {
    if (!force && sameMode && await isUpToDate(name, sharedMtime)) skipped.push(name);
    else built.push(name);
  }
  if (built.length) {
    // Always in workers, even for one program: a compiler crash calls process.exit().
    const failures = await compileInWorkers(built, release);
    if (failures.size) {
      const report = [...failures].map(([name, error]) => `--- ${name}\n${error}`).join('\n');
      throw new Error(`failed to compile ${[...failures.keys()].join(', ')}\n${report}`);
    }
  }
  // Only once everything is in this mode: a partial build must not mark the rest as current.
  if (!names) await writeFile(MODE_STAMP, mode);
  else if (!sameMode) await rm(MODE_STAMP, { force: true });
  return { built, skipped };
}

if (!isMainThread && workerData?.buildProgramsWorker) {
  // Pool worker: compile the names the main thread sends, one at a time.
  parentPort.on('message', async (name) => {
    let error = '';
    try { error = await compileOne(name, workerData.release); } catch (e) { error = String(e?.stack ?? e); }
    parentPort.postMessage({ name, error });
  });
} else if (isMainThread && import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const flags = process.argv.slice(2);
  const names = flags.filter((f) => !f.startsWith('--'));
  const started = Date.now();
  buildPrograms({ release: !flags.includes('--debug'), force: flags.includes('--force'), names: names.length ? names : null })
    .then(({ built, skipped }) => {
      console.log(`built ${built.length} program(s)${skipped.length ? `, ${skipped.length} up to date` : ''} in ${Date.now() - started} ms`);
    })
    .catch((err) => { console.error(err.message); process.exit(1); });
}
