/* cproc: the C layer's process resources, creation modes, fexecve, fchdir
 * below a mount and setpgid after exec (issue 13's last points); run with
 * the name of a group, prints "label value" lines (value: a result, or an
 * errno name). tests/clayer-proc.test.mjs checks them. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "report.h"

static char *self;   /* argv[0]: this program, for the children it runs */

static unsigned perm(const char *path) {
  struct stat st;
  if (stat(path, &st) < 0) return 07777;
  return (unsigned)(st.st_mode & 07777);
}

/* open/openat/fopen create with mode & ~umask (point 4). */
static void t_mode(void) {
  mkdir("/tmp/cm", 0777);
  umask(022);
  int fd = open("/tmp/cm/a", O_WRONLY | O_CREAT, 0600);
  printf("open-0600 %o\n", perm("/tmp/cm/a"));
  close(fd);
  fd = open("/tmp/cm/b", O_RDWR | O_CREAT | O_EXCL, 0777);
  printf("open-0777-umask022 %o\n", perm("/tmp/cm/b"));
  close(fd);
  R("open-excl-exists", open("/tmp/cm/b", O_RDWR | O_CREAT | O_EXCL, 0777));
  /* An existing file keeps its mode (O_CREAT without O_EXCL). */
  fd = open("/tmp/cm/a", O_WRONLY | O_CREAT | O_TRUNC, 0777);
  printf("open-existing %o\n", perm("/tmp/cm/a"));
  close(fd);
  int d = open("/tmp/cm", O_RDONLY | O_DIRECTORY);
  fd = openat(d, "c", O_WRONLY | O_CREAT, 0640);
  printf("openat-0640 %o\n", perm("/tmp/cm/c"));
  printf("openat-fd-ok %d\n", fd >= 0 && write(fd, "x", 1) == 1);
  close(fd);
  R("openat-badfd", openat(99, "x", O_WRONLY | O_CREAT, 0600));
  R("open-badpath", open(BAD, O_WRONLY | O_CREAT, 0600));
  umask(0);
  fd = openat(d, "e", O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
  printf("openat-umask0 %o cloexec %d\n", perm("/tmp/cm/e"), fcntl(fd, F_GETFD) == FD_CLOEXEC);
  close(fd);
  close(d);
  umask(077);
  FILE *f = fopen("/tmp/cm/f", "w");
  printf("fopen-umask077 %o\n", perm("/tmp/cm/f"));
  fclose(f);
  /* A relative name: the kernel's cwd. */
  umask(022);
  chdir("/tmp/cm");
  fd = open("g", O_WRONLY | O_CREAT, 0604);
  printf("open-rel %o\n", perm("/tmp/cm/g"));
  close(fd);
}

/* Waits for one byte on fd (the other side's "ready"); 1 if it came. */
static int ready(int fd) { char c; return read(fd, &c, 1) == 1; }

/* setpgid on forked children (point 5): moved before exec, EACCES after,
 * EPERM once it is in another session, ESRCH for a non-child. */
static void t_pgid(void) {
  pid_t me = getpid();
  R("setpgid-self", setpgid(0, 0));
  int up[2], down[2];
  pipe(up); pipe(down);
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) {
    /* Stays un-exec'd until told, then execs "signal": writes to fd 1, reads fd 0 to EOF. */
    close(up[0]); close(down[1]);
    write(up[1], "f", 1);
    if (!ready(down[0])) _exit(3);
    dup2(up[1], 1); dup2(down[0], 0);
    char *av[] = { self, "signal", NULL };
    execv(self, av);
    _exit(4);
  }
  close(up[1]); close(down[0]);
  printf("forked-ready %d\n", ready(up[0]));
  R("setpgid-forked-own", setpgid(c, c));
  printf("child-pgid-own %d\n", getpgid(c) == c);
  R("setpgid-forked-back", setpgid(c, me));
  printf("child-pgid-back %d\n", getpgid(c) == me);
  R("setpgid-missing-group", setpgid(c, 77777));
  write(down[1], "g", 1);
  printf("execd-ready %d\n", ready(up[0]));
  R("setpgid-after-exec", setpgid(c, c));
  R("setpgid-after-exec-back", setpgid(c, me));
  printf("child-pgid-unchanged %d\n", getpgid(c) == me);
  close(down[1]);
  int st;
  printf("wait %d status %d\n", waitpid(c, &st, 0) == c, WEXITSTATUS(st));
  close(up[0]);
  /* A child in a session of its own. */
  pipe(up); pipe(down);
  fflush(stdout);
  c = fork();
  if (c == 0) {
    close(up[0]); close(down[1]);
    int ok = setsid() == getpid();
    write(up[1], ok ? "s" : "n", 1);
    ready(down[0]);
    _exit(0);
  }
  close(up[1]); close(down[0]);
  char b = 0;
  read(up[0], &b, 1);
  printf("child-setsid %c\n", b);
  R("setpgid-other-session", setpgid(c, c));
  R("setpgid-other-session-join", setpgid(c, me));
  close(down[1]);
  waitpid(c, &st, 0);
  close(up[0]);
  R("setpgid-nonchild", setpgid(1, 0));
  R("setpgid-missing", setpgid(99999, 0));
}

