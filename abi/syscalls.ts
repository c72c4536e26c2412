// The one place where syscalls are declared, for the kernel, the host and the
// tracer. Every guest import is bound to the kernel export named here:
//   wasi_snapshot_preview1.X  ->  kernel export `wasi_X`
//   wasmux.X                  ->  kernel export `sys_X`
// The host wraps each one identically (enter the kernel, park on KBLOCK and
// retry, unwind on KDEAD, trace), so adding a syscall is: declare it here,
// export `sys_X` from assembly/syscall.ts, done. A test checks that both
// sides agree. Argument kinds drive the tracer: 'fd', 'int', 'ptr', 'len',
// 'flags', 'i64', 'str' (a ptr whose following 'len' argument is its length).

export type ArgKind = 'fd' | 'int' | 'ptr' | 'len' | 'flags' | 'i64' | 'str';
export interface SyscallDecl {
  name: string;
  args: [string, ArgKind][];
  ret?: 'i32' | 'i64' | 'void';
  /** Linux restarts it under SA_RESTART when a handler interrupts it blocked (signal(7)); else EINTR. */
  restartable?: boolean;
}

const a = (name: string, ...args: [string, ArgKind][]): SyscallDecl => ({ name, args });
/** A call Linux restarts under SA_RESTART (read, write, open, wait). */
const r = (name: string, ...args: [string, ArgKind][]): SyscallDecl => ({ name, args, restartable: true });

/** WASI preview1 functions the kernel implements (module wasi_snapshot_preview1). */
export const WASI: SyscallDecl[] = [
  a('args_get', ['argv', 'ptr'], ['buf', 'ptr']),
  a('args_sizes_get', ['argc', 'ptr'], ['size', 'ptr']),
  a('environ_get', ['env', 'ptr'], ['buf', 'ptr']),
  a('environ_sizes_get', ['count', 'ptr'], ['size', 'ptr']),
  a('clock_res_get', ['id', 'int'], ['res', 'ptr']),
  a('clock_time_get', ['id', 'int'], ['precision', 'i64'], ['time', 'ptr']),
  a('fd_advise', ['fd', 'fd'], ['offset', 'i64'], ['len', 'i64'], ['advice', 'int']),
  a('fd_allocate', ['fd', 'fd'], ['offset', 'i64'], ['len', 'i64']),
  a('fd_close', ['fd', 'fd']),
  a('fd_datasync', ['fd', 'fd']),
  a('fd_fdstat_get', ['fd', 'fd'], ['stat', 'ptr']),
  a('fd_fdstat_set_flags', ['fd', 'fd'], ['flags', 'flags']),
  a('fd_fdstat_set_rights', ['fd', 'fd'], ['base', 'i64'], ['inheriting', 'i64']),
  a('fd_filestat_get', ['fd', 'fd'], ['stat', 'ptr']),
  a('fd_filestat_set_size', ['fd', 'fd'], ['size', 'i64']),
  a('fd_filestat_set_times', ['fd', 'fd'], ['atim', 'i64'], ['mtim', 'i64'], ['flags', 'flags']),
  r('fd_pread', ['fd', 'fd'], ['iovs', 'ptr'], ['iovs_len', 'len'], ['offset', 'i64'], ['nread', 'ptr']),
  a('fd_prestat_get', ['fd', 'fd'], ['prestat', 'ptr']),
  a('fd_prestat_dir_name', ['fd', 'fd'], ['path', 'ptr'], ['len', 'len']),
  r('fd_pwrite', ['fd', 'fd'], ['iovs', 'ptr'], ['iovs_len', 'len'], ['offset', 'i64'], ['nwritten', 'ptr']),
  r('fd_read', ['fd', 'fd'], ['iovs', 'ptr'], ['iovs_len', 'len'], ['nread', 'ptr']),
  a('fd_readdir', ['fd', 'fd'], ['buf', 'ptr'], ['len', 'len'], ['cookie', 'i64'], ['used', 'ptr']),
  a('fd_renumber', ['fd', 'fd'], ['to', 'fd']),
  a('fd_seek', ['fd', 'fd'], ['offset', 'i64'], ['whence', 'int'], ['newoffset', 'ptr']),
  a('fd_sync', ['fd', 'fd']),
  a('fd_tell', ['fd', 'fd'], ['offset', 'ptr']),
  r('fd_write', ['fd', 'fd'], ['iovs', 'ptr'], ['iovs_len', 'len'], ['nwritten', 'ptr']),
  a('path_create_directory', ['dirfd', 'fd'], ['path', 'str'], ['len', 'len']),
  a('path_filestat_get', ['dirfd', 'fd'], ['flags', 'flags'], ['path', 'str'], ['len', 'len'], ['stat', 'ptr']),
  a('path_filestat_set_times', ['dirfd', 'fd'], ['flags', 'flags'], ['path', 'str'], ['len', 'len'], ['atim', 'i64'], ['mtim', 'i64'], ['fstflags', 'flags']),
  a('path_link', ['olddirfd', 'fd'], ['flags', 'flags'], ['old', 'str'], ['oldlen', 'len'], ['newdirfd', 'fd'], ['new', 'str'], ['newlen', 'len']),
  r('path_open', ['dirfd', 'fd'], ['dirflags', 'flags'], ['path', 'str'], ['len', 'len'], ['oflags', 'flags'], ['base', 'i64'], ['inheriting', 'i64'], ['fdflags', 'flags'], ['fd', 'ptr']),
  a('path_readlink', ['dirfd', 'fd'], ['path', 'str'], ['len', 'len'], ['buf', 'ptr'], ['buflen', 'len'], ['used', 'ptr']),
  a('path_remove_directory', ['dirfd', 'fd'], ['path', 'str'], ['len', 'len']),
  a('path_rename', ['olddirfd', 'fd'], ['old', 'str'], ['oldlen', 'len'], ['newdirfd', 'fd'], ['new', 'str'], ['newlen', 'len']),
  a('path_symlink', ['old', 'str'], ['oldlen', 'len'], ['dirfd', 'fd'], ['new', 'str'], ['newlen', 'len']),
  a('path_unlink_file', ['dirfd', 'fd'], ['path', 'str'], ['len', 'len']),
  a('poll_oneoff', ['in', 'ptr'], ['out', 'ptr'], ['nsubs', 'len'], ['nevents', 'ptr']),
  a('proc_exit', ['code', 'int']),
  a('proc_raise', ['sig', 'int']),
  a('random_get', ['buf', 'ptr'], ['len', 'len']),
  a('sched_yield'),
  a('sock_accept', ['fd', 'fd'], ['flags', 'flags'], ['newfd', 'ptr']),
  a('sock_recv', ['fd', 'fd'], ['iovs', 'ptr'], ['iovs_len', 'len'], ['flags', 'flags'], ['nread', 'ptr'], ['oflags', 'ptr']),
  a('sock_send', ['fd', 'fd'], ['iovs', 'ptr'], ['iovs_len', 'len'], ['flags', 'flags'], ['nwritten', 'ptr']),
  a('sock_shutdown', ['fd', 'fd'], ['how', 'int']),
];

