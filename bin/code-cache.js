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

/** Loads the CommonJS bundle `file` as require would, with its code cache if there is a good one. */
function loadBundle(file) {
  let cachedData;
  try { cachedData = fs.readFileSync(`${file}.v8cache`); } catch { /* none: compile */ }
  const script = compile(file, cachedData);
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(path.dirname(file));
  require.cache[file] = mod;   // the other bundle's require of it finds this one
  script.runInThisContext()(mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
  mod.loaded = true;
  return mod.exports;
}

/** Writes `file`.v8cache (the build). */
function writeCache(file) {
  const script = compile(file, undefined);
  fs.writeFileSync(`${file}.v8cache`, script.createCachedData());
}

module.exports = { loadBundle, writeCache };