/* fchdir into directories below a host mount at /mnt/h (point 3). */
static void t_fchdir(void) {
  char b[PATH_MAX];
  int d = open("/mnt/h/sub", O_RDONLY | O_DIRECTORY);
  R("fchdir-host", fchdir(d));
  printf("cwd %s\n", getcwd(b, sizeof b));
  int fd = open("deep/f.txt", O_RDONLY);
  char c[16] = {0};
  printf("read-rel %ld %s\n", (long)read(fd, c, sizeof c - 1), c);
  close(fd);
  int e = openat(d, "deep", O_RDONLY | O_DIRECTORY);
  R("fchdir-host-deep", fchdir(e));
  printf("cwd %s\n", getcwd(b, sizeof b));
  struct stat st;
  printf("stat-rel %d\n", stat("f.txt", &st) == 0 && st.st_size == 5);
  R("chdir-dotdot", chdir("../.."));
  printf("cwd %s\n", getcwd(b, sizeof b));
  int root = open("/mnt/h", O_RDONLY | O_DIRECTORY);
  R("fchdir-mount-root", fchdir(root));
  printf("cwd %s\n", getcwd(b, sizeof b));
  fd = open("/mnt/h/sub/deep/f.txt", O_RDONLY);
  R("fchdir-host-file", fchdir(fd));
  close(fd);
  /* A child starts in the cwd fchdir gave. */
  R("fchdir-back", fchdir(e));
  fflush(stdout);
  pid_t c2 = fork();
  if (c2 == 0) { printf("child-cwd %s\n", getcwd(b, sizeof b)); fflush(stdout); _exit(0); }
  int s2;
  waitpid(c2, &s2, 0);
  close(d); close(e); close(root);
}

/* Copies file `from` to a new file `to` with `mode`; 0 or -1. */
static int copy(const char *from, const char *to, mode_t mode) {
  int in = open(from, O_RDONLY), out = open(to, O_WRONLY | O_CREAT | O_TRUNC, mode);
  if (in < 0 || out < 0) return -1;
  char b[4096];
  ssize_t n;
  while ((n = read(in, b, sizeof b)) > 0) if (write(out, b, (size_t)n) != n) return -1;
  close(in); close(out);
  return n < 0 ? -1 : 0;
}

static void put(const char *path, const char *text, mode_t mode) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
  write(fd, text, strlen(text));
  close(fd);
}

/* fexecve in a forked child; prints what the parent saw. */
static void fexec_child(const char *label, int fd, int cloexec) {
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) {
    if (cloexec) fcntl(fd, F_SETFD, FD_CLOEXEC);
    char *av[] = { "fx", "execd", NULL };
    char *ev[] = { "WX=fexecve", NULL };
    fexecve(fd, av, ev);
    printf("%s-child-failed %s\n", label, ename(errno));
    fflush(stdout);
    _exit(1);
  }
  int st;
  waitpid(c, &st, 0);
  printf("%s-child %d status %d\n", label, c, WEXITSTATUS(st));
}

