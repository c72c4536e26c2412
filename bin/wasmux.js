#!/usr/bin/env node
// The wasmux CLI: see `wasmux --help`.
import { main } from '../dist/cli.js';

main(process.argv.slice(2)).then((code) => process.exit(code), (e) => {
  process.stderr.write(`wasmux: ${e instanceof Error ? e.message : e}\n`);
  process.exit(70);
});
