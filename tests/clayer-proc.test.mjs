// The C layer's last process points (issue 13), through
// programs/c/posix/cproc.c (committed build): creation modes, setpgid after
// exec, fchdir below a mount, fexecve, getrusage/wait4, RLIMIT_AS.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { boot } from '../dist/index.js';
import { ROOT, guarded, run, sh, runGroup, hasLines } from './helpers/index.mjs';

const POSIX = path.join(ROOT, 'programs', 'c', 'posix', 'build');
const t = suite('clayer-proc');
// cproc forks: its first load transforms it (seconds on a loaded machine), later ones hit the cache.
const SLOW = 120000;
let m, host;
t.before(async () => {
  host = fs.mkdtempSync(path.join(os.tmpdir(), 'wasmux-cproc-'));
  fs.mkdirSync(path.join(host, 'sub', 'deep'), { recursive: true });
  fs.writeFileSync(path.join(host, 'sub', 'deep', 'f.txt'), 'hello');
  const prog = fs.readFileSync(path.join(POSIX, 'cproc.wasm'));
  fs.writeFileSync(path.join(host, 'prog.wasm'), prog, { mode: 0o755 });
  fs.writeFileSync(path.join(host, 'noexec.wasm'), prog, { mode: 0o644 });
  m = await boot({ mounts: [{ host, guest: '/mnt/h' }] });
  m.writeFile('/tmp/cproc', fs.readFileSync(path.join(POSIX, 'cproc.wasm')), 0o755);
});
t.after(async () => { await m.shutdown(); fs.rmSync(host, { recursive: true, force: true }); });

/** Runs one group (helpers' runGroup); returns its output lines. */
const group = (name, opts = {}) => runGroup(m, '/tmp/cproc', name, opts, SLOW);
const has = hasLines;

t('open/openat/fopen with O_CREAT: mode & ~umask, as the kernel\'s stat and ls -l show', guarded(async () => {
  has(await group('mode'), ['open-0600 600', 'open-0777-umask022 755', 'open-excl-exists EEXIST', 'open-existing 600',
    'openat-0640 640', 'openat-fd-ok 1', 'openat-badfd EBADF', 'open-badpath EFAULT', 'openat-umask0 666 cloexec 1',
    'fopen-umask077 600', 'open-rel 604']);
  const ls = await sh(m, 'ls -l /tmp/cm');
  assert.match(ls.stdout, /-rw------- .* a\n/);
  assert.match(ls.stdout, /-rwxr-xr-x .* b\n/);
  assert.match(ls.stdout, /-rw-r----- .* c\n/);
}, SLOW));

t('setpgid: a forked child is moved before its exec, EACCES after; EPERM across sessions; ESRCH for a non-child', guarded(async () => {
  has(await group('pgid'), ['setpgid-self 0', 'forked-ready 1', 'setpgid-forked-own 0', 'child-pgid-own 1',
    'setpgid-forked-back 0', 'child-pgid-back 1', 'setpgid-missing-group EPERM', 'execd-ready 1',
    'setpgid-after-exec EACCES', 'setpgid-after-exec-back EACCES', 'child-pgid-unchanged 1', 'wait 1 status 5',
    'child-setsid s', 'setpgid-other-session EPERM', 'setpgid-other-session-join EPERM',
    'setpgid-nonchild ESRCH', 'setpgid-missing ESRCH']);
}, SLOW));

t('fchdir into directories below a host mount: getcwd, relative opens, .., a child starts there', guarded(async () => {
  has(await group('fchdir'), ['fchdir-host 0', 'cwd /mnt/h/sub', 'read-rel 5 hello', 'fchdir-host-deep 0',
    'cwd /mnt/h/sub/deep', 'stat-rel 1', 'chdir-dotdot 0', 'cwd /mnt/h', 'fchdir-mount-root 0', 'cwd /mnt/h',
    'fchdir-host-file ENOTDIR', 'fchdir-back 0', 'child-cwd /mnt/h/sub/deep']);
}, SLOW));

