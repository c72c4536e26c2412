// The embedding API's spawn as a WASI runner (#12): `preopens` (named
// directories at fds 3, 4, ...), an exact `env`, and the cwd a stock
// wasi-libc program sees (getcwd and relative paths, with and without chdir
// linked in).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { boot, WasmuxError } from '../dist/index.js';
import { installC, run, sh, guarded } from './helpers/index.mjs';

const EINVAL = 28;
const hostDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wasmux-api-wasi-'));
fs.writeFileSync(path.join(hostDir, 'h.txt'), 'host file\n');

let m;
test.before(async () => {
  m = await boot({ mounts: [{ host: hostDir, guest: '/host' }] });
  installC(m, 'wasidirs');
  installC(m, 'wasicd');
  installC(m, 'args');
  m.mkdirs('/w/sub');
  m.writeFile('/w/data.txt', new TextEncoder().encode('data in w\n'));
  m.writeFile('/w/sub/s.txt', new TextEncoder().encode('in sub\n'));
  m.writeFile('/data.txt', new TextEncoder().encode('data in root\n'));
});
test.after(async () => { await m?.shutdown(); fs.rmSync(hostDir, { recursive: true, force: true }); });

test('env is exact: what is given and nothing else', guarded(async () => {
  const none = await run(m, '/tmp/args.wasm', ['args']);
  assert.not.match(none.stdout, /env=/);
  const obj = await run(m, '/tmp/args.wasm', ['args'], { env: { B: '2', A: '1' } });
  assert.match(obj.stdout, /\nenv=B=2\nenv=A=1\n$/);
  const list = await run(m, '/tmp/args.wasm', ['args'], { env: ['X=y=z', 'EMPTY='] });
  assert.match(list.stdout, /\nenv=X=y=z\nenv=EMPTY=\n$/);
  for (const [env, re] of [
    [{ 'A=B': 'x' }, /name "A=B": want a non-empty name without =/],
    [{ '': 'x' }, /name "": want a non-empty name/],
    [{ A: 1 }, /A: want a string/],
    [['A=x\0y'], /has a NUL/],
    ['A=1', /want an object of K: value or a list/],
  ]) {
    try {
      m.spawn('/tmp/args.wasm', ['args'], { env });
      assert.unreachable(`spawn took env ${JSON.stringify(env)}`);
    } catch (e) {
      assert.instance(e, WasmuxError);
      assert.is(e.errno, EINVAL);
      assert.match(e.message, re);
    }
  }
}));

test('preopens: named directories at fds 3, 4, ... (a list or an object); the default is "/"', guarded(async () => {
  const def = await run(m, '/tmp/wasidirs.wasm', ['wasidirs', '/data.txt']);
  assert.is(def.stdout, 'preopen 3 /\ncwd=/\n/data.txt: data in root\n');
  const list = await run(m, '/tmp/wasidirs.wasm', ['wasidirs', '/in/data.txt', '/h/h.txt'],
    { preopens: [{ name: '/in', path: '/w' }, { name: '/h', path: '/host' }] });
  assert.is(list.stdout, 'preopen 3 /in\npreopen 4 /h\ncwd=/\n/in/data.txt: data in w\n/h/h.txt: host file\n', list.stderr);
  const obj = await run(m, '/tmp/wasidirs.wasm', ['wasidirs', '/data.txt'], { preopens: { '/': '/w' } });
  assert.is(obj.stdout, 'preopen 3 /\ncwd=/\n/data.txt: data in w\n', obj.stderr);
  // [] gives none at all: no path reaches anything.
  const none = await run(m, '/tmp/wasidirs.wasm', ['wasidirs', '/data.txt'], { preopens: [] });
  assert.match(none.stdout, /^cwd=\/\n\/data\.txt: error \d+\n$/);
}));

test('preopens that cannot be: a clear error and no process', guarded(async () => {
  const before = m.ps().length;
  for (const [preopens, re] of [
    [{ '': '/w' }, /name "": want a non-empty string/],
    [[{ name: '/x', path: 'relative' }], /path "relative" of "\/x": want an absolute namespace path/],
    ['/w', /want a list of \{name, path\}/],
    [Array.from({ length: 17 }, (_, i) => ({ name: `/d${i}`, path: '/w' })), /17 directories, at most 16/],
  ]) {
    try {
      m.spawn('/tmp/wasidirs.wasm', ['wasidirs'], { preopens });
      assert.unreachable(`spawn took ${JSON.stringify(preopens)}`);
    } catch (e) {
      assert.instance(e, WasmuxError);
      assert.is(e.errno, EINVAL);
      assert.match(e.message, re);
    }
  }
  // A preopen that is not a directory, or not there: spawn fails with that errno.
  for (const [target, errno] of [['/data.txt', 54 /* ENOTDIR */], ['/no/such', 44 /* ENOENT */]]) {
    try {
      m.spawn('/tmp/wasidirs.wasm', ['wasidirs'], { preopens: { '/f': target } });
      assert.unreachable(`spawn preopened ${target}`);
    } catch (e) {
      assert.instance(e, WasmuxError);
      assert.is(e.errno, errno, e.message);
    }
  }
  assert.is(m.ps().length, before);
}));

test('a stock wasi-libc program started in /w sees /w from getcwd() and opens relative paths there', guarded(async () => {
  const r = await run(m, '/tmp/wasidirs.wasm', ['wasidirs', 'data.txt', './data.txt', 'sub/s.txt', '/data.txt'], { cwd: '/w' });
  assert.is(r.stdout, 'preopen 3 /\ncwd=/w\ndata.txt: data in w\n./data.txt: data in w\nsub/s.txt: in sub\n/data.txt: data in root\n', r.stderr);
  // From a shell's cd, as a user would.
  const s = await sh(m, 'cd /w/sub && /tmp/wasidirs.wasm s.txt');
  assert.is(s.stdout, 'preopen 3 /\ncwd=/w/sub\ns.txt: in sub\n', s.stderr);
  // In "/" nothing changes.
  const root = await run(m, '/tmp/wasidirs.wasm', ['wasidirs', 'data.txt'], { cwd: '/' });
  assert.is(root.stdout, 'preopen 3 /\ncwd=/\ndata.txt: data in root\n');
}));

test('with chdir linked: the start cwd, then chdir, getcwd and relative paths follow', guarded(async () => {
  const r = await run(m, '/tmp/wasicd.wasm', ['wasicd', 'data.txt', 'cd:sub', 's.txt', '../data.txt', 'cd:/', 'data.txt'], { cwd: '/w' });
  assert.is(r.stdout, 'cwd=/w\ndata.txt: data in w\ncd sub: 0\ncwd=/w/sub\ns.txt: in sub\n../data.txt: data in w\ncd /: 0\ncwd=/\ndata.txt: data in root\n', r.stderr);
}));

test.run();
