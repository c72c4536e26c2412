/* WASI conformance (#12, descriptors): fd_fdstat_get (filetype, flags,
 * rights), fd_fdstat_set_rights (rights only shrink; later calls are
 * checked against them), fd_fdstat_set_flags (APPEND, NONBLOCK) and
 * path_open of "." with every right.
 * Usage: wasi-fd-rights DIR [--hostile] — DIR an absolute guest path of a
 * new directory to work in; --hostile adds bad pointers and descriptors.
 * stdout should be a pipe. Prints "label value" lines. */
#include "wasi-fd-common.h"
#include <unistd.h>

static char path[512];

static void fdstat(const char *label, int fd) {
  __wasi_fdstat_t st;
  memset(&st, 0, sizeof st);
  char l[128];
  __wasi_errno_t e = __wasi_fd_fdstat_get(fd, &st);
  snprintf(l, sizeof l, "%s.err", label); out(l, e);
  snprintf(l, sizeof l, "%s.type", label); out(l, st.fs_filetype);
  snprintf(l, sizeof l, "%s.flags", label); out(l, st.fs_flags);
  snprintf(l, sizeof l, "%s.base", label); outx(l, st.fs_rights_base);
  snprintf(l, sizeof l, "%s.inh", label); outx(l, st.fs_rights_inheriting);
}

