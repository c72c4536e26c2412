/* mqtest: POSIX message queues from C, one group per run, "label value"
 * lines (a result, or an errno name) that tests/mqueue.test.mjs checks; and
 * small tools (mk, send, recv, notifywait) the test runs as separate
 * processes when it must see one blocked. It also builds natively
 * (cc mqtest.c): its errnos were compared with Linux's that way. */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "report.h"   /* BAD, ename, R */
#ifndef MQ_PRIO_MAX
#define MQ_PRIO_MAX 32768   /* glibc: <limits.h> with _GNU_SOURCE */
#endif

static const char *en(int e) {
  switch (e) {
  case EMSGSIZE: return "EMSGSIZE"; case ETIMEDOUT: return "ETIMEDOUT"; case ENAMETOOLONG: return "ENAMETOOLONG";
  case EBUSY: return "EBUSY"; case ENOSPC: return "ENOSPC"; case EMFILE: return "EMFILE";
  }
  return 0;
}
/* R, with the errnos report.h does not name too. */
static void Q(const char *label, long r) {
  if (r == -1 && en(errno)) printf("%s %s\n", label, en(errno));
  else R(label, r);
}

#ifdef __wasm__
/* The kernel's setuid (the layer's <unistd.h> may not declare it yet). */
__attribute__((__import_module__("wasmux"), __import_name__("setuid"))) int __mqtest_setuid(int uid);
static int set_uid(int uid) { int r = __mqtest_setuid(uid); if (r < 0) { errno = -r; return -1; } return 0; }
#else
static int set_uid(int uid) { return setuid(uid); }   /* built natively to compare with Linux */
#endif

static mqd_t mk(const char *name, int flags, long maxmsg, long msgsize) {
  struct mq_attr a = {0};
  a.mq_maxmsg = maxmsg; a.mq_msgsize = msgsize;
  return mq_open(name, flags | O_CREAT, 0600, &a);
}

/* A realtime deadline `ms` from now (negative: in the past). */
static struct timespec after(long ms) {
  struct timespec t;
  clock_gettime(CLOCK_REALTIME, &t);
  long long ns = (long long)t.tv_sec * 1000000000ll + t.tv_nsec + (long long)ms * 1000000ll;
  t.tv_sec = ns / 1000000000ll; t.tv_nsec = ns % 1000000000ll;
  return t;
}

/* Receives everything there is (non-blocking) and prints "text prio" each. */
static void drain(mqd_t q, long size) {
  char *buf = malloc(size);
  unsigned prio;
  ssize_t n;
  while ((n = mq_receive(q, buf, size, &prio)) >= 0) printf("got %.*s %u\n", (int)n, buf, prio);
  Q("drained", -1);
  free(buf);
}

/* Highest priority first, FIFO within a priority. */
static void t_order(void) {
  mq_unlink("/ord");
  mqd_t q = mk("/ord", O_RDWR | O_NONBLOCK, 16, 64);
  static const struct { const char *m; unsigned p; } in[] = {
    {"a", 1}, {"b", 5}, {"c", 1}, {"d", 9}, {"e", 5}, {"f", 0}, {"g", 9}, {"h", 0}, {"i", 32767},
  };
  for (unsigned i = 0; i < sizeof in / sizeof in[0]; i++) mq_send(q, in[i].m, 1, in[i].p);
  struct mq_attr a;
  mq_getattr(q, &a);
  printf("curmsgs %ld\n", a.mq_curmsgs);
  drain(q, 64);
  mq_close(q);
  mq_unlink("/ord");
}

