/* The cwd is the kernel's: chdir, fchdir and getcwd are its calls, and
 * wasi-libc's relative paths are made absolute against it before libc
 * looks for the preopened directory they fall under (so a C program, the
 * kernel and the shell resolve "x" to the same file). wasi-libc calls
 * __wasilibc_find_relpath_alloc (a weak symbol its own chdir.o would
 * define) for every path; defining it here keeps chdir.o, and its private
 * cwd, out of the link. The copy below is refreshed from the kernel at
 * start and after every change this process makes (only the process itself
 * changes its cwd; fork copies it, exec starts again). */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wasi/libc-find-relpath.h>
#include "wx.h"

static char cwd[PATH_MAX] = "/";
static size_t cwd_len = 1;

static void refresh(void) {
  int n = __wx_getcwd(cwd, sizeof cwd - 1);
  if (n > 0) { cwd[n] = 0; cwd_len = (size_t)n; }
}

/* Linked into every program `wasmux cc` links (the driver asks for this symbol). */
__attribute__((constructor)) void __wasmux_init(void) { refresh(); }

int chdir(const char *path) {
  long n = __wx_strlen(path);
  if (n < 0) return -1;
  int r = __wx_chdir(path, (size_t)n);
  if (r < 0) return wx_ret(r);
  refresh();
  return 0;
}

int fchdir(int fd) {
  int r = __wx_fchdir(fd);
  if (r < 0) return wx_ret(r);
  refresh();
  return 0;
}

char *getcwd(char *buf, size_t size) {
  if (buf == NULL) {
    /* glibc's and musl's extension: a buffer of the size asked, or of the path's. */
    char tmp[PATH_MAX];
    if (!getcwd(tmp, sizeof tmp)) return NULL;
    size_t n = strlen(tmp) + 1;
    if (size == 0) size = n;
    if (n > size) { errno = ERANGE; return NULL; }
    buf = malloc(size);
    if (!buf) { errno = ENOMEM; return NULL; }
    memcpy(buf, tmp, n);
    return buf;
  }
  if (size == 0) { errno = EINVAL; return NULL; }
  /* The kernel writes into the caller's buffer itself: a bad one is EFAULT. */
  int n = __wx_getcwd(buf, size);
  if (n < 0) { errno = -n; return NULL; }
  if ((size_t)n >= size) { errno = ERANGE; return NULL; }   /* no room for the NUL */
  buf[n] = 0;
  return buf;
}

/* `path` made absolute against the cwd, in a buffer grown as needed. */
static const char *absolute(const char *path) {
  static char *buf;
  static size_t cap;
  if (path[0] == '/') return path;
  size_t n = strlen(path);
  size_t need = cwd_len + 1 + n + 1;
  if (need > cap) {
    char *b = realloc(buf, need);
    if (!b) return NULL;
    buf = b; cap = need;
  }
  memcpy(buf, cwd, cwd_len);
  size_t at = cwd_len;
  if (at > 0 && buf[at - 1] != '/') buf[at++] = '/';
  memcpy(buf + at, path, n + 1);
  return buf;
}

int __wasilibc_find_relpath_alloc(const char *path, const char **abs_prefix, char **relative,
                                  size_t *relative_len, int can_realloc) {
  const char *abs = absolute(path);
  if (!abs) { errno = ENOMEM; return -1; }
  const char *rel;
  int fd = __wasilibc_find_abspath(abs, abs_prefix, &rel);
  if (fd == -1) return -1;
  size_t n = strlen(rel);
  if (*relative_len < n + 1) {
    if (!can_realloc) { errno = ERANGE; return -1; }
    char *b = realloc(*relative, n + 1);
    if (!b) { errno = ENOMEM; return -1; }
    *relative = b;
    *relative_len = n + 1;
  }
  memcpy(*relative, rel, n + 1);
  return fd;
}