t('fexecve: a tmpfs program by descriptor (unlinked, FD_CLOEXEC too) and a mount file run in the same pid; EBADF, EACCES, ENOEXEC leave the caller going', guarded(async () => {
  const l = await group('fexecve');
  has(l, ['fexecve-badfd EBADF', 'fexecve-dir EACCES', 'fexecve-pipe EACCES', 'fexecve-noexec EACCES',
    'fexecve-text ENOEXEC', 'fexecve-script ENOEXEC', 'fexecve-badargv EFAULT', 'unlink 0']);
  for (const label of ['tmpfs', 'tmpfs-cloexec', 'mount']) {
    const done = l.find((x) => x.startsWith(`${label}-child `));
    assert.ok(done, `${label}: ${l.join('\n')}`);
    const [, pid, , status] = done.split(' ');
    assert.is(status, '6', `${label}: the exec'd program's status`);
    assert.ok(l.includes(`execd pid ${pid} argv0 fx env fexecve`), `${label}: same pid, new argv and env:\n${l.join('\n')}`);
  }
  has(l, ['fexecve-mount-noexec EACCES', 'caller-goes-on 1']);
}, SLOW));

t('getrusage and wait4/wait3: measured guest and kernel time, peak memory, children\'s totals at reap (grandchildren through their parent), EINVAL, EFAULT', guarded(async () => {
  has(await group('rusage'), ['children-before 0', 'children-zero 1', 'self 0', 'utime-grew 1', 'stime-monotonic 1',
    'usec-ok 1', 'maxrss-self 1', 'sleep-not-counted 1', 'cpu-within-wall 1', 'thread 0', 'bad-who EINVAL', 'bad-ptr EFAULT', 'wait4-badptr EFAULT', 'wait4 1',
    'wait4-utime 1', 'wait4-maxrss 1', 'children-is-wait4 1', 'wait3 1', 'wait3-includes-grandchild 1',
    'children-sum 1', 'children-maxrss-max 1', 'wait4-none ECHILD']);
}, SLOW));

t('RLIMIT_AS (RLIMIT_DATA its alias): malloc NULL/ENOMEM past it, memory.grow refused in fork and exec children, inherited, hard limit rules', guarded(async () => {
  has(await group('rlimit'), ['as inf inf', 'data inf inf', 'setrlimit-as 0', 'data-alias 1',
    'self-malloc-8m ENOMEM', 'self-small ok 1', 'forked-malloc-8m ENOMEM', 'forked-grow-past 1', 'forked-small ok 1',
    'execd-malloc-8m ENOMEM', 'execd-grow-past 1', 'execd-small ok 1', 'execd-as 4194304 inf', 'execd-status 0',
    'soft-gt-hard EINVAL', 'lower-hard 0', 'raise-hard EPERM', 'as-now 1073741824 1073741824',
    'setrlimit-badptr EFAULT', 'after-raise-malloc-8m ok']);
}, SLOW));

/** Polls `cond` (a condition, never a clock) until it returns a truthy value. */
async function until(cond) {
  for (;;) {
    const v = cond();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 5));
  }
}

t('a worker that dies between k_fork and the commit: the parent is SIGKILLed, its embryo child discarded (no slot, no kernel memory left)', guarded(async () => {
  const mm = await boot();
  try {
    mm.writeFile('/tmp/cproc', fs.readFileSync(path.join(POSIX, 'cproc.wasm')), 0o755);
    const blocks = mm.heapBlocks();
    const p = mm.spawn('/tmp/cproc', ['/tmp/cproc', 'forkwait', '/tmp/go'], { stdout: 'pipe', stderr: 'pipe', stdin: 'null' });
    mm._stallNextFork(p.pid);
    mm.writeFile('/tmp/go', new Uint8Array(0));
    // The child half made: an embryo of the parent's in the table, never queued.
    const embryo = await until(() => mm.ps().find((q) => q.ppid === p.pid && q.state === 'embryo'));
    assert.ok(await mm._crashWorkerOf(p.pid), 'found the forking worker');
    assert.equal(await p.wait(), { status: 9, code: null, signal: 9 });
    assert.is(p.stdout, '');
    assert.equal(mm.ps().map((q) => q.pid), [1], `embryo ${embryo.pid} discarded with its parent`);
    mm.unlink('/tmp/go');
    await until(() => mm.heapBlocks() === blocks);
    // The machine forks as before.
    const again = await run(mm, '/tmp/cproc', ['/tmp/cproc', 'forkwait', '/tmp/cproc'], {}, SLOW);
    assert.is(again.stdout, 'forked 1\n');
    assert.equal(mm.ps().map((q) => q.pid), [1]);
  } finally {
    await mm.shutdown();
  }
}, SLOW));

t.run();
