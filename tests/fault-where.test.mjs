// A kernel fault names where in the kernel it happened: the kernel is built
// with a name section (asconfig.json `debug`) and host/fault.ts describeFault
// lists the kernel functions on the trap's stack, innermost first.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import { build } from 'esbuild';
import { boot } from '../dist/index.js';
import { ROOT, guarded } from './helpers/index.mjs';

const t = suite('fault-where');

async function load(file) {
  const out = await build({ entryPoints: [path.join(ROOT, file)], bundle: true, write: false, format: 'esm', platform: 'node' });
  return import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`);
}

t('a trap in the kernel is described with the kernel functions it was in', guarded(async () => {
  const { describeFault } = await load('host/fault.ts');
  const m = await boot();
  try {
    // A task address past the end of the kernel memory: the first access traps
    // before anything is written (the machine is not used afterwards).
    let err;
    try { m.kernel.exports.k_taskDone(0x7ffffff0); } catch (e) { err = e; }
    assert.instance(err, WebAssembly.RuntimeError);
    const d = describeFault(err);
    assert.match(d, /^RuntimeError: memory access out of bounds \[in /);
    assert.match(d, /\[in assembly\/index\/k_taskDone\]$/, d);
    // No name section: the wasm function index and offset instead; the
    // guest's frames below the syscall (another module) are left out.
    const fake = new Error('x');
    fake.stack = ['RuntimeError: x', '    at wasm://wasm/00ab12cd:wasm-function[7]:0x1f',
      '    at assembly/io/fdRead (wasm://wasm/00ab12cd:wasm-function[9]:0x2a)',
      '    at Gate.call (file:///a.js:1:1)', '    at main (wasm://wasm/99999999:wasm-function[3]:0x10)'].join('\n');
    assert.is(describeFault(fake), 'Error: x [in wasm-function[7]@0x1f < assembly/io/fdRead]');
    assert.is(describeFault('plain'), 'plain');
  } finally {
    await m.shutdown();
  }
}));

t.run();
