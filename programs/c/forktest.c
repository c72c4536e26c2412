/* fork and exec as C programs use them, over the wasmux imports declared
 * directly (the C layer's fork()/execve() wrappers call the same ones).
 * One program, a mode per argv[1], so one module is transformed for all of
 * the tests (tests/fork.test.mjs, tests/exec.test.mjs). Every mode prints
 * what it saw; the tests compare it byte for byte. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

#define WX(name) __attribute__((import_module("wasmux"), import_name(name)))
WX("fork") int wx_fork(void);
WX("execve") int wx_execve(const char *path, unsigned plen, const void *argv, int argc, const void *envp, int envc);
WX("waitpid") int wx_waitpid(int pid, int *status, int options);
WX("getpid") int wx_getpid(void);
WX("getppid") int wx_getppid(void);
WX("pipe2") int wx_pipe2(int *fds, int flags);
WX("open") int wx_open(const char *path, unsigned plen, int flags, int mode);
WX("close") int wx_close(int fd);
WX("read") int wx_read(int fd, void *buf, unsigned len);
WX("write") int wx_write(int fd, const void *buf, unsigned len);
WX("dup2") int wx_dup2(int oldfd, int newfd);
WX("fstat") int wx_fstat(int fd, void *st);
WX("lseek") long long wx_lseek(int fd, long long off, int whence);

#define L_O_WRONLY 1
#define L_O_RDWR 2
#define L_O_CREAT 0x40
#define L_O_TRUNC 0x200
#define L_O_CLOEXEC 0x80000

struct str { const char *p; unsigned n; };

static int status_of(int pid) {
  int st = 0;
  int r = wx_waitpid(pid, &st, 0);
  if (r != pid) { printf("waitpid(%d) = %d\n", pid, r); return -1; }
  return st;
}


static int execv_(const char *path, int argc, const char **argv) {
  struct str a[16];
  for (int i = 0; i < argc; i++) { a[i].p = argv[i]; a[i].n = strlen(argv[i]); }
  return wx_execve(path, strlen(path), a, argc, 0, 0);
}

int g_counter = 10;             /* .data */
static char big[1 << 20];       /* .bss, 1 MiB */

/* fork 3 frames deep: the child returns through the same frames */
static int deep(int n) { if (n == 0) return wx_fork(); int r = deep(n - 1); return r + n * 0; }

static int basic(void) {
  char *heap = malloc(64);
  strcpy(heap, "parent-heap");
  memset(big, 'p', sizeof big);
  int local = 42;
  int pid = deep(3);
  if (pid < 0) { printf("fork = %d\n", pid); return 1; }
  if (pid == 0) {
    /* the child sees the parent's memory as it was at the fork ... */
    printf("child: counter=%d heap=%s big=%c%c local=%d ppid-ok=%d\n", g_counter, heap,
           big[0], big[sizeof big - 1], local, wx_getppid() > 0);
    /* ... and its own writes stay its own */
    g_counter = 99; strcpy(heap, "child-heap"); memset(big, 'c', sizeof big); local = 7;
    printf("child: counter=%d heap=%s big=%c local=%d\n", g_counter, heap, big[4096], local);
    fflush(stdout);
    _exit(7);
  }
  int st = status_of(pid);
  printf("parent: child exited %d (status %d)\n", (st >> 8) & 0xff, st);
  printf("parent: counter=%d heap=%s big=%c%c local=%d\n", g_counter, heap, big[0], big[sizeof big - 1], local);
  /* the parent's writes after the fork: the child (gone) never saw them;
   * a second child sees them */
  g_counter = 11;
  pid = wx_fork();
  if (pid == 0) { printf("child2: counter=%d\n", g_counter); fflush(stdout); _exit(0); }
  status_of(pid);
  return 0;
}

/* the parent changes memory after the fork, the child must not see it */
static int isolation(void) {
  int fds[2];
  wx_pipe2(fds, 0);
  g_counter = 1;
  int pid = wx_fork();
  if (pid == 0) {
    char c;
    wx_read(fds[0], &c, 1);     /* wait until the parent has written its copy */
    printf("child: counter=%d\n", g_counter);
    fflush(stdout);
    _exit(0);
  }
  g_counter = 2;
  wx_write(fds[1], "x", 1);
  status_of(pid);
  printf("parent: counter=%d\n", g_counter);
  return 0;
}

