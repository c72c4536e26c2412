// WASI namespace conformance (#12): path_* relative to any directory
// descriptor, symlinks and hard links, with stock wasi-libc (openat & co.
// call path_* with the descriptor given, not a preopen).
//
// Usage: wasi-ns BASE SECTION
//   BASE: an existing directory (absolute); SECTION is made inside it and
//   every call is relative to a descriptor of that directory or of one
//   below it. SECTION names the WASI function under test: path_open,
//   path_create_directory, path_remove_directory, path_unlink_file,
//   path_rename, path_filestat_get, path_filestat_set_times, path_link,
//   path_symlink, path_readlink; and hostile (raw imports: bad pointers,
//   2^31-byte paths), escape MOUNTPOINT (BASE is the mount point's parent:
//   links and ".." at a mount), abs MOUNTPOINT (absolute paths only),
//   race-rename / race-walk N (two processes at once).
// Prints one "label result" line per check: 0 (or a value) on success,
// else the errno's name. Exit 0 unless the setup itself failed (exit 2).
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *en(int e) {
  switch (e) {
    case 0: return "0";
    case ENOENT: return "ENOENT";
    case EEXIST: return "EEXIST";
    case ENOTDIR: return "ENOTDIR";
    case EISDIR: return "EISDIR";
    case ELOOP: return "ELOOP";
    case EINVAL: return "EINVAL";
    case ENOTEMPTY: return "ENOTEMPTY";
    case EBUSY: return "EBUSY";
    case EXDEV: return "EXDEV";
    case EPERM: return "EPERM";
    case EBADF: return "EBADF";
    case ENAMETOOLONG: return "ENAMETOOLONG";
    case EFAULT: return "EFAULT";
    case ENOTSUP: return "ENOTSUP";
    case ENOTCAPABLE: return "ENOTCAPABLE";
    case EACCES: return "EACCES";
    case EROFS: return "EROFS";
    case EMLINK: return "EMLINK";
    default: { static char b[16]; snprintf(b, sizeof b, "E%d", e); return b; }
  }
}

/** A call that returns < 0 and sets errno on failure: prints 0 or the errno. */
#define CHECK(label, expr) do { errno = 0; long r_ = (long)(expr); \
  printf("%s %s\n", label, r_ < 0 ? en(errno) : "0"); } while (0)
/** A call that returns a descriptor: prints "fd" or the errno; the descriptor in `var`. */
#define OPEN(label, var, expr) do { errno = 0; var = (expr); \
  printf("%s %s\n", label, var < 0 ? en(errno) : "fd"); } while (0)

static int d;   // the section's directory

static void put(int dir, const char *name, const char *text) {
  int fd = openat(dir, name, O_CREAT | O_WRONLY | O_TRUNC, 0644);
  if (fd < 0) { printf("put-%s %s\n", name, en(errno)); return; }
  if (write(fd, text, strlen(text)) != (ssize_t)strlen(text)) printf("put-%s short\n", name);
  close(fd);
}

/** The file's bytes (up to 63), or the errno's name. */
static const char *get(int dir, const char *name, int flags) {
  static char b[64];
  int fd = openat(dir, name, O_RDONLY | flags);
  if (fd < 0) return en(errno);
  ssize_t n = read(fd, b, sizeof b - 1);
  close(fd);
  if (n < 0) return en(errno);
  b[n] = 0;
  return n == 0 ? "(empty)" : b;
}

/** stat or lstat: "reg", "dir", "lnk" with size and nlink, or the errno. */
static void st(const char *label, int dir, const char *name, int flags) {
  struct stat s;
  if (fstatat(dir, name, &s, flags) < 0) { printf("%s %s\n", label, en(errno)); return; }
  const char *t = S_ISREG(s.st_mode) ? "reg" : S_ISDIR(s.st_mode) ? "dir" : S_ISLNK(s.st_mode) ? "lnk" : "other";
  if (S_ISDIR(s.st_mode)) printf("%s %s nlink=%lu\n", label, t, (unsigned long)s.st_nlink);
  else printf("%s %s size=%lld nlink=%lu\n", label, t, (long long)s.st_size, (unsigned long)s.st_nlink);
}