/* fexecve (point 2): tmpfs and mount files, EBADF, EACCES, ENOEXEC; the caller goes on. */
static void t_fexecve(void) {
  umask(0);
  char *av[] = { "fx", "execd", NULL };
  R("fexecve-badfd", fexecve(99, av, environ));
  int dir = open("/tmp", O_RDONLY | O_DIRECTORY);
  R("fexecve-dir", fexecve(dir, av, environ));
  close(dir);
  int p[2];
  pipe(p);
  R("fexecve-pipe", fexecve(p[0], av, environ));
  close(p[0]); close(p[1]);
  copy(self, "/tmp/fx-noexec", 0644);
  int fd = open("/tmp/fx-noexec", O_RDONLY);
  R("fexecve-noexec", fexecve(fd, av, environ));
  close(fd);
  put("/tmp/fx-text", "hello, not a program\n", 0755);
  fd = open("/tmp/fx-text", O_RDONLY);
  R("fexecve-text", fexecve(fd, av, environ));
  close(fd);
  put("/tmp/fx-script", "#!/bin/sh\necho script\n", 0755);
  fd = open("/tmp/fx-script", O_RDONLY);
  R("fexecve-script", fexecve(fd, av, environ));
  close(fd);
  R("fexecve-badargv", fexecve(0, BAD, environ));
  /* A program by descriptor: the inode, even once its name is gone. */
  copy(self, "/tmp/fx-prog", 0755);
  fd = open("/tmp/fx-prog", O_RDONLY);
  R("unlink", unlink("/tmp/fx-prog"));
  fexec_child("tmpfs", fd, 0);
  fexec_child("tmpfs-cloexec", fd, 1);
  close(fd);
  fd = open("/mnt/h/prog.wasm", O_RDONLY);
  fexec_child("mount", fd, 0);
  close(fd);
  fd = open("/mnt/h/noexec.wasm", O_RDONLY);
  R("fexecve-mount-noexec", fexecve(fd, av, environ));
  close(fd);
  printf("caller-goes-on 1\n");
}

static long long us(struct timeval t) { return (long long)t.tv_sec * 1000000 + t.tv_usec; }

/* Computes in the guest until its own utime reaches `min_us` (a condition on what it measures). */
static volatile unsigned sink;
static void burn(long long min_us) {
  struct rusage ru;
  do {
    for (unsigned i = 0; i < 200000; i++) sink = sink * 1103515245u + i;
    getrusage(RUSAGE_SELF, &ru);
  } while (us(ru.ru_utime) < min_us);
}

/* Touches `mib` MiB of fresh heap (the memory grows). */
/* errno read for real: clang takes malloc for a function that writes no global (errno included). */
static int E(void) { return *(volatile int *)&errno; }
static char *volatile grown;   /* kept, so the compiler cannot drop the allocation */
static void grow(int mib) {
  grown = malloc((size_t)mib << 20);
  if (grown) memset(grown, 1, (size_t)mib << 20);
}

