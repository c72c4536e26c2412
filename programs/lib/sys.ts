// Raw imports: the guest side of docs/abi.md. Every `wasmux` function
// returns >= 0 on success or -errno; pointers and lengths are byte offsets
// into our own linear memory. Programs should use the typed wrappers in the
// rest of the library instead of calling these directly.
//
// The names and argument lists must match abi/syscalls.ts; the build checks
// this (see scripts/build-programs.mjs).

// --- wasi_snapshot_preview1 -------------------------------------------------

@external("wasi_snapshot_preview1", "args_sizes_get")
export declare function args_sizes_get(argc: usize, bufSize: usize): i32;
@external("wasi_snapshot_preview1", "args_get")
export declare function args_get(argv: usize, buf: usize): i32;
@external("wasi_snapshot_preview1", "environ_sizes_get")
export declare function environ_sizes_get(count: usize, bufSize: usize): i32;
@external("wasi_snapshot_preview1", "environ_get")
export declare function environ_get(env: usize, buf: usize): i32;
@external("wasi_snapshot_preview1", "fd_fdstat_get")
export declare function fd_fdstat_get(fd: i32, stat: usize): i32;
@external("wasi_snapshot_preview1", "clock_time_get")
export declare function clock_time_get(id: i32, precision: i64, time: usize): i32;
@external("wasi_snapshot_preview1", "proc_exit")
export declare function proc_exit(code: i32): void;

// --- wasmux -----------------------------------------------------------------

@external("wasmux", "spawn")
export declare function spawn(
  path: usize, pathLen: usize,
  argv: usize, argc: i32,
  envp: usize, envc: i32,
  actions: usize, nactions: i32,
  cwd: usize, cwdLen: usize,
): i32;
@external("wasmux", "waitpid")
export declare function waitpid(pid: i32, status: usize, options: i32): i32;
@external("wasmux", "getpid")
export declare function getpid(): i32;
@external("wasmux", "getppid")
export declare function getppid(): i32;
@external("wasmux", "pipe2")
export declare function pipe2(fds: usize, flags: i32): i32;
@external("wasmux", "dup")
export declare function dup(fd: i32): i32;
@external("wasmux", "dup2")
export declare function dup2(oldfd: i32, newfd: i32): i32;
@external("wasmux", "fcntl")
export declare function fcntl(fd: i32, cmd: i32, arg: i32): i32;
@external("wasmux", "open")
export declare function open(path: usize, pathLen: usize, flags: i32, mode: i32): i32;
@external("wasmux", "close")
export declare function close(fd: i32): i32;
@external("wasmux", "read")
export declare function read(fd: i32, buf: usize, len: usize): i32;
@external("wasmux", "write")
export declare function write(fd: i32, buf: usize, len: usize): i32;
@external("wasmux", "lseek")
export declare function lseek(fd: i32, offset: i64, whence: i32): i64;
@external("wasmux", "ftruncate")
export declare function ftruncate(fd: i32, length: i64): i32;
@external("wasmux", "stat")
export declare function stat(path: usize, pathLen: usize, buf: usize): i32;
@external("wasmux", "fstat")
export declare function fstat(fd: i32, buf: usize): i32;
@external("wasmux", "mkdir")
export declare function mkdir(path: usize, pathLen: usize, mode: i32): i32;
@external("wasmux", "rmdir")
export declare function rmdir(path: usize, pathLen: usize): i32;
@external("wasmux", "unlink")
export declare function unlink(path: usize, pathLen: usize): i32;
@external("wasmux", "rename")
export declare function rename(oldPath: usize, oldLen: usize, newPath: usize, newLen: usize): i32;
@external("wasmux", "mkfifo")
export declare function mkfifo(path: usize, pathLen: usize, mode: i32): i32;
@external("wasmux", "chdir")
export declare function chdir(path: usize, pathLen: usize): i32;
@external("wasmux", "getcwd")
export declare function getcwd(buf: usize, len: usize): i32;
@external("wasmux", "getdents")
export declare function getdents(fd: i32, buf: usize, len: usize): i32;
@external("wasmux", "kill")
export declare function kill(pid: i32, sig: i32): i32;
@external("wasmux", "nanosleep")
export declare function nanosleep(ns: i64): i32;
/** The kernel's snapshot record (docs/abi.md "Snapshot"; programs/lib/snapshot.ts decodes it). */
@external("wasmux", "snapshot")
export declare function snapshot(buf: usize, len: u32): i32;

// --- signals (#14; docs/abi.md "Signals") -----------------------------------

@external("wasmux", "sigaction")
export declare function sigaction(sig: i32, act: usize, oldact: usize): i32;
@external("wasmux", "sigprocmask")
export declare function sigprocmask(how: i32, set: usize, oldset: usize): i32;
@external("wasmux", "sigpending")
export declare function sigpending(set: usize): i32;
@external("wasmux", "sigsuspend")
export declare function sigsuspend(set: usize): i32;
@external("wasmux", "sigtimedwait")
export declare function sigtimedwait(set: usize, info: usize, timeoutNs: i64): i32;
@external("wasmux", "sigqueue")
export declare function sigqueue(pid: i32, sig: i32, value: i32): i32;
@external("wasmux", "sigtake")
export declare function sigtake(info: usize, act: usize): i32;
@external("wasmux", "sigreturn")
export declare function sigreturn(oldmask: usize): i32;
@external("wasmux", "sleepleft")
export declare function sleepleft(left: usize): i32;
@external("wasmux", "setuid")
export declare function setuid(uid: i32): i32;
@external("wasmux", "setgid")
export declare function setgid(gid: i32): i32;
@external("wasmux", "getuid")
export declare function getuid(): i32;
@external("wasmux", "geteuid")
export declare function geteuid(): i32;
@external("wasmux", "getgid")
export declare function getgid(): i32;
@external("wasmux", "getegid")
export declare function getegid(): i32;
// Process groups and the console's foreground group (job control, #14).
@external("wasmux", "getpgid")
export declare function getpgid(pid: i32): i32;
@external("wasmux", "setpgid")
export declare function setpgid(pid: i32, pgid: i32): i32;
@external("wasmux", "tcgetpgrp")
export declare function tcgetpgrp(fd: i32): i32;
@external("wasmux", "tcsetpgrp")
export declare function tcsetpgrp(fd: i32, pgrp: i32): i32;
