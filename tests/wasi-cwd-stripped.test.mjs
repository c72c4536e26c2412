// The cwd of a stock wasi-libc program whose name section is gone (#12):
// the C fixtures with their custom sections stripped from the bytes here
// (as wasm-strip does) see the cwd they were started in from getcwd() and
// open relative paths there, with and without chdir linked in — the hooks
// of host/wasi-cwd.ts found by shape (host/wasi-cwd-shape.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
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

test.run();