/* getrusage, wait4/wait3 (point 1). */
static void t_rusage(void) {
  struct rusage a, b, c;
  R("children-before", getrusage(RUSAGE_CHILDREN, &c));
  printf("children-zero %d\n", us(c.ru_utime) == 0 && us(c.ru_stime) == 0 && c.ru_maxrss == 0);
  getrusage(RUSAGE_SELF, &a);
  burn(us(a.ru_utime) + 20000);   /* from a: loading the program (its transforms) is time on the worker too */
  for (int i = 0; i < 2000; i++) getppid();   /* kernel time */
  grow(8);
  R("self", getrusage(RUSAGE_SELF, &b));
  printf("utime-grew %d\n", us(b.ru_utime) >= us(a.ru_utime) + 20000);
  printf("stime-monotonic %d\n", us(b.ru_stime) >= us(a.ru_stime));
  printf("usec-ok %d\n", b.ru_utime.tv_usec < 1000000 && b.ru_stime.tv_usec < 1000000);
  printf("maxrss-self %d\n", b.ru_maxrss >= 8 * 1024 && b.ru_maxrss <= (long)(__builtin_wasm_memory_size(0) * 64));
  /* Time asleep is no one's CPU time; time computing is, and never more than the clock saw. */
  struct timespec t0, t1;
  getrusage(RUSAGE_SELF, &a);
  clock_gettime(CLOCK_MONOTONIC, &t0);
  usleep(100000);
  burn(us(a.ru_utime) + 10000);
  getrusage(RUSAGE_SELF, &b);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  long long wall = (t1.tv_sec - t0.tv_sec) * 1000000LL + (t1.tv_nsec - t0.tv_nsec) / 1000;
  long long cpu = us(b.ru_utime) + us(b.ru_stime) - us(a.ru_utime) - us(a.ru_stime);
  printf("sleep-not-counted %d\n", cpu >= 10000 && cpu < wall - 50000);
  printf("cpu-within-wall %d\n", cpu <= wall + 1000);
  R("thread", getrusage(RUSAGE_THREAD, &c));
  R("bad-who", getrusage(5, &c));
  R("bad-ptr", getrusage(RUSAGE_SELF, BAD));
  /* A child that computes 30 ms and grows 16 MiB; wait4 reports it. */
  fflush(stdout);
  pid_t k = fork();
  if (k == 0) { grow(16); burn(30000); _exit(0); }
  int st;
  R("wait4-badptr", wait4(k, &st, 0, BAD));
  pid_t w = wait4(k, &st, 0, &a);
  printf("wait4 %d\n", w == k);
  printf("wait4-utime %d\n", us(a.ru_utime) >= 30000);
  printf("wait4-maxrss %d\n", a.ru_maxrss >= 16 * 1024);
  getrusage(RUSAGE_CHILDREN, &c);
  printf("children-is-wait4 %d\n", us(c.ru_utime) == us(a.ru_utime) && us(c.ru_stime) == us(a.ru_stime) && c.ru_maxrss == a.ru_maxrss);
  /* A grandchild's usage reaches us through the child that reaped it. */
  fflush(stdout);
  k = fork();
  if (k == 0) {
    pid_t g = fork();
    if (g == 0) { burn(25000); _exit(0); }
    waitpid(g, &st, 0);
    _exit(0);
  }
  w = wait3(&st, 0, &b);
  printf("wait3 %d\n", w == k);
  printf("wait3-includes-grandchild %d\n", us(b.ru_utime) >= 25000);
  getrusage(RUSAGE_CHILDREN, &c);
  /* (Sums of ns, shown in whole us: the parts may each lose one.) */
  long long d = us(c.ru_utime) - us(a.ru_utime) - us(b.ru_utime);
  printf("children-sum %d\n", d >= 0 && d <= 1);
  printf("children-maxrss-max %d\n", c.ru_maxrss == (a.ru_maxrss > b.ru_maxrss ? a.ru_maxrss : b.ru_maxrss));
  /* Unwaited: nothing yet; WNOHANG with a running child leaves the record alone. */
  R("wait4-none", wait4(-1, &st, WNOHANG, &a));
}

static void lim(const char *label, int res) {
  struct rlimit rl;
  if (getrlimit(res, &rl) < 0) { R(label, -1); return; }
  if (rl.rlim_cur == RLIM_INFINITY) printf("%s inf", label); else printf("%s %llu", label, rl.rlim_cur);
  if (rl.rlim_max == RLIM_INFINITY) printf(" inf\n"); else printf(" %llu\n", rl.rlim_max);
}

