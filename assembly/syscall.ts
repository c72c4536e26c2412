// The extension syscalls (import module "wasmux"), declared in
// abi/syscalls.ts. Each export decodes its arguments, copies guest memory
// through user.ts and calls one subsystem. Results: >= 0, or -errno, or the
// KBLOCK / KDEAD sentinels the host acts on.

import { EBADF, EINVAL, EFAULT, ENOMEM, ERANGE } from "../abi/errno";
import { KBLOCK, KDEAD } from "../abi/errno";
import {
  O_NONBLOCK, O_CLOEXEC, O_RDONLY, O_WRONLY, F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_SETFD,
  F_GETFL, F_SETFL, WNOHANG, WUNTRACED, WCONTINUED,
} from "../abi/constants";
import { kfree } from "./alloc";
import { cur, curProc } from "./task";
import { copyPath, copyout, scratch, SCRATCH_PATH1, SCRATCH_PATH2, SCRATCH_TMP, sc } from "./user";
import {
  File, fileAlloc, filePut, fdGet, fdInstall, fdInstall2, fdCloseIf, fdInstallAt, fdClose, fdGetFlags,
  fdSetFlags, FT_PIPE,
} from "./file";
import { restartBegin, restartKeep, restartEnd, RESTART_TIMED } from "./restart";
import {
  fdRead, fdWrite, fdSeek, fdTruncate, fdStat, setStatusFlags, statusFlags, fdReaddir, openFd,
} from "./io";
import { pipeCreate, pipeFree } from "./pipe";
import { vfsMkdir, vfsMkfifo, vfsRemove, vfsRename, vfsStat, cwdSet, cwdCopy } from "./vfs";
import { spawn, resolveDir } from "./spawn";
import { procWait, setSleeping } from "./proc";
import { sigKill } from "./signal";
import { now, CLOCK_MONOTONIC } from "./clock";
import { umasked } from "./cred";
export { sys_fchdir, sys_fchmod, sys_fchown } from "./cfs";
// Signals (#14).
export { sys_sigaction, sys_sigprocmask, sys_sigpending, sys_sigqueue, sys_sigtake, sys_sigreturn } from "./sigaction";
export { sys_sigsuspend, sys_sigtimedwait, sys_sleepleft } from "./sigwait";
export { sys_alarm, sys_setitimer, sys_getitimer } from "./itimer";
export { sys_tcgetpgrp, sys_tcsetpgrp } from "./tty";
// System V message queues (#15).
export { sys_msgget, sys_msgsnd, sys_msgrcv, sys_msgctl, k_msgLimits } from "./ipc/msg";
// POSIX message queues (#15).
export { sys_mq_timedsend, sys_mq_timedreceive, sys_mq_getsetattr, k_mqLimits } from "./mqueue";
export { sys_mq_open, sys_mq_unlink } from "./mqopen";
export { sys_mq_notify } from "./mqnotify";
// The introspection record for guests (ps, ipcs; #16).
export { sys_snapshot } from "./snapshot";

// fork and exec (#13): their own files; the host-only halves are k_* exports there.
export { sys_fork, k_fork, k_forkImage, k_forkImageSize, k_forkCommit, k_forkAbort, k_forkImageDone } from "./fork";
export { sys_execve, sys_fexecve, k_execCommit, k_execAbort } from "./exec";
export { sys_getrusage, sys_wait4, k_taskTimes } from "./rusage";

// @ts-ignore: decorator
@inline function fget(fd: i32): File | null { return fdGet(curProc(), fd); }

// The C layer's calls (issue 13).
export {
  sys_getpgid, sys_setpgid, sys_getsid, sys_setsid,
  sys_umask, sys_uname, sys_dup3, sys_getrlimit, sys_setrlimit, sys_waitid, k_memLimit,
} from "./cred";
// Credentials (#15).
export {
  sys_getuid, sys_geteuid, sys_getgid, sys_getegid, sys_setuid, sys_setgid, sys_setreuid, sys_setregid,
  sys_setresuid, sys_setresgid, sys_getresuid, sys_getresgid,
} from "./ids";