/** The extension module `wasmux`: what WASI lacks. Results are >= 0 or -errno. */
export const WASMUX: SyscallDecl[] = [
  a('spawn', ['path', 'str'], ['pathlen', 'len'], ['argv', 'ptr'], ['argc', 'int'], ['envp', 'ptr'], ['envc', 'int'], ['actions', 'ptr'], ['nactions', 'int'], ['cwd', 'str'], ['cwdlen', 'len']),
  r('waitpid', ['pid', 'int'], ['status', 'ptr'], ['options', 'flags']),
  a('getpid'),
  a('getppid'),
  a('pipe2', ['fds', 'ptr'], ['flags', 'flags']),
  a('dup', ['fd', 'fd']),
  a('dup2', ['oldfd', 'fd'], ['newfd', 'fd']),
  a('fcntl', ['fd', 'fd'], ['cmd', 'int'], ['arg', 'int']),
  r('open', ['path', 'str'], ['pathlen', 'len'], ['flags', 'flags'], ['mode', 'int']),
  a('close', ['fd', 'fd']),
  r('read', ['fd', 'fd'], ['buf', 'ptr'], ['len', 'len']),
  r('write', ['fd', 'fd'], ['buf', 'ptr'], ['len', 'len']),
  { name: 'lseek', args: [['fd', 'fd'], ['offset', 'i64'], ['whence', 'int']], ret: 'i64' },
  a('ftruncate', ['fd', 'fd'], ['length', 'i64']),
  a('stat', ['path', 'str'], ['pathlen', 'len'], ['stat', 'ptr']),
  a('fstat', ['fd', 'fd'], ['stat', 'ptr']),
  a('mkdir', ['path', 'str'], ['pathlen', 'len'], ['mode', 'int']),
  a('rmdir', ['path', 'str'], ['pathlen', 'len']),
  a('unlink', ['path', 'str'], ['pathlen', 'len']),
  a('rename', ['old', 'str'], ['oldlen', 'len'], ['new', 'str'], ['newlen', 'len']),
  a('mkfifo', ['path', 'str'], ['pathlen', 'len'], ['mode', 'int']),
  a('chdir', ['path', 'str'], ['pathlen', 'len']),
  a('getcwd', ['buf', 'ptr'], ['len', 'len']),
  a('getdents', ['fd', 'fd'], ['buf', 'ptr'], ['len', 'len']),
  a('kill', ['pid', 'int'], ['sig', 'int']),
  a('nanosleep', ['ns', 'i64']),
  // The kernel's introspection record (assembly/snapshot.ts, docs/abi.md "Snapshot"), as k_snapshot writes it for the host.
  a('snapshot', ['buf', 'ptr'], ['len', 'len']),
  // Paths relative to a directory descriptor (#12, WASI namespace): dirfd
  // AT_FDCWD (-100) is the cwd; an absolute path ignores dirfd (assembly/at.ts).
  r('openat', ['dirfd', 'fd'], ['path', 'str'], ['pathlen', 'len'], ['flags', 'flags'], ['mode', 'int']),
  a('mkdirat', ['dirfd', 'fd'], ['path', 'str'], ['pathlen', 'len'], ['mode', 'int']),
  a('mkfifoat', ['dirfd', 'fd'], ['path', 'str'], ['pathlen', 'len'], ['mode', 'int']),
  a('unlinkat', ['dirfd', 'fd'], ['path', 'str'], ['pathlen', 'len'], ['flags', 'flags']),
  a('renameat', ['olddirfd', 'fd'], ['old', 'str'], ['oldlen', 'len'], ['newdirfd', 'fd'], ['new', 'str'], ['newlen', 'len']),
  a('linkat', ['olddirfd', 'fd'], ['old', 'str'], ['oldlen', 'len'], ['newdirfd', 'fd'], ['new', 'str'], ['newlen', 'len'], ['flags', 'flags']),
  a('symlinkat', ['target', 'str'], ['targetlen', 'len'], ['dirfd', 'fd'], ['path', 'str'], ['pathlen', 'len']),
  a('readlinkat', ['dirfd', 'fd'], ['path', 'str'], ['pathlen', 'len'], ['buf', 'ptr'], ['buflen', 'len']),
  a('fstatat', ['dirfd', 'fd'], ['path', 'str'], ['pathlen', 'len'], ['stat', 'ptr'], ['flags', 'flags']),
  // fork and exec (#13). fork is the host's (host/fork.ts: an Asyncify
  // unwind of the guest, then k_fork); the kernel's sys_fork is ENOSYS for a
  // module the transform pipeline did not prepare. execve does not return
  // on success.
  a('fork'),
  a('execve', ['path', 'str'], ['pathlen', 'len'], ['argv', 'ptr'], ['argc', 'int'], ['envp', 'ptr'], ['envc', 'int']),
  // C layer (issue 13, assembly/cred.ts): process groups, sessions, credentials, umask, uname,
  // dup3, resource limits, waitid.
  a('getpgid', ['pid', 'int']),
  a('setpgid', ['pid', 'int'], ['pgid', 'int']),
  a('getsid', ['pid', 'int']),
  a('setsid'),
  a('getuid'),
  a('geteuid'),
  a('getgid'),
  a('getegid'),
  a('umask', ['mask', 'int']),
  a('uname', ['buf', 'ptr']),
  a('dup3', ['oldfd', 'fd'], ['newfd', 'fd'], ['flags', 'flags']),
  a('getrlimit', ['resource', 'int'], ['rlim', 'ptr']),
  a('setrlimit', ['resource', 'int'], ['rlim', 'ptr']),
  r('waitid', ['idtype', 'int'], ['id', 'int'], ['info', 'ptr'], ['options', 'flags']),
  a('fchdir', ['fd', 'fd']),
  a('fchmod', ['fd', 'fd'], ['mode', 'int']),
  // Signals (#14, assembly/signal.ts, sigaction.ts, sigwait.ts; docs/abi.md
  // "Signals"). Structures: ksigaction (KSA_*), ksiginfo (KSI_*), 8-byte
  // sets, in abi/constants.ts. sigtake/sigreturn are the trampoline's alone.
  a('sigaction', ['sig', 'int'], ['act', 'ptr'], ['oldact', 'ptr']),
  a('sigprocmask', ['how', 'int'], ['set', 'ptr'], ['oldset', 'ptr']),
  a('sigpending', ['set', 'ptr']),
  a('sigsuspend', ['set', 'ptr']),
  a('sigtimedwait', ['set', 'ptr'], ['info', 'ptr'], ['timeout_ns', 'i64']),
  a('sigqueue', ['pid', 'int'], ['sig', 'int'], ['value', 'int']),
  a('sigtake', ['info', 'ptr'], ['act', 'ptr']),
  a('sigreturn', ['oldmask', 'ptr']),
  // The time a nanosleep interrupted by a handler had left (ns, i64 at `left`): the C layer's rem.
  a('sleepleft', ['left', 'ptr']),
  // Credentials (assembly/ids.ts): setuid/setgid, so that a process can give up root (kill's EPERM).
  a('setuid', ['uid', 'int']),
  a('setgid', ['gid', 'int']),
  // Credentials (#15, assembly/ids.ts): real/effective/saved ids as Linux; -1 = unchanged.
  a('setreuid', ['ruid', 'int'], ['euid', 'int']),
  a('setregid', ['rgid', 'int'], ['egid', 'int']),
  a('setresuid', ['ruid', 'int'], ['euid', 'int'], ['suid', 'int']),
  a('setresgid', ['rgid', 'int'], ['egid', 'int'], ['sgid', 'int']),
  a('getresuid', ['ruid', 'ptr'], ['euid', 'ptr'], ['suid', 'ptr']),
  a('getresgid', ['rgid', 'ptr'], ['egid', 'ptr'], ['sgid', 'ptr']),
  // tmpfs owners and modes (#15, assembly/fs/attr.ts, at.ts, cfs.ts): chmod/chown by path, fchown, access.
  a('fchmodat', ['dirfd', 'fd'], ['path', 'str'], ['pathlen', 'len'], ['mode', 'int']),
  a('fchownat', ['dirfd', 'fd'], ['path', 'str'], ['pathlen', 'len'], ['uid', 'int'], ['gid', 'int'], ['flags', 'flags']),
  a('fchown', ['fd', 'fd'], ['uid', 'int'], ['gid', 'int']),
  a('faccessat', ['dirfd', 'fd'], ['path', 'str'], ['pathlen', 'len'], ['mode', 'int'], ['flags', 'flags']),
  // exec of an open file (assembly/exec.ts): as execve, the host loads the program inside the call.
  a('fexecve', ['fd', 'fd'], ['argv', 'ptr'], ['argc', 'int'], ['envp', 'ptr'], ['envc', 'int']),
  // Resource usage (assembly/rusage.ts): a 24-byte record {u64 utime ns, u64 stime ns, u64 peak memory bytes}.
  a('getrusage', ['who', 'int'], ['rusage', 'ptr']),
  r('wait4', ['pid', 'int'], ['status', 'ptr'], ['options', 'flags'], ['rusage', 'ptr']),
  // Timers (issue 14, assembly/itimer.ts): ITIMER_REAL only; records {i64 interval_ns, i64 value_ns}.
  a('alarm', ['secs', 'int']),
  a('setitimer', ['which', 'int'], ['new', 'ptr'], ['old', 'ptr']),
  a('getitimer', ['which', 'int'], ['cur', 'ptr']),
  // Job control on the console (#14, assembly/tty.ts).
  a('tcgetpgrp', ['fd', 'fd']),
  a('tcsetpgrp', ['fd', 'fd'], ['pgrp', 'int']),
  // System V message queues (#15, assembly/ipc/msg.ts; docs/abi.md "System V message queues").
  // Never restarted under SA_RESTART (signal(7)): a handler makes a blocked msgsnd/msgrcv EINTR.
  a('msgget', ['key', 'int'], ['flags', 'flags']),
  a('msgsnd', ['id', 'int'], ['msg', 'ptr'], ['size', 'len'], ['flags', 'flags']),
  a('msgrcv', ['id', 'int'], ['msg', 'ptr'], ['size', 'len'], ['type', 'i64'], ['flags', 'flags']),
  a('msgctl', ['id', 'int'], ['cmd', 'int'], ['buf', 'ptr']),
  // POSIX message queues (#15, assembly/mqueue.ts; docs/abi.md "Message queues"). The name is
  // passed whole ("/q"); mq_attr is eight i32; timeouts are absolute CLOCK_REALTIME
  // {i64 tv_sec, i32 tv_nsec} records; send/receive are restarted under SA_RESTART (signal(7)).
  a('mq_open', ['name', 'str'], ['namelen', 'len'], ['oflag', 'flags'], ['mode', 'int'], ['attr', 'ptr']),
  a('mq_unlink', ['name', 'str'], ['namelen', 'len']),
  r('mq_timedsend', ['mqd', 'fd'], ['msg', 'ptr'], ['len', 'len'], ['prio', 'int'], ['abs_timeout', 'ptr']),
  r('mq_timedreceive', ['mqd', 'fd'], ['msg', 'ptr'], ['len', 'len'], ['prio', 'ptr'], ['abs_timeout', 'ptr']),
  a('mq_notify', ['mqd', 'fd'], ['sigevent', 'ptr']),
  a('mq_getsetattr', ['mqd', 'fd'], ['newattr', 'ptr'], ['oldattr', 'ptr']),
];