/* Forked siblings one after another: each sees exactly the parent's memory
 * and globals of its moment, none of what the one before it wrote (a worker
 * may run a child on the instance and memory an ended sibling used:
 * host/process.ts recycle). Each child scribbles over all of it first. */
static int g_round = -1;
static char g_static[8192];
static int siblings(int rounds) {
  enum { HEAP = 256 * 1024 };
  unsigned char *heap = malloc(HEAP);
  if (!heap) { printf("malloc failed\n"); return 1; }
  memset(heap, 0, HEAP);
  for (int i = 0; i < rounds; i++) {
    g_round = i;
    heap[i * 97] = (unsigned char)(i + 1);
    g_static[i] = (char)(i + 1);
    int local = 1000 + i;
    int pid = wx_fork();
    if (pid < 0) { printf("fork failed: %d\n", pid); return 1; }
    if (pid == 0) {
      int bad = g_round != i || local != 1000 + i;
      for (int j = 0; j < HEAP; j++) {
        unsigned char want = (j % 97 == 0 && j / 97 <= i) ? (unsigned char)(j / 97 + 1) : 0;
        if (heap[j] != want) { bad = 1; break; }
      }
      for (int j = 0; j < (int)sizeof g_static; j++) {
        if (g_static[j] != (j <= i ? (char)(j + 1) : 0)) { bad = 1; break; }
      }
      /* What a sibling after this one must not see. */
      memset(heap, 0x55, HEAP);
      memset(g_static, 0x55, sizeof g_static);
      g_round = -7;
      _exit(bad ? 3 : 0);
    }
    int st = status_of(pid);
    if (st != 0) { printf("round %d: child status %d\n", i, st); return 1; }
  }
  printf("siblings ok %d\n", rounds);
  return 0;
}

/* one open file description: the offset moves for both */
static int offsets(void) {
  const char *path = "/tmp/fork-offsets";
  int fd = wx_open(path, strlen(path), L_O_RDWR | L_O_CREAT | L_O_TRUNC, 0644);
  wx_write(fd, "ab", 2);
  int pid = wx_fork();
  if (pid == 0) { wx_write(fd, "cd", 2); _exit(0); }
  status_of(pid);
  wx_write(fd, "ef", 2);
  long long end = wx_lseek(fd, 0, 1);
  char buf[16] = {0};
  wx_lseek(fd, 0, 0);
  int n = wx_read(fd, buf, sizeof buf - 1);
  printf("offset=%lld content=%.*s\n", end, n, buf);
  return 0;
}

/* fork in the child and in the grandchild: every level reaps its own */
static int nested(int depth) {
  int level = 0;
  for (int i = 0; i < depth; i++) {
    int pid = wx_fork();
    if (pid < 0) { printf("fork = %d\n", pid); return 1; }
    if (pid > 0) {
      int st = status_of(pid);
      printf("level %d: child exited %d\n", level, (st >> 8) & 0xff);
      fflush(stdout);
      if (level == 0) return 0;
      _exit(level);
    }
    level++;
  }
  printf("level %d: leaf, parent is level %d\n", level, level - 1);
  fflush(stdout);
  _exit(depth);
}

/* fork after pipe: the child writes, the parent reads to EOF */
static int pipes(void) {
  int fds[2];
  wx_pipe2(fds, 0);
  int pid = wx_fork();
  if (pid == 0) {
    wx_close(fds[0]);
    for (int i = 0; i < 3; i++) { char line[32]; int n = snprintf(line, sizeof line, "line %d\n", i); wx_write(fds[1], line, n); }
    _exit(0);
  }
  wx_close(fds[1]);
  char buf[256]; int total = 0, n;
  while ((n = wx_read(fds[0], buf + total, sizeof buf - 1 - total)) > 0) total += n;
  buf[total] = 0;
  printf("parent read %d bytes: %s", total, buf);
  printf("child status %d\n", status_of(pid));
  return 0;
}