static int diropenat(int dir, const char *name) { return openat(dir, name, O_RDONLY | O_DIRECTORY); }

static void t_open(void) {
  int fd, sub, f2;
  OPEN("creat", fd, openat(d, "f", O_CREAT | O_WRONLY, 0644));
  if (fd >= 0) { write(fd, "hello", 5); close(fd); }
  OPEN("excl", fd, openat(d, "f", O_CREAT | O_EXCL | O_WRONLY, 0644));
  printf("read %s\n", get(d, "f", 0));
  OPEN("enoent", fd, openat(d, "missing", O_RDONLY));
  OPEN("trailing-slash-file", fd, openat(d, "f/", O_RDONLY));
  OPEN("trailing-slash-creat", fd, openat(d, "g/", O_CREAT | O_WRONLY, 0644));
  OPEN("directory-on-file", fd, openat(d, "f", O_RDONLY | O_DIRECTORY));
  CHECK("mkdir-sub", mkdirat(d, "sub", 0755));
  OPEN("open-sub", sub, diropenat(d, "sub"));
  OPEN("creat-in-sub", fd, openat(sub, "x", O_CREAT | O_WRONLY, 0644));
  if (fd >= 0) close(fd);
  st("stat-sub-x", d, "sub/x", 0);
  printf("dotdot %s\n", get(sub, "../f", 0));
  OPEN("open-dot", fd, openat(sub, ".", O_RDONLY | O_DIRECTORY));
  if (fd >= 0) { st("dot-is-sub", fd, "x", 0); close(fd); }
  CHECK("symlink-lf", symlinkat("f", d, "lf"));
  printf("nofollow %s\n", get(d, "lf", O_NOFOLLOW));
  printf("follow %s\n", get(d, "lf", 0));
  CHECK("symlink-dangling", symlinkat("made-by-open", d, "dl"));
  OPEN("creat-through-dangling", fd, openat(d, "dl", O_CREAT | O_WRONLY, 0644));
  if (fd >= 0) close(fd);
  st("dangling-target-made", d, "made-by-open", 0);
  OPEN("excl-on-link", fd, openat(d, "lf", O_CREAT | O_EXCL | O_WRONLY, 0644));
  OPEN("file-as-dirfd", f2, openat(d, "f", O_RDONLY));
  if (f2 >= 0) { OPEN("relative-to-file", fd, openat(f2, "x", O_RDONLY)); close(f2); }
  OPEN("bad-dirfd", fd, openat(1234, "x", O_RDONLY));
  // The descriptor keeps meaning its directory after the directory moves.
  CHECK("rename-sub", renameat(d, "sub", d, "moved"));
  OPEN("creat-after-rename", fd, openat(sub, "y", O_CREAT | O_WRONLY, 0644));
  if (fd >= 0) close(fd);
  st("moved-y", d, "moved/y", 0);
  if (sub >= 0) close(sub);
}

static void t_mkdir(void) {
  int a, fd;
  CHECK("mkdir", mkdirat(d, "a", 0755));
  CHECK("mkdir-again", mkdirat(d, "a", 0755));
  CHECK("mkdir-trailing-slash", mkdirat(d, "b/", 0755));
  CHECK("mkdir-missing-parent", mkdirat(d, "missing/x", 0755));
  put(d, "f", "x");
  CHECK("mkdir-under-file", mkdirat(d, "f/x", 0755));
  st("nlink-new", d, "a", 0);
  CHECK("mkdir-a-c", mkdirat(d, "a/c", 0755));
  st("nlink-one-sub", d, "a", 0);
  st("nlink-section", d, ".", 0);
  OPEN("open-a", a, diropenat(d, "a"));
  CHECK("mkdir-relative-to-a", mkdirat(a, "e", 0755));
  st("a-e", d, "a/e", 0);
  st("nlink-two-subs", a, ".", 0);
  CHECK("symlink-la", symlinkat("a", d, "la"));
  CHECK("mkdir-on-link", mkdirat(d, "la", 0755));
  CHECK("mkdir-through-link", mkdirat(d, "la/g", 0755));
  st("a-g", d, "a/g", 0);
  CHECK("mkdir-dot", mkdirat(d, ".", 0755));
  if (a >= 0) close(a);
  (void)fd;
}

