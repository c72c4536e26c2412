// The baseline of the cold-start row (bench/coldstart.mjs): runs a
// wasm32-wasi command under Node's own `node:wasi`, as `wasmux run` does
// under wasmux: `node bench/wasi/node-wasi.mjs file.wasm [args...]`, the
// guest's stdio on ours, its exit status ours.

import { WASI } from 'node:wasi';
import fs from 'node:fs';
import path from 'node:path';

const [file, ...args] = process.argv.slice(2);
const wasi = new WASI({ version: 'preview1', args: [path.basename(file), ...args], env: { PATH: '/bin', HOME: '/home', PWD: '/' }, returnOnExit: true });
const module = await WebAssembly.compile(fs.readFileSync(file));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
process.exitCode = wasi.start(instance);