/* O_NONBLOCK: EAGAIN when empty and when full; mq_setattr switches it. */
static void t_nonblock(void) {
  mq_unlink("/nb");
  mqd_t q = mk("/nb", O_RDWR | O_NONBLOCK, 2, 16);
  char b[16];
  Q("recv-empty", mq_receive(q, b, 16, 0));
  Q("send1", mq_send(q, "x", 1, 0));
  Q("send2", mq_send(q, "y", 1, 0));
  Q("send-full", mq_send(q, "z", 1, 0));
  struct mq_attr a, o;
  mq_getattr(q, &a);
  printf("attr flags-nb %d maxmsg %ld msgsize %ld curmsgs %ld\n", (a.mq_flags & O_NONBLOCK) != 0, a.mq_maxmsg, a.mq_msgsize, a.mq_curmsgs);
  a.mq_flags = 0;
  Q("setattr", mq_setattr(q, &a, &o));
  printf("old flags-nb %d\n", (o.mq_flags & O_NONBLOCK) != 0);
  mq_getattr(q, &a);
  printf("now flags-nb %d\n", (a.mq_flags & O_NONBLOCK) != 0);
  /* Blocking now, but full: a past deadline says ETIMEDOUT instead of waiting. */
  struct timespec past = after(-1000);
  Q("timedsend-full-past", mq_timedsend(q, "z", 1, 0, &past));
  a.mq_flags = O_NONBLOCK;
  a.mq_maxmsg = 99;   /* ignored: only O_NONBLOCK changes */
  Q("setattr-nb", mq_setattr(q, &a, 0));
  mq_getattr(q, &a);
  printf("maxmsg-unchanged %ld\n", a.mq_maxmsg);
  mq_close(q);
  mq_unlink("/nb");
}

/* Deadlines: ETIMEDOUT once passed; a bad timespec is EINVAL (checked up
 * front, as Linux's prepare_timeout); a message present is taken even with
 * a past deadline. */
static void t_timed(void) {
  mq_unlink("/tm");
  mqd_t q = mk("/tm", O_RDWR, 4, 16);
  char b[16];
  struct timespec d = after(100), t;
  Q("timedrecv", mq_timedreceive(q, b, 16, 0, &d));
  clock_gettime(CLOCK_REALTIME, &t);
  printf("waited-until-deadline %d\n", t.tv_sec > d.tv_sec || (t.tv_sec == d.tv_sec && t.tv_nsec >= d.tv_nsec));
  struct timespec bad = after(100);
  bad.tv_nsec = 1000000000;
  Q("nsec-1e9", mq_timedreceive(q, b, 16, 0, &bad));
  bad.tv_nsec = -1;
  Q("nsec-neg", mq_timedreceive(q, b, 16, 0, &bad));
  bad.tv_nsec = 0; bad.tv_sec = -1;
  Q("sec-neg", mq_timedreceive(q, b, 16, 0, &bad));
  Q("send-bad-ts", mq_timedsend(q, "m", 1, 3, &bad));
  Q("timedrecv-bad-ptr", mq_timedreceive(q, b, 16, 0, BAD));
  mq_send(q, "m", 1, 3);
  bad.tv_sec = 0; bad.tv_nsec = 1000000000;
  Q("bad-ts-with-message", mq_timedreceive(q, b, 16, 0, &bad));
  struct timespec past = after(-1000);
  unsigned prio = 0;
  Q("timedrecv-present-past", mq_timedreceive(q, b, 16, &prio, &past));
  printf("prio %u\n", prio);
  Q("timedrecv-empty-past", mq_timedreceive(q, b, 16, 0, &past));
  mq_close(q);
  mq_unlink("/tm");
}

static volatile sig_atomic_t ticks;
static void on_tick(int s) { ticks++; }

static void set_handler(int sig, void (*fn)(int), int flags) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = fn;
  sa.sa_flags = flags;
  sigaction(sig, &sa, 0);
}

static void ticker(long us) {
  struct itimerval v = {{0, us}, {0, us}};
  setitimer(ITIMER_REAL, &v, 0);
}

/* A handled signal: EINTR without SA_RESTART; with it the receive goes on
 * (signal(7): mq_receive is restarted) and gets the message. */
