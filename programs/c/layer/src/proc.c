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
uid_t getuid(void) { return (uid_t)__wx_getuid(); }
uid_t geteuid(void) { return (uid_t)__wx_geteuid(); }
gid_t getgid(void) { return (gid_t)__wx_getgid(); }
gid_t getegid(void) { return (gid_t)__wx_getegid(); }

int uname(struct utsname *u) { return wx_ret(__wx_uname(u)); }

int getrlimit(int res, struct rlimit *rl) { return wx_ret(__wx_getrlimit(res, rl)); }
int setrlimit(int res, const struct rlimit *rl) { return wx_ret(__wx_setrlimit(res, rl)); }
