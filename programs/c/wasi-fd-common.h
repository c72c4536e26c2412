/* Shared by the wasi-fd-*.c conformance fixtures (the wasifd part of #12):
 * results as "label value" lines on stdout, raw preview1 imports for the
 * calls a test must reach with arguments wasi-libc would never pass (bad
 * pointers, huge lengths), and paths relative to the first preopen (fd 3),
 * whatever directory it is on the host. Built with stock wasi-libc. */
#include <wasi/api.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define WASI_IMPORT(name) __attribute__((import_module("wasi_snapshot_preview1"), import_name(name)))

int32_t raw_fd_readdir(int32_t fd, int32_t buf, int32_t len, int64_t cookie, int32_t used) WASI_IMPORT("fd_readdir");
int32_t raw_fd_pread(int32_t fd, int32_t iovs, int32_t n, int64_t off, int32_t nread) WASI_IMPORT("fd_pread");
int32_t raw_fd_pwrite(int32_t fd, int32_t iovs, int32_t n, int64_t off, int32_t nwritten) WASI_IMPORT("fd_pwrite");
int32_t raw_fd_fdstat_get(int32_t fd, int32_t out) WASI_IMPORT("fd_fdstat_get");
int32_t raw_fd_filestat_get(int32_t fd, int32_t out) WASI_IMPORT("fd_filestat_get");
int32_t raw_fd_tell(int32_t fd, int32_t out) WASI_IMPORT("fd_tell");
int32_t raw_fd_seek(int32_t fd, int64_t off, int32_t whence, int32_t out) WASI_IMPORT("fd_seek");
int32_t raw_fd_filestat_set_times(int32_t fd, int64_t atim, int64_t mtim, int32_t fst) WASI_IMPORT("fd_filestat_set_times");
int32_t raw_path_filestat_set_times(int32_t fd, int32_t flags, int32_t path, int32_t len, int64_t atim, int64_t mtim, int32_t fst) WASI_IMPORT("path_filestat_set_times");
int32_t raw_fd_advise(int32_t fd, int64_t off, int64_t len, int32_t advice) WASI_IMPORT("fd_advise");
int32_t raw_fd_allocate(int32_t fd, int64_t off, int64_t len) WASI_IMPORT("fd_allocate");
int32_t raw_fd_fdstat_set_flags(int32_t fd, int32_t flags) WASI_IMPORT("fd_fdstat_set_flags");
int32_t raw_fd_renumber(int32_t from, int32_t to) WASI_IMPORT("fd_renumber");

/* An address past the end of any guest memory this small program has. */
#define BAD_PTR ((int32_t)0xfffffff0)

static inline void out(const char *label, long long v) { printf("%s %lld\n", label, v); }
static inline void outx(const char *label, unsigned long long v) { printf("%s 0x%llx\n", label, v); }

/* Is fd 3 the preopened "/"? (Importing fd_prestat_get is also what makes
 * wasmux preopen it, as for any wasi-libc program that opens files.) */
static inline int preopen_ok(void) {
  __wasi_prestat_t ps;
  char name[2] = { 0, 0 };
  if (__wasi_fd_prestat_get(3, &ps) != 0 || ps.u.dir.pr_name_len != 1) return 0;
  return __wasi_fd_prestat_dir_name(3, (uint8_t *)name, 1) == 0 && name[0] == '/';
}

/* A path relative to the preopen: the absolute guest path without its leading slashes. */
static inline const char *rel(const char *abs) { while (*abs == '/') abs++; return *abs ? abs : "."; }

static inline __wasi_timestamp_t now_ns(void) {
  __wasi_timestamp_t t = 0;
  if (__wasi_clock_time_get(__WASI_CLOCKID_REALTIME, 1, &t) != 0) return 0;
  return t;
}

static inline __wasi_filestat_t fstat_of(__wasi_fd_t fd) {
  __wasi_filestat_t s;
  memset(&s, 0, sizeof s);
  if (__wasi_fd_filestat_get(fd, &s) != 0) memset(&s, 0xff, sizeof s);
  return s;
}

static inline __wasi_filestat_t pstat_of(const char *abs) {
  __wasi_filestat_t s;
  memset(&s, 0, sizeof s);
  if (__wasi_path_filestat_get(3, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, rel(abs), &s) != 0) memset(&s, 0xff, sizeof s);
  return s;
}

/* path_open relative to the preopen, with exactly these rights; -errno on failure. */
static inline int open_at(const char *abs, __wasi_oflags_t oflags, __wasi_rights_t base, __wasi_rights_t inh, __wasi_fdflags_t fdflags) {
  __wasi_fd_t fd;
  __wasi_errno_t e = __wasi_path_open(3, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, rel(abs), oflags, base, inh, fdflags, &fd);
  return e ? -(int)e : (int)fd;
}

#define R_RW (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_TELL \
  | __WASI_RIGHTS_FD_FILESTAT_GET | __WASI_RIGHTS_FD_FILESTAT_SET_SIZE | __WASI_RIGHTS_FD_FILESTAT_SET_TIMES \
  | __WASI_RIGHTS_FD_ALLOCATE | __WASI_RIGHTS_FD_ADVISE | __WASI_RIGHTS_FD_SYNC | __WASI_RIGHTS_FD_DATASYNC \
  | __WASI_RIGHTS_FD_FDSTAT_SET_FLAGS)
#define R_RO (R_RW & ~(__WASI_RIGHTS_FD_WRITE))

static inline int64_t write_str(__wasi_fd_t fd, const char *s) {
  __wasi_ciovec_t iov = { (const uint8_t *)s, strlen(s) };
  __wasi_size_t n = 0;
  __wasi_errno_t e = __wasi_fd_write(fd, &iov, 1, &n);
  return e ? -(int64_t)e : (int64_t)n;
}

static inline int64_t pread_n(__wasi_fd_t fd, void *buf, size_t len, uint64_t off) {
  __wasi_iovec_t iov = { buf, len };
  __wasi_size_t n = 0;
  __wasi_errno_t e = __wasi_fd_pread(fd, &iov, 1, off, &n);
  return e ? -(int64_t)e : (int64_t)n;
}