/* a pipeline built with fork, dup2 and exec: echo a b c | wc -c */
static int pipeline(void) {
  int fds[2];
  wx_pipe2(fds, 0);
  int a = wx_fork();
  if (a == 0) {
    wx_dup2(fds[1], 1); wx_close(fds[0]); wx_close(fds[1]);
    const char *argv[] = { "echo", "a", "b", "c" };
    int r = execv_("/bin/echo", 4, argv);
    printf("exec echo = %d\n", r);
    _exit(127);
  }
  int b = wx_fork();
  if (b == 0) {
    wx_dup2(fds[0], 0); wx_close(fds[0]); wx_close(fds[1]);
    const char *argv[] = { "wc", "-c" };
    int r = execv_("/bin/wc", 2, argv);
    printf("exec wc = %d\n", r);
    _exit(127);
  }
  wx_close(fds[0]); wx_close(fds[1]);
  int sa = status_of(a), sb = status_of(b);
  printf("statuses %d %d\n", sa, sb);
  return 0;
}

/* exec keeps descriptors, closes FD_CLOEXEC ones, keeps the pid */
static int execfds(const char *self) {
  const char *p1 = "/tmp/exec-keep", *p2 = "/tmp/exec-close";
  int keep = wx_open(p1, strlen(p1), L_O_WRONLY | L_O_CREAT | L_O_TRUNC, 0644);
  int gone = wx_open(p2, strlen(p2), L_O_WRONLY | L_O_CREAT | L_O_TRUNC | L_O_CLOEXEC, 0644);
  wx_write(keep, "before-", 7);
  printf("pid %d opens keep=%d cloexec=%d\n", wx_getpid(), keep, gone);
  fflush(stdout);
  char k[8], c[8];
  snprintf(k, sizeof k, "%d", keep);
  snprintf(c, sizeof c, "%d", gone);
  const char *argv[] = { "forktest", "fdcheck", k, c };
  int r = execv_(self, 4, argv);
  printf("exec = %d\n", r);
  return 1;
}

static int fdcheck(int keep, int gone) {
  unsigned char st[128];
  printf("after exec: pid %d keep open=%d cloexec open=%d\n", wx_getpid(),
         wx_fstat(keep, st) == 0, wx_fstat(gone, st) == 0);
  /* the kept descriptor's offset came along too */
  wx_write(keep, "after", 5);
  return 0;
}

/* every way exec can fail leaves the caller running, with the errno */
static int execerrors(void) {
  const char *argv[] = { "x" };
  printf("missing: %d\n", execv_("/no/such/program", 1, argv));
  printf("directory: %d\n", execv_("/tmp", 1, argv));
  const char *txt = "/tmp/not-wasm";
  int fd = wx_open(txt, strlen(txt), L_O_WRONLY | L_O_CREAT | L_O_TRUNC, 0755);
  wx_write(fd, "hello world\n", 12); wx_close(fd);
  printf("not wasm: %d\n", execv_(txt, 1, argv));
  const char *bad = "/tmp/bad-wasm";
  fd = wx_open(bad, strlen(bad), L_O_WRONLY | L_O_CREAT | L_O_TRUNC, 0755);
  wx_write(fd, "\0asm\1\0\0\0\xff\xff", 10); wx_close(fd);
  printf("invalid wasm: %d\n", execv_(bad, 1, argv));
  struct str badv[1] = { { (const char *)0x7ffffff0, 4 } };
  printf("bad argv string: %d\n", wx_execve("/bin/true", 9, badv, 1, 0, 0));
  printf("bad argv vector: %d\n", wx_execve("/bin/true", 9, (void *)0xfffffff0, 2, 0, 0));
  printf("bad envp: %d\n", wx_execve("/bin/true", 9, 0, 0, (void *)0xfffffff0, 1));
  printf("bad path: %d\n", wx_execve((const char *)0xfffffff0, 9, 0, 0, 0, 0));
  static char huge[(1 << 20) + 16];
  memset(huge, 'a', sizeof huge - 1);
  struct str hv[1] = { { huge, sizeof huge - 1 } };
  printf("too long: %d\n", wx_execve("/bin/true", 9, hv, 1, 0, 0));
  printf("still running: pid %d\n", wx_getpid());
  return 0;
}

/* a forked child that computes without syscalls (it dies at a safepoint
 * of the transformed module when the test kills it): the parent prints its
 * pid, then how it ended */
static int spinchild(void) {
  int pid = wx_fork();
  if (pid == 0) {
    volatile unsigned x = 1;
    for (;;) x = x * 1103515245u + 12345u;
  }
  printf("child %d\n", pid);
  fflush(stdout);
  int st = status_of(pid);
  printf("child signal %d\n", st & 0x7f);
  return 0;
}