static void t_rmdir(void) {
  int e, fd;
  mkdirat(d, "a", 0755);
  mkdirat(d, "a/c", 0755);
  mkdirat(d, "e", 0755);
  put(d, "f", "x");
  CHECK("rmdir-notempty", unlinkat(d, "a", AT_REMOVEDIR));
  CHECK("rmdir-file", unlinkat(d, "f", AT_REMOVEDIR));
  CHECK("rmdir-missing", unlinkat(d, "missing", AT_REMOVEDIR));
  CHECK("rmdir-dot", unlinkat(d, "a/.", AT_REMOVEDIR));
  symlinkat("e", d, "le");
  CHECK("rmdir-link", unlinkat(d, "le", AT_REMOVEDIR));
  CHECK("rmdir-link-slash", unlinkat(d, "le/", AT_REMOVEDIR));
  CHECK("rmdir-a-c", unlinkat(d, "a/c", AT_REMOVEDIR));
  st("nlink-after", d, "a", 0);
  OPEN("open-e", e, diropenat(d, "e"));
  CHECK("rmdir-e", unlinkat(d, "e", AT_REMOVEDIR));
  st("e-gone", d, "e", 0);
  // A descriptor of a removed directory: nothing can be made in it.
  OPEN("creat-in-removed", fd, openat(e, "z", O_CREAT | O_WRONLY, 0644));
  CHECK("mkdir-in-removed", mkdirat(e, "z", 0755));
  if (e >= 0) close(e);
  CHECK("rmdir-trailing-slash", unlinkat(d, "a/", AT_REMOVEDIR));
}

static void t_unlink(void) {
  int fd;
  char b[8] = {0};
  put(d, "f", "data");
  mkdirat(d, "dir", 0755);
  CHECK("unlink-dir", unlinkat(d, "dir", 0));
  CHECK("unlink-trailing-slash", unlinkat(d, "f/", 0));
  CHECK("unlink-missing", unlinkat(d, "missing", 0));
  OPEN("open-f", fd, openat(d, "f", O_RDONLY));
  CHECK("unlink", unlinkat(d, "f", 0));
  st("f-gone", d, "f", 0);
  if (fd >= 0) {   // the data stays while it is open
    printf("read-after-unlink %ld %s\n", (long)read(fd, b, 4), b);
    close(fd);
  }
  put(d, "t", "target");
  symlinkat("t", d, "lt");
  CHECK("unlink-link", unlinkat(d, "lt", 0));
  st("link-gone", d, "lt", AT_SYMLINK_NOFOLLOW);
  printf("target-kept %s\n", get(d, "t", 0));
  symlinkat("nowhere", d, "dangling");
  CHECK("unlink-dangling", unlinkat(d, "dangling", 0));
}

