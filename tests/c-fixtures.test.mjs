// The committed C fixtures (programs/c/build/*.wasm, from scripts/build-c.sh)
// are well-formed WASI commands and keep the contracts written at the top of
// their sources. They run here under Node's own WASI as a reference, without
// the wasmux kernel, so a broken fixture is told apart from a kernel bug.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// node:wasi prints an ExperimentalWarning on first use; it is expected here.
process.removeAllListeners('warning');
const { WASI } = await import('node:wasi');

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'programs', 'c');
const wasm = (name) => path.join(dir, 'build', `${name}.wasm`);
const sources = fs.readdirSync(dir).filter((f) => f.endsWith('.c')).map((f) => f.slice(0, -2));

/** Runs a fixture under node:wasi with `input` on stdin; returns
 *  { code, stdout, stderr, trap } (trap: the message if it trapped). */
async function runRef(name, args = [], input = '') {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wasmux-c-'));
  const files = ['in', 'out', 'err'].map((f) => path.join(tmp, f));
  fs.writeFileSync(files[0], input);
  const [stdin, stdout, stderr] = [fs.openSync(files[0], 'r'), fs.openSync(files[1], 'w'), fs.openSync(files[2], 'w')];
  const wasi = new WASI({ version: 'preview1', args: [name, ...args], env: {}, stdin, stdout, stderr, returnOnExit: true });
  let code = null, trap = null;
  try {
    const { instance } = await WebAssembly.instantiate(fs.readFileSync(wasm(name)), wasi.getImportObject());
    code = wasi.start(instance);
  } catch (e) {
    trap = e.message;
  } finally {
    [stdin, stdout, stderr].forEach((fd) => fs.closeSync(fd));
  }
  const out = { code, trap, stdout: fs.readFileSync(files[1]), stderr: fs.readFileSync(files[2], 'utf8') };
  fs.rmSync(tmp, { recursive: true });
  return out;
}

// Fixtures that declare wasmux imports (forktest) need the kernel: tests/fork*.test.mjs run them.
const usesWasmux = (name) => fs.readFileSync(path.join(dir, `${name}.c`), 'utf8').includes('import_module("wasmux")');

test('every fixture is built and imports only wasi_snapshot_preview1 (and wasmux if it says so)', () => {
  assert.ok(sources.includes('filter'));
  for (const name of sources) {
    const m = new WebAssembly.Module(fs.readFileSync(wasm(name)));
    const mods = new Set(WebAssembly.Module.imports(m).map((i) => i.module));
    const allowed = usesWasmux(name) ? ['wasi_snapshot_preview1', 'wasmux'] : ['wasi_snapshot_preview1'];
    assert.equal([...mods].filter((x) => !allowed.includes(x)), [], name);
    const exports = WebAssembly.Module.exports(m).map((e) => e.name);
    assert.ok(exports.includes('memory') && exports.includes('_start'), `${name} exports ${exports}`);
  }
});

test('filter upper-cases ASCII, leaves other bytes alone, exits 0', async () => {
  const input = Buffer.from('hello, World 123\nzz\xff\x00é\n', 'latin1');
  const r = await runRef('filter', [], input);
  assert.is(r.code, 0);
  assert.equal([...r.stdout], [...Buffer.from('HELLO, WORLD 123\nZZ\xff\x00é\n', 'latin1')]);
});

test('filter --count-lines exits with the number of lines, capped at 255', async () => {
  assert.is((await runRef('filter', ['--count-lines'], 'a\nb\nc\n')).code, 3);
  assert.is((await runRef('filter', ['--count-lines'], 'x\n'.repeat(300))).code, 255);
  const big = 'abc'.repeat(20000);
  const r = await runRef('filter', ['--count-lines'], big);
  assert.is(r.code, 0);
  assert.is(r.stdout.toString(), big.toUpperCase());
});

test('filter rejects unknown arguments with exit 2', async () => {
  const r = await runRef('filter', ['-x']);
  assert.is(r.code, 2);
  assert.is(r.stderr, 'usage: filter [--count-lines]\n');
});

test('exitcode, args, trap and oob behave as documented', async () => {
  assert.is((await runRef('exitcode', ['42'])).code, 42);
  assert.is((await runRef('exitcode', ['300'])).code, 44);
  assert.is((await runRef('exitcode')).code, 0);
  const a = await runRef('args', ['x', 'y z']);
  assert.is(a.stdout.toString(), 'argc=3\nargv[0]=args\nargv[1]=x\nargv[2]=y z\n');
  const t = await runRef('trap');
  assert.is(t.stdout.toString(), 'before trap\n');
  assert.match(t.trap, /unreachable/);
  assert.match((await runRef('oob')).trap, /out of bounds/);
});

test.run();
