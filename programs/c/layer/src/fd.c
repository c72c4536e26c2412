/* Descriptors: the kernel's table (pipe, dup, fcntl, ...), whose numbers
 * are the ones wasi-libc's read/write/close use. */
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "wx.h"

int pipe2(int fds[2], int flags) {
  int k = __wx_flags_to_kernel(flags, O_NONBLOCK | O_CLOEXEC);
  if (k < 0) return -1;
  return wx_ret(__wx_pipe2(fds, k));
}
int pipe(int fds[2]) { return wx_ret(__wx_pipe2(fds, 0)); }
int dup(int fd) { return wx_ret(__wx_dup(fd)); }
int dup2(int fd, int newfd) { return wx_ret(__wx_dup2(fd, newfd)); }
int dup3(int fd, int newfd, int flags) {
  int k = __wx_flags_to_kernel(flags, O_CLOEXEC);
  if (k < 0) return -1;
  return wx_ret(__wx_dup3(fd, newfd, k));
}

int fcntl(int fd, int cmd, ...) {
  va_list ap;
  va_start(ap, cmd);
  int arg = (cmd == F_GETFD || cmd == F_GETFL) ? 0 : va_arg(ap, int);
  va_end(ap);
  switch (cmd) {
  case F_DUPFD: case F_DUPFD_CLOEXEC: case F_GETFD: case F_SETFD:
    return wx_ret(__wx_fcntl(fd, cmd, arg));
  case F_GETFL: {
    int r = __wx_fcntl(fd, F_GETFL, 0);
    return r < 0 ? wx_ret(r) : __wx_flags_from_kernel(r);
  }
  case F_SETFL: {
    /* Linux ignores the access mode and creation flags here; so do we. */
    int k = 0;
    if (arg & O_APPEND) k |= WX_O_APPEND;
    if (arg & O_NONBLOCK) k |= WX_O_NONBLOCK;
    return wx_ret(__wx_fcntl(fd, F_SETFL, k));
  }
  default:
    errno = EINVAL;
    return -1;
  }
}

int mkfifo(const char *path, mode_t mode) {
  long n = __wx_strlen(path);
  return n < 0 ? -1 : wx_ret(__wx_mkfifo(path, (size_t)n, (int)mode));
}

WX(mkfifoat) int __wx_mkfifoat(int dirfd, const char *path, size_t len, int mode);

int mkfifoat(int dirfd, const char *path, mode_t mode) {
  long n = __wx_strlen(path);
  if (n < 0) return -1;
  /* The kernel's AT_FDCWD is Linux's; the header's is wasi-libc's. */
  return wx_ret(__wx_mkfifoat(dirfd == AT_FDCWD ? -100 : dirfd, path, (size_t)n, (int)mode));
}

mode_t umask(mode_t mask) { return (mode_t)__wx_umask((int)mask); }
int fchmod(int fd, mode_t mode) { return wx_ret(__wx_fchmod(fd, (int)mode)); }

int ttyname_r(int fd, char *buf, size_t len) {
  struct stat st;
  if (fstat(fd, &st) < 0) return errno;
  if (!isatty(fd)) return ENOTTY;
  /* The console is the one terminal: /dev/tty. */
  if (len < sizeof "/dev/tty") return ERANGE;
  memcpy(buf, "/dev/tty", sizeof "/dev/tty");
  return 0;
}

char *ttyname(int fd) {
  static char name[32];
  int e = ttyname_r(fd, name, sizeof name);
  if (e) { errno = e; return NULL; }
  return name;
}