static void t_eintr(void) {
  mq_unlink("/in");
  mqd_t q = mk("/in", O_RDWR, 4, 16);
  char b[16];
  set_handler(SIGALRM, on_tick, 0);
  ticker(20000);
  Q("recv-interrupted", mq_receive(q, b, 16, 0));
  Q("send-interrupted-full", (mq_send(q, "1", 1, 0), mq_send(q, "2", 1, 0), mq_send(q, "3", 1, 0), mq_send(q, "4", 1, 0), mq_send(q, "5", 1, 0)));
  while (mq_timedreceive(q, b, 16, 0, &(struct timespec){0, 0}) >= 0) {}
  set_handler(SIGALRM, on_tick, SA_RESTART);
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) {
    /* Let the parent's receive meet a few ticks first; either way it must get the message. */
    struct timespec s = {0, 150000000};
    nanosleep(&s, 0);
    mqd_t w = mq_open("/in", O_WRONLY);
    mq_send(w, "late", 4, 2);
    _exit(0);
  }
  ticks = 0;
  ssize_t n = mq_receive(q, b, 16, 0);
  ticker(0);
  if (n < 0) Q("recv-restarted", -1);
  else printf("recv-restarted %.*s\n", (int)n, b);
  waitpid(c, 0, 0);
  mq_close(q);
  mq_unlink("/in");
}

static volatile sig_atomic_t nsig, ncode, nval, npid;
static void on_note(int s, siginfo_t *si, void *u) { nsig++; ncode = si->si_code; nval = si->si_value.sival_int; npid = si->si_pid; }

/* mq_notify: one registration (EBUSY for another, even in a child), fires
 * on empty -> non-empty once (SI_MESGQ, the value, the sender's pid), is
 * then gone; not on a send to a non-empty queue; NULL unregisters;
 * SIGEV_NONE registers without a signal. */
static void t_notify(void) {
  mq_unlink("/nt");
  mqd_t q = mk("/nt", O_RDWR | O_NONBLOCK, 8, 16);
  char b[16];
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_note;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGUSR1, &sa, 0);
  struct sigevent ev;
  memset(&ev, 0, sizeof ev);
  ev.sigev_notify = SIGEV_SIGNAL;
  ev.sigev_signo = SIGUSR1;
  ev.sigev_value.sival_int = 42;
  Q("register", mq_notify(q, &ev));
  Q("again-same-process", mq_notify(q, &ev));
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) { Q("child-register", mq_notify(q, &ev)); fflush(stdout); _exit(0); }
  waitpid(c, 0, 0);
  c = fork();
  if (c == 0) { mq_send(q, "x", 1, 0); _exit(0); }   /* the sender is the child */
  waitpid(c, 0, 0);
  while (nsig == 0) pause();
  printf("fired %d code %d value %d sender-is-child %d\n", (int)nsig, (int)ncode, (int)nval, npid == c);
  mq_send(q, "y", 1, 0);   /* registration gone: nothing */
  Q("reregister", mq_notify(q, &ev));
  mq_send(q, "z", 1, 0);   /* not empty -> non-empty: nothing */
  while (mq_receive(q, b, 16, 0) >= 0) {}
  Q("unregister", mq_notify(q, 0));
  mq_send(q, "w", 1, 0);   /* unregistered: nothing */
  mq_receive(q, b, 16, 0);
  ev.sigev_notify = SIGEV_NONE;
  Q("register-none", mq_notify(q, &ev));
  Q("busy-none", mq_notify(q, &ev));
  mq_send(q, "v", 1, 0);   /* fires silently: the registration goes */
  Q("after-none", mq_notify(q, &ev));
  Q("unregister-none", mq_notify(q, 0));
  printf("signals %d\n", (int)nsig);
  mq_close(q);
  mq_unlink("/nt");
}

