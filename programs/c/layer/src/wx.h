/* The kernel's extension calls (import module "wasmux", declared in
 * abi/syscalls.ts). Each returns >= 0, or -errno (WASI numbering, which is
 * wasi-libc's errno). Private to the layer's sources. */
#ifndef WX_H
#define WX_H
#include <stddef.h>
#include <stdint.h>
#include <errno.h>

#define WX(name) __attribute__((__import_module__("wasmux"), __import_name__(#name)))

/* A string or vector element as the kernel takes it. */
struct wx_str { uint32_t ptr, len; };

WX(spawn) int __wx_spawn(const char *path, size_t plen, const struct wx_str *argv, int argc,
                         const struct wx_str *envp, int envc, const void *actions, int nactions,
                         const char *cwd, size_t cwdlen);
WX(waitpid) int __wx_waitpid(int pid, int *status, int options);
WX(waitid) int __wx_waitid(int idtype, int id, void *info, int options);
WX(getpid) int __wx_getpid(void);
WX(getppid) int __wx_getppid(void);
WX(pipe2) int __wx_pipe2(int *fds, int flags);
WX(dup) int __wx_dup(int fd);
WX(dup2) int __wx_dup2(int fd, int newfd);
WX(dup3) int __wx_dup3(int fd, int newfd, int flags);
WX(fcntl) int __wx_fcntl(int fd, int cmd, int arg);
WX(mkfifo) int __wx_mkfifo(const char *path, size_t len, int mode);
WX(chdir) int __wx_chdir(const char *path, size_t len);
WX(fchdir) int __wx_fchdir(int fd);
WX(getcwd) int __wx_getcwd(char *buf, size_t len);
WX(getpgid) int __wx_getpgid(int pid);
WX(setpgid) int __wx_setpgid(int pid, int pgid);
WX(getsid) int __wx_getsid(int pid);
WX(setsid) int __wx_setsid(void);
WX(tcgetpgrp) int __wx_tcgetpgrp(int fd);
WX(tcsetpgrp) int __wx_tcsetpgrp(int fd, int pgrp);
WX(getuid) int __wx_getuid(void);
WX(geteuid) int __wx_geteuid(void);
WX(getgid) int __wx_getgid(void);
WX(getegid) int __wx_getegid(void);
WX(setuid) int __wx_setuid(int uid);
WX(setgid) int __wx_setgid(int gid);
WX(setreuid) int __wx_setreuid(int ruid, int euid);
WX(setregid) int __wx_setregid(int rgid, int egid);
WX(setresuid) int __wx_setresuid(int ruid, int euid, int suid);
WX(setresgid) int __wx_setresgid(int rgid, int egid, int sgid);
WX(getresuid) int __wx_getresuid(void *ruid, void *euid, void *suid);
WX(getresgid) int __wx_getresgid(void *rgid, void *egid, void *sgid);
WX(umask) int __wx_umask(int mask);
WX(uname) int __wx_uname(void *buf);
WX(getrlimit) int __wx_getrlimit(int res, void *rlim);
WX(setrlimit) int __wx_setrlimit(int res, const void *rlim);
WX(fchmod) int __wx_fchmod(int fd, int mode);
/* fork/exec (the `fork` part of issue 13). */
WX(fork) int __wx_fork(void);
WX(execve) int __wx_execve(const char *path, size_t plen, const struct wx_str *argv, int argc,
                           const struct wx_str *envp, int envc);
WX(getrusage) int __wx_getrusage(int who, void *rec);
WX(wait4) int __wx_wait4(int pid, int *status, int options, void *rec);
WX(fexecve) int __wx_fexecve(int fd, const struct wx_str *argv, int argc, const struct wx_str *envp, int envc);

/* Signals and timers (issue 14; records in docs/abi.md "Signals"). */
WX(kill) int __wx_kill(int pid, int sig);
WX(sigaction) int __wx_sigaction(int sig, const void *act, void *oldact);
WX(sigprocmask) int __wx_sigprocmask(int how, const void *set, void *oldset);
WX(sigpending) int __wx_sigpending(void *set);
WX(sigsuspend) int __wx_sigsuspend(const void *set);
WX(sigtimedwait) int __wx_sigtimedwait(const void *set, void *info, long long timeout_ns);
WX(sigqueue) int __wx_sigqueue(int pid, int sig, int value);
WX(sigtake) int __wx_sigtake(void *info, void *act);
WX(sigreturn) int __wx_sigreturn(const void *oldmask);
WX(nanosleep) int __wx_nanosleep(long long ns);
WX(alarm) int __wx_alarm(unsigned secs);
WX(setitimer) int __wx_setitimer(int which, const void *newv, void *oldv);
WX(getitimer) int __wx_getitimer(int which, void *cur);

/* POSIX message queues (issue 15, assembly/mqueue.ts): the name whole ("/q"),
 * mq_attr as eight 32-bit longs, timespecs as wasm32's struct timespec. */
WX(mq_open) int __wx_mq_open(const char *name, size_t len, int oflag, int mode, const void *attr);
WX(mq_unlink) int __wx_mq_unlink(const char *name, size_t len);
WX(mq_timedsend) int __wx_mq_timedsend(int mqd, const char *msg, size_t len, unsigned prio, const void *ts);
WX(mq_timedreceive) int __wx_mq_timedreceive(int mqd, char *msg, size_t len, unsigned *prio, const void *ts);
WX(mq_notify) int __wx_mq_notify(int mqd, const void *sev);
WX(mq_getsetattr) int __wx_mq_getsetattr(int mqd, const void *newattr, void *oldattr);

/* A struct timespec as nanoseconds: -1 with errno EFAULT (outside the
 * memory) or EINVAL (tv_nsec outside [0, 1e9) or a negative time). */
long long __wx_timespec_ns(const void *ts);

/* -errno -> -1 with errno set; else the value. */
static inline int wx_ret(int r) {
  if (r < 0) { errno = -r; return -1; }
  return r;
}

/* The kernel's open-flag values (abi/constants.ts, Linux's), and the
 * conversions from and to wasi-libc's O_* numbering. */
#define WX_O_WRONLY 1
#define WX_O_RDWR 2
#define WX_O_APPEND 0x400
#define WX_O_NONBLOCK 0x800
#define WX_O_CLOEXEC 0x80000
int __wx_flags_to_kernel(int flags, int allowed);
int __wx_flags_from_kernel(int kflags);

/* Packs a NULL-terminated string vector as {ptr, len} records (malloc'd);
 * count in *n. NULL with errno EFAULT if the vector or a string lies outside
 * the memory (the kernel would say EFAULT; reading it here would trap). */
struct wx_str *__wx_strvec(char *const *v, int *n);
/* 0 if [p, p+len) lies inside the memory, else -1 with errno EFAULT. */
int __wx_range(const void *p, size_t len);
/* strlen of a guest string that may be a bad pointer: -1 (errno EFAULT) then. */
long __wx_strlen(const char *s);
/* PATH search (execvp, posix_spawnp): writes the candidate for `file` in
 * the PATH entry starting at `*p` into out[cap] and advances *p past it
 * (NULL after the last entry). Returns 0 if the candidate did not fit. */
int __wx_path_next(const char **p, const char *file, char *out, size_t cap);

#endif