static void t_rename(void) {
  int r1, r2;
  mkdirat(d, "r1", 0755);
  mkdirat(d, "r2", 0755);
  OPEN("open-r1", r1, diropenat(d, "r1"));
  OPEN("open-r2", r2, diropenat(d, "r2"));
  put(r1, "f", "one");
  CHECK("between-dirfds", renameat(r1, "f", r2, "g"));
  st("old-gone", r1, "f", 0);
  printf("new-has %s\n", get(r2, "g", 0));
  put(r1, "h", "two");
  CHECK("over-file", renameat(r1, "h", r2, "g"));
  printf("replaced %s\n", get(r2, "g", 0));
  mkdirat(r1, "s", 0755);
  mkdirat(r1, "s/t", 0755);
  CHECK("into-own-subtree", renameat(r1, "s", r1, "s/t/u"));
  CHECK("onto-itself-sub", renameat(r1, "s", r1, "s/t"));
  mkdirat(r2, "full", 0755);
  put(r2, "full/x", "x");
  CHECK("over-nonempty-dir", renameat(r1, "s", r2, "full"));
  CHECK("file-over-dir", renameat(r2, "g", r2, "full"));
  CHECK("dir-over-file", renameat(r1, "s", r2, "g"));
  CHECK("missing", renameat(r1, "nothing", r2, "x"));
  CHECK("file-trailing-slash", renameat(r2, "g/", r2, "g2"));
  st("nlink-r1-before", d, "r1", 0);
  st("nlink-r2-before", d, "r2", 0);
  CHECK("dir-between-dirfds", renameat(r1, "s", r2, "s"));
  st("nlink-r1-after", d, "r1", 0);
  st("nlink-r2-after", d, "r2", 0);
  st("moved-subtree", r2, "s/t", 0);
  mkdirat(r2, "empty", 0755);
  CHECK("dir-over-empty-dir", renameat(r2, "s", r2, "empty"));
  st("empty-replaced", r2, "empty/t", 0);
  symlinkat("g", r2, "lg");
  CHECK("rename-link", renameat(r2, "lg", r2, "lg2"));
  st("link-moved", r2, "lg2", AT_SYMLINK_NOFOLLOW);
  CHECK("rename-dot", renameat(r2, ".", r2, "dot"));
  if (r1 >= 0) close(r1);
  if (r2 >= 0) close(r2);
}

static void t_stat(void) {
  put(d, "f", "12345");
  mkdirat(d, "sub", 0755);
  symlinkat("f", d, "lf");
  symlinkat("nowhere", d, "dangling");
  st("file", d, "f", 0);
  st("dir", d, "sub", 0);
  st("stat-link", d, "lf", 0);
  st("lstat-link", d, "lf", AT_SYMLINK_NOFOLLOW);
  st("stat-dangling", d, "dangling", 0);
  st("lstat-dangling", d, "dangling", AT_SYMLINK_NOFOLLOW);
  st("trailing-slash-file", d, "f/", 0);
  st("trailing-slash-dir", d, "sub/", 0);
  st("missing", d, "missing", 0);
  st("through-file", d, "f/x", 0);
  st("dotdot", d, "sub/../f", 0);
}

static void t_times(void) {
  struct timespec ts[2] = {{1, 0}, {2, 0}};
  put(d, "f", "x");
  symlinkat("f", d, "lf");
  CHECK("set-times", utimensat(d, "f", ts, 0));
  CHECK("set-times-missing", utimensat(d, "missing", ts, 0));
  CHECK("set-times-trailing-slash", utimensat(d, "f/", ts, 0));
  CHECK("set-times-nofollow", utimensat(d, "lf", ts, AT_SYMLINK_NOFOLLOW));
  CHECK("set-times-through-file", utimensat(d, "f/x", ts, 0));
}

static void t_link(void) {
  int r2, fd;
  put(d, "f", "shared");
  CHECK("link", linkat(d, "f", d, "g", 0));
  st("nlink-f", d, "f", 0);
  st("nlink-g", d, "g", 0);
  fd = openat(d, "g", O_WRONLY | O_APPEND);
  if (fd >= 0) { write(fd, "+", 1); close(fd); }
  printf("same-data %s\n", get(d, "f", 0));
  CHECK("unlink-one", unlinkat(d, "f", 0));
  printf("data-kept %s\n", get(d, "g", 0));
  st("nlink-after-unlink", d, "g", 0);
  CHECK("link-existing", linkat(d, "g", d, "g", 0));
  mkdirat(d, "dir", 0755);
  CHECK("link-dir", linkat(d, "dir", d, "dir2", 0));
  CHECK("link-missing", linkat(d, "missing", d, "m2", 0));
  symlinkat("g", d, "lg");
  CHECK("link-symlink-nofollow", linkat(d, "lg", d, "lg-hard", 0));
  st("hard-to-symlink", d, "lg-hard", AT_SYMLINK_NOFOLLOW);
  CHECK("link-symlink-follow", linkat(d, "lg", d, "g-hard", AT_SYMLINK_FOLLOW));
  st("hard-to-target", d, "g-hard", AT_SYMLINK_NOFOLLOW);
  mkdirat(d, "r2", 0755);
  OPEN("open-r2", r2, diropenat(d, "r2"));
  CHECK("link-between-dirfds", linkat(d, "g", r2, "g3", 0));
  st("nlink-three", d, "g", 0);
  CHECK("link-trailing-slash", linkat(d, "g/", d, "g4", 0));
  if (r2 >= 0) close(r2);
}