/* The name goes at once; the queue lives while a descriptor holds it. */
static void t_unlink(void) {
  mq_unlink("/ul");
  mqd_t q = mk("/ul", O_RDWR | O_NONBLOCK, 4, 16);
  mq_send(q, "kept", 4, 1);
  Q("unlink", mq_unlink("/ul"));
  Q("open-gone", mq_open("/ul", O_RDONLY));
  Q("unlink-again", mq_unlink("/ul"));
  char b[16];
  ssize_t n = mq_receive(q, b, 16, 0);
  printf("still %.*s\n", (int)(n > 0 ? n : 0), b);
  mqd_t q2 = mk("/ul", O_RDWR | O_NONBLOCK | O_EXCL, 4, 16);
  printf("new-queue %d\n", q2 >= 0);
  Q("new-empty", mq_receive(q2, b, 16, 0));
  mq_send(q, "old", 3, 0);
  Q("new-still-empty", mq_receive(q2, b, 16, 0));
  mq_close(q);
  mq_close(q2);
  Q("unlink-new", mq_unlink("/ul"));
}

/* poll: POLLOUT while there is room, POLLIN with a message; a blocked poll wakes on a send. */
static void t_poll(void) {
  mq_unlink("/pl");
  mqd_t q = mk("/pl", O_RDWR | O_NONBLOCK, 1, 16);
  struct pollfd p = {q, POLLIN | POLLOUT, 0};
  int n = poll(&p, 1, 0);   /* (not inside printf's arguments: their order is unspecified) */
  printf("empty %d in %d out %d\n", n, (p.revents & POLLIN) != 0, (p.revents & POLLOUT) != 0);
  mq_send(q, "x", 1, 0);
  n = poll(&p, 1, 0);
  printf("full %d in %d out %d\n", n, (p.revents & POLLIN) != 0, (p.revents & POLLOUT) != 0);
  char b[16];
  mq_receive(q, b, 16, 0);
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) { mq_send(q, "y", 1, 0); _exit(0); }
  struct pollfd r = {q, POLLIN, 0};
  n = poll(&r, 1, -1);
  printf("woken %d in %d\n", n, (r.revents & POLLIN) != 0);
  waitpid(c, 0, 0);
  mq_close(q);
  mq_unlink("/pl");
}

/* fork inherits descriptors; they are close-on-exec (Linux: execve closes
 * message queue descriptors) unless the flag is cleared. */
static void t_fork(const char *self) {
  mq_unlink("/fk");
  mqd_t q = mk("/fk", O_RDWR, 4, 16);
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) { _exit(mq_send(q, "from-child", 10, 4) == 0 ? 0 : 1); }
  int st;
  waitpid(c, &st, 0);
  char b[16];
  unsigned prio;
  ssize_t n = mq_receive(q, b, 16, &prio);
  printf("inherited %.*s %u\n", (int)(n > 0 ? n : 0), b, prio);
  printf("cloexec %d\n", fcntl(q, F_GETFD) & FD_CLOEXEC);
  mqd_t keep = mq_open("/fk", O_RDWR | O_CLOEXEC);
  printf("cloexec-asked %d\n", fcntl(keep, F_GETFD) & FD_CLOEXEC);
  fcntl(keep, F_SETFD, 0);
  mq_send(keep, "across-exec", 11, 1);
  fflush(stdout);
  c = fork();
  if (c == 0) {
    char a[16], k[16];
    snprintf(a, sizeof a, "%d", q); snprintf(k, sizeof k, "%d", keep);
    execl(self, self, "execd", a, k, (char *)0);
    _exit(127);
  }
  waitpid(c, &st, 0);
  printf("exec-status %d\n", WEXITSTATUS(st));
  mq_close(q); mq_close(keep);
  mq_unlink("/fk");
}

static void t_execd(int closed, int kept) {
  char b[16];
  struct mq_attr a;
  Q("closed-fd", mq_getattr(closed, &a));
  ssize_t n = mq_receive(kept, b, 16, 0);
  printf("kept-fd %.*s\n", (int)(n > 0 ? n : 0), b);
}

/* Another uid is refused by the mode bits (EACCES), cannot unlink (sticky
 * /dev/mqueue) and cannot read the queue's file. */
