// WASI namespace conformance (#12): one test per path_* function, each the
// same stock wasi-libc program (programs/c/wasi-ns.c, calls relative to
// directory descriptors that are not the preopen) run three ways side by
// side: under wasmux in the tmpfs, under wasmux below a host mount, and
// under node:wasi over a host directory. wasmux must give the expected
// answer (Linux's, the spec's) line for line; node:wasi must too, except
// where it is wrong by the spec, which each such line says (those lines
// are not asserted for node, so a fixed Node does not fail the test).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { boot } from '../dist/index.js';
import { guarded, installC, run, C_FIXTURES } from './helpers/index.mjs';

process.removeAllListeners('warning');   // node:wasi's ExperimentalWarning
const { WASI } = await import('node:wasi');

const t = suite('wasi-ns');
const WASM = fs.readFileSync(path.join(C_FIXTURES, 'wasi-ns.wasm'));

/** The expected lines of each section (the tmpfs answers, reviewed against Linux and the spec). */
const EXPECT = {
  path_open: `creat fd
excl EEXIST
read hello
enoent ENOENT
trailing-slash-file ENOTDIR
trailing-slash-creat EISDIR
directory-on-file ENOTDIR
mkdir-sub 0
open-sub fd
creat-in-sub fd
stat-sub-x reg size=0 nlink=1
dotdot hello
open-dot fd
dot-is-sub reg size=0 nlink=1
symlink-lf 0
nofollow ELOOP
follow hello
symlink-dangling 0
creat-through-dangling fd
dangling-target-made reg size=0 nlink=1
excl-on-link EEXIST
file-as-dirfd fd
relative-to-file ENOTDIR
bad-dirfd EBADF
rename-sub 0
creat-after-rename fd
moved-y reg size=0 nlink=1`,
  path_create_directory: `mkdir 0
mkdir-again EEXIST
mkdir-trailing-slash 0
mkdir-missing-parent ENOENT
mkdir-under-file ENOTDIR
nlink-new dir nlink=2
mkdir-a-c 0
nlink-one-sub dir nlink=3
nlink-section dir nlink=4
open-a fd
mkdir-relative-to-a 0
a-e dir nlink=2
nlink-two-subs dir nlink=4
symlink-la 0
mkdir-on-link EEXIST
mkdir-through-link 0
a-g dir nlink=2
mkdir-dot EEXIST`,
  path_remove_directory: `rmdir-notempty ENOTEMPTY
rmdir-file ENOTDIR
rmdir-missing ENOENT
rmdir-dot EINVAL
rmdir-link ENOTDIR
rmdir-link-slash ENOTDIR
rmdir-a-c 0
nlink-after dir nlink=2
open-e fd
rmdir-e 0
e-gone ENOENT
creat-in-removed ENOENT
mkdir-in-removed ENOENT
rmdir-trailing-slash 0`,
  path_unlink_file: `unlink-dir EISDIR
unlink-trailing-slash ENOTDIR
unlink-missing ENOENT
open-f fd
unlink 0
f-gone ENOENT
read-after-unlink 4 data
unlink-link 0
link-gone ENOENT
target-kept target
unlink-dangling 0`,
  path_rename: `open-r1 fd
open-r2 fd
between-dirfds 0
old-gone ENOENT
new-has one
over-file 0
replaced two
into-own-subtree EINVAL
onto-itself-sub EINVAL
over-nonempty-dir ENOTEMPTY
file-over-dir EISDIR
dir-over-file ENOTDIR
missing ENOENT
file-trailing-slash ENOTDIR
nlink-r1-before dir nlink=3
nlink-r2-before dir nlink=3
dir-between-dirfds 0
nlink-r1-after dir nlink=2
nlink-r2-after dir nlink=4
moved-subtree dir nlink=2
dir-over-empty-dir 0
empty-replaced dir nlink=2
rename-link 0
link-moved lnk size=1 nlink=1
rename-dot EBUSY`,
  path_filestat_get: `file reg size=5 nlink=1
dir dir nlink=2
stat-link reg size=5 nlink=1
lstat-link lnk size=1 nlink=1
stat-dangling ENOENT
lstat-dangling lnk size=7 nlink=1
trailing-slash-file ENOTDIR
trailing-slash-dir dir nlink=2
missing ENOENT
through-file ENOTDIR
dotdot reg size=5 nlink=1`,
  path_filestat_set_times: `set-times 0
set-times-missing ENOENT
set-times-trailing-slash ENOTDIR
set-times-nofollow 0
set-times-through-file ENOTDIR`,
  path_link: `link 0
nlink-f reg size=6 nlink=2
nlink-g reg size=6 nlink=2
same-data shared+
unlink-one 0
data-kept shared+
nlink-after-unlink reg size=7 nlink=1
link-existing EEXIST
link-dir EPERM
link-missing ENOENT
link-symlink-nofollow 0
hard-to-symlink lnk size=1 nlink=2
link-symlink-follow 0
hard-to-target reg size=7 nlink=2
open-r2 fd
link-between-dirfds 0
nlink-three reg size=7 nlink=3
link-trailing-slash ENOTDIR`,
  path_symlink: `symlink 0
symlink-again EEXIST
dangling ENOENT
lstat lnk size=6 nlink=1
symlink-empty-target ENOENT
symlink-missing-dir ENOENT
symlink-dir 0
creat-through-middle fd
made-in-real reg size=0 nlink=1
symlink-dotdot 0
relative-to-link-dir reg size=0 nlink=1
loop-a 0
loop-b 0
open-loop ELOOP
stat-loop ELOOP
lstat-loop lnk size=6 nlink=1
self 0
stat-self ELOOP
chain-40 end
chain-41 ELOOP
dirent-type lnk`,
  path_readlink: `readlink the/target
truncated 3 the
readlink-file EINVAL
readlink-missing ENOENT
open-sub fd
relative-to-sub ../f
readlink-dir EINVAL`,
};

