/* Conversions between wasi-libc's numbering and the kernel's (Linux's). */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include "wx.h"

/* wasi-libc O_* (and the layer's O_CLOEXEC) -> the kernel's; -1 (EINVAL) for a flag outside `allowed`. */
int __wx_flags_to_kernel(int flags, int allowed) {
  if (flags & ~allowed) { errno = EINVAL; return -1; }
  int k = 0;
  int acc = flags & O_ACCMODE;
  if (acc == O_WRONLY) k |= WX_O_WRONLY;
  else if (acc == O_RDWR) k |= WX_O_RDWR;
  if (flags & O_APPEND) k |= WX_O_APPEND;
  if (flags & O_NONBLOCK) k |= WX_O_NONBLOCK;
  if (flags & O_CLOEXEC) k |= WX_O_CLOEXEC;
  if (flags & O_CREAT) k |= 0x40;
  if (flags & O_EXCL) k |= 0x80;
  if (flags & O_TRUNC) k |= 0x200;
  if (flags & O_DIRECTORY) k |= 0x10000;
  if (flags & O_NOFOLLOW) k |= 0x20000;
  return k;
}

/* The kernel's status flags (F_GETFL) -> wasi-libc's O_* values. */
int __wx_flags_from_kernel(int k) {
  int f = (k & 3) == WX_O_WRONLY ? O_WRONLY : (k & 3) == WX_O_RDWR ? O_RDWR : O_RDONLY;
  if (k & WX_O_APPEND) f |= O_APPEND;
  if (k & WX_O_NONBLOCK) f |= O_NONBLOCK;
  return f;
}

struct wx_str *__wx_strvec(char *const *v, int *n) {
  int c = 0;
  if (v) while (v[c]) c++;
  struct wx_str *r = malloc(sizeof *r * (c ? c : 1));
  if (!r) { errno = ENOMEM; return NULL; }
  for (int i = 0; i < c; i++) { r[i].ptr = (uint32_t)(uintptr_t)v[i]; r[i].len = strlen(v[i]); }
  *n = c;
  return r;
}
