/* Process ids, groups, sessions, credentials, uname and resource limits: the kernel's. */
#include <string.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "wx.h"

pid_t getpid(void) { return __wx_getpid(); }
pid_t getppid(void) { return __wx_getppid(); }
pid_t getpgrp(void) { return __wx_getpgid(0); }
pid_t getpgid(pid_t pid) { return wx_ret(__wx_getpgid(pid)); }
int setpgid(pid_t pid, pid_t pgid) { return wx_ret(__wx_setpgid(pid, pgid)); }
pid_t setsid(void) { return wx_ret(__wx_setsid()); }
pid_t getsid(pid_t pid) { return wx_ret(__wx_getsid(pid)); }

/* Job control on the console (termios.h, unistd.h). */
pid_t tcgetpgrp(int fd) { return wx_ret(__wx_tcgetpgrp(fd)); }
int tcsetpgrp(int fd, pid_t pgrp) { return wx_ret(__wx_tcsetpgrp(fd, pgrp)); }
uid_t getuid(void) { return (uid_t)__wx_getuid(); }
uid_t geteuid(void) { return (uid_t)__wx_geteuid(); }
gid_t getgid(void) { return (gid_t)__wx_getgid(); }
gid_t getegid(void) { return (gid_t)__wx_getegid(); }
/* The kernel's rules are Linux's (assembly/ids.ts); (uid_t)-1 passes as -1, "unchanged". */
int setuid(uid_t uid) { return wx_ret(__wx_setuid((int)uid)); }
int setgid(gid_t gid) { return wx_ret(__wx_setgid((int)gid)); }
int setreuid(uid_t r, uid_t e) { return wx_ret(__wx_setreuid((int)r, (int)e)); }
int setregid(gid_t r, gid_t e) { return wx_ret(__wx_setregid((int)r, (int)e)); }
int setresuid(uid_t r, uid_t e, uid_t s) { return wx_ret(__wx_setresuid((int)r, (int)e, (int)s)); }
int setresgid(gid_t r, gid_t e, gid_t s) { return wx_ret(__wx_setresgid((int)r, (int)e, (int)s)); }
/* As glibc: seteuid is setresuid with only the effective id; -1 is EINVAL. */
int seteuid(uid_t e) {
  if (e == (uid_t)-1) { errno = EINVAL; return -1; }
  return setresuid((uid_t)-1, e, (uid_t)-1);
}
int setegid(gid_t e) {
  if (e == (gid_t)-1) { errno = EINVAL; return -1; }
  return setresgid((gid_t)-1, e, (gid_t)-1);
}
int getresuid(uid_t *r, uid_t *e, uid_t *s) { return wx_ret(__wx_getresuid(r, e, s)); }
int getresgid(gid_t *r, gid_t *e, gid_t *s) { return wx_ret(__wx_getresgid(r, e, s)); }
/* A wasmux process has no supplementary groups (there is no setgroups):
 * the list is empty, as Linux's after setgroups(0, NULL). */
int getgroups(int size, gid_t list[]) {
  (void)list;
  if (size < 0) { errno = EINVAL; return -1; }
  return 0;
}

int uname(struct utsname *u) { return wx_ret(__wx_uname(u)); }

int getrlimit(int res, struct rlimit *rl) { return wx_ret(__wx_getrlimit(res, rl)); }
int setrlimit(int res, const struct rlimit *rl) { return wx_ret(__wx_setrlimit(res, rl)); }

/* RLIMIT_AS in the process that set it: the memory's maximum was fixed when
 * the program started (the host sizes it by the limit then, for every
 * later exec, spawn and fork), so malloc's sbrk checks the limit itself.
 * The driver links with --wrap=sbrk (libc's malloc calls it). */
void *__real_sbrk(intptr_t);

void *__wrap_sbrk(intptr_t increment) {
  if (increment > 0) {
    struct rlimit rl;
    if (__wx_getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
      unsigned long long size = (unsigned long long)__builtin_wasm_memory_size(0) * 65536u;
      if (size + (unsigned long long)increment > rl.rlim_cur) { errno = ENOMEM; return (void *)-1; }
    }
  }
  return __real_sbrk(increment);
}