static void t_perm(void) {
  mq_unlink("/pm"); mq_unlink("/pr");
  mqd_t q = mk("/pm", O_RDWR, 4, 16);
  struct mq_attr at = {0, 4, 16, 0, {0}};
  mqd_t r = mq_open("/pr", O_RDWR | O_CREAT, 0644, &at);
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) {
    Q("setuid", set_uid(1000));
    Q("open-0600-rd", mq_open("/pm", O_RDONLY));
    Q("open-0600-wr", mq_open("/pm", O_WRONLY));
    Q("open-0644-rd", mq_open("/pr", O_RDONLY) >= 0 ? 0 : -1);
    Q("open-0644-wr", mq_open("/pr", O_WRONLY));
    Q("unlink-other", mq_unlink("/pm"));
    Q("cat-0600", open("/dev/mqueue/pm", O_RDONLY));
    struct mq_attr a = {0, 4, 16, 0, {0}};
    mqd_t own = mq_open("/own", O_RDWR | O_CREAT | O_EXCL, 0600, &a);
    Q("create-own", own >= 0 ? 0 : -1);
    Q("unlink-own", mq_unlink("/own"));
    Q("inherited-still-works", mq_send(q, "i", 1, 0));
    fflush(stdout);
    _exit(0);
  }
  waitpid(c, 0, 0);
  mq_close(q); mq_close(r);
  mq_unlink("/pm"); mq_unlink("/pr");
}

