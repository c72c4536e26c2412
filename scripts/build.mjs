// Builds everything `npm install` promises: the kernel (AssemblyScript →
// build/kernel.wasm), the userland (build/programs/*.wasm) and the host and
// runtime (TypeScript → dist/). Run by the `prepare` script.

import asc from 'assemblyscript/asc';
import * as esbuild from 'esbuild';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
process.chdir(root);

async function buildKernel() {
  const stderr = asc.createMemoryStream();
  const { error } = await asc.main(['assembly/index.ts', '--config', 'asconfig.json'], { stdout: asc.createMemoryStream(), stderr });
  if (error) {
    console.error(stderr.toString());
    throw new Error(`kernel build failed: ${error.message}`);
  }
}

async function buildHost() {
  await esbuild.build({
    entryPoints: ['runtime/index.ts', 'runtime/cli.ts', 'runtime/prestart.ts', 'runtime/transform-cli.ts'],
    outdir: 'dist',
    // binaryen (13 MB, a top-level await) is loaded only by the transform process, from node_modules.
    external: ['binaryen'],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
  });
  // The CLI (bin/wasmux.js, CommonJS): two CommonJS files, since Node loads
  // those faster than ES modules (its ESM loader costs 10-20 ms more on a
  // cold start). dist/first.cjs is what bin loads before anything else
  // (runtime/first.ts: is a worker needed? and runtime/prestart.ts);
  // dist/cli.cjs is the rest, and requires first.cjs for those two modules
  // so that both share one prestart state.
  // `import * as fs from 'node:fs'` becomes __toESM(require('node:fs')),
  // which copies every export of the module into a new object: 21 of them
  // cost the CLI's start 6 ms (profiled). A built-in module's namespace is
  // the module itself: an object over it (its `default` too) needs no copy.
  const builtinsAsIs = {
    name: 'builtins-as-is',
    setup(b) {
      b.onEnd(() => {
        const out = b.initialOptions.outfile;
        const text = readFileSync(out, 'utf8');
        const done = text.replace(/__toESM\((require\("node:[a-z_/]+"\)), 1\)/g, '__builtinNs($1)');
        if (done !== text) writeFileSync(out, done);
      });
    },
  };
  const cjs = {
    bundle: true, format: 'cjs', platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning',
    external: ['binaryen'],
    define: { 'import.meta': 'importMeta' },
    banner: { js: 'var __builtinNs = (m) => Object.create(m, { default: { value: m, enumerable: true } });' },
    inject: ['scripts/cjs-import-meta.js'],
  };
  await esbuild.build({ ...cjs, entryPoints: ['runtime/first.ts'], outfile: 'dist/first.cjs', plugins: [builtinsAsIs] });
  const shareFirst = {
    name: 'share-first',
    setup(b) {
      b.onResolve({ filter: /^\.\/(first|prestart)\.js$/ }, () => ({ path: './first.cjs', external: true }));
    },
  };
  await esbuild.build({ ...cjs, entryPoints: ['runtime/cli.ts'], outfile: 'dist/cli.cjs', plugins: [shareFirst, builtinsAsIs] });
  // Their V8 code caches (bin/code-cache.js), made by this Node.
  const { writeCache } = createRequire(import.meta.url)('../bin/code-cache.js');
  for (const f of ['dist/first.cjs', 'dist/cli.cjs']) writeCache(path.resolve(f));
  // The worker thread's entry, one CommonJS file: a worker that loads it
  // starts without Node's ESM loader (with node:tty left out too, 81 against
  // 90 ms of CPU per worker start, measured on the loaded 2-CPU machine).
  // The worker shares no module state with the main thread, so it needs no
  // chunk of the ESM build.
  await esbuild.build({
    entryPoints: ['runtime/worker.ts'],
    outfile: 'dist/worker.cjs',
    banner: cjs.banner,
    plugins: [builtinsAsIs],
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
  });
}

// The browser build: runtime/browser.ts (bootInBrowser) and its worker entry
// → dist/browser/. It must not import anything from Node.
const BROWSER_ESM = {
  bundle: true, splitting: true, format: 'esm', platform: 'browser', target: 'es2022', sourcemap: true, logLevel: 'warning',
};

async function buildBrowser() {
  const { metafile } = await esbuild.build({
    ...BROWSER_ESM,
    entryPoints: ['runtime/browser.ts', 'runtime/worker-browser.ts', 'runtime/transform-worker-browser.ts'],
    outdir: 'dist/browser',
    metafile: true,
    // binaryen's own Node branch (dead in a browser: it tests process.versions.node first).
    external: ['node:module'],
  });
  for (const [file, out] of Object.entries(metafile.outputs)) {
    // The chunk of binaryen (fork's transform worker, loaded at its first request) may name node:module.
    if (Object.keys(out.inputs).some((i) => i.includes('node_modules/binaryen/'))) continue;
    const bad = out.imports.filter((i) => i.external || i.path.startsWith('node:'));
    if (bad.length > 0) throw new Error(`browser build: ${file} imports ${bad.map((i) => i.path).join(', ')}`);
    if (file.endsWith('.js') && /\bnode:[a-z_]/.test(readFileSync(file, 'utf8'))) {
      throw new Error(`browser build: ${file} mentions a node: module`);
    }
  }
}

