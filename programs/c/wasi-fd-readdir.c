/* WASI conformance (#12, descriptors): fd_readdir — "." and "..", cookies
 * that stay valid across calls (also when entries are added and removed in
 * between: none returned twice, none skipped that existed throughout),
 * small and large buffers, garbage cookies.
 * Usage: wasi-fd-readdir DIR [--hostile] — DIR an absolute guest path of a
 * new directory to work in. Prints "label value" lines. */
#include "wasi-fd-common.h"
#include <stdlib.h>

#define MAXN 400
static char names[MAXN][64];
static int counts[MAXN];
static int nnames;
static uint8_t big[65536];

static int find(const char *name, size_t len) {
  for (int i = 0; i < nnames; i++) if (strlen(names[i]) == len && memcmp(names[i], name, len) == 0) return i;
  return -1;
}

/* Counts every name met, from `cookie`, reading with a buffer of `bufsize`;
 * stops after `limit` entries (0: the end) and returns the cookie to go on from. */
static __wasi_dircookie_t list(int fd, __wasi_dircookie_t cookie, size_t bufsize, int limit, int *calls, int *seen) {
  for (;;) {
    __wasi_size_t used = 0;
    if (__wasi_fd_readdir(fd, big, bufsize, cookie, &used) != 0) return cookie;
    (*calls)++;
    size_t off = 0;
    int whole = 0;
    while (off + sizeof(__wasi_dirent_t) <= used) {
      __wasi_dirent_t d;
      memcpy(&d, big + off, sizeof d);
      if (off + sizeof d + d.d_namlen > used) break;   /* cut short: read again from its cookie */
      const char *name = (const char *)big + off + sizeof d;
      int i = find(name, d.d_namlen);
      if (i < 0 && nnames < MAXN) { i = nnames++; memcpy(names[i], name, d.d_namlen); names[i][d.d_namlen] = 0; }
      if (i >= 0) counts[i]++;
      cookie = d.d_next;
      off += sizeof d + d.d_namlen;
      whole++;
      (*seen)++;
      if (limit && *seen >= limit) return cookie;
    }
    if (used < bufsize && off == used) return cookie;   /* the end of the directory */
    if (whole == 0 && used == bufsize) return cookie;   /* an entry larger than the buffer */
  }
}

static void reset(void) { nnames = 0; memset(counts, 0, sizeof counts); }
static int count_of(const char *n) { int i = find(n, strlen(n)); return i < 0 ? 0 : counts[i]; }

