/* WASI conformance (#12, times): fd_filestat_set_times and
 * path_filestat_set_times with ATIM/MTIM and the _NOW flags, and the times
 * the file system keeps by itself (write, truncate, read, directory entries,
 * rename).
 * Usage: wasi-fd-times DIR [RO-FILE] — DIR an absolute guest path of a new
 * directory to work in (its parent exists), RO-FILE a file below a read-only
 * mount. Prints "label value" lines; "yes" checks print 1 when they hold. */
#include "wasi-fd-common.h"
#include <stdlib.h>

#define A ((__wasi_timestamp_t)1500000000123456000ull)
#define M ((__wasi_timestamp_t)1600000000654321000ull)
/* Host file systems are written through timestamps in seconds as doubles:
 * exact to the microsecond or so. The tmpfs keeps every nanosecond. */
#define NEAR(x, y) ((x) > (y) ? (x) - (y) < 2000 : (y) - (x) < 2000)
/* File system clocks are coarse (a host kernel's tick): allow 50 ms. */
#define SLACK 50000000ull

static char path[512], path2[512], sub[512];

/* Waits (for a condition, not a time) until the clock has moved past t +
 * SLACK; a t that is not a time of today (a failed stat) does not wait. */
static void clock_past(__wasi_timestamp_t t) {
  if (t > now_ns() + SLACK) return;
  while (now_ns() <= t + SLACK) {}
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (argc < 2) { fprintf(stderr, "usage: wasi-fd-times DIR [RO-FILE]\n"); return 2; }
  const char *dir = argv[1];
  out("preopen", preopen_ok());
  snprintf(path, sizeof path, "%s/f", dir);
  snprintf(path2, sizeof path2, "%s/g", dir);
  snprintf(sub, sizeof sub, "%s/sub", dir);
  if (__wasi_path_create_directory(3, rel(dir)) != 0) { fprintf(stderr, "mkdir %s failed\n", dir); return 1; }

  __wasi_timestamp_t t0 = now_ns();
  int fd = open_at(path, __WASI_OFLAGS_CREAT, R_RW, 0, 0);
  out("open", fd < 0 ? fd : 0);
  __wasi_filestat_t s = fstat_of(fd);
  out("create.times-now", s.atim + SLACK >= t0 && s.mtim + SLACK >= t0 && s.ctim + SLACK >= t0);

  /* fd_filestat_set_times */
  out("fd.set", raw_fd_filestat_set_times(fd, A, M, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
  s = fstat_of(fd);
  out("fd.set.atim-near", NEAR(s.atim, A));
  out("fd.set.mtim-near", NEAR(s.mtim, M));
  out("fd.set.exact", s.atim == A && s.mtim == M);
  out("fd.set.ctim-now", s.ctim + SLACK >= t0);
  out("fd.both-atim", raw_fd_filestat_set_times(fd, A, M, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW));
  out("fd.both-mtim", raw_fd_filestat_set_times(fd, A, M, __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_MTIM_NOW));
  out("fd.unknown-flag", raw_fd_filestat_set_times(fd, A, M, 16));
  s = fstat_of(fd);
  out("fd.einval-changed-nothing", NEAR(s.atim, A) && NEAR(s.mtim, M));
  out("fd.none", raw_fd_filestat_set_times(fd, 1, 1, 0));
  s = fstat_of(fd);
  out("fd.none-changed-nothing", NEAR(s.atim, A) && NEAR(s.mtim, M));
  out("fd.atim-now", raw_fd_filestat_set_times(fd, 0, 0, __WASI_FSTFLAGS_ATIM_NOW));
  s = fstat_of(fd);
  out("fd.atim-now.atim-now", s.atim + SLACK >= t0 && s.atim <= now_ns() + SLACK);
  out("fd.atim-now.mtim-kept", NEAR(s.mtim, M));
  out("fd.mtim-now", raw_fd_filestat_set_times(fd, A, 0, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM_NOW));
  s = fstat_of(fd);
  out("fd.mtim-now.atim", NEAR(s.atim, A));
  out("fd.mtim-now.mtim-now", s.mtim + SLACK >= t0 && s.mtim <= now_ns() + SLACK);
  out("fd.badfd", raw_fd_filestat_set_times(99, A, M, __WASI_FSTFLAGS_ATIM));
  out("fd.negfd", raw_fd_filestat_set_times(-1, A, M, __WASI_FSTFLAGS_ATIM));

  /* A write moves mtime and ctime; a truncate too. */
  raw_fd_filestat_set_times(fd, A, M, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM);
  __wasi_timestamp_t c1 = fstat_of(fd).ctim;
  clock_past(c1);
  __wasi_timestamp_t t1 = now_ns();
  out("write", write_str(fd, "hello"));
  s = fstat_of(fd);
  out("write.mtim-now", s.mtim + SLACK >= t1);
  out("write.ctim-moved", s.ctim > c1);
  out("write.atim-kept", NEAR(s.atim, A));
  raw_fd_filestat_set_times(fd, A, M, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM);
  out("truncate", __wasi_fd_filestat_set_size(fd, 2));
  s = fstat_of(fd);
  out("truncate.mtim-now", s.mtim + SLACK >= t1);

  /* A read moves atime (relatime: when it is not later than mtime/ctime)... */
  raw_fd_filestat_set_times(fd, A, M, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM);
  char buf[8];
  out("read", pread_n(fd, buf, sizeof buf, 0));
  s = fstat_of(fd);
  out("read.atim-now", s.atim + SLACK >= t1);
  out("read.mtim-kept", NEAR(s.mtim, M));
  /* ...and not when it is later than both and not a day old. */
  __wasi_timestamp_t future = now_ns() + 3600ull * 1000000000ull;
  raw_fd_filestat_set_times(fd, future, M, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM);
  pread_n(fd, buf, sizeof buf, 0);
  out("read.relatime-kept", NEAR(fstat_of(fd).atim, future));

  /* path_filestat_set_times */
  out("path.set", raw_path_filestat_set_times(3, 1, (int32_t)rel(path), strlen(rel(path)), M, A,
                                              __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
  s = pstat_of(path);
  out("path.set.atim-near", NEAR(s.atim, M));
  out("path.set.mtim-near", NEAR(s.mtim, A));
  out("path.missing", raw_path_filestat_set_times(3, 1, (int32_t)"nonexistent-wasi-fd", 19, 0, 0, __WASI_FSTFLAGS_ATIM_NOW));
  out("path.badptr", raw_path_filestat_set_times(3, 1, BAD_PTR, 8, 0, 0, __WASI_FSTFLAGS_ATIM_NOW));

  /* A directory's mtime and ctime move when its entries change. */
  out("mkdir", __wasi_path_create_directory(3, rel(sub)));
  raw_path_filestat_set_times(3, 1, (int32_t)rel(sub), strlen(rel(sub)), A, M, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM);
  c1 = pstat_of(sub).ctim;
  clock_past(c1);
  char entry[600];
  snprintf(entry, sizeof entry, "%s/e", sub);
  int e = open_at(entry, __WASI_OFLAGS_CREAT, R_RW, 0, 0);
  s = pstat_of(sub);
  out("dir.create.mtim-moved", s.mtim > M);
  out("dir.create.ctim-moved", s.ctim > c1);
  out("dir.create.atim-kept", NEAR(s.atim, A));
  out("close", __wasi_fd_close(e));
  raw_path_filestat_set_times(3, 1, (int32_t)rel(sub), strlen(rel(sub)), A, M, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM);
  out("unlink", __wasi_path_unlink_file(3, rel(entry)));
  out("dir.unlink.mtim-moved", pstat_of(sub).mtim > M);

  /* A rename moves the renamed file's ctime. */
  c1 = fstat_of(fd).ctim;
  clock_past(c1);
  out("rename", __wasi_path_rename(3, rel(path), 3, rel(path2)));
  s = fstat_of(fd);
  out("rename.ctim-moved", s.ctim > c1);
  out("rename.mtim-kept", NEAR(s.mtim, A));   /* as path.set left it */
  out("close", __wasi_fd_close(fd));

  /* A read-only mount: EROFS, and nothing changes. */
  if (argc > 2) {
    int ro = open_at(argv[2], 0, R_RO, 0, 0);
    out("ro.open", ro < 0 ? ro : 0);
    __wasi_timestamp_t before = fstat_of(ro).mtim;
    out("ro.fd", raw_fd_filestat_set_times(ro, A, M, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
    out("ro.path", raw_path_filestat_set_times(3, 1, (int32_t)rel(argv[2]), strlen(rel(argv[2])), A, M,
                                               __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
    out("ro.unchanged", fstat_of(ro).mtim == before);
  }
  /* Last: node:wasi (uvwasi) answers this EINVAL with its descriptor table
   * still locked, and its next path call then waits for ever. */
  out("path.both", raw_path_filestat_set_times(3, 1, (int32_t)rel(path2), strlen(rel(path2)), 0, 0,
                                               __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_MTIM_NOW));
  return 0;
}
