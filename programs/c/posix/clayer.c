/* clayer: exercises the C layer one function at a time; run with the name
 * of a group, prints "label value" lines (value: a result, or an errno
 * name). tests/clayer.test.mjs checks them. Helpers modes: "exit N",
 * "pgrp" (prints its group and session), "readwait" (reads stdin to EOF). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "report.h"

/* Prints an error-number result (posix_spawn style): 0, or its name. */
static void RE(const char *label, int e) {
  if (e) printf("%s %s\n", label, ename(e));
  else printf("%s 0\n", label);
}

static char *self;   /* argv[0]: this program, for the children it spawns */

static pid_t child(char *const argv[], posix_spawn_file_actions_t *fa, posix_spawnattr_t *at) {
  pid_t pid;
  int e = posix_spawn(&pid, self, fa, at, argv, environ);
  if (e) { printf("spawn-failed %s\n", ename(e)); return -1; }
  return pid;
}

static void t_pipe(void) {
  int p[2];
  R("pipe", pipe(p));
  R("write", write(p[1], "abc", 3));
  char b[8] = {0};
  R("read", read(p[0], b, sizeof b));
  printf("bytes %s\n", b);
  R("getfd-plain", fcntl(p[0], F_GETFD));
  close(p[0]); close(p[1]);
  R("pipe2-cloexec", pipe2(p, O_CLOEXEC));
  R("getfd-cloexec", fcntl(p[1], F_GETFD));
  R("pipe2-nonblock", pipe2(p, O_NONBLOCK));
  R("read-empty", read(p[0], b, 1));
  R("pipe2-badflags", pipe2(p, O_APPEND));
  R("pipe-badptr", pipe(BAD));
}

static void t_dup(void) {
  int p[2];
  pipe(p);                                   /* 3, 4 (no preopen in this program? see fds line) */
  printf("fds %d %d\n", p[0], p[1]);
  R("dup", dup(p[1]));
  R("dup2", dup2(p[1], 10));
  R("dup2-same", dup2(p[1], p[1]));
  R("dup2-badfd", dup2(99, 11));
  R("dup2-badnew", dup2(p[1], -1));
  R("dup3-same", dup3(p[1], p[1], 0));
  R("dup3-cloexec", dup3(p[1], 12, O_CLOEXEC));
  R("getfd-12", fcntl(12, F_GETFD));
  R("dup3-badflags", dup3(p[1], 13, O_NONBLOCK));
  /* A dup shares the open file: written through 10, read from p[0]. */
  write(10, "x", 1);
  char c = 0;
  read(p[0], &c, 1);
  printf("shared %c\n", c);
  R("dupfd-20", fcntl(p[0], F_DUPFD, 20));
  R("dupfd-cloexec", fcntl(p[0], F_DUPFD_CLOEXEC, 20));
  R("getfd-21", fcntl(21, F_GETFD));
  R("setfd", fcntl(20, F_SETFD, FD_CLOEXEC));
  R("getfd-20", fcntl(20, F_GETFD));
  printf("getfl-rd %d\n", (fcntl(p[0], F_GETFL) & O_ACCMODE) == O_RDONLY);
  printf("getfl-wr %d\n", (fcntl(p[1], F_GETFL) & O_ACCMODE) == O_WRONLY);
  R("setfl", fcntl(p[0], F_SETFL, O_NONBLOCK));
  printf("getfl-nonblock %d\n", (fcntl(p[0], F_GETFL) & O_NONBLOCK) != 0);
  R("read-nonblock", read(p[0], &c, 1));
  R("fcntl-badcmd", fcntl(p[0], 9999, 0));
  R("fcntl-badfd", fcntl(99, F_GETFD));
}

static void t_ids(void) {
  printf("pid-gt1 %d\n", getpid() > 1);
  R("ppid", getppid());
  printf("pgrp-eq %d\n", getpgrp() == getpgid(0));
  printf("pgid-self-eq %d\n", getpgid(getpid()) == getpgrp());
  R("pgid-none", getpgid(99999));
  R("sid-none", getsid(99999));
  R("uid", getuid()); R("euid", geteuid()); R("gid", getgid()); R("egid", getegid());
  pid_t me = getpid();
  printf("setsid-is-pid %d\n", setsid() == me);
  printf("sid-is-pid %d\n", getsid(0) == me);
  printf("pgrp-is-pid %d\n", getpgrp() == me);
  R("setsid-again", setsid());
  R("setpgid-leader", setpgid(0, 0));
  R("setpgid-neg", setpgid(0, -1));
  R("setpgid-nochild", setpgid(1, 0));
}