static void t_symlink(void) {
  int fd;
  char name[16], target[16];
  CHECK("symlink", symlinkat("target", d, "l"));
  CHECK("symlink-again", symlinkat("other", d, "l"));
  st("dangling", d, "l", 0);
  st("lstat", d, "l", AT_SYMLINK_NOFOLLOW);
  CHECK("symlink-empty-target", symlinkat("", d, "le"));
  CHECK("symlink-missing-dir", symlinkat("x", d, "missing/l"));
  mkdirat(d, "real", 0755);
  CHECK("symlink-dir", symlinkat("real", d, "lr"));
  OPEN("creat-through-middle", fd, openat(d, "lr/x", O_CREAT | O_WRONLY, 0644));
  if (fd >= 0) close(fd);
  st("made-in-real", d, "real/x", 0);
  CHECK("symlink-dotdot", symlinkat("../real", d, "real/up"));
  st("relative-to-link-dir", d, "real/up/x", 0);
  CHECK("loop-a", symlinkat("loop-b", d, "loop-a"));
  CHECK("loop-b", symlinkat("loop-a", d, "loop-b"));
  OPEN("open-loop", fd, openat(d, "loop-a", O_RDONLY));
  st("stat-loop", d, "loop-a", 0);
  st("lstat-loop", d, "loop-a", AT_SYMLINK_NOFOLLOW);
  CHECK("self", symlinkat("self", d, "self"));
  st("stat-self", d, "self/x", 0);
  // A chain of 40 links resolves (Linux's limit); 41 is ELOOP.
  put(d, "end", "end");
  for (int i = 1; i <= 41; i++) {
    snprintf(name, sizeof name, "c%d", i);
    if (i == 41) snprintf(target, sizeof target, "end");
    else snprintf(target, sizeof target, "c%d", i + 1);
    symlinkat(target, d, name);
  }
  printf("chain-40 %s\n", get(d, "c2", 0));
  printf("chain-41 %s\n", get(d, "c1", 0));
  // fd_readdir tells a link by its type.
  DIR *dp = fdopendir(openat(d, ".", O_RDONLY | O_DIRECTORY));
  const char *type = "missing";
  for (struct dirent *e; dp && (e = readdir(dp));) {
    if (!strcmp(e->d_name, "l")) type = e->d_type == DT_LNK ? "lnk" : "other";
  }
  if (dp) closedir(dp);
  printf("dirent-type %s\n", type);
}

static void t_readlink(void) {
  char b[64];
  int sub;
  ssize_t n;
  symlinkat("the/target", d, "l");
  put(d, "f", "x");
  errno = 0; n = readlinkat(d, "l", b, sizeof b);
  printf("readlink %s\n", n < 0 ? en(errno) : (b[n] = 0, b));
  errno = 0; n = readlinkat(d, "l", b, 3);
  printf("truncated %ld %.3s\n", (long)n, n < 0 ? en(errno) : b);
  CHECK("readlink-file", readlinkat(d, "f", b, sizeof b));
  CHECK("readlink-missing", readlinkat(d, "missing", b, sizeof b));
  mkdirat(d, "sub", 0755);
  symlinkat("../f", d, "sub/up");
  OPEN("open-sub", sub, diropenat(d, "sub"));
  errno = 0; n = readlinkat(sub, "up", b, sizeof b);
  printf("relative-to-sub %s\n", n < 0 ? en(errno) : (b[n] = 0, b));
  CHECK("readlink-dir", readlinkat(d, "sub", b, sizeof b));
  if (sub >= 0) close(sub);
}

// ---- hostile callers: the raw imports, with what libc never passes ----

