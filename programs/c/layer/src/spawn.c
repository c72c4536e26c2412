/* posix_spawn over the kernel's spawn: the file actions are the kernel's
 * records (abi/constants.ts SPAWN_*), applied to the child's copy of the
 * descriptor table before it runs; process group and session are actions
 * too, so the child never runs in the wrong group. No fork needed. */
#include <limits.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "wx.h"

/* A kernel action record (SPAWN_ACTION_SIZE = 24 bytes). */
struct wx_action { uint32_t kind; int32_t fd, newfd, oflags; uint32_t path, pathlen; };
#define SPAWN_DUP2 1
#define SPAWN_CLOSE 2
#define SPAWN_OPEN 3
#define SPAWN_SIGMASK 7   /* abi/constants.ts */
#define SPAWN_SIGDEF 8
#define SPAWN_SETPGID 4
#define SPAWN_SETSID 5

int posix_spawn_file_actions_init(posix_spawn_file_actions_t *fa) {
  memset(fa, 0, sizeof *fa);
  return 0;
}

int posix_spawn_file_actions_destroy(posix_spawn_file_actions_t *fa) {
  struct wx_action *a = fa->__actions;
  for (int i = 0; i < fa->__count; i++) if (a[i].kind == SPAWN_OPEN) free((void *)(uintptr_t)a[i].path);
  free(a);
  memset(fa, 0, sizeof *fa);
  return 0;
}

static int add(posix_spawn_file_actions_t *fa, struct wx_action act) {
  if (fa->__count == fa->__cap) {
    int cap = fa->__cap ? fa->__cap * 2 : 4;
    void *n = realloc(fa->__actions, sizeof(struct wx_action) * cap);
    if (!n) return ENOMEM;
    fa->__actions = n;
    fa->__cap = cap;
  }
  ((struct wx_action *)fa->__actions)[fa->__count++] = act;
  return 0;
}

int posix_spawn_file_actions_adddup2(posix_spawn_file_actions_t *fa, int fd, int newfd) {
  if (fd < 0 || newfd < 0) return EBADF;
  return add(fa, (struct wx_action){ SPAWN_DUP2, fd, newfd, 0, 0, 0 });
}

int posix_spawn_file_actions_addclose(posix_spawn_file_actions_t *fa, int fd) {
  if (fd < 0) return EBADF;
  return add(fa, (struct wx_action){ SPAWN_CLOSE, fd, -1, 0, 0, 0 });
}

int posix_spawn_file_actions_addopen(posix_spawn_file_actions_t *fa, int fd, const char *path, int oflag, mode_t mode) {
  if (fd < 0) return EBADF;
  int k = __wx_flags_to_kernel(oflag, O_ACCMODE | O_APPEND | O_NONBLOCK | O_CLOEXEC | O_CREAT | O_EXCL | O_TRUNC | O_DIRECTORY | O_NOFOLLOW);
  if (k < 0) return EINVAL;
  char *p = strdup(path);
  if (!p) return ENOMEM;
  int e = add(fa, (struct wx_action){ SPAWN_OPEN, -1, fd, k & ~WX_O_CLOEXEC, (uint32_t)(uintptr_t)p, strlen(p) });
  if (e) free(p);
  return e;
}

int posix_spawnattr_init(posix_spawnattr_t *at) { memset(at, 0, sizeof *at); return 0; }
int posix_spawnattr_destroy(posix_spawnattr_t *at) { return 0; }
int posix_spawnattr_setflags(posix_spawnattr_t *at, short flags) {
  if ((unsigned short)flags & ~0xffu) return EINVAL;
  at->__flags = flags;
  return 0;
}
int posix_spawnattr_getflags(const posix_spawnattr_t *at, short *flags) { *flags = (short)at->__flags; return 0; }
int posix_spawnattr_setpgroup(posix_spawnattr_t *at, pid_t pg) { at->__pgrp = pg; return 0; }
int posix_spawnattr_getpgroup(const posix_spawnattr_t *at, pid_t *pg) { *pg = at->__pgrp; return 0; }
int posix_spawnattr_setsigmask(posix_spawnattr_t *at, const sigset_t *s) { at->__mask = *s; return 0; }
int posix_spawnattr_getsigmask(const posix_spawnattr_t *at, sigset_t *s) { *s = at->__mask; return 0; }
int posix_spawnattr_setsigdefault(posix_spawnattr_t *at, const sigset_t *s) { at->__def = *s; return 0; }
int posix_spawnattr_getsigdefault(const posix_spawnattr_t *at, sigset_t *s) { *s = at->__def; return 0; }

int posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *fa,
                const posix_spawnattr_t *at, char *const argv[], char *const envp[]) {
  int flags = at ? at->__flags : 0;
  /* Scheduling has no kernel side: refused, not pretended. */
  if (flags & (POSIX_SPAWN_SETSCHEDPARAM | POSIX_SPAWN_SETSCHEDULER)) return EINVAL;
  int nfa = fa ? fa->__count : 0;
  struct wx_action *acts = malloc(sizeof *acts * (nfa + 4));
  if (!acts) return ENOMEM;
  int n = 0;
  /* The signal attributes: a 64-bit set in the record's fd (low) and newfd (high) words. */
  if (flags & POSIX_SPAWN_SETSIGDEF)
    acts[n++] = (struct wx_action){ SPAWN_SIGDEF, (int32_t)(uint32_t)at->__def.__bits, (int32_t)(uint32_t)(at->__def.__bits >> 32), 0, 0, 0 };
  if (flags & POSIX_SPAWN_SETSIGMASK)
    acts[n++] = (struct wx_action){ SPAWN_SIGMASK, (int32_t)(uint32_t)at->__mask.__bits, (int32_t)(uint32_t)(at->__mask.__bits >> 32), 0, 0, 0 };
  /* Group and session first, as posix_spawn does them before the file actions. */
  if (flags & POSIX_SPAWN_SETSID) acts[n++] = (struct wx_action){ SPAWN_SETSID, 0, 0, 0, 0, 0 };
  if (flags & POSIX_SPAWN_SETPGROUP) acts[n++] = (struct wx_action){ SPAWN_SETPGID, at->__pgrp, 0, 0, 0, 0 };
  if (nfa) memcpy(acts + n, fa->__actions, sizeof *acts * nfa);
  n += nfa;
  int argc, envc;
  long plen = __wx_strlen(path);
  struct wx_str *a = plen < 0 ? NULL : __wx_strvec(argv, &argc);
  struct wx_str *e = a ? __wx_strvec(envp ? envp : environ, &envc) : NULL;
  int r = -errno;
  if (a && e) r = __wx_spawn(path, (size_t)plen, a, argc, e, envc, acts, n, "", 0);
  free(a); free(e); free(acts);
  if (r < 0) return -r;
  if (pid) *pid = r;
  return 0;
}

int posix_spawnp(pid_t *pid, const char *file, const posix_spawn_file_actions_t *fa,
                 const posix_spawnattr_t *at, char *const argv[], char *const envp[]) {
  if (strchr(file, '/')) return posix_spawn(pid, file, fa, at, argv, envp);
  if (!*file) return ENOENT;
  const char *p = getenv("PATH");
  if (!p) p = "/bin:/usr/bin";
  int seen = ENOENT;
  char path[PATH_MAX];
  while (p) {
    if (!__wx_path_next(&p, file, path, sizeof path)) continue;
    int e = posix_spawn(pid, path, fa, at, argv, envp);
    if (e == 0) return 0;
    if (e == EACCES) seen = EACCES;
    else if (e != ENOENT && e != ENOTDIR) return e;
  }
  return seen;
}
