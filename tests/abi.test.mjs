// The one syscall table (abi/syscalls.ts) and the kernel agree: every
// declared call has its kernel export with the declared arity, and the
// kernel exports no syscall the table does not declare.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { ROOT } from './helpers/index.mjs';

async function table() {
  const out = await build({ entryPoints: [path.join(ROOT, 'abi', 'syscalls.ts')], bundle: true, write: false, format: 'esm', platform: 'node' });
  const url = `data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`;
  return import(url);
}

test('every declared syscall is a kernel export, and every syscall export is declared', async () => {
  const { WASI, WASMUX } = await table();
  const module = new WebAssembly.Module(fs.readFileSync(path.join(ROOT, 'build', 'kernel.wasm')));
  const memory = new WebAssembly.Memory({ initial: 1024, maximum: 32768, shared: true });
  const host = new Proxy({}, { get: () => () => 0 });
  const exports = new WebAssembly.Instance(module, { env: { memory }, host }).exports;
  const declared = new Set();
  for (const [prefix, decls] of [['wasi_', WASI], ['sys_', WASMUX]]) {
    for (const d of decls) {
      const name = prefix + d.name;
      declared.add(name);
      assert.type(exports[name], 'function', `${name} is not exported by the kernel`);
      assert.is(exports[name].length, d.args.length, `${name}: ${d.args.length} arguments declared, ${exports[name].length} in the kernel`);
    }
  }
  for (const name of Object.keys(exports)) {
    if (/^(sys|wasi)_/.test(name)) assert.ok(declared.has(name), `${name} is exported but not declared in abi/syscalls.ts`);
  }
});

test.run();
