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

/* The end of linear memory: nothing at or past it can be read. */
static uintptr_t memtop(void) { return (uintptr_t)__builtin_wasm_memory_size(0) * 65536u; }

int __wx_range(const void *p, size_t len) {
  uintptr_t a = (uintptr_t)p, top = memtop();
  if (a == 0 || a >= top || len > top - a) { errno = EFAULT; return -1; }
  return 0;
}

long __wx_strlen(const char *s) {
  uintptr_t p = (uintptr_t)s, top = memtop();
  if (p == 0 || p >= top) { errno = EFAULT; return -1; }
  const char *z = memchr(s, 0, top - p);
  if (!z) { errno = EFAULT; return -1; }
  return z - s;
}

struct wx_str *__wx_strvec(char *const *v, int *n) {
  uintptr_t top = memtop();
  int c = 0;
  if (v) {
    for (;; c++) {
      uintptr_t at = (uintptr_t)(v + c);
      if (at < (uintptr_t)v || at + sizeof *v > top) { errno = EFAULT; return NULL; }
      if (!v[c]) break;
    }
  }
  struct wx_str *r = malloc(sizeof *r * (c ? c : 1));
  if (!r) { errno = ENOMEM; return NULL; }
  for (int i = 0; i < c; i++) {
    long len = __wx_strlen(v[i]);
    if (len < 0) { free(r); return NULL; }
    r[i].ptr = (uint32_t)(uintptr_t)v[i];
    r[i].len = (uint32_t)len;
  }
  *n = c;
  return r;
}

int __wx_path_next(const char **p, const char *file, char *out, size_t cap) {
  const char *z = strchr(*p, ':');
  size_t dl = z ? (size_t)(z - *p) : strlen(*p);
  size_t fl = strlen(file);
  int fits = dl + 1 + fl + 1 <= cap;
  if (fits) {
    memcpy(out, *p, dl);
    if (dl && out[dl - 1] != '/') out[dl++] = '/';
    memcpy(out + dl, file, fl + 1);
  }
  *p = z ? z + 1 : NULL;
  return fits;
}