/* Every bad input, with Linux's errno. */
static void t_errors(void) {
  char b[64], longname[300];
  mq_unlink("/er");
  mqd_t q = mk("/er", O_RDWR | O_NONBLOCK, 4, 32);
  mqd_t ro = mq_open("/er", O_RDONLY | O_NONBLOCK);
  mqd_t wo = mq_open("/er", O_WRONLY | O_NONBLOCK);
  Q("name-noslash", mq_open("er", O_RDONLY));
  Q("name-inner-slash", mq_open("/e/r", O_RDWR | O_CREAT, 0600, 0));
  Q("name-slash-only", mq_open("/", O_RDONLY));
  Q("name-dot", mq_open("/.", O_RDONLY));
  longname[0] = '/';
  memset(longname + 1, 'n', 256);
  longname[257] = 0;
  Q("name-256", mq_open(longname, O_RDWR | O_CREAT, 0600, 0));
  longname[256] = 0;
  mqd_t l = mq_open(longname, O_RDWR | O_CREAT, 0600, 0);
  Q("name-255", l >= 0 ? 0 : -1);
  mq_close(l);
  Q("unlink-255", mq_unlink(longname));
#ifdef __wasm__   /* glibc reads the name first: natively a fault */
  Q("name-bad-ptr", mq_open(BAD, O_RDONLY));
#else
  printf("name-bad-ptr EFAULT\n");
#endif
  Q("missing", mq_open("/nope", O_RDONLY));
  Q("excl", mq_open("/er", O_RDWR | O_CREAT | O_EXCL, 0600, 0));
  Q("attr-bad-ptr", mq_open("/er2", O_RDWR | O_CREAT, 0600, BAD));
  struct mq_attr a = {0, 0, 16, 0, {0}};
  Q("attr-maxmsg-0", mq_open("/er2", O_RDWR | O_CREAT, 0600, &a));
  a.mq_maxmsg = 4; a.mq_msgsize = -1;
  Q("attr-msgsize-neg", mq_open("/er2", O_RDWR | O_CREAT, 0600, &a));
  a.mq_maxmsg = 1025; a.mq_msgsize = 16;
  Q("attr-maxmsg-over", mq_open("/er2", O_RDWR | O_CREAT, 0600, &a));
  a.mq_maxmsg = 256; a.mq_msgsize = 8192;
  mqd_t big = mq_open("/er2", O_RDWR | O_CREAT, 0600, &a);
  Q("attr-256x8192", big >= 0 ? 0 : -1);
  mq_close(big); mq_unlink("/er2");
  mqd_t dflt = mq_open("/er3", O_RDWR | O_CREAT, 0600, 0);
  mq_getattr(dflt, &a);
  printf("default %ld x %ld\n", a.mq_maxmsg, a.mq_msgsize);
  mq_close(dflt); mq_unlink("/er3");
  Q("send-rdonly", mq_send(ro, "x", 1, 0));
  Q("recv-wronly", mq_receive(wo, b, 64, 0));
  Q("send-badfd", mq_send(-1, "x", 1, 0));
  Q("send-closedfd", mq_send(900, "x", 1, 0));
  int pfd[2];
  pipe(pfd);
  Q("send-pipe", mq_send(pfd[1], "x", 1, 0));
  Q("recv-pipe", mq_receive(pfd[0], b, 64, 0));
  Q("getattr-pipe", mq_getattr(pfd[0], &a));
  Q("notify-pipe", mq_notify(pfd[0], 0));
  Q("send-too-long", mq_send(q, b, 33, 0));
  Q("send-len-neg", mq_send(q, b, (size_t)-1, 0));
  Q("send-len-2g", mq_send(q, b, (size_t)1 << 31, 0));
  Q("send-prio-max", mq_send(q, "x", 1, MQ_PRIO_MAX));
  Q("send-bad-msg", mq_send(q, BAD, 8, 0));
  Q("recv-small-buf", mq_receive(q, b, 31, 0));
  mq_send(q, "precious", 8, 7);
  Q("recv-bad-buf", mq_receive(q, BAD, 64, 0));
  Q("recv-bad-prio", mq_receive(q, b, 64, BAD));
  unsigned prio = 0;
  ssize_t n = mq_receive(q, b, 64, &prio);
  printf("not-lost %.*s %u\n", (int)(n > 0 ? n : 0), b, prio);
  struct sigevent ev;
  memset(&ev, 0, sizeof ev);
#ifdef __wasm__   /* glibc reads sigev_notify first: natively a fault */
  Q("notify-bad-ptr", mq_notify(q, BAD));
#else
  printf("notify-bad-ptr EFAULT\n");
#endif
  ev.sigev_notify = 7;
  Q("notify-bad-kind", mq_notify(q, &ev));
  ev.sigev_notify = SIGEV_THREAD;
  Q("notify-thread", mq_notify(q, &ev));
  ev.sigev_notify = SIGEV_SIGNAL; ev.sigev_signo = 65;
  Q("notify-signo-65", mq_notify(q, &ev));
  ev.sigev_signo = 0;
  Q("notify-signo-0", mq_notify(q, &ev));
  a.mq_flags = 0x1234;
  Q("setattr-bad-flags", mq_setattr(q, &a, 0));
  Q("setattr-bad-ptr", mq_setattr(q, BAD, 0));
  Q("getattr-bad-ptr", mq_getattr(q, BAD));
  Q("unlink-missing", mq_unlink("/nope"));
#ifdef __wasm__
  Q("unlink-bad-ptr", mq_unlink(BAD));
#else
  printf("unlink-bad-ptr EFAULT\n");
#endif
  Q("unlink-noslash", mq_unlink("er"));
  Q("write-queue-file", write(q, "x", 1));
  /* EMFILE past RLIMIT_NOFILE; the failed open leaves the caller's registration alone. */
  mq_notify(q, 0);   /* signo 0 registered us above */
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) {
    struct rlimit rl = {16, 16};
    setrlimit(RLIMIT_NOFILE, &rl);
    struct sigevent none;
    memset(&none, 0, sizeof none);
    none.sigev_notify = SIGEV_NONE;
    mqd_t mine = mq_open("/er", O_RDONLY | O_NONBLOCK);
    Q("child-register", mq_notify(mine, &none));
    mqd_t last = 0;
    for (int i = 0; i < 32 && last >= 0; i++) last = mq_open("/er", O_RDONLY);
    Q("emfile", last);
    Q("still-registered", mq_notify(mine, &none));
    fflush(stdout);
    _exit(0);
  }
  waitpid(c, 0, 0);
  mq_close(ro); mq_close(wo);
  Q("close", mq_close(q));
  Q("send-after-close", mq_send(q, "x", 1, 0));
  mq_unlink("/er");
}

