// The load-time transform pipeline (host/transform/): every module gets the
// safepoint pass, and modules that import wasmux.fork the fork passes too
// (binaryen, the slow part); the result is cached on disk by the
// content hash of the original bytes and the pass set, written
// write-then-rename so that concurrent machines share one directory safely.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { boot } from '../dist/index.js';
import { C_FIXTURES, run, guarded } from './helpers/index.mjs';

const SLOW = 180000;
const forktest = fs.readFileSync(path.join(C_FIXTURES, 'forktest.wasm'));
const exitcode = fs.readFileSync(path.join(C_FIXTURES, 'exitcode.wasm'));
const hash = (b) => createHash('sha256').update(b).digest('hex');
const KEY = `${hash(forktest)}-p1-safepoint@3+fork-memory@1+fork-globals@1+asyncify@1.wasm`;

const tmpDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'wasmux-tcache-'));

async function runIn(dir, bytes, argv, machines = 1) {
  const ms = await Promise.all(Array.from({ length: machines }, () => boot({ warmWorkers: 1, transformCache: dir })));
  try {
    return await Promise.all(ms.map((m) => {
      m.writeFile('/tmp/p.wasm', bytes, 0o755);
      return run(m, '/tmp/p.wasm', argv, {}, SLOW);
    }));
  } finally {
    await Promise.all(ms.map((m) => m.shutdown()));
  }
}

test('a module that does not import fork gets only the safepoint pass, cached under its own key', guarded(async () => {
  const dir = tmpDir();
  const [r] = await runIn(dir, exitcode, ['exitcode', '5']);
  assert.is(r.code, 5);
  assert.equal(fs.readdirSync(dir), [`${hash(exitcode)}-p1-safepoint@3.wasm`]);
  const imports = WebAssembly.Module.imports(new WebAssembly.Module(fs.readFileSync(path.join(dir, fs.readdirSync(dir)[0]))));
  assert.ok(imports.some((i) => i.module === 'wasmux' && i.name === 'safepoint'), 'the cached module has safepoints');
  fs.rmSync(dir, { recursive: true, force: true });
}, SLOW));

test('two machines transforming at once into one empty cache: one whole entry, no leftovers', guarded(async () => {
  const dir = tmpDir();
  const rs = await runIn(dir, forktest, ['forktest', 'exit', '5'], 2);
  assert.equal(rs.map((r) => r.code), [5, 5]);
  assert.equal(fs.readdirSync(dir), [KEY]);   // no temporary file left behind
  const cached = fs.readFileSync(path.join(dir, KEY));
  const exports = WebAssembly.Module.exports(new WebAssembly.Module(cached)).map((e) => e.name);
  assert.ok(exports.includes('asyncify_start_unwind') && exports.includes('__wasmux_global_0'), exports.join(' '));
  const imports = WebAssembly.Module.imports(new WebAssembly.Module(cached));
  assert.ok(imports.some((i) => i.module === 'wasmux' && i.name === 'safepoint'), 'safepoints, and not an asyncify import');
  fs.rmSync(dir, { recursive: true, force: true });
}, SLOW));

test('a later machine loads the cached module: the entry is keyed by the original\'s content hash', guarded(async () => {
  const dir = tmpDir();
  // A planted entry under forktest's key (the bytes of another program) is
  // what runs: proof the loader takes the cache instead of transforming.
  fs.writeFileSync(path.join(dir, KEY), exitcode);
  const [r] = await runIn(dir, forktest, ['forktest', '9']);
  assert.is(r.code, 9);   // exitcode ran: forktest would have said "unknown mode 9" and exited 2
  fs.rmSync(dir, { recursive: true, force: true });
}, SLOW));

test('transformCache must be a path or null', async () => {
  for (const bad of ['', 5, {}]) {
    try {
      await boot({ transformCache: bad });
      assert.unreachable(`transformCache ${JSON.stringify(bad)} accepted`);
    } catch (e) {
      assert.match(String(e.message), /transformCache/);
      assert.is(e.errno, 28);   // EINVAL
    }
  }
});

test.run();
