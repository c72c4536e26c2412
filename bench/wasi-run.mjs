// `node bench/wasi-run.mjs FILE [PAGES] -- ARGS...`: runs a wasm32-wasi
// command under node:wasi in a process of its own (the transform rows of
// bench/fork.mjs and bench/safepoint.mjs), with `wasmux.fork` answering
// ENOSYS, `wasmux.safepoint` the interval and, when PAGES is given, a memory
// of that many pages as `wasmux.memory` (what the fork transform makes the
// module import). Its stdout is the guest's.
import fs from 'node:fs';
process.removeAllListeners('warning');   // node:wasi's ExperimentalWarning
const { WASI } = await import('node:wasi');
const [file, pages, sep, ...args] = process.argv.slice(2);
if (sep !== '--') throw new Error('usage: wasi-run.mjs FILE PAGES -- ARGS...');
const wasi = new WASI({ version: 'preview1', args, env: {}, returnOnExit: true });
// safepoint: what the host answers when nothing is pending (SAFEPOINT_INTERVAL).
const wasmux = { fork: () => -52, safepoint: () => 10000 };
if (Number(pages) > 0) wasmux.memory = new WebAssembly.Memory({ initial: Number(pages), maximum: 65536 });
const { instance } = await WebAssembly.instantiate(fs.readFileSync(file), { ...wasi.getImportObject(), wasmux });
process.exitCode = wasi.start(instance);
