/* mqrules: where POSIX message queues follow Linux's less obvious rules,
 * one group per run, "label value" lines tests/mqueue.test.mjs checks
 * (mqtest.c has the rest). Builds natively too (cc mqrules.c, as root with
 * /dev/mqueue mounted): the expected lines are what Linux 6.18 printed.
 *   flush: an mq_notify registration ends when its process closes any
 *          descriptor of the queue (Linux's mqueue_flush_file), not when
 *          another process closes one;
 *          fd_renumber (WASI's dup2: dup2 + close of the source) ends
 *          it too;
 *   trunc: ftruncate of a queue descriptor open for writing succeeds and
 *          sets the size stat shows, the messages stay;
 *   sizes: messages of every length in a small queue (mq_msgsize 64) and
 *          a large one (4096) come out byte for byte, through many
 *          rounds of a full queue; a bad pointer is EFAULT even when the
 *          queue is full (the message is copied before room is sought);
 *   exec:  exec closes queue descriptors (close-on-exec), so it ends the
 *          registration, unless FD_CLOEXEC was cleared;
 *   fs:    /dev/mqueue makes, looks up, lists, stats and removes queues and
 *          nothing else: Linux's errnos for mkdir, rmdir, link, symlink,
 *          mkfifo, rename; chmod and chown work. */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "report.h"   /* ename, R */
#ifdef __wasi__
#include <wasi/api.h>
#endif

/* WASI's fd_renumber; natively what it stands for, dup2 then close of the source. */
static int renumber(int from, int to) {
#ifdef __wasi__
  int e = __wasi_fd_renumber(from, to);
  if (e != 0) { errno = e; return -1; }
  return 0;
#else
  if (dup2(from, to) < 0) return -1;
  return close(from);
#endif
}

/* R, with the errnos report.h does not name too. */
static void Q(const char *label, long r) {
  if (r == -1 && errno == EBUSY) printf("%s EBUSY\n", label);
  else if (r == -1 && errno == EXDEV) printf("%s EXDEV\n", label);
  else if (r == -1 && errno == EISDIR) printf("%s EISDIR\n", label);
  else R(label, r);
}

static volatile sig_atomic_t nsig;
static void on_note(int s) { (void)s; nsig++; }

static struct sigevent note(void) {
  struct sigevent ev;
  memset(&ev, 0, sizeof ev);
  ev.sigev_notify = SIGEV_SIGNAL;
  ev.sigev_signo = SIGUSR1;
  ev.sigev_value.sival_int = 7;
  return ev;
}

static mqd_t mk(const char *name) {
  struct mq_attr a = {0};
  a.mq_maxmsg = 4; a.mq_msgsize = 16;
  mq_unlink(name);
  return mq_open(name, O_RDWR | O_NONBLOCK | O_CREAT, 0600, &a);
}

/* NOTIFY_PID of the queue's /dev/mqueue line, read without a queue
 * descriptor of the caller's (closing one would end the caller's own
 * registration): by a child, which reports through its exit status
 * (0: none, 1: the caller, 2: another process). */
static int notify_owner(const char *name) {
  pid_t me = getpid();
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) {
    char path[64], line[128];
    snprintf(path, sizeof path, "/dev/mqueue%s", name);
    int fd = open(path, O_RDONLY);
    ssize_t n = fd < 0 ? -1 : read(fd, line, sizeof line - 1);
    if (n <= 0) _exit(3);
    line[n] = 0;
    char *p = strstr(line, "NOTIFY_PID:");
    if (!p) _exit(3);
    long pid = atol(p + 11);
    _exit(pid == 0 ? 0 : pid == me ? 1 : 2);
  }
  int st;
  waitpid(c, &st, 0);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 4;
}