/** Where node:wasi (uvwasi) is wrong by the spec: not asserted for node, and why. */
const NODE_WRONG = {
  'path_open:dotdot': 'uvwasi refuses ".." above a descriptor that is not a preopen (ENOTCAPABLE); a WASI directory descriptor is openat(2)\'s, and the namespace root is the only boundary here',
  'path_open:nofollow': 'uvwasi follows a final symlink without LOOKUPFLAGS_SYMLINK_FOLLOW (O_NOFOLLOW); the spec and Linux: ELOOP',
  'path_open:relative-to-file': 'uvwasi answers ENOTCAPABLE for a file used as a directory; the spec and Linux: ENOTDIR',
  'path_open:creat-after-rename': 'uvwasi resolves a descriptor by the path it was opened with: after a rename of the directory it points nowhere (ENOENT); a descriptor refers to its directory',
  'path_open:moved-y': 'follows from creat-after-rename',
  'path_remove_directory:rmdir-dot': 'uvwasi normalises "a/." to "a" (ENOTEMPTY); rmdir of "." is EINVAL, as Linux',
  'path_rename:rename-dot': 'uvwasi normalises "." to the directory itself and renames it into itself (EINVAL); a last name "." is EBUSY, as Linux',
  'path_symlink:symlink-empty-target': 'uvwasi: EINVAL; an empty target is ENOENT, as Linux',
  'path_symlink:symlink-dotdot': 'uvwasi refuses a target with ".." (ENOTCAPABLE); a target is a string, resolved only when followed',
  'path_symlink:relative-to-link-dir': 'follows from symlink-dotdot',
  'path_symlink:chain-40': 'uvwasi stops short of the 40 links Linux follows',
  'path_readlink:truncated': 'uvwasi fails a readlink into a buffer shorter than the target; the spec returns the bytes that fit (bufused), as readlink(2)',
  'path_readlink:relative-to-sub': 'follows from the refused ".." target',
};