/* The boot limits (the test boots with maxMsg 4, msgSizeMax 256, queuesMax 3). */
static void t_limits(void) {
  struct mq_attr a = {0, 5, 16, 0, {0}};
  Q("maxmsg-over", mq_open("/l1", O_RDWR | O_CREAT, 0600, &a));
  a.mq_maxmsg = 4; a.mq_msgsize = 257;
  Q("msgsize-over", mq_open("/l1", O_RDWR | O_CREAT, 0600, &a));
  a.mq_msgsize = 256;
  mqd_t q1 = mq_open("/l1", O_RDWR | O_CREAT, 0600, &a);
  Q("at-ceiling", q1 >= 0 ? 0 : -1);
  mqd_t q2 = mq_open("/l2", O_RDWR | O_CREAT, 0600, 0);
  mq_getattr(q2, &a);
  printf("default-within %ld x %ld\n", a.mq_maxmsg, a.mq_msgsize);
  mqd_t q3 = mq_open("/l3", O_RDWR | O_CREAT, 0600, 0);
  Q("third", q3 >= 0 ? 0 : -1);
  Q("fourth", mq_open("/l4", O_RDWR | O_CREAT, 0600, 0));
  mq_unlink("/l3");
  Q("unlinked-but-open", mq_open("/l4", O_RDWR | O_CREAT, 0600, 0));
  mq_close(q3);
  mqd_t q4 = mq_open("/l4", O_RDWR | O_CREAT, 0600, 0);
  Q("after-close", q4 >= 0 ? 0 : -1);
  mq_close(q1); mq_close(q2); mq_close(q4);
  mq_unlink("/l1"); mq_unlink("/l2"); mq_unlink("/l4");
}

/* The machine's byte budget (the test boots with bytesMax 1500): each queue reserves maxmsg x (msgsize + 12). */
static void t_bytes(void) {
  struct mq_attr a = {0, 4, 256, 0, {0}};
  mqd_t q1 = mq_open("/b1", O_RDWR | O_CREAT, 0600, &a);
  Q("first", q1 >= 0 ? 0 : -1);
  Q("second", mq_open("/b2", O_RDWR | O_CREAT, 0600, &a));
  a.mq_maxmsg = 1; a.mq_msgsize = 400;
  mqd_t small = mq_open("/b3", O_RDWR | O_CREAT, 0600, &a);
  Q("small-fits", small >= 0 ? 0 : -1);
  mq_close(q1);
  mq_unlink("/b1");
  a.mq_maxmsg = 4; a.mq_msgsize = 256;
  mqd_t q2 = mq_open("/b2", O_RDWR | O_CREAT, 0600, &a);
  Q("after-free", q2 >= 0 ? 0 : -1);
  mq_close(q2); mq_close(small);
  mq_unlink("/b2"); mq_unlink("/b3");
}

/* Producers and consumers on one queue: each message delivered exactly once. */
static void t_many(int np, int nc, int per) {
  mq_unlink("/many");
  mqd_t q = mk("/many", O_RDWR, 8, 16);
  int total = np * per;
  int pfd[2];
  pipe(pfd);
  fflush(stdout);
  for (int p = 0; p < np; p++) {
    if (fork() == 0) {
      for (int i = 0; i < per; i++) {
        int id = p * per + i;
        if (mq_send(q, (char *)&id, sizeof id, (unsigned)(id % 3)) != 0) _exit(1);
      }
      _exit(0);
    }
  }
  for (int c = 0; c < nc; c++) {
    if (fork() == 0) {
      int share = total / nc + (c < total % nc ? 1 : 0);
      for (int i = 0; i < share; i++) {
        char m[16];
        if (mq_receive(q, m, 16, 0) != sizeof(int)) _exit(1);
        write(pfd[1], m, sizeof(int));
      }
      _exit(0);
    }
  }
  close(pfd[1]);
  int bad = 0, st;
  while (wait(&st) > 0) if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) bad++;
  char *seen = calloc(total, 1);
  int got = 0, dup = 0, id;
  while (read(pfd[0], &id, sizeof id) == sizeof id) {
    if (id < 0 || id >= total) { bad++; continue; }
    if (seen[id]++) dup++;
    got++;
  }
  int missing = 0;
  for (int i = 0; i < total; i++) if (!seen[i]) missing++;
  printf("many delivered %d dup %d missing %d failed %d\n", got, dup, missing, bad);
  struct mq_attr a;
  mq_getattr(q, &a);
  printf("left %ld\n", a.mq_curmsgs);
  mq_close(q);
  mq_unlink("/many");
}