#define WASI_IMPORT(name) __attribute__((import_module("wasi_snapshot_preview1"), import_name(#name)))
WASI_IMPORT(path_open) int32_t raw_path_open(int32_t, int32_t, int32_t, int32_t, int32_t, int64_t, int64_t, int32_t, int32_t);
WASI_IMPORT(path_symlink) int32_t raw_path_symlink(int32_t, int32_t, int32_t, int32_t, int32_t);
WASI_IMPORT(path_readlink) int32_t raw_path_readlink(int32_t, int32_t, int32_t, int32_t, int32_t, int32_t);
WASI_IMPORT(path_filestat_get) int32_t raw_path_filestat_get(int32_t, int32_t, int32_t, int32_t, int32_t);
WASI_IMPORT(path_rename) int32_t raw_path_rename(int32_t, int32_t, int32_t, int32_t, int32_t, int32_t);
WASI_IMPORT(path_link) int32_t raw_path_link(int32_t, int32_t, int32_t, int32_t, int32_t, int32_t, int32_t);

static void raw(const char *label, int32_t e) { printf("%s %s\n", label, en(e)); }

static void t_hostile(void) {
  static char big[5000];
  int32_t fdout = 0;
  char buf[16];
  const int32_t bad = (int32_t)0xfffffff0;
  const int64_t rights = 0x1fffffff;
  raw("open-len-2^31", raw_path_open(d, 1, (int32_t)(intptr_t)"x", (int32_t)0x80000000, 0, rights, rights, 0, (int32_t)(intptr_t)&fdout));
  raw("open-len-2^32-1", raw_path_open(d, 1, (int32_t)(intptr_t)"x", -1, 0, rights, rights, 0, (int32_t)(intptr_t)&fdout));
  raw("open-bad-ptr", raw_path_open(d, 1, bad, 8, 0, rights, rights, 0, (int32_t)(intptr_t)&fdout));
  raw("open-bad-out", raw_path_open(d, 1, (int32_t)(intptr_t)".", 1, 2, rights, rights, 0, bad));
  raw("open-nul-inside", raw_path_open(d, 1, (int32_t)(intptr_t)"a\0b", 3, 1, rights, rights, 0, (int32_t)(intptr_t)&fdout));
  raw("open-empty", raw_path_open(d, 1, (int32_t)(intptr_t)"", 0, 0, rights, rights, 0, (int32_t)(intptr_t)&fdout));
  memset(big, 'a', sizeof big);
  raw("open-path-too-long", raw_path_open(d, 1, (int32_t)(intptr_t)big, sizeof big, 0, rights, rights, 0, (int32_t)(intptr_t)&fdout));
  raw("open-name-too-long", raw_path_open(d, 1, (int32_t)(intptr_t)big, 300, 0, rights, rights, 0, (int32_t)(intptr_t)&fdout));
  raw("symlink-bad-target", raw_path_symlink(bad, 8, d, (int32_t)(intptr_t)"l", 1));
  raw("symlink-long-target", raw_path_symlink((int32_t)(intptr_t)big, sizeof big, d, (int32_t)(intptr_t)"l", 1));
  symlinkat("target", d, "l");
  raw("readlink-bad-buf", raw_path_readlink(d, (int32_t)(intptr_t)"l", 1, bad, 16, (int32_t)(intptr_t)&fdout));
  raw("readlink-bad-used", raw_path_readlink(d, (int32_t)(intptr_t)"l", 1, (int32_t)(intptr_t)buf, 16, bad));
  raw("stat-bad-out", raw_path_filestat_get(d, 0, (int32_t)(intptr_t)"l", 1, bad));
  raw("rename-bad-second", raw_path_rename(d, (int32_t)(intptr_t)"l", 1, d, bad, 4));
  raw("rename-bad-dirfd", raw_path_rename(d, (int32_t)(intptr_t)"l", 1, 999, (int32_t)(intptr_t)"m", 1));
  raw("link-len-2^31", raw_path_link(d, 0, (int32_t)(intptr_t)"l", 1, d, (int32_t)(intptr_t)"m", (int32_t)0x80000000));
  // Still in working order after all that.
  st("still-works", d, "l", AT_SYMLINK_NOFOLLOW);
}

