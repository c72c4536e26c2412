#!/usr/bin/env node
// The wasmux CLI: see `wasmux --help`.
//
// The first worker thread starts before anything else loads: it boots (its
// own Node environment, dist/worker.cjs) while this thread loads the runtime
// and boots the kernel, and the machine adopts it (runtime/prestart.ts).
// A run whose program goes on the main thread needs none (runtime/first.ts).
import { prestartWorker } from '../dist/prestart.js';
import { needsWorker } from '../dist/first.js';

if (needsWorker(process.argv.slice(2))) prestartWorker(new URL('../dist/worker.cjs', import.meta.url));
const { main } = await import('../dist/cli.js');

main(process.argv.slice(2)).then((code) => process.exit(code), (e) => {
  process.stderr.write(`wasmux: ${e instanceof Error ? e.message : e}\n`);
  process.exit(70);
});
