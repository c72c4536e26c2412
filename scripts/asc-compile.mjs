// Compiling AssemblyScript guests, shared by scripts/build-programs.mjs
// (the userland), scripts/build-test-guests.mjs (the test guests) and
// bench/run.mjs (the benchmark guests):
//
//   compileGuest({ name, source, outFile, config, target })
//       one asc run (paths relative to ROOT) plus checkModule(); resolves
//       to the compiler's error output, '' on success
//   compileInWorkers(jobs, maxWorkers)
//       the same for many jobs in a pool of worker threads (the compiler is
//       single-threaded and CPU-bound, and calls process.exit() when it
//       crashes); resolves to a map name -> error text
//   newestMtime(dir), sourcesMtime(dirs, files)
//       for the "outputs newer than every source are up to date" checks
import { readdir, stat, readFile, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ALLOWED_IMPORT_MODULES = new Set(['wasi_snapshot_preview1', 'wasmux']);

/** Throws unless `bytes` is a module that imports only what the kernel provides and exports memory and _start. */
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

/**
 * The compiler arguments for one guest. Naming `config` (an asconfig.json)
 * also keeps asc from picking up the kernel's asconfig.json at the root;
 * `target` is one of its targets, or null for its plain options.
 */
function compilerArgs({ source, outFile, config, target = null }) {
  return [
    source,
    '--outFile', outFile,
    '--config', config,
    ...(target ? ['--target', target] : []),
    '--baseDir', ROOT,
    '--noColors',
  ];
}

/**
 * Compiles one guest in this thread and checks the result (an unusable
 * output is removed so that it does not look up to date). Resolves to the
 * compiler's error output ('' on success); rejects if the check fails.
 */
export async function compileGuest(job) {
  const { default: asc } = await import('assemblyscript/asc');
  let errors = '';
  const sink = { write(chunk) { errors += String(chunk); return true; } };
  const { error } = await asc.main(compilerArgs(job), { stdout: sink, stderr: sink });
  if (error) return errors || String(error);
  const output = path.resolve(ROOT, job.outFile);
  try {
    checkModule(job.name, await readFile(output));
  } catch (err) {
    await rm(output, { force: true });
    throw err;
  }
  return '';
}

/**
 * Compiles `jobs` (each as compileGuest() takes it, with a unique `name`)
 * in a pool of at most `maxWorkers` worker threads. Resolves to a map
 * name -> error text for the ones that failed.
 */
export function compileInWorkers(jobs, maxWorkers) {
  const poolSize = Math.max(1, Math.min(jobs.length, availableParallelism() - 1, maxWorkers));
  const queue = [...jobs];
  const failures = new Map();
  const runWorker = () => new Promise((resolve) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: { ascCompileWorker: true } });
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
    worker.on('error', (err) => { if (current) failures.set(current.name, String(err?.stack ?? err)); });
    worker.on('exit', () => {
      if (current && !failures.has(current.name)) failures.set(current.name, 'the compiler crashed (see above)');
      resolve();
    });
    next();
  });
  return Promise.all(Array.from({ length: poolSize }, runWorker)).then(() => {
    for (const job of queue) failures.set(job.name, 'not compiled: every compiler worker crashed');
    return failures;
  });
}

/** Throws the compiler messages of `failures` (from compileInWorkers), if any, after `what`. */
export function throwFailures(failures, what) {
  if (!failures.size) return;
  const report = [...failures].map(([name, error]) => `--- ${name}\n${error}`).join('\n');
  throw new Error(`failed to compile ${what}${[...failures.keys()].join(', ')}\n${report}`);
}

/** The newest modification time of the .ts files under `dir`. */
export async function newestMtime(dir) {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const full = path.join(entry.parentPath ?? entry.path, entry.name);
    newest = Math.max(newest, (await stat(full)).mtimeMs);
  }
  return newest;
}

/** The newest modification time of the .ts files under `dirs` (relative to ROOT) and of `files`. */
export async function sourcesMtime(dirs, files) {
  return Math.max(
    ...(await Promise.all(dirs.map((d) => newestMtime(path.join(ROOT, d))))),
    ...(await Promise.all(files.map(async (f) => (await stat(f)).mtimeMs))),
  );
}

/** The names of the `.ts` files in `dir`, without the extension, sorted. */
export async function tsNames(dir) {
  return (await readdir(dir)).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)).sort();
}

if (!isMainThread && workerData?.ascCompileWorker) {
  // Pool worker: compile the jobs the main thread sends, one at a time.
  parentPort.on('message', async (job) => {
    let error = '';
    try { error = await compileGuest(job); } catch (e) { error = String(e?.stack ?? e); }
    parentPort.postMessage({ name: job.name, error });
  });
}