// ---- mounts: BASE's parent holds the mount point "h" (a host directory
// with a file "file"), a tmpfs file "inguest", and the host directory's
// own parent holds a file "secret" that must stay out of reach ----

static void t_escape(const char *mnt) {
  char b[64];
  int m, fd;
  OPEN("open-mount", m, diropenat(AT_FDCWD, mnt));
  if (m < 0) return;
  printf("mount-file %s\n", get(m, "file", 0));
  // ".." from the mount's root is the guest's directory above the mount point.
  printf("dotdot-is-guest %s\n", get(m, "../inguest", 0));
  printf("dotdot-secret %s\n", get(m, "../secret", 0));
  printf("dotdot-dotdot-secret %s\n", get(m, "../../secret", 0));
  // Links made on the host: never followed out of the mount's directory.
  CHECK("host-symlink-up", symlinkat("../secret", m, "up"));
  printf("host-link-up %s\n", get(m, "up", 0));
  CHECK("host-symlink-abs", symlinkat("/etc/passwd", m, "abs"));
  printf("host-link-abs %s\n", get(m, "abs", 0));
  errno = 0; ssize_t n = readlinkat(m, "up", b, sizeof b);
  printf("host-readlink %s\n", n < 0 ? en(errno) : (b[n] = 0, b));
  st("host-lstat", m, "up", AT_SYMLINK_NOFOLLOW);
  CHECK("host-symlink-in", symlinkat("file", m, "in"));
  printf("host-link-in %s\n", get(m, "in", 0));
  CHECK("host-hardlink", linkat(m, "file", m, "file2", 0));
  st("host-nlink", m, "file", 0);
  CHECK("host-unlink-one", unlinkat(m, "file2", 0));
  // Links in the tmpfs into and through the mount: the guest's namespace.
  CHECK("tmpfs-symlink-into", symlinkat("h/file", d, "../into"));
  printf("tmpfs-link-into %s\n", get(d, "../into", 0));
  CHECK("tmpfs-symlink-through", symlinkat("h/../inguest", d, "../through"));
  printf("tmpfs-link-through %s\n", get(d, "../through", 0));
  // Across the mount boundary: EXDEV; the mount point itself stays.
  CHECK("link-across", linkat(m, "file", d, "x", 0));
  CHECK("rename-across", renameat(m, "file", d, "x"));
  CHECK("rename-mount-point", renameat(d, "../h", d, "../h2"));
  put(d, "../victim", "v");
  CHECK("rename-onto-mount-point", renameat(d, "../victim", d, "../h"));
  CHECK("rmdir-mount-point", unlinkat(d, "../h", AT_REMOVEDIR));
  printf("mount-still-there %s\n", get(AT_FDCWD, mnt, 0) /* EISDIR: a directory */);
  fd = openat(m, "file", O_RDONLY);
  printf("mount-file-again %s\n", fd < 0 ? en(errno) : "fd");
  if (fd >= 0) close(fd);
  close(m);
}

// ---- absolute paths only (resolved from the preopen, as before #12):
// what the issue says was wrong there ----

static void t_abs(const char *base, const char *mnt) {
  char p[256], q[256];
  int fd;
  snprintf(p, sizeof p, "%s/abs-f", base);
  OPEN("creat", fd, open(p, O_CREAT | O_WRONLY, 0644));
  if (fd >= 0) close(fd);
  snprintf(p, sizeof p, "%s/abs-f/", base);
  OPEN("open-file-slash", fd, open(p, O_RDONLY));
  if (fd >= 0) close(fd);
  snprintf(p, sizeof p, "%s/abs-d", base);
  CHECK("mkdir", mkdir(p, 0755));
  st("nlink-empty-dir", AT_FDCWD, p, 0);
  snprintf(q, sizeof q, "%s/abs-d/e", base);
  mkdir(q, 0755);
  st("nlink-one-subdir", AT_FDCWD, p, 0);
  snprintf(q, sizeof q, "%s/abs-d2", base);
  CHECK("rename-dir", rename(p, q));
  st("nlink-after-rename", AT_FDCWD, q, 0);
  snprintf(p, sizeof p, "%s/abs-l", base);
  CHECK("symlink", symlink("abs-f", p));
  st("lstat", AT_FDCWD, p, AT_SYMLINK_NOFOLLOW);
  snprintf(q, sizeof q, "%s2", mnt);
  CHECK("rename-mount-point", rename(mnt, q));
  struct stat sb;
  printf("mount-point-kept %s\n", stat(mnt, &sb) < 0 ? en(errno) : S_ISDIR(sb.st_mode) ? "dir" : "not-dir");
  st("nothing-at-new-name", AT_FDCWD, q, 0);
}

