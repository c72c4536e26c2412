// The tmpfs: files, seek, truncate, stat, directories, rename, readdir, devices.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { boot, WasmuxError } from '../dist/index.js';
import { guarded, installGuest, run, sh, lines } from './helpers/index.mjs';

const t = suite('tmpfs');
let m, fsg;

t.before(async () => {
  m = await boot();
  fsg = installGuest(m, 'fs');
});
t.after(async () => { await m?.shutdown(); });

const get = async (c) => {
  const r = await run(m, fsg, [fsg, c]);
  assert.is(r.code, 0, r.stdout + r.stderr);
  return lines(r.stdout);
};

t('read, write, seek, truncate, O_APPEND, O_EXCL, O_TRUNC', guarded(async () => {
  const l = await get('rw');
  const want = {
    open: '0', write: '11', tell: '11', 'seek-set': '0', read5: 'hello', 'seek-end-5': '6',
    'read-rest': 'world', 'read-at-eof': '', 'truncate-5': '0', 'size-after-truncate': '5',
    'seek-end': '5', 'seek-past': '8', 'write-past': '1', 'size-with-hole': '9',
    content: 'hello\\0\\0\\0X', 'truncate-grow': '0', 'size-grown': '12', 'truncate-neg': 'EINVAL',
    'truncate-rdonly': 'EINVAL', 'write-rdonly': 'EBADF', 'read-wronly': 'EBADF',
    appended: 'hello\\0\\0\\0X\\0\\0\\0END', 'excl-existing': 'EEXIST', 'open-missing': 'ENOENT',
    'open-trunc': '0', 'size-after-o_trunc': '0',
  };
  for (const [k, v] of Object.entries(want)) assert.is(l.get(k), v, k);
}));

t('stat: distinct inode numbers, types, sizes', guarded(async () => {
  const l = await get('stat');
  const want = {
    'ino-distinct': '0', 'fstat-same-ino': '0', 'mode-file': '8 true', 'nlink-file': '1',
    'mode-dir': 'true', 'ino-dir-distinct': '0', 'mode-devnull': 'true', 'mode-devzero': 'true',
    'mode-root': 'true', 'stat-missing': 'ENOENT', 'stat-through-file': 'ENOTDIR', size: '5',
  };
  for (const [k, v] of Object.entries(want)) assert.is(l.get(k), v, k);
}));

t('mkdir, rmdir (ENOTEMPTY), unlink, chdir and relative paths', guarded(async () => {
  const l = await get('dirs');
  const want = {
    mkdir: '0', 'mkdir-again': 'EEXIST', 'mkdir-noparent': 'ENOENT', 'mkdir-nested': '0',
    'rmdir-notempty': 'ENOTEMPTY', 'rmdir-file': 'ENOTDIR', 'unlink-dir': 'EISDIR', 'rmdir-sub': '0',
    'unlink-file': '0', 'unlink-again': 'ENOENT', rmdir: '0', 'rmdir-gone': 'ENOENT',
    'open-dir-write': 'EISDIR', 'open-file-as-dir': 'ENOTDIR', chdir: '0', cwd: '/tmp/fs-cwd',
    'relative-created': '0', 'chdir-dotdot': '0', 'cwd-up': '/tmp', 'chdir-file': 'ENOTDIR',
    'chdir-missing': 'ENOENT', 'getcwd-small': 'ERANGE',
  };
  for (const [k, v] of Object.entries(want)) assert.is(l.get(k), v, k);
}));

t('rename: files, over an existing file, directories, into itself', guarded(async () => {
  const l = await get('rename');
  const want = {
    rename: '0', 'old-gone': 'ENOENT', 'new-content': 'one', 'same-ino': '0', 'rename-over': '0',
    'replaced-content': 'one', 'rename-missing': 'ENOENT', 'rename-into-self': 'EINVAL',
    'rename-dir': '0', 'moved-child': '0', 'rename-file-into-dir': '0', 'moved-content': 'one',
  };
  for (const [k, v] of Object.entries(want)) assert.is(l.get(k), v, k);
}));

t('/dev/null and /dev/zero', guarded(async () => {
  const l = await get('dev');
  assert.is(l.get('null-write'), '9');
  assert.is(l.get('null-read'), '0');
  assert.is(l.get('zero-read'), '4096');
  assert.is(l.get('zero-nonzero-bytes'), '0');
}));

t('getdents in small buffers lists every entry once; too small a buffer is EINVAL', guarded(async () => {
  const l = await get('getdents');
  assert.is(l.get('open-dir'), '0');
  assert.is(l.get('getdents-tiny'), 'EINVAL');
  assert.is(l.get('entries'), '20');
  assert.is(l.get('several-calls'), '0');
  assert.is(l.get('getdents-end'), '0');
}));

t('readdir through ls, and files made by the shell', guarded(async () => {
  const r = await sh(m, 'mkdir /tmp/lsdir; echo 1 > /tmp/lsdir/b; echo 2 > /tmp/lsdir/a; mkdir /tmp/lsdir/c; ls /tmp/lsdir; rm /tmp/lsdir/a; ls /tmp/lsdir');
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout, 'a\nb\nc\nb\nc\n');
}));

t('the API sees the same files: writeFile/readFile round trip, big file, unlink', guarded(async () => {
  const big = new Uint8Array(3 * 1024 * 1024 + 17).map((_, i) => (i * 13) & 255);
  m.writeFile('/tmp/api-big', big);
  const back = m.readFile('/tmp/api-big');
  assert.is(back.length, big.length);
  assert.ok(Buffer.from(back).equals(Buffer.from(big)));
  const r = await sh(m, 'wc -c < /tmp/api-big');
  assert.is(r.stdout.trim(), String(big.length));
  m.writeFile('/tmp/api-small', new TextEncoder().encode('shell can read this\n'));
  assert.is((await sh(m, 'cat /tmp/api-small')).stdout, 'shell can read this\n');
  await sh(m, 'echo made-by-sh > /tmp/from-sh');
  assert.is(new TextDecoder().decode(m.readFile('/tmp/from-sh')), 'made-by-sh\n');
  m.unlink('/tmp/from-sh');
  assert.throws(() => m.readFile('/tmp/from-sh'), (e) => e instanceof WasmuxError && e.errno === 44);
}));

t.run();