// The teaching page (sandbox/, issue #16) → dist/sandbox/, a static site:
// the page's bundle (xterm.js and the browser runtime in it) with its
// worker entry, the kernel, the userland and the examples' programs and
// sources. Any host that sends COOP/COEP serves it; coi.js + sw.js cover
// the hosts that cannot (README).
async function buildSandbox() {
  const { mkdirSync, copyFileSync, readdirSync, existsSync, rmSync } = await import('node:fs');
  const out = 'dist/sandbox';
  rmSync(out, { recursive: true, force: true });
  mkdirSync(`${out}/programs`, { recursive: true });
  mkdirSync(`${out}/examples`, { recursive: true });
  await esbuild.build({
    ...BROWSER_ESM,
    entryPoints: {
      main: 'sandbox/main.ts', 'worker-browser': 'runtime/worker-browser.ts',
      'transform-worker-browser': 'runtime/transform-worker-browser.ts',   // fork's transform worker (binaryen)
    },
    outdir: out,
    minify: true,
    // The deployable page ships without source maps (binaryen's alone is 29 MB);
    // SANDBOX_SOURCEMAPS=1 npm run build writes them for debugging the page.
    sourcemap: process.env.SANDBOX_SOURCEMAPS === '1',
    external: ['node:module'],
  });
  for (const f of ['index.html', 'style.css', 'coi.js', 'sw.js']) copyFileSync(`sandbox/${f}`, `${out}/${f}`);
  copyFileSync('build/kernel.wasm', `${out}/kernel.wasm`);
  const names = [];
  for (const f of readdirSync('build/programs')) {
    if (!f.endsWith('.wasm')) continue;
    copyFileSync(`build/programs/${f}`, `${out}/programs/${f}`);
    names.push(f.slice(0, -5));
  }
  // The examples' C programs (committed builds) and their sources: each
  // `source: 'NAME.c'` of sandbox/examples.ts is programs/c/posix/NAME.c.
  const listed = readFileSync('sandbox/examples.ts', 'utf8').matchAll(/source: '([\w-]+)\.c'/g);
  for (const [, name] of listed) {
    const wasm = `programs/c/posix/build/${name}.wasm`;
    if (!existsSync(wasm)) throw new Error(`sandbox build: ${wasm} is missing`);
    copyFileSync(wasm, `${out}/programs/${name}.wasm`);
    copyFileSync(`programs/c/posix/${name}.c`, `${out}/examples/${name}.c`);
    names.push(name);
  }
  // pipebench (the bench's pipe guest): the page's throughput figure, and a
  // program students can time a pipe with (`pipebench throughput BYTES`).
  const { compileGuest } = await import('./asc-compile.mjs');
  const errors = await compileGuest({
    name: 'pipebench', source: 'programs/bench/pipebench.ts', outFile: `${out}/programs/pipebench.wasm`,
    config: 'programs/bench/asconfig.json',
  });
  if (errors) throw new Error(`sandbox build: pipebench:\n${errors}`);
  names.push('pipebench');
  writeFileSync(`${out}/programs.json`, JSON.stringify(names.sort()));
}

/**
 * The CLI's code caches again, from a run of `wasmux run hello.wasm`
 * (bin/code-cache.js writeWarm): they then hold what a cold start
 * compiles. Needs the kernel; /bin is filled from build/programs if it is
 * there. A failed run leaves the caches buildHost wrote.
 */
function warmCodeCaches() {
  if (!existsSync('build/kernel.wasm') || !existsSync('dist/cli.cjs')) return;
  const r = spawnSync(process.execPath, ['bin/wasmux.js', 'run', 'programs/c/build/hello.wasm'],
    { env: { ...process.env, WASMUX_WRITE_CODE_CACHE: '1' }, encoding: 'utf8' });
  if (r.status !== 0) console.warn(`wasmux: warming the code caches failed (${r.status}): ${r.stderr}`);
}

const only = process.argv[2];
const t0 = Date.now();
if (!only || only === 'kernel') await buildKernel();
if (!only || only === 'host') await buildHost();
if (!only || only === 'host' || only === 'browser') await buildBrowser();
if (!only || only === 'programs') {
  const { buildPrograms } = await import('./build-programs.mjs');
  await buildPrograms();
}
if (!only || only === 'host' || only === 'programs') warmCodeCaches();
if (!only || only === 'sandbox') await buildSandbox();
if (!only || only === 'test-guests') {
  if (existsSync('scripts/build-test-guests.mjs')) {
    const { buildTestGuests } = await import('./build-test-guests.mjs');
    await buildTestGuests();
  }
}
console.log(`wasmux: built ${only ?? 'kernel, host and programs'} in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