// ---- races: one process renames a directory to and fro while another
// walks through descriptors and paths; every answer must be a real one ----

static void t_race_rename(int n) {
  mkdirat(d, "a", 0755);
  put(d, "a/f", "x");
  int bad = 0;
  for (int i = 0; i < n; i++) {
    if (renameat(d, "a", d, "b") < 0 && errno != ENOENT) bad++;
    if (renameat(d, "b", d, "a") < 0 && errno != ENOENT) bad++;
    if (symlinkat("a", d, "l") < 0 && errno != EEXIST) bad++;
    if (unlinkat(d, "l", 0) < 0 && errno != ENOENT) bad++;
  }
  printf("rename-unexpected %d\n", bad);
}

static void t_race_walk(int n) {
  int bad = 0, ok = 0;
  for (int i = 0; i < n; i++) {
    struct stat s;
    int a = diropenat(d, "a");
    if (a >= 0) {   // wherever "a" is now, its descriptor finds f
      if (fstatat(a, "f", &s, 0) < 0) bad++; else ok++;
      close(a);
    } else if (errno != ENOENT) bad++;
    if (fstatat(d, "l/f", &s, 0) < 0 && errno != ENOENT) bad++;
    if (fstatat(d, "b/../a/f", &s, 0) < 0 && errno != ENOENT) bad++;
  }
  printf("walk-unexpected %d\n", bad);
  printf("walk-some-ok %d\n", ok > 0);
}

int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: wasi-ns BASE SECTION [N]\n"); return 2; }
  int base = open(argv[1], O_RDONLY | O_DIRECTORY);
  if (base < 0) { fprintf(stderr, "wasi-ns: %s: %s\n", argv[1], en(errno)); return 2; }
  const char *s = argv[2];
  if (!strcmp(s, "abs")) { t_abs(argv[1], argc > 3 ? argv[3] : "/mnt/h"); return 0; }
  int race = strncmp(s, "race-", 5) == 0;
  if (mkdirat(base, race ? "race" : s, 0755) < 0 && !(race && errno == EEXIST)) {
    fprintf(stderr, "wasi-ns: mkdir %s: %s\n", s, en(errno)); return 2;
  }
  d = diropenat(base, race ? "race" : s);
  if (d < 0) { fprintf(stderr, "wasi-ns: open %s: %s\n", s, en(errno)); return 2; }
  int n = argc > 3 && race ? atoi(argv[3]) : 100;
  if (!strcmp(s, "path_open")) t_open();
  else if (!strcmp(s, "path_create_directory")) t_mkdir();
  else if (!strcmp(s, "path_remove_directory")) t_rmdir();
  else if (!strcmp(s, "path_unlink_file")) t_unlink();
  else if (!strcmp(s, "path_rename")) t_rename();
  else if (!strcmp(s, "path_filestat_get")) t_stat();
  else if (!strcmp(s, "path_filestat_set_times")) t_times();
  else if (!strcmp(s, "path_link")) t_link();
  else if (!strcmp(s, "path_symlink")) t_symlink();
  else if (!strcmp(s, "path_readlink")) t_readlink();
  else if (!strcmp(s, "hostile")) t_hostile();
  else if (!strcmp(s, "escape")) t_escape(argc > 3 ? argv[3] : "/mnt/h");
  else if (!strcmp(s, "race-rename")) t_race_rename(n);
  else if (!strcmp(s, "race-walk")) t_race_walk(n);
  else { fprintf(stderr, "wasi-ns: no section %s\n", s); return 2; }
  return 0;
}