export function sys_spawn(path: u32, plen: u32, argv: u32, argc: u32, envp: u32, envc: u32,
                          actions: u32, nactions: u32, cwd: u32, cwdlen: u32): i32 {
  return spawn(path, plen, argv, argc, envp, envc, actions, nactions, cwd, cwdlen);
}

export function sys_waitpid(pid: i32, status: u32, options: i32): i32 {
  if (options & ~(WNOHANG | WUNTRACED | WCONTINUED)) return -EINVAL;
  return procWait(pid, status, options);
}

export function sys_getpid(): i32 { return curProc().pid; }
export function sys_getppid(): i32 { return curProc().ppid; }

export function sys_pipe2(ufds: u32, flags: i32): i32 {
  if (flags & ~(O_NONBLOCK | O_CLOEXEC)) return -EINVAL;
  const me = curProc();
  const p = pipeCreate();
  if (p == null) return -ENOMEM;
  const nb = flags & O_NONBLOCK;
  const rf = fileAlloc(FT_PIPE, O_RDONLY | nb, changetype<usize>(p), 0);
  const wf = fileAlloc(FT_PIPE, O_WRONLY | nb, changetype<usize>(p), 0);
  if (rf == null || wf == null) {   // neither holds a pipe end yet: free them as they are
    if (rf != null) kfree(changetype<usize>(rf));
    if (wf != null) kfree(changetype<usize>(wf));
    pipeFree(p);
    return -ENOMEM;
  }
  p.readers = 1; p.writers = 1;
  // Both descriptors appear at once; a failure takes back exactly our Files.
  const k = scratch(SCRATCH_TMP);
  const e = fdInstall2(me, rf, wf, (flags & O_CLOEXEC) != 0, k);
  if (e < 0) { filePut(rf); filePut(wf); return e; }
  const rfd = load<i32>(k), wfd = load<i32>(k + 4);
  if (!copyout(ufds, k, 8)) { fdCloseIf(me, rfd, rf); fdCloseIf(me, wfd, wf); return -EFAULT; }
  return 0;
}

export function sys_dup(fd: i32): i32 {
  const f = fget(fd);
  if (f == null) return -EBADF;
  const r = fdInstall(curProc(), f, 0, false);
  if (r < 0) filePut(f);
  return r;
}

export function sys_dup2(oldfd: i32, newfd: i32): i32 {
  const me = curProc();
  const f = fget(oldfd);
  if (f == null) return -EBADF;
  if (newfd < 0 || newfd >= me.nofile) { filePut(f); return -EBADF; }   // RLIMIT_NOFILE
  if (oldfd == newfd) { filePut(f); return newfd; }
  return fdInstallAt(me, f, newfd, false);
}

export function sys_fcntl(fd: i32, cmd: i32, arg: i32): i32 {
  const me = curProc();
  const f = fget(fd);
  if (f == null) return -EBADF;
  let r = 0;
  if (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC) {
    if (arg < 0 || arg >= me.nofile) { filePut(f); return -EINVAL; }   // RLIMIT_NOFILE
    r = fdInstall(me, f, arg, cmd == F_DUPFD_CLOEXEC);
    if (r < 0) filePut(f);
    return r;
  }
  if (cmd == F_GETFD) r = fdGetFlags(me, fd);
  else if (cmd == F_SETFD) r = fdSetFlags(me, fd, arg);
  else if (cmd == F_GETFL) r = statusFlags(f);
  else if (cmd == F_SETFL) setStatusFlags(f, arg);
  else r = -EINVAL;
  filePut(f);
  return r;
}

export function sys_open(path: u32, plen: u32, flags: i32, mode: i32): i32 {
  const n = copyPath(path, plen, SCRATCH_PATH1);
  if (n < 0) return n;
  return openFd(scratch(SCRATCH_PATH1), n, flags, umasked(<u32>mode), (flags & O_CLOEXEC) != 0);
}

export function sys_close(fd: i32): i32 { return fdClose(curProc(), fd); }

