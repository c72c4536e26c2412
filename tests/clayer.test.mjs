// The C layer (programs/c/layer, linked by `wasmux cc`), function by
// function, through programs/c/posix/clayer.c (committed build: no C
// toolchain needed): results, Linux statuses and errnos, EFAULT for bad
// pointers, ECHILD for a non-child, and agreement with the kernel on
// descriptors, cwd, groups and limits.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { boot } from '../dist/index.js';
import { ROOT, guarded, run, runGroup, hasLines } from './helpers/index.mjs';

const POSIX = path.join(ROOT, 'programs', 'c', 'posix', 'build');
const t = suite('clayer');
let m;
t.before(async () => {
  m = await boot();
  m.writeFile('/tmp/clayer', fs.readFileSync(path.join(POSIX, 'clayer.wasm')), 0o755);
});
t.after(async () => { await m.shutdown(); });

/** Runs one group (helpers' runGroup); returns its output lines. */
const group = (name) => runGroup(m, '/tmp/clayer', name);
const has = hasLines;

t('pipe, pipe2: data through, FD_CLOEXEC, O_NONBLOCK (EAGAIN), bad flags EINVAL, bad pointer EFAULT', guarded(async () => {
  has(await group('pipe'), ['pipe 0', 'write 3', 'read 3', 'bytes abc', 'getfd-plain 0', 'pipe2-cloexec 0',
    'getfd-cloexec 1', 'pipe2-nonblock 0', 'read-empty EAGAIN', 'pipe2-badflags EINVAL', 'pipe-badptr EFAULT']);
}));

t('dup, dup2, dup3, fcntl: lowest fd, shared open file, CLOEXEC, F_GETFL/F_SETFL, errnos', guarded(async () => {
  has(await group('dup'), ['fds 4 5', 'dup 6', 'dup2 10', 'dup2-same 5', 'dup2-badfd EBADF', 'dup2-badnew EBADF',
    'dup3-same EINVAL', 'dup3-cloexec 12', 'getfd-12 1', 'dup3-badflags EINVAL', 'shared x', 'dupfd-20 20',
    'dupfd-cloexec 21', 'getfd-21 1', 'setfd 0', 'getfd-20 1', 'getfl-rd 1', 'getfl-wr 1', 'setfl 0',
    'getfl-nonblock 1', 'read-nonblock EAGAIN', 'fcntl-badcmd EINVAL', 'fcntl-badfd EBADF']);
}));

t('ids, sessions: getpid/getppid, getpgid/getsid ESRCH, setsid then EPERM, setpgid rules', guarded(async () => {
  has(await group('ids'), ['pid-gt1 1', 'ppid 1', 'pgrp-eq 1', 'pgid-self-eq 1', 'pgid-none ESRCH', 'sid-none ESRCH',
    'uid 0', 'euid 0', 'gid 0', 'egid 0', 'setsid-is-pid 1', 'sid-is-pid 1', 'pgrp-is-pid 1', 'setsid-again EPERM',
    'setpgid-leader EPERM', 'setpgid-neg EINVAL', 'setpgid-nochild ESRCH']);
}));

t('process groups: a child inherits; a spawned child (exec\'d) cannot be moved, EACCES; spawn SETPGROUP / SETSID', guarded(async () => {
  const l = await group('groups');
  has(l, ['setpgid-self 0', 'pgrp-is-pid 1', 'setsid-leader EPERM', 'child-pgid-inherited 1', 'setpgid-spawned EACCES',
    'child-pgid-kept 1', 'wait-child 1',
    'child-pgrp-is-pid 1 sid-is-pid 0', 'child-pgrp-is-pid 1 sid-is-pid 1', 'spawn-sigmask 0']);
  // The kernel agrees: ps would show the same groups (checked by the child's own getpgrp above).
}));

t('waitpid/wait/waitid/wait3/wait4: ECHILD for non-children, statuses, WNOHANG, WNOWAIT, EFAULT keeps the zombie', guarded(async () => {
  has(await group('wait'), ['waitpid-nonchild ECHILD', 'waitpid-none ECHILD', 'wait-none ECHILD', 'waited 1',
    'exited 1 status 3 signaled 0 stopped 0', 'wnohang-running 0', 'wuntraced-wcontinued-nohang 0',
    'waitpid-badopt EINVAL', 'waitid-nowait 0', 'si pid-ok 1 code 1 status 7 signo 17', 'wait4 1',
    'readwait-status 7', 'waitid-badopt EINVAL', 'waitid-none ECHILD', 'waitpid-badptr EFAULT',
    'reaped-after-efault 1', 'wait3 1']);
}));

t('cwd is the kernel\'s: chdir/fchdir/getcwd, relative open and stat, a child starts there', guarded(async () => {
  has(await group('cwd'), ['cwd /', 'mkdir 0', 'chdir 0', 'cwd /tmp/cl', 'open-rel 1', 'stat-abs 0', 'size 5',
    'chdir-dotdot 0', 'cwd /tmp', 'stat-rel 0', 'chdir-missing ENOENT', 'chdir-file ENOTDIR', 'getcwd-small ERANGE',
    'getcwd-alloc /tmp', 'fchdir 0', 'cwd /tmp/cl', 'fchdir-notdir ENOTDIR', 'fchdir-badfd EBADF',
    'getcwd-badptr EFAULT', 'child-cwd /tmp/cl rel 1']);
  // The file the C program created by a relative name is where the kernel says.
  assert.is(new TextDecoder().decode(m.readFile('/tmp/cl/rel.txt')), 'hello');
}));

