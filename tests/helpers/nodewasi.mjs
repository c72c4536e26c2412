// Runs a WASI command under Node's own WASI (node:wasi), the reference the
// WASI conformance tests compare wasmux with, in a child process: its
// stdin and stdout are then pipes, as a wasmux process's are, and a guest
// that hangs or crashes cannot take the test runner with it.
//   runNodeWasi(wasm, args, { preopen }) -> { status, stdout, stderr }
// `preopen` is the host directory preopened as "/" (fd 3).
// As a script: node nodewasi.mjs WASM PREOPEN [ARGS...]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

const self = fileURLToPath(import.meta.url);

export function runNodeWasi(wasm, args = [], { preopen, input = '' } = {}) {
  const r = spawnSync(process.execPath, ['--no-warnings', self, wasm, preopen, ...args], {
    input, encoding: 'utf8', timeout: 60000,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

if (process.argv[1] === self) {
  const [wasm, preopen, ...args] = process.argv.slice(2);
  const { WASI } = await import('node:wasi');
  const wasi = new WASI({
    version: 'preview1', args: [wasm.replace(/.*\//, '').replace(/\.wasm$/, ''), ...args], env: {},
    preopens: { '/': preopen }, returnOnExit: true,
  });
  const { instance } = await WebAssembly.instantiate(fs.readFileSync(wasm), wasi.getImportObject());
  process.exitCode = wasi.start(instance);
}
