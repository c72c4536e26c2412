// The wasmux *at calls (#12: openat, mkdirat, unlinkat, renameat, linkat,
// symlinkat, readlinkat, fstatat; AT_FDCWD, AT_SYMLINK_NOFOLLOW,
// AT_REMOVEDIR, AT_SYMLINK_FOLLOW), the calls the C layer's openat & co.
// use: the guest tests/helpers/guests/at.ts, in the tmpfs and below a mount.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { boot } from '../dist/index.js';
import { guarded, installGuest, run } from './helpers/index.mjs';

const t = suite('wasi-ns-at');

const EXPECT = `open-base 0
mkdirat 0
openat-dir 0
openat-creat 0
fstatat reg nlink=1 size=5
openat-file-as-dir ENOTDIR
openat-bad-fd EBADF
openat-abs-ignores-fd 0
symlinkat 0
openat-nofollow ELOOP
fstatat-follow reg nlink=1 size=5
fstatat-nofollow lnk nlink=1 size=1
fstatat-bad-flag EINVAL
readlinkat f
readlinkat-short EINVAL
readlinkat-file EINVAL
linkat 0
hard-to-link lnk nlink=2 size=1
linkat-follow 0
hard-to-file reg nlink=2 size=5
linkat-bad-flag EINVAL
renameat 0
openat-after-rename 0
moved-after reg nlink=1 size=0
unlinkat-dir-no-flag EISDIR
unlinkat-removedir-notempty ENOTEMPTY
unlinkat-bad-flag EINVAL
mkdirat-e 0
unlinkat-removedir 0
unlinkat-file 0
chdir 0
fdcwd-fstatat reg nlink=2 size=5
fdcwd-mkdirat 0
fdcwd-made dir nlink=2
renameat-into-subtree EINVAL
`;

t('the *at calls relative to directory descriptors and AT_FDCWD, in the tmpfs and below a mount', guarded(async () => {
  const host = fs.mkdtempSync(path.join(os.tmpdir(), 'wasmux-at-'));
  const m = await boot({ mounts: [{ host, guest: '/mnt/h' }] });
  try {
    const g = installGuest(m, 'at');
    m.mkdirs('/tmp/at');
    const r = await run(m, g, [g, '/tmp/at']);
    assert.is(r.code, 0, r.stderr);
    assert.is(r.stdout, EXPECT, 'tmpfs');
    const h = await run(m, g, [g, '/mnt/h']);
    assert.is(h.code, 0, h.stderr);
    assert.is(h.stdout, EXPECT, 'below a mount');
    // Below the mount it all happened on the host.
    assert.is(fs.readFileSync(path.join(host, 'hard-f'), 'utf8'), 'hello');
    assert.is(fs.lstatSync(path.join(host, 'hard-l')).isSymbolicLink(), true);
    assert.is(fs.statSync(path.join(host, 'moved', 'c')).isDirectory(), true);
  } finally {
    await m.shutdown();
    fs.rmSync(host, { recursive: true, force: true });
  }
}));

t.run();