static char path[512];
static void mk(const char *dir, const char *name) {
  snprintf(path, sizeof path, "%s/%s", dir, name);
  int fd = open_at(path, __WASI_OFLAGS_CREAT, R_RW, 0, 0);
  if (fd >= 0) (void)!__wasi_fd_close(fd);
}
static int rm(const char *dir, const char *name) {
  snprintf(path, sizeof path, "%s/%s", dir, name);
  return __wasi_path_unlink_file(3, rel(path));
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (argc < 2) { fprintf(stderr, "usage: wasi-fd-readdir DIR [--hostile]\n"); return 2; }
  int hostile = argc > 2 && strcmp(argv[2], "--hostile") == 0;
  const char *dir = argv[1];
  out("preopen", preopen_ok());
  if (__wasi_path_create_directory(3, rel(dir)) != 0) { fprintf(stderr, "mkdir %s failed\n", dir); return 1; }
  char name[64];
  for (int i = 0; i < 10; i++) { snprintf(name, sizeof name, "f%d", i); mk(dir, name); }
  int fd = open_at(dir, __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READDIR, 0, 0);
  out("open", fd < 0 ? fd : 0);

  /* The whole listing with a roomy buffer, then with one that cuts entries short. */
  int calls = 0, seen = 0;
  reset();
  list(fd, 0, 4096, 0, &calls, &seen);
  out("all.entries", seen);
  out("all.dot", count_of("."));
  out("all.dotdot", count_of(".."));
  int ok = 1;
  for (int i = 0; i < 10; i++) { snprintf(name, sizeof name, "f%d", i); ok &= count_of(name) == 1; }
  out("all.each-once", ok);
  calls = 0; seen = 0;
  reset();
  list(fd, 0, 30, 0, &calls, &seen);
  out("small.entries", seen);
  out("small.many-calls", calls > 5);
  ok = 1;
  for (int i = 0; i < 10; i++) { snprintf(name, sizeof name, "f%d", i); ok &= count_of(name) == 1; }
  out("small.each-once", ok);

  /* "." and ".." are directories, with the inode numbers path_filestat_get gives. */
  __wasi_size_t used = 0;
  out("dots", __wasi_fd_readdir(fd, big, sizeof big, 0, &used));
  __wasi_dirent_t d0, d1;
  memcpy(&d0, big, sizeof d0);
  memcpy(&d1, big + sizeof d0 + d0.d_namlen, sizeof d1);
  out("dots.first-type", d0.d_type);
  out("dots.first-ino", d0.d_ino == pstat_of(dir).ino);
  out("dots.first-next", d0.d_next);
  out("dots.second-type", d1.d_type);

  /* Cookies across changes: list 5, then remove one already seen and one
   * not yet seen, add three, go on from the cookie. */
  calls = 0; seen = 0;
  reset();
  __wasi_dircookie_t c = list(fd, 0, 4096, 5, &calls, &seen);
  char first[5][64];
  int nfirst = 0;
  for (int i = 0; i < nnames && nfirst < 5; i++) if (names[i][0] == 'f') strcpy(first[nfirst++], names[i]);
  out("change.seen-first", seen);
  out("change.rm-seen", nfirst > 0 ? rm(dir, first[0]) : -1);
  char unseen[64] = "";
  for (int i = 0; i < 10; i++) {
    snprintf(name, sizeof name, "f%d", i);
    if (count_of(name) == 0) { strcpy(unseen, name); break; }
  }
  out("change.rm-unseen", rm(dir, unseen));
  mk(dir, "new1"); mk(dir, "new2"); mk(dir, "new3");
  list(fd, c, 4096, 0, &calls, &seen);
  int dup = 0, missing = 0;
  for (int i = 0; i < nnames; i++) if (counts[i] > 1) dup++;
  for (int i = 0; i < 10; i++) {
    snprintf(name, sizeof name, "f%d", i);
    if (strcmp(name, unseen) != 0 && (nfirst == 0 || strcmp(name, first[0]) != 0) && count_of(name) != 1) missing++;
  }
  out("change.dups", dup);
  out("change.missing", missing);
  out("change.unseen-removed-absent", count_of(unseen));

  /* Many long names: one call with a 64 KiB buffer returns them all. */
  for (int i = 0; i < 120; i++) { snprintf(name, sizeof name, "long-name-%03d-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", i); mk(dir, name); }
  used = 0;
  out("big", __wasi_fd_readdir(fd, big, sizeof big, 0, &used));
  calls = 0; seen = 0;
  reset();
  list(fd, 0, sizeof big, 0, &calls, &seen);
  out("big.calls", calls);
  out("big.entries", seen);

  /* Rewinding is cookie 0 again; a cookie past every entry lists nothing. */
  calls = 0; seen = 0;
  reset();
  __wasi_dircookie_t end = list(fd, 0, 4096, 0, &calls, &seen);
  used = 1;
  out("end", __wasi_fd_readdir(fd, big, 4096, end, &used));
  out("end.used", used);
  out("file", __wasi_fd_readdir(3, big, 4096, 0, &used) == 0);
  int f = open_at(path, 0, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_READDIR, 0, 0);
  out("notdir", __wasi_fd_readdir(f, big, 4096, 0, &used));
  out("badfd", __wasi_fd_readdir(99, big, 4096, 0, &used));
  used = 7;
  out("zero-len", __wasi_fd_readdir(fd, big, 0, 0, &used));
  out("zero-len.used", used);
  if (hostile) {
    out("hostile.garbage", raw_fd_readdir(fd, (int32_t)big, 4096, (int64_t)0xdeadbeefdeadbeefull, (int32_t)&used));
    out("hostile.garbage.used", used);
    out("hostile.garbage-small", raw_fd_readdir(fd, (int32_t)big, 4096, 1000000, (int32_t)&used));
    out("hostile.garbage-small.used", used);
    out("hostile.max", raw_fd_readdir(fd, (int32_t)big, 4096, -1, (int32_t)&used));
    out("hostile.max.used", used);
    out("hostile.badbuf", raw_fd_readdir(fd, BAD_PTR, 4096, 0, (int32_t)&used));
    out("hostile.badused", raw_fd_readdir(fd, (int32_t)big, 4096, 0, BAD_PTR));
    out("hostile.2g", raw_fd_readdir(fd, (int32_t)big, (int32_t)0x80000000u, 0, (int32_t)&used));
  }
  return 0;
}
