// V8 code caches of the CLI's two bundles (dist/first.cjs, dist/cli.cjs):
// compiling them takes a cold start 10-15 ms (Node 20 has no compile cache
// of its own for user code), loading a cache 1-3 ms. bin/wasmux.js loads
// each bundle through loadBundle; scripts/build.mjs writes FILE.v8cache
// after building them. A cache made by another Node (or other V8 flags) is
// rejected by V8 and the bundle compiled as usual: never wrong, only slower.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

function compile(file, cachedData) {
  return new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8')), { filename: file, cachedData });
}

// The build writes the caches from a run (WASMUX_WRITE_CODE_CACHE=1: at
// exit, see writeWarm), not from a bare compile: a cache made after the
// code ran holds every function that run compiled, not only the top level,
// so a later start compiles none of them lazily (~3 ms of a cold start).
const loaded = [];
if (process.env.WASMUX_WRITE_CODE_CACHE === '1') process.once('exit', writeWarm);

/** Loads the CommonJS bundle `file` as require would, with its code cache if there is a good one. */
function loadBundle(file) {
  let cachedData;
  try { cachedData = fs.readFileSync(`${file}.v8cache`); } catch { /* none: compile */ }
  const script = compile(file, cachedData);
  loaded.push([file, script]);
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(path.dirname(file));
  require.cache[file] = mod;   // the other bundle's require of it finds this one
  script.runInThisContext()(mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
  mod.loaded = true;
  return mod.exports;
}

/** At the exit of a run under WASMUX_WRITE_CODE_CACHE=1: each loaded bundle's cache, with what the run compiled. */
function writeWarm() {
  for (const [file, script] of loaded) fs.writeFileSync(`${file}.v8cache`, script.createCachedData());
}

/** Writes `file`.v8cache (the build). */
function writeCache(file) {
  const script = compile(file, undefined);
  fs.writeFileSync(`${file}.v8cache`, script.createCachedData());
}

module.exports = { loadBundle, writeCache };
