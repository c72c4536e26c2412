/* Owners, modes and access (issue 15): chmod/fchmodat, chown/lchown/fchown/
 * fchownat and access/faccessat over the kernel's calls (assembly/fs/attr.ts),
 * Linux's rules; wasi-libc has no chmod or chown, and its access only asks
 * WASI rights (so access and faccessat are wrapped: runtime/cc LAYER_WRAPPED).
 * The kernel's AT_* values are Linux's, the headers' wasi-libc's. */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "wx.h"

#define K_AT_FDCWD (-100)
#define K_AT_SYMLINK_NOFOLLOW 0x100
#define K_AT_EACCESS 0x200

WX(fchmodat) int __wx_fchmodat(int dirfd, const char *path, size_t len, int mode);
WX(fchownat) int __wx_fchownat(int dirfd, const char *path, size_t len, int uid, int gid, int flags);
WX(fchown) int __wx_fchown(int fd, int uid, int gid);
WX(faccessat) int __wx_faccessat(int dirfd, const char *path, size_t len, int mode, int flags);

static int kdir(int dirfd) { return dirfd == AT_FDCWD ? K_AT_FDCWD : dirfd; }

int fchmodat(int dirfd, const char *path, mode_t mode, int flags) {
  /* Linux's fchmodat has no flags; glibc and musl refuse AT_SYMLINK_NOFOLLOW so. */
  if (flags & AT_SYMLINK_NOFOLLOW) { errno = ENOTSUP; return -1; }
  if (flags) { errno = EINVAL; return -1; }
  long n = __wx_strlen(path);
  if (n < 0) return -1;
  return wx_ret(__wx_fchmodat(kdir(dirfd), path, (size_t)n, (int)mode));
}

int chmod(const char *path, mode_t mode) { return fchmodat(AT_FDCWD, path, mode, 0); }

int fchownat(int dirfd, const char *path, uid_t uid, gid_t gid, int flags) {
  if (flags & ~AT_SYMLINK_NOFOLLOW) { errno = EINVAL; return -1; }
  long n = __wx_strlen(path);
  if (n < 0) return -1;
  int kfl = (flags & AT_SYMLINK_NOFOLLOW) ? K_AT_SYMLINK_NOFOLLOW : 0;
  return wx_ret(__wx_fchownat(kdir(dirfd), path, (size_t)n, (int)uid, (int)gid, kfl));
}

int chown(const char *path, uid_t uid, gid_t gid) { return fchownat(AT_FDCWD, path, uid, gid, 0); }
int lchown(const char *path, uid_t uid, gid_t gid) { return fchownat(AT_FDCWD, path, uid, gid, AT_SYMLINK_NOFOLLOW); }
int fchown(int fd, uid_t uid, gid_t gid) { return wx_ret(__wx_fchown(fd, (int)uid, (int)gid)); }

int __wrap_faccessat(int dirfd, const char *path, int mode, int flags) {
  if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW)) { errno = EINVAL; return -1; }
  long n = __wx_strlen(path);
  if (n < 0) return -1;
  int kfl = ((flags & AT_SYMLINK_NOFOLLOW) ? K_AT_SYMLINK_NOFOLLOW : 0) | ((flags & AT_EACCESS) ? K_AT_EACCESS : 0);
  return wx_ret(__wx_faccessat(kdir(dirfd), path, (size_t)n, mode, kfl));
}

int __wrap_access(const char *path, int mode) { return __wrap_faccessat(AT_FDCWD, path, mode, 0); }