/* What a program under a limit can get: malloc of 8 MiB, and memory.grow past the limit directly. */
static void asprobe(const char *who) {
  errno = 0;
  grown = malloc(8u << 20);
  printf("%s-malloc-8m %s\n", who, grown ? "ok" : ename(E()));
  struct rlimit rl;
  getrlimit(RLIMIT_AS, &rl);
  size_t pages = __builtin_wasm_memory_size(0);
  size_t want = rl.rlim_cur == RLIM_INFINITY ? 16 : (size_t)(rl.rlim_cur >> 16) - pages + 1;
  printf("%s-grow-past %d\n", who, (int)__builtin_wasm_memory_grow(0, want) == -1);
  grown = malloc(1000);
  printf("%s-small ok %d\n", who, grown != NULL);
}

/* RLIMIT_AS / RLIMIT_DATA (point 7). */
static void t_rlimit(void) {
  lim("as", RLIMIT_AS);
  lim("data", RLIMIT_DATA);
  unsigned long long mem = (unsigned long long)__builtin_wasm_memory_size(0) << 16;
  struct rlimit rl = { mem + (2u << 20), RLIM_INFINITY };
  R("setrlimit-as", setrlimit(RLIMIT_AS, &rl));
  struct rlimit got;
  getrlimit(RLIMIT_DATA, &got);
  printf("data-alias %d\n", got.rlim_cur == rl.rlim_cur);
  asprobe("self");
  /* Inherited by fork and by spawn; a spawned program's memory itself stops at the limit. */
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) { asprobe("forked"); fflush(stdout); _exit(0); }
  int st;
  waitpid(c, &st, 0);
  /* A limit for a fresh program: 1 MiB more than it starts with. */
  struct rlimit small = { (4u << 20), RLIM_INFINITY };
  setrlimit(RLIMIT_AS, &small);
  char *av[] = { self, "asprobe", NULL };
  fflush(stdout);
  c = fork();
  if (c == 0) { execv(self, av); _exit(9); }
  waitpid(c, &st, 0);
  printf("execd-status %d\n", WEXITSTATUS(st));
  struct rlimit bad = { 10, 5 };
  R("soft-gt-hard", setrlimit(RLIMIT_AS, &bad));
  struct rlimit hard = { 1u << 30, 1u << 30 };
  R("lower-hard", setrlimit(RLIMIT_AS, &hard));
  struct rlimit up = { 1u << 30, RLIM_INFINITY };
  R("raise-hard", setrlimit(RLIMIT_AS, &up));
  lim("as-now", RLIMIT_AS);
  R("setrlimit-badptr", setrlimit(RLIMIT_AS, BAD));
  errno = 0;
  grown = malloc(8u << 20);
  printf("after-raise-malloc-8m %s\n", grown ? "ok" : ename(E()));
}

int main(int argc, char **argv) {
  self = argv[0];
  const char *m = argc > 1 ? argv[1] : "";
  if (!strcmp(m, "exit")) return atoi(argv[2]);
  if (!strcmp(m, "signal")) { char c; write(1, "e", 1); while (read(0, &c, 1) > 0) {} return 5; }
  if (!strcmp(m, "execd")) { printf("execd pid %d argv0 %s env %s\n", getpid(), argv[0], getenv("WX")); return 6; }
  if (!strcmp(m, "forkwait")) {
    /* Forks once the file argv[2] exists (tests: a fork whose worker dies before the commit). */
    struct stat st;
    while (stat(argv[2], &st) < 0) usleep(1000);
    pid_t c = fork();
    if (c == 0) _exit(0);
    int s2;
    waitpid(c, &s2, 0);
    printf("forked %d\n", c > 0);
    return 0;
  }
  if (!strcmp(m, "asprobe")) { asprobe("execd"); lim("execd-as", RLIMIT_AS); return 0; }
  if (!strcmp(m, "mode")) t_mode();
  else if (!strcmp(m, "rlimit")) t_rlimit();
  else if (!strcmp(m, "rusage")) t_rusage();
  else if (!strcmp(m, "fexecve")) t_fexecve();
  else if (!strcmp(m, "pgid")) t_pgid();
  else if (!strcmp(m, "fchdir")) t_fchdir();
  else { fprintf(stderr, "usage: cproc GROUP\n"); return 2; }
  return 0;
}