t('umask, mkfifo (mode, S_ISFIFO, EEXIST, ENOENT), fchmod, ttyname ENOTTY/EBADF', guarded(async () => {
  has(await group('files'), ['umask-old 0', 'umask-now 27', 'mkfifo 0', 'fifo-mode 640 isfifo 1', 'mkfifo-exists EEXIST',
    'mkfifo-nodir ENOENT', 'mkfifoat-cwd 0', 'mkfifoat-dirfd 0', 'fifo3-mode 640 isfifo 1', 'mkfifoat-badfd EBADF', 'fchmod 0', 'file-mode 600', 'fchmod-badfd EBADF',
    'symlink 0', 'lstat 0', 'lstat-islnk 1', 'fstatat-follow 0', 'fstatat-isfifo 1 mode 640', 'fstatat-dirfd 0',
    'fstatat-dirfd-mode 600', 'fstatat-badflags EINVAL', 'lstat-missing ENOENT', 'ttyname-pipe ENOTTY',
    'ttyname-badfd EBADF', 'isatty-pipe 0']);
}));

t('uname, getrlimit/setrlimit (the kernel\'s limits, NOFILE enforced and inherited), limits.h, errno names', guarded(async () => {
  has(await group('sys'), ['uname 0', 'sysname wasmux', 'machine wasm32', 'release 0.1.0', 'uname-badptr EFAULT',
    'getrlimit-nofile 0', 'nofile 1024 1024', 'getrlimit-nproc 0', 'nproc 128', 'fsize 1073741824', 'cpu-infinite 1',
    'getrlimit-bad EINVAL', 'getrlimit-badptr EFAULT', 'setrlimit-nofile 0', 'dup-until EMFILE last 7',
    'dup2-past-limit EBADF', 'fcntl-past-limit EINVAL', 'setrlimit-raise-hard EPERM', 'setrlimit-soft-gt-hard EINVAL',
    'setrlimit-core EPERM', 'child-nofile 8 512', 'limits PIPE_BUF 4096 ARG_MAX 1048576 OPEN_MAX 1024',
    'errnames 113 114 1']);
}));

t('posix_spawn/posix_spawnp: file actions (dup2, close, open), PATH search, ENOENT/ENOEXEC', guarded(async () => {
  has(await group('spawn'), ['spawnp 0', 'out spawned echo', 'status 0', 'spawn-missing ENOENT', 'spawnp-missing ENOENT',
    'spawn-notwasm ENOEXEC', 'spawn-open 0', 'file spawned echo', 'spawn-open-fails ENOENT', 'adddup2-bad EBADF']);
}));

t('system and popen/pclose: statuses, shell pipelines, both directions', guarded(async () => {
  has(await group('system'), ['system-null 1', 'system-exit 1 3', 'system-pipeline 0', 'system-file 5',
    'system-notfound 127', 'popen-line 1', 'popen-line 2', 'popen-line 3', 'popen-line done', 'pclose 0', 'pclose-w 0',
    'popen-file written through popen', 'pclose-status 5', 'popen-badmode EINVAL', 'pclose-unknown ECHILD']);
}));

t('exec family and bad pointers: the caller goes on with an errno (EFAULT for bad argv/envp/paths/buffers)', guarded(async () => {
  const l = await group('exec');
  // Without the fork helper's execve the import answers ENOSYS; with it, a missing file is ENOENT.
  assert.ok(['execve-missing ENOSYS', 'execve-missing ENOENT'].includes(l[0]), l[0]);
  assert.ok(['execvp-missing ENOSYS', 'execvp-missing ENOENT'].includes(l[1]), l[1]);
  assert.is(l[2], 'fexecve EACCES');   // fd 0 is /dev/null here: not a program
  has(l, ['execve-badpath EFAULT', 'execve-badargv EFAULT', 'execve-badstring EFAULT', 'execve-badenv EFAULT',
    'spawn-badargv EFAULT', 'spawn-badstring EFAULT', 'spawn-badpath EFAULT', 'chdir-badptr EFAULT',
    'mkfifo-badptr EFAULT', 'stat-badptr EFAULT', 'stat-badbuf EFAULT', 'fstat-badbuf EFAULT', 'sleep0 0', 'usleep 0']);
}));

t('tcgetpgrp/tcsetpgrp (termios.h): the foreground group of the console; EBADF, ENOTTY, EINVAL, ESRCH', guarded(async () => {
  const r = await run(m, '/tmp/clayer', ['/tmp/clayer', 'tty'], { env: { PATH: '/bin' }, login: true, stdin: 'inherit' });
  assert.is(r.code, 0, r.stderr);
  has(r.stdout.split('\n'), ['tty fg-is-us 1', 'tcgetpgrp-badfd EBADF', 'tcgetpgrp-pipe ENOTTY', 'tcsetpgrp-neg EINVAL',
    'tcsetpgrp-none ESRCH', 'tcsetpgrp-self 0']);
}));

t.run();
