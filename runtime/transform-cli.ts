// The transform process (runtime/transform-node.ts): reads a module on
// stdin, applies the passes named on the command line (host/transform/
// passes.ts, with versions) with binaryen, writes the result on stdout.
// Usage: node dist/transform-cli.js fork-globals@1 asyncify@1 < in.wasm > out.wasm

import * as fs from 'node:fs';
import binaryen from 'binaryen';
import { applyPasses, type Binaryen } from '../host/transform/binaryen.js';

const input = new Uint8Array(fs.readFileSync(0));
try {
  const out = applyPasses(binaryen as unknown as Binaryen, input, process.argv.slice(2));
  fs.writeSync(1, out);
} catch (e) {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