static void t_groups(void) {
  /* Not a leader: a new group of our own, then a child moved into it. */
  pid_t me = getpid();
  R("setpgid-self", setpgid(0, 0));
  printf("pgrp-is-pid %d\n", getpgrp() == me);
  R("setsid-leader", setsid());
  int p[2];
  pipe(p);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, p[0], 0);
  posix_spawn_file_actions_addclose(&fa, p[1]);
  char *av[] = { self, "readwait", NULL };
  pid_t c = child(av, &fa, NULL);
  close(p[0]);
  printf("child-pgid-inherited %d\n", getpgid(c) == me);
  /* posix_spawn's child has exec'd: its group can no longer be changed
   * (EACCES, as Linux; cproc.c moves a forked child before its exec). */
  R("setpgid-spawned", setpgid(c, c));
  printf("child-pgid-kept %d\n", getpgid(c) == me);
  close(p[1]);
  int st;
  R("wait-child", waitpid(c, &st, 0) == c);
  /* Spawn attributes: a new group, a new session. */
  posix_spawnattr_t at;
  posix_spawnattr_init(&at);
  posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&at, 0);
  char *pv[] = { self, "pgrp", NULL };
  fflush(stdout);
  c = child(pv, NULL, &at);
  waitpid(c, &st, 0);
  printf("spawned %d\n", c);
  posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSID);
  fflush(stdout);
  c = child(pv, NULL, &at);
  waitpid(c, &st, 0);
  printf("spawned %d\n", c);
  posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK);
  char *ev[] = { self, "exit", "0", NULL };
  pid_t x;
  RE("spawn-sigmask", posix_spawn(&x, self, NULL, &at, ev, environ));
  waitpid(x, &st, 0);
}

static void t_wait(void) {
  int st = 0;
  R("waitpid-nonchild", waitpid(1, &st, 0));
  R("waitpid-none", waitpid(-1, &st, WNOHANG));
  R("wait-none", wait(&st));
  char *av[] = { self, "exit", "3", NULL };
  pid_t c = child(av, NULL, NULL);
  printf("waited %d\n", waitpid(c, &st, 0) == c);
  printf("exited %d status %d signaled %d stopped %d\n", WIFEXITED(st), WEXITSTATUS(st), WIFSIGNALED(st), WIFSTOPPED(st));
  /* WNOHANG while the child waits on our pipe; then it ends. */
  int p[2];
  pipe(p);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, p[0], 0);
  posix_spawn_file_actions_addclose(&fa, p[1]);
  char *rv[] = { self, "readwait", NULL };
  c = child(rv, &fa, NULL);
  close(p[0]);
  R("wnohang-running", waitpid(c, &st, WNOHANG));
  R("wuntraced-wcontinued-nohang", waitpid(c, &st, WNOHANG | WUNTRACED | WCONTINUED));
  R("waitpid-badopt", waitpid(c, &st, 0x4000));
  close(p[1]);
  siginfo_t si;
  memset(&si, 0x55, sizeof si);
  R("waitid-nowait", waitid(P_PID, c, &si, WEXITED | WNOWAIT));
  printf("si pid-ok %d code %d status %d signo %d\n", si.si_pid == c, si.si_code, si.si_status, si.si_signo);
  struct rusage ru;
  printf("wait4 %d\n", wait4(c, &st, 0, &ru) == c);
  printf("readwait-status %d\n", WEXITSTATUS(st));
  R("waitid-badopt", waitid(P_ALL, 0, &si, 0));
  R("waitid-none", waitid(P_ALL, 0, &si, WEXITED | WNOHANG));
  c = child(av, NULL, NULL);
  R("waitpid-badptr", waitpid(c, BAD, 0));
  /* The EFAULT left the zombie: it is still there to reap. */
  printf("reaped-after-efault %d\n", waitpid(c, &st, 0) == c);
  c = child(av, NULL, NULL);
  printf("wait3 %d\n", wait3(&st, 0, NULL) == c);
}

