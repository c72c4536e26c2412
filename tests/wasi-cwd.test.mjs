// The cwd hooks of stock wasi-libc programs (#12, host/wasi-cwd.ts): a pass
// of the one transform pipeline, cached on disk like the others; and a
// module whose name section is gone (the C fixtures with their custom
// sections stripped from the bytes here, as wasm-strip does) sees the cwd it
// was started in from getcwd() and opens relative paths there, with and
// without chdir linked in — the hooks found by shape (host/wasi-cwd-shape.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { boot } from '../dist/index.js';
import { C_FIXTURES, run, sh, guarded } from './helpers/index.mjs';

/** The module without its custom sections (the name section among them). */
function strip(bytes) {
  const keep = [bytes.subarray(0, 8)];
  let p = 8;
  while (p < bytes.length) {
    const start = p;
    const id = bytes[p++];
    let size = 0, shift = 0, b;
    do { b = bytes[p++]; size += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
    p += size;
    if (id !== 0) keep.push(bytes.subarray(start, p));
  }
  return Buffer.concat(keep);
}

/** The smallest module that imports fd_prestat_get: memory and an empty _start. */
function tinyWithPreopens() {
  const str = (t) => [t.length, ...Buffer.from(t)];
  const sec = (id, payload) => [id, payload.length, ...payload];
  return Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...sec(1, [2, 0x60, 2, 0x7f, 0x7f, 1, 0x7f, 0x60, 0, 0]),
    ...sec(2, [1, ...str('wasi_snapshot_preview1'), ...str('fd_prestat_get'), 0, 0]),
    ...sec(3, [1, 1]),
    ...sec(5, [1, 0, 1]),
    ...sec(7, [2, ...str('memory'), 2, 0, ...str('_start'), 0, 1]),
    ...sec(10, [1, 2, 0, 0x0b])]);
}

const hasNames = (bytes) => WebAssembly.Module.customSections(new WebAssembly.Module(bytes), 'name').length > 0;

let m;
test.before(async () => {
  m = await boot();
  for (const name of ['wasidirs', 'wasicd']) {
    const bytes = fs.readFileSync(path.join(C_FIXTURES, `${name}.wasm`));
    const s = strip(bytes);
    assert.ok(hasNames(bytes) && !hasNames(s), `${name}: the fixture has a name section, the stripped copy none`);
    m.writeFile(`/tmp/${name}-s.wasm`, s, 0o755);
  }
  m.mkdirs('/w/sub');
  m.writeFile('/w/data.txt', new TextEncoder().encode('data in w\n'));
  m.writeFile('/w/sub/s.txt', new TextEncoder().encode('in sub\n'));
  m.writeFile('/data.txt', new TextEncoder().encode('data in root\n'));
});
test.after(async () => { await m?.shutdown(); });

test('stripped, without chdir: started in /w it sees /w and opens relative paths there; absolute ones from /', guarded(async () => {
  const r = await run(m, '/tmp/wasidirs-s.wasm', ['wasidirs', 'data.txt', './data.txt', 'sub/s.txt', '/data.txt'], { cwd: '/w' });
  assert.is(r.stdout, 'preopen 3 /\ncwd=/w\ndata.txt: data in w\n./data.txt: data in w\nsub/s.txt: in sub\n/data.txt: data in root\n', r.stderr);
  const s = await sh(m, 'cd /w/sub && /tmp/wasidirs-s.wasm s.txt');
  assert.is(s.stdout, 'preopen 3 /\ncwd=/w/sub\ns.txt: in sub\n', s.stderr);
  const root = await run(m, '/tmp/wasidirs-s.wasm', ['wasidirs', 'data.txt'], { cwd: '/' });
  assert.is(root.stdout, 'preopen 3 /\ncwd=/\ndata.txt: data in root\n');
}));

test('stripped, with chdir linked: the start cwd, then chdir, getcwd and relative paths follow', guarded(async () => {
  const r = await run(m, '/tmp/wasicd-s.wasm', ['wasicd', 'data.txt', 'cd:sub', 's.txt', '../data.txt', 'cd:/', 'data.txt'], { cwd: '/w' });
  assert.is(r.stdout, 'cwd=/w\ndata.txt: data in w\ncd sub: 0\ncwd=/w/sub\ns.txt: in sub\n../data.txt: data in w\ncd /: 0\ncwd=/\ndata.txt: data in root\n', r.stderr);
}));

test('the cwd pass is one of the pipeline: cached on disk by content hash, a later machine loads the entry; a module it leaves alone gets only the safepoint pass', guarded(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wasmux-cwdpass-'));
  const wasidirs = fs.readFileSync(path.join(C_FIXTURES, 'wasidirs.wasm'));
  const hash = (b) => createHash('sha256').update(b).digest('hex');
  const key = `${hash(wasidirs)}-p1-wasi-cwd@1+safepoint@3.wasm`;
  const once = async (bytes, argv) => {
    const mm = await boot({ warmWorkers: 1, transformCache: dir });
    try {
      mm.mkdirs('/w');
      mm.writeFile('/w/data.txt', new TextEncoder().encode('data in w\n'));
      mm.writeFile('/tmp/p.wasm', bytes, 0o755);
      return await run(mm, '/tmp/p.wasm', argv, { cwd: '/w' });
    } finally {
      await mm.shutdown();
    }
  };
  try {
    // Started in "/w" or not, one module: its cwd hooks, cached.
    const r = await once(wasidirs, ['wasidirs', 'data.txt']);
    assert.is(r.stdout, 'preopen 3 /\ncwd=/w\ndata.txt: data in w\n', r.stderr);
    assert.equal(fs.readdirSync(dir), [key]);
    const cached = fs.readFileSync(path.join(dir, key));
    assert.ok(WebAssembly.Module.exports(new WebAssembly.Module(cached)).some((e) => e.name === '__wasmux_cwdfd'));
    // A planted entry under the key is what a later machine runs (so it reads the cache, not the pass).
    fs.writeFileSync(path.join(dir, key), fs.readFileSync(path.join(C_FIXTURES, 'exitcode.wasm')));
    const planted = await once(wasidirs, ['exitcode', '7']);
    assert.is(planted.code, 7);
    // A module the cwd pass finds nothing in (it imports fd_prestat_get, but is no wasi-libc
    // program): its entry is the safepoint pass's alone (every module gets that one).
    fs.rmSync(path.join(dir, key));
    const tiny = tinyWithPreopens();
    assert.is((await once(tiny, ['tiny'])).code, 0);
    const tinyKey = `${hash(tiny)}-p1-wasi-cwd@1+safepoint@3.wasm`;
    assert.equal(fs.readdirSync(dir), [tinyKey]);
    const entry = new WebAssembly.Module(fs.readFileSync(path.join(dir, tinyKey)));
    assert.not.ok(WebAssembly.Module.exports(entry).some((e) => e.name === '__wasmux_cwdfd'), 'no cwd hooks');
    assert.ok(WebAssembly.Module.imports(entry).some((i) => i.name === 'safepoint'), 'safepoints');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 120000));

test.run();