static void t_flush(void) {
  signal(SIGUSR1, on_note);
  struct sigevent ev = note();
  mqd_t q = mk("/fl");
  char b[16];
  /* a dup closed: the registration goes; another process may register, a
   * send to the empty queue signals nobody */
  Q("register", mq_notify(q, &ev));
  int d = dup(q);
  Q("close-dup", close(d));
  printf("owner-after-dup-close %d\n", notify_owner("/fl"));
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) { Q("other-process-register", mq_notify(q, &ev)); fflush(stdout); _exit(0); }
  waitpid(c, 0, 0);   /* its exit closes its descriptor: its registration goes too */
  printf("owner-after-child-exit %d\n", notify_owner("/fl"));
  Q("send", mq_send(q, "x", 1, 0));
  printf("signals %d\n", (int)nsig);
  mq_receive(q, b, sizeof b, 0);
  /* a descriptor of another mq_open of the same queue */
  Q("register-again", mq_notify(q, &ev));
  mqd_t q2 = mq_open("/fl", O_RDONLY);
  Q("close-other-open", mq_close(q2));
  printf("owner-after-other-close %d\n", notify_owner("/fl"));
  /* dup2 over a descriptor of the queue closes it */
  Q("register-dup2", mq_notify(q, &ev));
  d = dup(q);
  int p[2];
  pipe(p);
  Q("dup2-over", dup2(p[0], d) == d ? 0 : -1);
  printf("owner-after-dup2 %d\n", notify_owner("/fl"));
  /* a dup of the queue renumbered onto another descriptor: its old number closes */
  Q("register-renumber", mq_notify(q, &ev));
  d = dup(q);
  int e = dup(p[1]);
  Q("renumber", renumber(d, e));
  printf("owner-after-renumber %d\n", notify_owner("/fl"));
  close(e);
  /* another process's close of its (inherited) descriptor does not */
  Q("register-fork", mq_notify(q, &ev));
  fflush(stdout);
  c = fork();
  if (c == 0) { mq_close(q); _exit(0); }
  waitpid(c, 0, 0);
  printf("owner-after-child-close %d\n", notify_owner("/fl"));
  Q("send-fires", mq_send(q, "y", 1, 0));
  printf("signals %d\n", (int)nsig);
  mq_close(q);
  close(p[0]); close(p[1]);
  mq_unlink("/fl");
}

/* exec closes the (close-on-exec) descriptor, and that close ends the
 * registration even though a dup of it (dup clears FD_CLOEXEC) stays open
 * across the exec: the new image finds the queue without an owner. A queue
 * whose only descriptor had FD_CLOEXEC cleared keeps it. */
static void t_exec(const char *self) {
  struct sigevent ev = note();
  mqd_t q = mk("/ex");
  int d = dup(q);
  mqd_t k = mk("/exk");
  fcntl(k, F_SETFD, 0);
  Q("register", mq_notify(q, &ev));
  Q("register-kept", mq_notify(k, &ev));
  fflush(stdout);
  char a[16];
  snprintf(a, sizeof a, "%d", d);
  execl(self, self, "execd", a, (char *)0);
  Q("exec", -1);
}

static void t_execd(int d) {
  struct sigevent ev = note();
  struct mq_attr at;
  Q("dup-still-open", mq_getattr(d, &at));
  printf("owner-after-exec %d\n", notify_owner("/ex"));
  printf("owner-kept %d\n", notify_owner("/exk"));
  mqd_t q = mq_open("/ex", O_RDWR);
  Q("register-after-exec", mq_notify(q, &ev));
  mq_close(q);
  mq_unlink("/ex");
  mq_unlink("/exk");
}

/* Rounds of fill-and-drain with lengths 0..msgsize, each message's bytes
 * derived from its number; prints the count that came back wrong. */
static void sizes_of(const char *label, long msgsize) {
  struct mq_attr a = {0};
  a.mq_maxmsg = 4; a.mq_msgsize = msgsize;
  mq_unlink("/sz");
  mqd_t q = mq_open("/sz", O_RDWR | O_NONBLOCK | O_CREAT, 0600, &a);
  static char out[4096], in[4096];
  long bad = 0, sent = 0, got = 0;
  for (int round = 0; round < 50; round++) {
    for (int i = 0; i < 4; i++) {
      long n = (sent * 37) % (msgsize + 1);
      for (long j = 0; j < n; j++) out[j] = (char)(sent + j * 7);
      if (mq_send(q, out, n, 0) == 0) sent++;
    }
    for (int i = 0; i < 4; i++) {
      long want = (got * 37) % (msgsize + 1);
      ssize_t n = mq_receive(q, in, msgsize, 0);
      if (n != want) { bad++; got++; continue; }
      for (long j = 0; j < n; j++) if (in[j] != (char)(got + j * 7)) { bad++; break; }
      got++;
    }
  }
  printf("%s sent %ld received %ld wrong %ld\n", label, sent, got, bad);
  for (int i = 0; i < 4; i++) mq_send(q, out, 1, 0);
  Q("full-bad-pointer", mq_send(q, BAD, 1, 0));
  Q("full", mq_send(q, out, 1, 0));
  mq_close(q);
  mq_unlink("/sz");
}

static void t_sizes(void) {
  sizes_of("small", 64);
  sizes_of("large", 4096);
}