static __wasi_rights_t base_of(int fd) {
  __wasi_fdstat_t st;
  return __wasi_fd_fdstat_get(fd, &st) == 0 ? st.fs_rights_base : 0;
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (argc < 2) { fprintf(stderr, "usage: wasi-fd-rights DIR [--hostile]\n"); return 2; }
  int hostile = argc > 2 && strcmp(argv[2], "--hostile") == 0;
  const char *dir = argv[1];
  out("preopen", preopen_ok());
  if (__wasi_path_create_directory(3, rel(dir)) != 0) { fprintf(stderr, "mkdir %s failed\n", dir); return 1; }
  snprintf(path, sizeof path, "%s/f", dir);

  /* fd_fdstat_get of the preopen, a file opened with given rights, stdout (a pipe). */
  fdstat("preopen", 3);
  int fd = open_at(path, __WASI_OFLAGS_CREAT, R_RW, 0, 0);
  out("open", fd < 0 ? fd : 0);
  fdstat("file", fd);
  fdstat("stdout", 1);
  int few = open_at(path, 0, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_FILESTAT_GET, 0, 0);
  fdstat("few", few);
  out("few.write", write_str(few, "x"));
  out("few.seek", raw_fd_seek(few, 0, __WASI_WHENCE_SET, (int32_t)&(uint64_t){0}));

  /* /dev/null (where there is one): a character device that seeks, so wasi-libc's isatty says no. */
  int null = open_at("/dev/null", 0, R_RW, 0, 0);
  out("devnull.open", null < 0 ? null : 0);
  if (null >= 0) {
    fdstat("devnull", null);
    out("devnull.isatty", isatty(null));
  }

  /* fd_fdstat_set_rights: drop fd_write, then fd_write is ENOTCAPABLE; growing back is ENOTCAPABLE. */
  __wasi_rights_t b = base_of(fd);
  out("shrink", __wasi_fd_fdstat_set_rights(fd, b & ~__WASI_RIGHTS_FD_WRITE, 0));
  outx("shrink.base", base_of(fd));
  out("shrink.write", write_str(fd, "x"));
  char buf[8];
  out("shrink.read", pread_n(fd, buf, sizeof buf, 0));
  out("grow", __wasi_fd_fdstat_set_rights(fd, b, 0));
  outx("grow.base", base_of(fd));
  out("grow.inh", __wasi_fd_fdstat_set_rights(fd, b & ~__WASI_RIGHTS_FD_WRITE, __WASI_RIGHTS_FD_READ));
  out("same", __wasi_fd_fdstat_set_rights(fd, b & ~__WASI_RIGHTS_FD_WRITE, 0));
  out("none", __wasi_fd_fdstat_set_rights(fd, 0, 0));
  out("none.read", pread_n(fd, buf, sizeof buf, 0));
  out("none.filestat", __wasi_fd_filestat_get(fd, &(__wasi_filestat_t){0}));
  out("none.close", __wasi_fd_close(fd));
  /* The preopen hands down its inheriting rights: an open asking for more gets what it may have. */
  __wasi_fdstat_t ds;
  out("dir.stat", __wasi_fd_fdstat_get(3, &ds));

  /* path_open of "." with every right: a directory descriptor (wasmux used to say EISDIR). */
  __wasi_fd_t dot = 0;
  out("dot", __wasi_path_open(3, 0, ".", 0, (__wasi_rights_t)0x1fffffff, (__wasi_rights_t)0x1fffffff, 0, &dot));
  fdstat("dot", dot);
  __wasi_fd_t dot2 = 0;
  out("dot.dir", __wasi_path_open(3, 0, ".", __WASI_OFLAGS_DIRECTORY, (__wasi_rights_t)0x1fffffff, (__wasi_rights_t)0x1fffffff, 0, &dot2));
  fdstat("dotdir", dot2);
  __wasi_fd_t sub = 0;
  out("dot.sub", __wasi_path_open(3, 0, rel(dir), 0, (__wasi_rights_t)0x1fffffff, (__wasi_rights_t)0x1fffffff, 0, &sub));
  fdstat("sub", sub);

  /* fd_fdstat_set_flags: APPEND makes writes go to the end, NONBLOCK is reported. */
  int a = open_at(path, __WASI_OFLAGS_TRUNC, R_RW, 0, 0);
  out("a.write", write_str(a, "hello"));
  out("a.seek0", raw_fd_seek(a, 0, __WASI_WHENCE_SET, (int32_t)&(uint64_t){0}));
  out("append", __wasi_fd_fdstat_set_flags(a, __WASI_FDFLAGS_APPEND));
  fdstat("append", a);
  out("append.write", write_str(a, "!"));
  out("append.size", fstat_of(a).size);
  uint64_t pos = 0;
  out("append.tell", __wasi_fd_tell(a, &pos));
  out("append.pos", pos);
  out("nonblock", __wasi_fd_fdstat_set_flags(a, __WASI_FDFLAGS_NONBLOCK));
  fdstat("nonblock", a);
  out("clear", __wasi_fd_fdstat_set_flags(a, 0));
  fdstat("clear", a);
  out("clear.write0", __wasi_fd_seek(a, 0, __WASI_WHENCE_SET, &pos));
  out("clear.write", write_str(a, "J"));
  out("clear.size", fstat_of(a).size);
  out("flags.bad", raw_fd_fdstat_set_flags(a, 0x20));
  out("flags.badfd", raw_fd_fdstat_set_flags(77, __WASI_FDFLAGS_APPEND));
  out("stdout.nonblock", __wasi_fd_fdstat_set_flags(1, __WASI_FDFLAGS_NONBLOCK));
  fdstat("stdoutnb", 1);
  out("stdout.clear", __wasi_fd_fdstat_set_flags(1, 0));

  /* Bad descriptors. */
  out("badfd.stat", __wasi_fd_fdstat_get(99, &ds));
  out("badfd.rights", __wasi_fd_fdstat_set_rights(99, 0, 0));
  out("negfd.rights", __wasi_fd_fdstat_set_rights(-1, 0, 0));
  if (hostile) {
    out("hostile.stat-badptr", raw_fd_fdstat_get(a, BAD_PTR));
    out("hostile.stat-null-end", raw_fd_fdstat_get(a, (int32_t)0xffffffff));
    out("hostile.bigfd", __wasi_fd_fdstat_set_rights(0x7fffffff, 0, 0));
    out("hostile.highbits", __wasi_fd_fdstat_set_rights(a, ~(__wasi_rights_t)0, 0));
  }
  return 0;
}
