#!/usr/bin/env node
// The wasmux CLI: see `wasmux --help`. CommonJS (bin/package.json), as are
// the two bundles it loads: Node starts those faster than ES modules.
//
// The first worker thread starts before anything else loads: it boots (its
// own Node environment, dist/worker.cjs) while this thread loads the runtime
// and boots the kernel, and the machine adopts it (runtime/prestart.ts).
// A run whose program goes on the main thread needs none (runtime/first.ts).
'use strict';
const path = require('node:path');
const { loadBundle } = require('./code-cache.js');

const dist = path.join(__dirname, '..', 'dist');
const { needsWorker, prestartWorker } = loadBundle(path.join(dist, 'first.cjs'));
const argv = process.argv.slice(2);
if (needsWorker(argv)) prestartWorker(path.join(dist, 'worker.cjs'));
const { main } = loadBundle(path.join(dist, 'cli.cjs'));

main(argv).then((code) => process.exit(code), (e) => {
  process.stderr.write(`wasmux: ${e instanceof Error ? e.message : e}\n`);
  process.exit(70);
});