static void t_cwd(void) {
  char b[PATH_MAX];
  printf("cwd %s\n", getcwd(b, sizeof b));
  R("mkdir", mkdir("/tmp/cl", 0755));
  R("chdir", chdir("/tmp/cl"));
  printf("cwd %s\n", getcwd(b, sizeof b));
  int fd = open("rel.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
  R("open-rel", fd >= 0);
  write(fd, "hello", 5);
  close(fd);
  struct stat st;
  R("stat-abs", stat("/tmp/cl/rel.txt", &st));
  printf("size %lld\n", (long long)st.st_size);
  R("chdir-dotdot", chdir(".."));
  printf("cwd %s\n", getcwd(b, sizeof b));
  R("stat-rel", stat("cl/rel.txt", &st));
  R("chdir-missing", chdir("nope"));
  R("chdir-file", chdir("/tmp/cl/rel.txt"));
  R("getcwd-small", getcwd(b, 3) ? 0 : -1);
  char *m = getcwd(NULL, 0);
  printf("getcwd-alloc %s\n", m);
  free(m);
  int d = open("/tmp/cl", O_RDONLY | O_DIRECTORY);
  R("fchdir", fchdir(d));
  printf("cwd %s\n", getcwd(b, sizeof b));
  R("fchdir-notdir", fchdir(1));
  R("fchdir-badfd", fchdir(99));
  R("getcwd-badptr", getcwd(BAD, 100) ? 0 : -1);
  /* A child starts in our cwd, and its relative names agree. */
  char *av[] = { self, "pwd", NULL };
  fflush(stdout);
  pid_t c = child(av, NULL, NULL);
  int s;
  waitpid(c, &s, 0);
}

static void t_files(void) {
  printf("umask-old %o\n", (unsigned)umask(027));
  printf("umask-now %o\n", (unsigned)umask(027));
  R("mkfifo", mkfifo("/tmp/clfifo", 0666));
  struct stat st;
  stat("/tmp/clfifo", &st);
  printf("fifo-mode %o isfifo %d\n", (unsigned)(st.st_mode & 0777), S_ISFIFO(st.st_mode));
  R("mkfifo-exists", mkfifo("/tmp/clfifo", 0666));
  R("mkfifo-nodir", mkfifo("/nope/f", 0666));
  R("mkfifoat-cwd", mkfifoat(AT_FDCWD, "/tmp/clfifo2", 0600));
  int tdir = open("/tmp", O_RDONLY | O_DIRECTORY);
  R("mkfifoat-dirfd", mkfifoat(tdir, "clfifo3", 0666));
  stat("/tmp/clfifo3", &st);
  printf("fifo3-mode %o isfifo %d\n", (unsigned)(st.st_mode & 0777), S_ISFIFO(st.st_mode));
  R("mkfifoat-badfd", mkfifoat(99, "x", 0666));
  close(tdir);
  int fd = open("/tmp/clfile", O_WRONLY | O_CREAT, 0644);
  R("fchmod", fchmod(fd, 0600));
  fstat(fd, &st);
  printf("file-mode %o\n", (unsigned)(st.st_mode & 0777));
  R("fchmod-badfd", fchmod(99, 0600));
  /* lstat/fstatat are the kernel's too: the link itself, permissions, FIFOs. */
  R("symlink", symlink("/tmp/clfifo", "/tmp/cllink"));
  R("lstat", lstat("/tmp/cllink", &st));
  printf("lstat-islnk %d\n", S_ISLNK(st.st_mode));
  R("fstatat-follow", fstatat(AT_FDCWD, "/tmp/cllink", &st, 0));
  printf("fstatat-isfifo %d mode %o\n", S_ISFIFO(st.st_mode), (unsigned)(st.st_mode & 0777));
  int dfd = open("/tmp", O_RDONLY | O_DIRECTORY);
  R("fstatat-dirfd", fstatat(dfd, "clfile", &st, AT_SYMLINK_NOFOLLOW));
  printf("fstatat-dirfd-mode %o\n", (unsigned)(st.st_mode & 0777));
  close(dfd);
  R("fstatat-badflags", fstatat(AT_FDCWD, "/tmp", &st, 0x4000));
  R("lstat-missing", lstat("/tmp/nope", &st));
  int p[2];
  pipe(p);
  R("ttyname-pipe", ttyname(p[0]) ? 0 : -1);
  R("ttyname-badfd", ttyname(99) ? 0 : -1);
  R("isatty-pipe", isatty(p[0]));
}

static void t_sys(void) {
  struct utsname u;
  R("uname", uname(&u));
  printf("sysname %s\nmachine %s\nrelease %s\n", u.sysname, u.machine, u.release);
  R("uname-badptr", uname(BAD));
  struct rlimit rl;
  R("getrlimit-nofile", getrlimit(RLIMIT_NOFILE, &rl));
  printf("nofile %llu %llu\n", rl.rlim_cur, rl.rlim_max);
  R("getrlimit-nproc", getrlimit(RLIMIT_NPROC, &rl));
  printf("nproc %llu\n", rl.rlim_cur);
  getrlimit(RLIMIT_FSIZE, &rl);
  printf("fsize %llu\n", rl.rlim_cur);
  getrlimit(RLIMIT_CPU, &rl);
  printf("cpu-infinite %d\n", rl.rlim_cur == RLIM_INFINITY);
  R("getrlimit-bad", getrlimit(99, &rl));
  R("getrlimit-badptr", getrlimit(RLIMIT_NOFILE, BAD));
  struct rlimit lo = { 8, 512 };
  R("setrlimit-nofile", setrlimit(RLIMIT_NOFILE, &lo));
  int last = -1, fd;
  while ((fd = dup(0)) >= 0) last = fd;
  printf("dup-until %s last %d\n", ename(errno), last);
  R("dup2-past-limit", dup2(0, 8));
  R("fcntl-past-limit", fcntl(0, F_DUPFD, 8));
  struct rlimit up = { 8, 1024 };
  R("setrlimit-raise-hard", setrlimit(RLIMIT_NOFILE, &up));
  struct rlimit inv = { 9, 8 };
  R("setrlimit-soft-gt-hard", setrlimit(RLIMIT_NOFILE, &inv));
  struct rlimit core = { 1, 1 };
  R("setrlimit-core", setrlimit(RLIMIT_CORE, &core));
  /* A child inherits the lowered limit. */
  char *av[] = { self, "nofile", NULL };
  fflush(stdout);
  pid_t c = child(av, NULL, NULL);
  int s;
  waitpid(c, &s, 0);
  printf("limits PIPE_BUF %d ARG_MAX %d OPEN_MAX %d\n", PIPE_BUF, ARG_MAX, OPEN_MAX);
  printf("errnames %d %d %d\n", ESTRPIPE, EUSERS, EDEADLOCK == EDEADLK);
}

static void t_spawn(void) {
  pid_t pid;
  char *av[] = { "echo", "spawned", "echo", NULL };
  int p[2];
  pipe(p);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, p[1], 1);
  posix_spawn_file_actions_addclose(&fa, p[0]);
  RE("spawnp", posix_spawnp(&pid, "echo", &fa, NULL, av, environ));
  close(p[1]);
  char b[64] = {0};
  int n = 0, r;
  while ((r = read(p[0], b + n, sizeof b - 1 - n)) > 0) n += r;
  printf("out %s", b);
  int st;
  waitpid(pid, &st, 0);
  printf("status %d\n", WEXITSTATUS(st));
  RE("spawn-missing", posix_spawn(&pid, "/bin/nope", NULL, NULL, av, environ));
  RE("spawnp-missing", posix_spawnp(&pid, "nope", NULL, NULL, av, environ));
  int fd = open("/tmp/notwasm", O_WRONLY | O_CREAT | O_TRUNC, 0755);
  write(fd, "#!/bin/nothing\n", 15);
  close(fd);
  RE("spawn-notwasm", posix_spawn(&pid, "/tmp/notwasm", NULL, NULL, av, environ));
  posix_spawn_file_actions_t fo;
  posix_spawn_file_actions_init(&fo);
  posix_spawn_file_actions_addopen(&fo, 1, "/tmp/spawn-out", O_WRONLY | O_CREAT | O_TRUNC, 0644);
  RE("spawn-open", posix_spawnp(&pid, "echo", &fo, NULL, av, environ));
  waitpid(pid, &st, 0);
  fd = open("/tmp/spawn-out", O_RDONLY);
  memset(b, 0, sizeof b);
  read(fd, b, sizeof b - 1);
  printf("file %s", b);
  posix_spawn_file_actions_t fb;
  posix_spawn_file_actions_init(&fb);
  posix_spawn_file_actions_addopen(&fb, 1, "/nope/x", O_WRONLY | O_CREAT, 0644);
  RE("spawn-open-fails", posix_spawnp(&pid, "echo", &fb, NULL, av, environ));
  RE("adddup2-bad", posix_spawn_file_actions_adddup2(&fb, -1, 1));
}

