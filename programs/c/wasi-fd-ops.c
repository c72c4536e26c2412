/* WASI conformance (#12, descriptors): fd_renumber, fd_advise, fd_allocate,
 * fd_seek and fd_tell (a directory, a pipe), fd_filestat_set_size,
 * fd_sync/fd_datasync, fd_pread/fd_pwrite (a pipe) and fd_filestat_get.
 * Usage: wasi-fd-ops DIR [--hostile] — DIR an absolute guest path of a new
 * directory to work in; --hostile adds bad pointers, huge lengths and bad
 * descriptors. stdout must be a pipe. Prints "label value" lines. */
#include "wasi-fd-common.h"

static char pa[512], pb[512];

static int64_t read_all(int fd, char *buf, size_t len) {
  __wasi_iovec_t iov = { (uint8_t *)buf, len };
  __wasi_size_t n = 0;
  __wasi_errno_t e = __wasi_fd_read(fd, &iov, 1, &n);
  return e ? -(int64_t)e : (int64_t)n;
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (argc < 2) { fprintf(stderr, "usage: wasi-fd-ops DIR [--hostile]\n"); return 2; }
  int hostile = argc > 2 && strcmp(argv[2], "--hostile") == 0;
  const char *dir = argv[1];
  out("preopen", preopen_ok());
  if (__wasi_path_create_directory(3, rel(dir)) != 0) { fprintf(stderr, "mkdir %s failed\n", dir); return 1; }
  snprintf(pa, sizeof pa, "%s/a", dir);
  snprintf(pb, sizeof pb, "%s/b", dir);
  int a = open_at(pa, __WASI_OFLAGS_CREAT, R_RW, 0, 0);
  int b = open_at(pb, __WASI_OFLAGS_CREAT, R_RW, 0, 0);
  write_str(a, "from a");
  write_str(b, "from b");
  uint64_t pos = 0;
  char buf[64];

  /* fd_tell and fd_seek */
  out("tell", __wasi_fd_tell(a, &pos));
  out("tell.pos", pos);
  out("seek.cur", __wasi_fd_seek(a, -2, __WASI_WHENCE_CUR, &pos));
  out("seek.cur.pos", pos);
  out("seek.end", __wasi_fd_seek(a, 1, __WASI_WHENCE_END, &pos));
  out("seek.end.pos", pos);
  out("seek.neg", __wasi_fd_seek(a, -100, __WASI_WHENCE_SET, &pos));
  out("seek.whence", raw_fd_seek(a, 0, 3, (int32_t)&pos));
  out("seek.dir", __wasi_fd_seek(3, 0, __WASI_WHENCE_SET, &pos));
  out("tell.dir", __wasi_fd_tell(3, &pos));
  out("seek.pipe", __wasi_fd_seek(1, 0, __WASI_WHENCE_CUR, &pos));
  out("tell.pipe", __wasi_fd_tell(1, &pos));
  out("seek.badfd", __wasi_fd_seek(99, 0, __WASI_WHENCE_SET, &pos));

  /* fd_pread / fd_pwrite: at an offset, not moving it; a pipe has none (ESPIPE). */
  out("rewind", __wasi_fd_seek(a, 0, __WASI_WHENCE_SET, &pos));
  out("pread", pread_n(a, buf, 4, 2));
  buf[4] = 0;
  printf("pread.data %s\n", buf);
  __wasi_ciovec_t civ = { (const uint8_t *)"XY", 2 };
  __wasi_size_t n = 0;
  out("pwrite", __wasi_fd_pwrite(a, &civ, 1, 1, &n));
  out("pwrite.n", n);
  out("pwrite.tell", __wasi_fd_tell(a, &pos));
  out("pwrite.pos", pos);
  out("pread.all", pread_n(a, buf, sizeof buf, 0));
  buf[6] = 0;
  printf("pread.all.data %s\n", buf);
  out("pwrite.pipe", __wasi_fd_pwrite(1, &civ, 1, 0, &n));
  out("pread.pipe", pread_n(1, buf, 4, 0));
  out("pread.dir", pread_n(3, buf, 4, 0));
  out("pread.badfd", pread_n(99, buf, 4, 0));

  /* fd_filestat_get */
  __wasi_filestat_t st = fstat_of(a);
  out("filestat.type", st.filetype);
  out("filestat.size", st.size);
  out("filestat.nlink", st.nlink);
  out("filestat.dir.type", fstat_of(3).filetype);

  /* fd_filestat_set_size: refused on a read-only descriptor (nothing changes), else the size. */
  int ro = open_at(pa, 0, R_RO, 0, 0);
  out("setsize.ro", __wasi_fd_filestat_set_size(ro, 1));
  out("setsize.ro.size", fstat_of(a).size);
  out("setsize", __wasi_fd_filestat_set_size(a, 3));
  out("setsize.size", fstat_of(a).size);
  out("setsize.grow", __wasi_fd_filestat_set_size(a, 10));
  out("setsize.grow.size", fstat_of(a).size);
  out("setsize.dir", __wasi_fd_filestat_set_size(3, 0));
  out("setsize.pipe", __wasi_fd_filestat_set_size(1, 0));

  /* fd_allocate: EBADF on a read-only descriptor (the file keeps its size), else the size grows. */
  out("allocate.ro", __wasi_fd_allocate(ro, 0, 100));
  out("allocate.ro.size", fstat_of(a).size);
  out("allocate", __wasi_fd_allocate(a, 5, 20));
  out("allocate.size", fstat_of(a).size);
  out("allocate.inside", __wasi_fd_allocate(a, 0, 4));
  out("allocate.inside.size", fstat_of(a).size);
  out("allocate.zero", __wasi_fd_allocate(a, 0, 0));
  out("allocate.badfd", __wasi_fd_allocate(99, 0, 1));

  /* fd_advise */
  out("advise", __wasi_fd_advise(a, 0, 10, __WASI_ADVICE_SEQUENTIAL));
  out("advise.all", __wasi_fd_advise(a, 0, 0, __WASI_ADVICE_NOREUSE));
  out("advise.bad", raw_fd_advise(a, 0, 10, 6));
  out("advise.pipe", __wasi_fd_advise(1, 0, 10, __WASI_ADVICE_NORMAL));
  out("advise.badfd", __wasi_fd_advise(99, 0, 10, __WASI_ADVICE_NORMAL));

  /* fd_sync / fd_datasync: a file is fine; a pipe cannot be synchronised (EINVAL). */
  out("sync", __wasi_fd_sync(a));
  out("datasync", __wasi_fd_datasync(a));
  out("sync.ro", __wasi_fd_sync(ro));
  out("sync.dir", __wasi_fd_sync(3));
  out("sync.pipe", __wasi_fd_sync(1));
  out("datasync.pipe", __wasi_fd_datasync(1));
  out("sync.badfd", __wasi_fd_sync(99));

  /* fd_renumber: onto itself; onto a closed descriptor (EBADF); onto an open one (which closes). */
  out("renumber.self", __wasi_fd_renumber(a, a));
  out("renumber.closed", __wasi_fd_renumber(a, 60));
  out("renumber.from-closed", __wasi_fd_renumber(61, a));
  out("renumber", __wasi_fd_renumber(a, b));
  out("renumber.old", __wasi_fd_tell(a, &pos));
  out("renumber.seek", __wasi_fd_seek(b, 0, __WASI_WHENCE_SET, &pos));
  int64_t r = read_all(b, buf, 6);
  out("renumber.read", r);
  if (r > 0) { buf[r] = 0; printf("renumber.data %s\n", buf); }
  out("renumber.closed-self", __wasi_fd_renumber(a, a));
  /* onto the preopen: fd 3 is then the file, and no preopen is left at 3 */
  int c = open_at(pa, 0, R_RO, 0, 0);
  out("renumber.preopen", __wasi_fd_renumber(c, 3));
  out("renumber.preopen.type", fstat_of(3).filetype);
  __wasi_prestat_t ps;
  out("renumber.preopen.prestat", __wasi_fd_prestat_get(3, &ps));

  if (hostile) {
    uint32_t big[2] = { (uint32_t)(uintptr_t)buf, 0x80000000u };
    out("hostile.pread-2g", raw_fd_pread(b, (int32_t)big, 1, 0, (int32_t)&n));
    out("hostile.pwrite-2g", raw_fd_pwrite(b, (int32_t)big, 1, 0, (int32_t)&n));
    out("hostile.pread-iov", raw_fd_pread(b, BAD_PTR, 1, 0, (int32_t)&n));
    out("hostile.pread-count", raw_fd_pread(b, (int32_t)big, 1, 0, BAD_PTR));
    out("hostile.pread-negoff", raw_fd_pread(b, (int32_t)big, 1, -1, (int32_t)&n));
    out("hostile.tell-badptr", raw_fd_tell(b, BAD_PTR));
    out("hostile.filestat-badptr", raw_fd_filestat_get(b, BAD_PTR));
    out("hostile.allocate-huge", raw_fd_allocate(b, 0x7fffffffffffffffll, 0x7fffffffffffffffll));
    out("hostile.allocate-neg", raw_fd_allocate(b, -1, 10));
    out("hostile.allocate-2g", raw_fd_allocate(b, 0, 0x80000000ll));
    out("hostile.advise-neg", raw_fd_advise(b, -1, 10, 0));
    out("hostile.renumber-neg", raw_fd_renumber(b, -1));
    out("hostile.renumber-big", raw_fd_renumber(0x7fffffff, b));
    out("hostile.seek-huge", raw_fd_seek(b, 0x7fffffffffffffffll, __WASI_WHENCE_CUR, (int32_t)&pos));
    out("hostile.size-after", fstat_of(b).size);
  }
  return 0;
}