/* fork until the process table is full: EAGAIN, then everything is reaped */
static int bomb(void) {
  int fds[2];
  wx_pipe2(fds, 0);
  int pids[1024], n = 0, err = 0;
  for (;;) {
    int pid = wx_fork();
    if (pid == 0) { char c; wx_close(fds[1]); wx_read(fds[0], &c, 1); _exit(3); }
    if (pid < 0) { err = pid; break; }
    pids[n++] = pid;
    if (n == 1024) break;
  }
  wx_close(fds[1]);   /* EOF: every child exits */
  int ok = 0;
  for (int i = 0; i < n; i++) if (status_of(pids[i]) == (3 << 8)) ok++;
  printf("forked %d, then %d; reaped %d\n", n, err, ok);
  return 0;
}

/* fork + _exit + wait, timed: the benchmark row (bench/fork.mjs) */
static int bench(int rounds, int touch_kib) {
  char *mem = malloc((size_t)touch_kib * 1024 + 1);
  memset(mem, 1, (size_t)touch_kib * 1024);
  for (int i = 0; i < 5; i++) { int pid = wx_fork(); if (pid == 0) _exit(0); if (pid > 0) status_of(pid); }
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  for (int i = 0; i < rounds; i++) {
    int pid = wx_fork();
    if (pid == 0) _exit(0);
    if (pid < 0 || status_of(pid) != 0) { printf("fork failed\n"); return 1; }
  }
  clock_gettime(CLOCK_MONOTONIC, &b);
  double us = ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / 1e3 / rounds;
  /* mem is read here, as native/fork_touched.c does: otherwise the compiler drops the malloc and memset as dead, and the forks copy no 1 MiB */
  printf("{\"name\":\"fork_touched\",\"value\":%.3f,\"unit\":\"us\",\"rounds\":%d,\"touched_kib\":%d,\"check\":%d}\n", us, rounds, touch_kib, mem[touch_kib * 512]);
  return 0;
}

/* fork + exec + wait, timed */
static int benchexec(int rounds, const char *prog) {
  for (int i = 0; i < 5; i++) {
    int pid = wx_fork();
    if (pid == 0) { const char *argv[] = { prog }; execv_(prog, 1, argv); _exit(127); }
    if (pid > 0) status_of(pid);
  }
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  for (int i = 0; i < rounds; i++) {
    int pid = wx_fork();
    if (pid == 0) { const char *argv[] = { prog }; execv_(prog, 1, argv); _exit(127); }
    if (pid < 0 || status_of(pid) != 0) { printf("fork/exec failed\n"); return 1; }
  }
  clock_gettime(CLOCK_MONOTONIC, &b);
  printf("{\"name\":\"fork_exec_wait\",\"value\":%.3f,\"unit\":\"us\",\"rounds\":%d}\n",
         ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / 1e3 / rounds, rounds);
  return 0;
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "basic";
  setvbuf(stdout, 0, _IOLBF, 0);
  if (!strcmp(mode, "basic")) return basic();
  if (!strcmp(mode, "isolation")) return isolation();
  if (!strcmp(mode, "offsets")) return offsets();
  if (!strcmp(mode, "nested")) return nested(argc > 2 ? atoi(argv[2]) : 3);
  if (!strcmp(mode, "pipes")) return pipes();
  if (!strcmp(mode, "pipeline")) return pipeline();
  if (!strcmp(mode, "execfds")) return execfds(argc > 2 ? argv[2] : "/tmp/forktest.wasm");
  if (!strcmp(mode, "fdcheck")) return fdcheck(atoi(argv[2]), atoi(argv[3]));
  if (!strcmp(mode, "execerrors")) return execerrors();
  if (!strcmp(mode, "bomb")) return bomb();
  if (!strcmp(mode, "spinchild")) return spinchild();
  if (!strcmp(mode, "siblings")) return siblings(atoi(argv[2]));
  if (!strcmp(mode, "bench")) return bench(atoi(argv[2]), atoi(argv[3]));
  if (!strcmp(mode, "benchexec")) return benchexec(atoi(argv[2]), argv[3]);
  if (!strcmp(mode, "exit")) return atoi(argv[2]);
  if (!strcmp(mode, "exec") && argc > 3) {
    printf("exec = %d\n", execv_(argv[2], argc - 3 > 15 ? 15 : argc - 3, (const char **)argv + 3));
    return 1;
  }
  printf("unknown mode %s\n", mode);
  return 2;
}