static void t_system(void) {
  R("system-null", system(NULL));
  int st = system("exit 3");
  printf("system-exit %d %d\n", WIFEXITED(st), WEXITSTATUS(st));
  st = system("seq 1 5 | wc -l > /tmp/sys-out");
  printf("system-pipeline %d\n", WEXITSTATUS(st));
  FILE *f = fopen("/tmp/sys-out", "r");
  char b[64] = {0};
  fgets(b, sizeof b, f);
  printf("system-file %s", b);
  fclose(f);
  st = system("nosuchcommand 2>/dev/null");
  printf("system-notfound %d\n", WEXITSTATUS(st));
  f = popen("seq 1 3; echo done", "r");
  while (fgets(b, sizeof b, f)) printf("popen-line %s", b);
  st = pclose(f);
  printf("pclose %d\n", WEXITSTATUS(st));
  f = popen("cat > /tmp/popen-w", "w");
  fputs("written through popen\n", f);
  st = pclose(f);
  printf("pclose-w %d\n", WEXITSTATUS(st));
  f = fopen("/tmp/popen-w", "r");
  fgets(b, sizeof b, f);
  printf("popen-file %s", b);
  fclose(f);
  f = popen("exit 5", "r");
  printf("pclose-status %d\n", WEXITSTATUS(pclose(f)));
  R("popen-badmode", popen("true", "x") ? 0 : -1);
  R("pclose-unknown", pclose(stdin));
}