export function sys_read(fd: i32, buf: u32, len: u32): i32 { return fdRead(fd, buf, len, false, -1); }
export function sys_write(fd: i32, buf: u32, len: u32): i32 { return fdWrite(fd, buf, len, false, -1); }
export function sys_lseek(fd: i32, off: i64, whence: i32): i64 { return fdSeek(fd, off, whence); }
export function sys_ftruncate(fd: i32, length: i64): i32 { return fdTruncate(fd, length); }

export function sys_stat(path: u32, plen: u32, ustat: u32): i32 {
  const n = copyPath(path, plen, SCRATCH_PATH1);
  if (n < 0) return n;
  const k = scratch(SCRATCH_PATH2);
  const r = vfsStat(scratch(SCRATCH_PATH1), n, k);
  if (r < 0) return r;
  return copyout(ustat, k, 64) ? 0 : -EFAULT;
}

export function sys_fstat(fd: i32, ustat: u32): i32 {
  const k = scratch(SCRATCH_PATH2);
  const r = fdStat(fd, k);
  if (r < 0) return r;
  return copyout(ustat, k, 64) ? 0 : -EFAULT;
}

export function sys_mkdir(path: u32, plen: u32, mode: i32): i32 {
  const n = copyPath(path, plen, SCRATCH_PATH1);
  return n < 0 ? n : vfsMkdir(scratch(SCRATCH_PATH1), n, umasked(<u32>mode));
}

export function sys_rmdir(path: u32, plen: u32): i32 {
  const n = copyPath(path, plen, SCRATCH_PATH1);
  return n < 0 ? n : vfsRemove(scratch(SCRATCH_PATH1), n, true);
}

export function sys_unlink(path: u32, plen: u32): i32 {
  const n = copyPath(path, plen, SCRATCH_PATH1);
  return n < 0 ? n : vfsRemove(scratch(SCRATCH_PATH1), n, false);
}

export function sys_rename(p1: u32, l1: u32, p2: u32, l2: u32): i32 {
  const n1 = copyPath(p1, l1, SCRATCH_PATH1);
  if (n1 < 0) return n1;
  const n2 = copyPath(p2, l2, SCRATCH_PATH2);
  if (n2 < 0) return n2;
  return vfsRename(scratch(SCRATCH_PATH1), n1, scratch(SCRATCH_PATH2), n2);
}

export function sys_mkfifo(path: u32, plen: u32, mode: i32): i32 {
  const n = copyPath(path, plen, SCRATCH_PATH1);
  return n < 0 ? n : vfsMkfifo(scratch(SCRATCH_PATH1), n, umasked(<u32>mode));
}

export function sys_chdir(path: u32, plen: u32): i32 {
  const n = copyPath(path, plen, SCRATCH_PATH1);
  if (n < 0) return n;
  const r = resolveDir(scratch(SCRATCH_PATH1), n);
  if (r < 0) return <i32>r;
  cwdSet(curProc(), changetype<usize>(r), sc().normLen);
  return 0;
}

export function sys_getcwd(buf: u32, len: u32): i32 {
  const k = scratch(SCRATCH_PATH2);   // PATH_MAX: a copy taken under the process lock
  const n = cwdCopy(curProc(), k);
  if (<u32>n > len) return -ERANGE;
  return copyout(buf, k, n) ? n : -EFAULT;
}

export function sys_getdents(fd: i32, buf: u32, len: u32): i32 { return fdReaddir(fd, 0, buf, len, false, true); }

export function sys_kill(pid: i32, sig: i32): i32 {
  return sigKill(pid, sig);
}

/** nanosleep: the deadline is kept in task.wakeAt across retries; the host parks until it. */
export function sys_nanosleep(ns: i64): i32 {
  if (ns < 0) return -EINVAL;
  const t = cur();
  if (!restartBegin(t, RESTART_TIMED)) t.wakeAt = 0;   // a new sleep: no deadline of an earlier one
  const tnow = now(CLOCK_MONOTONIC);
  if (t.wakeAt == 0) t.wakeAt = tnow + ns;
  if (tnow >= t.wakeAt) { t.wakeAt = 0; restartEnd(t); return 0; }
  restartKeep(t, RESTART_TIMED);
  setSleeping(curProc(), true);
  return KBLOCK;
}

// The *at calls (paths relative to a directory descriptor).
export * from "./at";