/**
 * Where a host mount differs from the tmpfs (none: a host directory
 * descriptor follows a rename of its directory too, through /proc).
 */
const MOUNT_DIFF = {};

const parse = (text) => text.split('\n').filter((l) => l !== '').map((l) => {
  const i = l.indexOf(' ');
  return i < 0 ? [l, ''] : [l.slice(0, i), l.slice(i + 1)];
});

/** Runs a section under node:wasi, `/` preopened over a fresh host directory holding `/w`. */
async function underNode(section) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wasmux-ns-'));
  fs.mkdirSync(path.join(tmp, 'w'));
  const out = path.join(tmp, 'out');
  const fd = fs.openSync(out, 'w');
  try {
    const wasi = new WASI({ version: 'preview1', args: ['wasi-ns', '/w', section], env: {}, preopens: { '/': tmp }, stdout: fd, stderr: fd, returnOnExit: true });
    const { instance } = await WebAssembly.instantiate(WASM, wasi.getImportObject());
    const code = wasi.start(instance);
    return { code, stdout: fs.readFileSync(out, 'utf8') };
  } finally {
    fs.closeSync(fd);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

let m, prog, host;
t.before(async () => {
  host = fs.mkdtempSync(path.join(os.tmpdir(), 'wasmux-nsm-'));
  fs.mkdirSync(path.join(host, 'w'));
  m = await boot({ mounts: [{ host, guest: '/mnt/h' }] });
  prog = installC(m, 'wasi-ns');
  m.mkdirs('/tmp/w');
});
t.after(async () => {
  await m?.shutdown();
  fs.rmSync(host, { recursive: true, force: true });
});

for (const section of Object.keys(EXPECT)) {
  t(`${section}: wasmux (tmpfs and mount) and node:wasi side by side`, guarded(async () => {
    const want = parse(EXPECT[section]);
    const tmpfs = await run(m, prog, ['wasi-ns', '/tmp/w', section]);
    assert.is(tmpfs.code, 0, tmpfs.stderr);
    assert.equal(parse(tmpfs.stdout), want, 'wasmux, tmpfs');
    const mount = await run(m, prog, ['wasi-ns', '/mnt/h/w', section]);
    assert.is(mount.code, 0, mount.stderr);
    const wantMount = want.map(([k, v]) => [k, MOUNT_DIFF[`${section}:${k}`] ?? v]);
    assert.equal(parse(mount.stdout), wantMount, 'wasmux, below a mount');
    const node = await underNode(section);
    assert.is(node.code, 0, node.stdout);
    const got = parse(node.stdout);
    assert.equal(got.map(([k]) => k), want.map(([k]) => k), 'node:wasi ran the same checks');
    for (const [i, [k, v]] of want.entries()) {
      if (NODE_WRONG[`${section}:${k}`]) continue;
      assert.is(`${k} ${got[i][1]}`, `${k} ${v}`, 'node:wasi agrees');
    }
  }, 60000));
}

t('absolute paths through the preopen: a trailing slash on a file, directory link counts, symlink, a mount point renamed', guarded(async () => {
  const r = await run(m, prog, ['wasi-ns', '/tmp/w', 'abs', '/mnt/h']);
  assert.is(r.code, 0, r.stderr);
  assert.equal(parse(r.stdout), parse(`creat fd
open-file-slash ENOTDIR
mkdir 0
nlink-empty-dir dir nlink=2
nlink-one-subdir dir nlink=3
rename-dir 0
nlink-after-rename dir nlink=3
symlink 0
lstat lnk size=5 nlink=1
rename-mount-point EBUSY
mount-point-kept dir
nothing-at-new-name ENOENT`));
}));

t('hostile arguments: 2^31-byte paths, bad pointers, NUL, long names are errnos, nothing breaks', guarded(async () => {
  const base = m.heapBlocks();
  const r = await run(m, prog, ['wasi-ns', '/tmp/w', 'hostile']);
  assert.is(r.code, 0, r.stderr);
  assert.equal(parse(r.stdout), parse(`open-len-2^31 ENAMETOOLONG
open-len-2^32-1 ENAMETOOLONG
open-bad-ptr EFAULT
open-bad-out EFAULT
open-nul-inside EINVAL
open-empty ENOENT
open-path-too-long ENAMETOOLONG
open-name-too-long ENAMETOOLONG
symlink-bad-target EFAULT
symlink-long-target ENAMETOOLONG
readlink-bad-buf EFAULT
readlink-bad-used EFAULT
stat-bad-out EFAULT
rename-bad-second EFAULT
rename-bad-dirfd EBADF
link-len-2^31 ENAMETOOLONG
still-works lnk size=6 nlink=1`));
  assert.ok(m.heapBlocks() >= base);
}));

t('mounts: ".." and links never lead out of the mount on the host; the mount point cannot move', guarded(async () => {
  const outer = fs.mkdtempSync(path.join(os.tmpdir(), 'wasmux-nse-'));
  const inner = path.join(outer, 'inner');
  fs.mkdirSync(inner);
  fs.writeFileSync(path.join(inner, 'file'), 'host file');
  fs.writeFileSync(path.join(outer, 'secret'), 'SECRET');
  const mm = await boot({ mounts: [{ host: inner, guest: '/mnt/h' }] });
  try {
    mm.writeFile('/mnt/inguest', new TextEncoder().encode('guest file'));
    const p = installC(mm, 'wasi-ns');
    const r = await run(mm, p, ['wasi-ns', '/mnt', 'escape', '/mnt/h']);
    assert.is(r.code, 0, r.stderr);
    assert.equal(parse(r.stdout), parse(`open-mount fd
mount-file host file
dotdot-is-guest guest file
dotdot-secret ENOENT
dotdot-dotdot-secret ENOENT
host-symlink-up 0
host-link-up EXDEV
host-symlink-abs 0
host-link-abs EXDEV
host-readlink ../secret
host-lstat lnk size=9 nlink=1
host-symlink-in 0
host-link-in host file
host-hardlink 0
host-nlink reg size=9 nlink=2
host-unlink-one 0
tmpfs-symlink-into 0
tmpfs-link-into host file
tmpfs-symlink-through 0
tmpfs-link-through guest file
link-across EXDEV
rename-across EXDEV
rename-mount-point EBUSY
rename-onto-mount-point EBUSY
rmdir-mount-point EBUSY
mount-still-there EISDIR
mount-file-again fd`));
    // The links were made on the host, as given; the secret was never touched.
    assert.is(fs.readlinkSync(path.join(inner, 'up')), '../secret');
    assert.is(fs.readFileSync(path.join(outer, 'secret'), 'utf8'), 'SECRET');
    assert.is(fs.statSync(path.join(inner, 'file')).nlink, 1);
  } finally {
    await mm.shutdown();
    fs.rmSync(outer, { recursive: true, force: true });
  }
}));

t('races: a directory renamed to and fro and a link made and removed while another process walks', guarded(async () => {
  m.mkdirs('/tmp/r/race/a');
  m.writeFile('/tmp/r/race/a/f', new TextEncoder().encode('x'));
  const n = '300';
  const a = m.spawn(prog, ['wasi-ns', '/tmp/r', 'race-rename', n], { stdout: 'pipe', stderr: 'pipe', stdin: 'null' });
  const b = m.spawn(prog, ['wasi-ns', '/tmp/r', 'race-walk', n], { stdout: 'pipe', stderr: 'pipe', stdin: 'null' });
  const [sa, sb] = await Promise.all([a.wait(), b.wait()]);
  assert.is(sa.code, 0, a.stderr);
  assert.is(sb.code, 0, b.stderr);
  assert.is(a.stdout, 'rename-unexpected 0\n');
  assert.match(b.stdout, /^walk-unexpected 0\n/);
}, 60000));

t.run();