static void t_trunc(void) {
  mqd_t q = mk("/tr");
  struct stat st;
  struct mq_attr a;
  fstat(q, &st);
  printf("size-new %ld\n", (long)st.st_size);
  Q("send", mq_send(q, "abc", 3, 0));
  Q("ftruncate", ftruncate(q, 100));
  fstat(q, &st);
  printf("size %ld\n", (long)st.st_size);
  mq_getattr(q, &a);
  printf("curmsgs %ld\n", (long)a.mq_curmsgs);
  Q("ftruncate-max", ftruncate(q, 0x7fffffffL));
  Q("ftruncate-past-max", ftruncate(q, 0x80000000LL));
  Q("ftruncate-negative", ftruncate(q, -1));
  mqd_t r = mq_open("/tr", O_RDONLY);
  Q("ftruncate-rdonly", ftruncate(r, 0));
  char b[16];
  Q("receive", mq_receive(q, b, sizeof b, 0));
  mq_close(r);
  mq_close(q);
  mq_unlink("/tr");
}

static void t_fs(void) {
  mqd_t q = mk("/fa");
  mq_close(q);
  mq_unlink("/fb");
  close(open("/tmp/mqrules-plain", O_CREAT | O_WRONLY, 0644));
  Q("mkdir", mkdir("/dev/mqueue/d", 0755));
  Q("mkdir-existing", mkdir("/dev/mqueue/fa", 0755));
  Q("mkdir-below-queue", mkdir("/dev/mqueue/fa/x", 0755));
  Q("mkfifo", mkfifo("/dev/mqueue/f", 0644));
  Q("rmdir-queue", rmdir("/dev/mqueue/fa"));
  Q("rmdir-missing", rmdir("/dev/mqueue/none"));
  Q("rmdir-dir", rmdir("/dev/mqueue"));
  Q("unlink-dir", unlink("/dev/mqueue"));
  Q("rename-dir", rename("/dev/mqueue", "/dev/mqueue-moved"));
  Q("link-inside", link("/dev/mqueue/fa", "/dev/mqueue/fb"));
  Q("link-onto-itself", link("/dev/mqueue/fa", "/dev/mqueue/fa"));
  Q("link-missing", link("/dev/mqueue/none", "/dev/mqueue/fb"));
  Q("link-out", link("/dev/mqueue/fa", "/tmp/mqrules-link"));
  Q("link-in", link("/tmp/mqrules-plain", "/dev/mqueue/fb"));
  Q("symlink", symlink("/tmp/x", "/dev/mqueue/s"));
  Q("symlink-existing", symlink("/tmp/x", "/dev/mqueue/fa"));
  Q("rename-inside", rename("/dev/mqueue/fa", "/dev/mqueue/fb"));
  Q("rename-onto-itself", rename("/dev/mqueue/fa", "/dev/mqueue/fa"));
  Q("rename-missing", rename("/dev/mqueue/none", "/dev/mqueue/fb"));
  Q("rename-out", rename("/dev/mqueue/fa", "/tmp/mqrules-moved"));
  Q("rename-out-missing", rename("/dev/mqueue/none", "/tmp/mqrules-moved"));
  Q("rename-in", rename("/tmp/mqrules-plain", "/dev/mqueue/fb"));
  Q("rename-in-missing", rename("/tmp/none", "/dev/mqueue/fb"));
  struct stat st;
  Q("still-there", stat("/dev/mqueue/fa", &st));
  Q("nothing-made", stat("/dev/mqueue/fb", &st));
  Q("plain-stays", stat("/tmp/mqrules-plain", &st));
  Q("chmod", chmod("/dev/mqueue/fa", 0640));
  Q("chown", chown("/dev/mqueue/fa", 5, 6));
  stat("/dev/mqueue/fa", &st);
  printf("mode %o uid %d gid %d\n", (unsigned)st.st_mode, (int)st.st_uid, (int)st.st_gid);
  Q("unlink-queue", unlink("/dev/mqueue/fa"));
  Q("gone", mq_open("/fa", O_RDONLY));
  unlink("/tmp/mqrules-plain");
}

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  if (!strcmp(argv[1], "flush")) t_flush();
  else if (!strcmp(argv[1], "exec")) t_exec(argv[0]);
  else if (!strcmp(argv[1], "execd") && argc > 2) t_execd(atoi(argv[2]));
  else if (!strcmp(argv[1], "fs")) t_fs();
  else if (!strcmp(argv[1], "trunc")) t_trunc();
  else if (!strcmp(argv[1], "sizes")) t_sizes();
  else return 2;
  return 0;
}
