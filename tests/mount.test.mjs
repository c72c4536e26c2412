// Host directory mounts (--mount HOST:GUEST[:ro], boot({ mounts })).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { boot } from '../dist/index.js';
import { ROOT, guarded, sh } from './helpers/index.mjs';

const t = suite('mount');
let host;

t.before(() => {
  host = fs.mkdtempSync(path.join(os.tmpdir(), 'wasmux-mount-'));
  fs.writeFileSync(path.join(host, 'hello.txt'), 'hello from the host\n');
  fs.mkdirSync(path.join(host, 'sub'));
  fs.writeFileSync(path.join(host, 'sub', 'inner.txt'), 'inner\n');
});
t.after(() => fs.rmSync(host, { recursive: true, force: true }));

t('API: a mounted directory is readable and listable', guarded(async () => {
  const m = await boot({ mounts: [{ host, guest: '/mnt/h' }] });
  try {
    const r = await sh(m, 'cat /mnt/h/hello.txt; ls /mnt/h; cat /mnt/h/sub/inner.txt');
    assert.is(r.stderr, '');
    assert.is(r.stdout, 'hello from the host\nhello.txt\nsub\ninner\n');
    assert.is(new TextDecoder().decode(m.readFile('/mnt/h/hello.txt')), 'hello from the host\n');
  } finally { await m.shutdown(); }
}));

t('a .wasm file below a mount runs by its path; paths cannot leave the mount on the host', guarded(async () => {
  fs.copyFileSync(path.join(ROOT, 'programs', 'c', 'build', 'filter.wasm'), path.join(host, 'filter.wasm'));
  fs.writeFileSync(path.join(host, 'not-wasm.wasm'), 'nope');
  const outside = path.join(path.dirname(host), `wasmux-outside-${process.pid}`);
  fs.writeFileSync(outside, 'secret\n');
  fs.symlinkSync(outside, path.join(host, 'escape'));
  const m = await boot({ mounts: [{ host, guest: '/mnt/h', readonly: true }] });
  try {
    const r = await sh(m, 'echo abc | /mnt/h/filter.wasm; cd /mnt/h && ./filter.wasm < hello.txt; '
      + '/mnt/h/not-wasm.wasm; echo "st=$?"; cat /mnt/h/escape; echo "st=$?"; '
      + 'cat /mnt/h/sub/../../h/hello.txt; ls /mnt/h/../ | grep -c h');
    assert.is(r.stdout, 'ABC\nHELLO FROM THE HOST\nst=126\nst=1\nhello from the host\n1\n', r.stderr);
    assert.match(r.stderr, /escape: Invalid cross-device link/);   // an absolute link out of the mount
    assert.not.match(r.stdout, /secret/);
  } finally {
    await m.shutdown();
    fs.rmSync(outside, { force: true });
    fs.rmSync(path.join(host, 'escape'), { force: true });
    fs.rmSync(path.join(host, 'filter.wasm'), { force: true });
    fs.rmSync(path.join(host, 'not-wasm.wasm'), { force: true });
  }
}));

t('API: writes to a read-write mount reach the host; a read-only mount refuses them', guarded(async () => {
  const m = await boot({ mounts: [{ host, guest: '/mnt/rw' }, { host, guest: '/mnt/ro', readonly: true }] });
  try {
    const w = await sh(m, 'echo written-in-guest > /mnt/rw/out.txt; echo "st=$?"');
    assert.is(w.stdout, 'st=0\n');
    assert.is(fs.readFileSync(path.join(host, 'out.txt'), 'utf8'), 'written-in-guest\n');
    const ro = await sh(m, 'echo nope > /mnt/ro/nope.txt; echo "st=$?"');
    assert.is(ro.stdout, 'st=1\n');
    assert.match(ro.stderr, /Read-only file system/);
    assert.not.ok(fs.existsSync(path.join(host, 'nope.txt')));
  } finally { await m.shutdown(); }
}));

t('CLI: --mount HOST:GUEST and HOST:GUEST:ro', () => {
  const run = (args) => spawnSync(process.execPath, ['bin/wasmux.js', ...args], { cwd: ROOT, input: '', encoding: 'utf8', timeout: 30000 });
  const r = run(['--mount', `${host}:/mnt/x`, 'sh', '-c', 'cat /mnt/x/hello.txt']);
  assert.is(r.stdout, 'hello from the host\n', r.stderr);
  assert.is(r.status, 0);
  const ro = run(['--mount', `${host}:/mnt/x:ro`, 'sh', '-c', 'cat /mnt/x/sub/inner.txt; echo x > /mnt/x/new.txt']);
  assert.is(ro.stdout, 'inner\n', ro.stderr);
  assert.is(ro.status, 1);
  assert.not.ok(fs.existsSync(path.join(host, 'new.txt')));
  const bad = run(['--mount', '/definitely/not/here:/mnt/x', 'sh', '-c', 'true']);
  assert.is(bad.status, 2);
});

t.run();