/* ---- tools for the test's multi-process cases ---- */

static int tool(int argc, char **argv) {
  const char *m = argv[1];
  if (!strcmp(m, "mk")) {   /* mk NAME maxmsg msgsize */
    struct mq_attr a = {0, atol(argv[3]), atol(argv[4]), 0, {0}};
    mqd_t q = mq_open(argv[2], O_RDWR | O_CREAT | O_EXCL, 0600, &a);
    Q("mk", q >= 0 ? 0 : -1);
    return 0;
  }
  if (!strcmp(m, "send")) {   /* send NAME prio text... */
    mqd_t q = mq_open(argv[2], O_WRONLY);
    if (q < 0) { Q("open", -1); return 1; }
    for (int i = 4; i < argc; i++) {
      int r = mq_send(q, argv[i], strlen(argv[i]), (unsigned)atoi(argv[3]));
      printf("sent %s ", argv[i]); Q("r", r);
      fflush(stdout);
    }
    return 0;
  }
  if (!strcmp(m, "recv")) {   /* recv NAME count */
    mqd_t q = mq_open(argv[2], O_RDONLY);
    if (q < 0) { Q("open", -1); return 1; }
    struct mq_attr a;
    mq_getattr(q, &a);
    char *b = malloc(a.mq_msgsize);
    for (int i = 0; i < atoi(argv[3]); i++) {
      unsigned prio;
      ssize_t n = mq_receive(q, b, a.mq_msgsize, &prio);
      if (n < 0) { Q("recv", -1); return 1; }
      printf("got %.*s %u\n", (int)n, b, prio);
      fflush(stdout);
    }
    return 0;
  }
  if (!strcmp(m, "notifywait")) {   /* notifywait NAME DONE: register on NAME, report when DONE has a message */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_note;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigaction(SIGUSR1, &sa, 0);
    mqd_t q = mq_open(argv[2], O_RDONLY);
    mqd_t done = mq_open(argv[3], O_RDONLY);
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_SIGNAL; ev.sigev_signo = SIGUSR1; ev.sigev_value.sival_int = 5;
    Q("registered", mq_notify(q, &ev));
    fflush(stdout);
    char b[8192];
    mq_receive(done, b, sizeof b, 0);
    printf("signals %d code %d value %d\n", (int)nsig, (int)ncode, (int)nval);
    return 0;
  }
  return -1;
}

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  const char *m = argv[1];
  int r = tool(argc, argv);
  if (r >= 0) return r;
  if (!strcmp(m, "order")) t_order();
  else if (!strcmp(m, "nonblock")) t_nonblock();
  else if (!strcmp(m, "timed")) t_timed();
  else if (!strcmp(m, "eintr")) t_eintr();
  else if (!strcmp(m, "notify")) t_notify();
  else if (!strcmp(m, "unlink")) t_unlink();
  else if (!strcmp(m, "poll")) t_poll();
  else if (!strcmp(m, "fork")) t_fork(argv[0]);
  else if (!strcmp(m, "execd")) t_execd(atoi(argv[2]), atoi(argv[3]));
  else if (!strcmp(m, "perm")) t_perm();
  else if (!strcmp(m, "errors")) t_errors();
  else if (!strcmp(m, "limits")) t_limits();
  else if (!strcmp(m, "bytes")) t_bytes();
  else if (!strcmp(m, "many")) t_many(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]));
  else return 2;
  return 0;
}