static void t_exec(void) {
  char *av[] = { "x", NULL };
  R("execve-missing", execve("/bin/nope", av, environ));
  R("execvp-missing", execvp("nope", av));
  R("fexecve", fexecve(0, av, environ));
  R("execve-badpath", execve(BAD, av, environ));
  R("execve-badargv", execve("/bin/echo", BAD, environ));
  char *badstr[] = { "x", BAD, NULL };
  R("execve-badstring", execve("/bin/echo", badstr, environ));
  R("execve-badenv", execve("/bin/echo", av, BAD));
  pid_t pid;
  RE("spawn-badargv", posix_spawn(&pid, "/bin/echo", NULL, NULL, BAD, environ));
  RE("spawn-badstring", posix_spawn(&pid, "/bin/echo", NULL, NULL, badstr, environ));
  RE("spawn-badpath", posix_spawn(&pid, BAD, NULL, NULL, av, environ));
  R("chdir-badptr", chdir(BAD));
  R("mkfifo-badptr", mkfifo(BAD, 0600));
  struct stat st;
  R("stat-badptr", stat(BAD, &st));
  R("stat-badbuf", stat("/tmp", BAD));
  R("fstat-badbuf", fstat(0, BAD));
  R("sleep0", sleep(0));
  R("usleep", usleep(1000));
}

/* tcgetpgrp/tcsetpgrp through the layer (run as a login: its group is the console's foreground). */
static void t_tty(void) {
  int p[2];
  pipe(p);
  printf("tty fg-is-us %d\n", tcgetpgrp(0) == getpgrp());
  R("tcgetpgrp-badfd", tcgetpgrp(99));
  R("tcgetpgrp-pipe", tcgetpgrp(p[0]));
  R("tcsetpgrp-neg", tcsetpgrp(0, -1));
  R("tcsetpgrp-none", tcsetpgrp(0, 99999));
  R("tcsetpgrp-self", tcsetpgrp(0, getpgrp()));
}

int main(int argc, char **argv) {
  self = argv[0];
  const char *m = argc > 1 ? argv[1] : "";
  if (!strcmp(m, "exit")) return atoi(argv[2]);
  if (!strcmp(m, "pgrp")) { printf("child-pgrp-is-pid %d sid-is-pid %d\n", getpgrp() == getpid(), getsid(0) == getpid()); return 0; }
  if (!strcmp(m, "readwait")) { char c; while (read(0, &c, 1) > 0) {} return 7; }
  if (!strcmp(m, "pwd")) {
    char b[PATH_MAX];
    struct stat st;
    printf("child-cwd %s rel %d\n", getcwd(b, sizeof b), stat("rel.txt", &st) == 0);
    return 0;
  }
  if (!strcmp(m, "nofile")) { struct rlimit rl; getrlimit(RLIMIT_NOFILE, &rl); printf("child-nofile %llu %llu\n", rl.rlim_cur, rl.rlim_max); return 0; }
  if (!strcmp(m, "pipe")) t_pipe();
  else if (!strcmp(m, "dup")) t_dup();
  else if (!strcmp(m, "ids")) t_ids();
  else if (!strcmp(m, "groups")) t_groups();
  else if (!strcmp(m, "wait")) t_wait();
  else if (!strcmp(m, "cwd")) t_cwd();
  else if (!strcmp(m, "files")) t_files();
  else if (!strcmp(m, "sys")) t_sys();
  else if (!strcmp(m, "spawn")) t_spawn();
  else if (!strcmp(m, "system")) t_system();
  else if (!strcmp(m, "exec")) t_exec();
  else if (!strcmp(m, "tty")) t_tty();
  else { fprintf(stderr, "usage: clayer GROUP\n"); return 2; }
  return 0;
}
