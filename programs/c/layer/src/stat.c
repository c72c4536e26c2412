/* stat and fstat from the kernel's own record (docs/abi.md: mode with the
 * file type and permission bits, nlink, uid, gid), which WASI's filestat
 * lacks: wasi-libc's stat reports no permissions and no FIFO type. And
 * open's O_CLOEXEC, which wasi-libc's open cannot express. The driver links
 * with --wrap=stat,fstat,lstat,fstatat,open,openat, so every caller (libc's own too)
 * gets these. */
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include "wx.h"

WX(stat) int __wx_stat(const char *path, size_t len, void *rec);
WX(fstat) int __wx_fstat(int fd, void *rec);
WX(fstatat) int __wx_fstatat(int dirfd, const char *path, size_t len, void *rec, int flags);

struct krec {   /* the kernel's 64-byte stat record */
  uint64_t dev, ino;
  uint32_t mode, nlink, uid, gid;
  uint64_t size, mtime, atime, ctime;
};

static void ts(struct timespec *t, uint64_t ns) { t->tv_sec = (time_t)(ns / 1000000000u); t->tv_nsec = (long)(ns % 1000000000u); }

static int fill(int r, const struct krec *k, struct stat *st) {
  if (r < 0) return wx_ret(r);
  if (__wx_range(st, sizeof *st) < 0) return -1;   /* a bad buffer is EFAULT, as the kernel's own copy */
  memset(st, 0, sizeof *st);
  st->st_dev = k->dev;
  st->st_ino = k->ino;
  st->st_mode = k->mode;
  st->st_nlink = k->nlink;
  st->st_uid = k->uid;
  st->st_gid = k->gid;
  st->st_size = (off_t)k->size;
  st->st_blksize = 4096;
  st->st_blocks = (blkcnt_t)((k->size + 511) / 512);
  ts(&st->st_atim, k->atime);
  ts(&st->st_mtim, k->mtime);
  ts(&st->st_ctim, k->ctime);
  return 0;
}

int __wrap_stat(const char *path, struct stat *st) {
  struct krec k;
  long n = __wx_strlen(path);
  return n < 0 ? -1 : fill(__wx_stat(path, (size_t)n, &k), &k, st);
}

int __wrap_fstat(int fd, struct stat *st) {
  struct krec k;
  return fill(__wx_fstat(fd, &k), &k, st);
}

/* The kernel's *at values are Linux's (abi/constants.ts); the headers'
 * (wasi-libc's) may differ, so they are translated here. */
#define K_AT_FDCWD (-100)
#define K_AT_SYMLINK_NOFOLLOW 0x100

int __wrap_fstatat(int dirfd, const char *path, struct stat *st, int flags) {
  if (flags & ~AT_SYMLINK_NOFOLLOW) { errno = EINVAL; return -1; }
  struct krec k;
  long n = __wx_strlen(path);
  if (n < 0) return -1;
  int kfd = dirfd == AT_FDCWD ? K_AT_FDCWD : dirfd;
  int kfl = (flags & AT_SYMLINK_NOFOLLOW) ? K_AT_SYMLINK_NOFOLLOW : 0;
  return fill(__wx_fstatat(kfd, path, (size_t)n, &k, kfl), &k, st);
}

int __wrap_lstat(const char *path, struct stat *st) {
  return __wrap_fstatat(AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW);
}

WX(open) int __wx_open(const char *path, size_t len, int flags, int mode);
WX(openat) int __wx_openat(int dirfd, const char *path, size_t len, int flags, int mode);

int __real_open(const char *, int, ...);
int __real_openat(int, const char *, int, ...);

/* The flags the kernel's open takes (Linux's meaning, translated). */
#define KOPEN_FLAGS (O_ACCMODE | O_APPEND | O_NONBLOCK | O_CLOEXEC | O_CREAT | O_EXCL | O_TRUNC | O_DIRECTORY | O_NOFOLLOW)

/* A creating open goes to the kernel itself: WASI's path_open has no mode,
 * so wasi-libc's would make every file 0644 whatever the caller asked; the
 * kernel applies mode & ~umask as Linux does. Other flags (O_SYNC, ...) and
 * plain opens stay wasi-libc's. */
static int creat_open(int dirfd, const char *path, int flags, mode_t mode) {
  long n = __wx_strlen(path);
  if (n < 0) return -1;
  int k = __wx_flags_to_kernel(flags, KOPEN_FLAGS);
  if (k < 0) return -1;
  return wx_ret(dirfd == AT_FDCWD ? __wx_open(path, (size_t)n, k, (int)mode)
                                  : __wx_openat(dirfd, path, (size_t)n, k, (int)mode));
}

int __wrap_open(const char *path, int flags, ...) {
  va_list ap;
  va_start(ap, flags);
  mode_t mode = (flags & O_CREAT) ? va_arg(ap, mode_t) : 0;
  va_end(ap);
  if ((flags & O_CREAT) && !(flags & ~KOPEN_FLAGS)) return creat_open(AT_FDCWD, path, flags, mode);
  int fd = __real_open(path, flags & ~O_CLOEXEC, mode);
  if (fd >= 0 && (flags & O_CLOEXEC)) __wx_fcntl(fd, F_SETFD, FD_CLOEXEC);
  return fd;
}

int __wrap_openat(int dirfd, const char *path, int flags, ...) {
  va_list ap;
  va_start(ap, flags);
  mode_t mode = (flags & O_CREAT) ? va_arg(ap, mode_t) : 0;
  va_end(ap);
  if ((flags & O_CREAT) && !(flags & ~KOPEN_FLAGS)) return creat_open(dirfd, path, flags, mode);
  int fd = __real_openat(dirfd, path, flags & ~O_CLOEXEC, mode);
  if (fd >= 0 && (flags & O_CLOEXEC)) __wx_fcntl(fd, F_SETFD, FD_CLOEXEC);
  return fd;
}
