/* fork and the exec family, over the `wasmux.fork` and `wasmux.execve`
 * imports of the fork/exec ABI (COMMON.md): fork returns the child's pid,
 * 0 in the child, or -errno; execve does not return on success. */
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "wx.h"

pid_t fork(void) { return wx_ret(__wx_fork()); }
/* vfork behaves as fork (the child has its own copy of memory). */
pid_t vfork(void) { return fork(); }

int execve(const char *path, char *const argv[], char *const envp[]) {
  long plen = __wx_strlen(path);
  if (plen < 0) return -1;
  int argc, envc;
  struct wx_str *a = __wx_strvec(argv, &argc);
  if (!a) return -1;
  struct wx_str *e = __wx_strvec(envp, &envc);
  if (!e) { free(a); return -1; }
  int r = __wx_execve(path, (size_t)plen, a, argc, e, envc);
  free(a); free(e);
  return wx_ret(r);
}

int execv(const char *path, char *const argv[]) { return execve(path, argv, environ); }

/* POSIX execvp: a name without '/' is looked up in PATH; a file the kernel
 * cannot run as a program (ENOEXEC) is run by /bin/sh. */
int execvpe(const char *file, char *const argv[], char *const envp[]) {
  if (!*file) { errno = ENOENT; return -1; }
  if (strchr(file, '/')) {
    execve(file, argv, envp);
    if (errno == ENOEXEC) goto shell;
    return -1;
  }
  const char *p = getenv("PATH");
  if (!p) p = "/bin:/usr/bin";
  int eacces = 0;
  char path[PATH_MAX];
  while (p) {
    if (!__wx_path_next(&p, file, path, sizeof path)) continue;
    execve(path, argv, envp);
    if (errno == ENOEXEC) { file = path; goto shell; }
    if (errno == EACCES) eacces = 1;
    else if (errno != ENOENT && errno != ENOTDIR) return -1;
  }
  errno = eacces ? EACCES : ENOENT;
  return -1;
shell: {
    int n = 0;
    while (argv[n]) n++;
    char **sv = malloc(sizeof *sv * (n + 2));
    if (!sv) { errno = ENOMEM; return -1; }
    sv[0] = "sh";
    sv[1] = (char *)file;
    for (int i = 1; i <= n; i++) sv[i + 1] = argv[i];
    if (n == 0) sv[2] = NULL;
    execve("/bin/sh", sv, envp);
    free(sv);
    return -1;
  }
}

int execvp(const char *file, char *const argv[]) { return execvpe(file, argv, environ); }

/* Collects execl's arguments (up to the NULL) into a vector; *envp gets the
 * pointer after it when `want_env` (execle). */
static char **collect(const char *arg0, va_list ap, char ***envp) {
  va_list c;
  va_copy(c, ap);
  int n = 1;
  while (va_arg(c, char *)) n++;
  va_end(c);
  char **v = malloc(sizeof *v * (n + 1));
  if (!v) { errno = ENOMEM; return NULL; }
  v[0] = (char *)arg0;
  for (int i = 1; i <= n; i++) v[i] = va_arg(ap, char *);
  if (envp) *envp = va_arg(ap, char **);
  return v;
}

int execl(const char *path, const char *arg0, ...) {
  va_list ap;
  va_start(ap, arg0);
  char **v = collect(arg0, ap, NULL);
  va_end(ap);
  if (!v) return -1;
  execve(path, v, environ);
  free(v);
  return -1;
}

int execlp(const char *file, const char *arg0, ...) {
  va_list ap;
  va_start(ap, arg0);
  char **v = collect(arg0, ap, NULL);
  va_end(ap);
  if (!v) return -1;
  execvp(file, v);
  free(v);
  return -1;
}

int execle(const char *path, const char *arg0, ...) {
  va_list ap;
  va_start(ap, arg0);
  char **env;
  char **v = collect(arg0, ap, &env);
  va_end(ap);
  if (!v) return -1;
  execve(path, v, env);
  free(v);
  return -1;
}

/* fexecve: the kernel execs the file the descriptor is open on (Linux goes
 * through /proc/self/fd; here it is a call of its own). */
int fexecve(int fd, char *const argv[], char *const envp[]) {
  int argc, envc;
  struct wx_str *a = __wx_strvec(argv, &argc);
  if (!a) return -1;
  struct wx_str *e = __wx_strvec(envp, &envc);
  if (!e) { free(a); return -1; }
  int r = __wx_fexecve(fd, a, argc, e, envc);
  free(a); free(e);
  return wx_ret(r);
}
