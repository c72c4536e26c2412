/* csignal: the C layer's signals and timers, one group per run; prints
 * "label value" lines (value: a result, or an errno name) that
 * tests/clayer-signals.test.mjs checks. */
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;
#include "report.h"   /* BAD, ename, R */

static void RE(const char *label, int e) { printf("%s %s\n", label, e ? ename(e) : "0"); }

static volatile sig_atomic_t got;
static void on(int sig) { got = sig; }

/* sigset_t operations and their EINVAL for numbers outside 1..64. */
static void t_sets(void) {
  sigset_t s;
  sigemptyset(&s);
  R("empty-has-int", sigismember(&s, SIGINT));
  R("add-int", sigaddset(&s, SIGINT));
  R("add-rtmax", sigaddset(&s, SIGRTMAX));
  R("has-int", sigismember(&s, SIGINT));
  R("has-rtmax", sigismember(&s, SIGRTMAX));
  R("has-term", sigismember(&s, SIGTERM));
  R("del-int", sigdelset(&s, SIGINT));
  R("has-int-after-del", sigismember(&s, SIGINT));
  R("add-0", sigaddset(&s, 0));
  R("add-65", sigaddset(&s, 65));
  R("has-65", sigismember(&s, 65));
  sigfillset(&s);
  R("full-has-1", sigismember(&s, 1));
  R("full-has-64", sigismember(&s, 64));
  printf("rtmin %d rtmax %d nsig %d\n", SIGRTMIN, SIGRTMAX, NSIG);
  printf("sizes sigset %zu siginfo %zu\n", sizeof(sigset_t), sizeof(siginfo_t));
  /* One call per line: an unknown number's text is in a static buffer, as glibc's. */
  printf("strsignal %s|%s\n", strsignal(SIGALRM), strsignal(SIGKILL));
  printf("strsignal-rt %s\n", strsignal(SIGRTMIN + 2));
  printf("strsignal-unknown %s\n", strsignal(99));
}

/* Timers: values back from getitimer, the EINVALs and EFAULTs, alarm's remaining seconds. */
static void t_timers(void) {
  struct itimerval v = {{0, 250000}, {30, 500000}}, o, c;
  R("set", setitimer(ITIMER_REAL, &v, 0));
  R("get", getitimer(ITIMER_REAL, &c));
  printf("interval %ld.%06ld value-sec %ld\n", (long)c.it_interval.tv_sec, (long)c.it_interval.tv_usec, (long)c.it_value.tv_sec);
  memset(&o, 0xff, sizeof o);
  struct itimerval z = {{0, 0}, {0, 0}};
  R("set-disarm", setitimer(ITIMER_REAL, &z, &o));
  printf("old interval %ld.%06ld value-sec %ld\n", (long)o.it_interval.tv_sec, (long)o.it_interval.tv_usec, (long)o.it_value.tv_sec);
  R("get-disarmed", getitimer(ITIMER_REAL, &c));
  printf("disarmed %ld %ld %ld %ld\n", (long)c.it_interval.tv_sec, (long)c.it_interval.tv_usec, (long)c.it_value.tv_sec, (long)c.it_value.tv_usec);
  R("virtual", setitimer(ITIMER_VIRTUAL, &v, 0));
  R("prof", getitimer(ITIMER_PROF, &c));
  R("which-neg", setitimer(-1, &v, 0));
  struct itimerval bad = {{0, 0}, {1, 1000000}};
  R("usec-1e6", setitimer(ITIMER_REAL, &bad, 0));
  bad.it_value.tv_usec = 0; bad.it_value.tv_sec = -1;
  R("sec-neg", setitimer(ITIMER_REAL, &bad, 0));
  R("new-efault", setitimer(ITIMER_REAL, BAD, 0));
  R("old-efault", setitimer(ITIMER_REAL, &v, BAD));
  R("get-efault", getitimer(ITIMER_REAL, BAD));
  R("after-efault", getitimer(ITIMER_REAL, &c));   /* the EFAULT changed nothing: still disarmed */
  printf("still-disarmed %d\n", c.it_value.tv_sec == 0 && c.it_value.tv_usec == 0);
  R("alarm-first", alarm(100));
  R("alarm-again", alarm(50));     /* 100 s armed a moment ago: about 100 left */
  R("alarm-cancel", alarm(0));
  R("alarm-none", alarm(0));
}

/* The default action of SIGALRM ends a process blocked in read. */
static void t_alarmdie(void) {
  int p[2];
  pipe(p);
  alarm(1);
  char c;
  read(p[0], &c, 1);   /* nobody writes: only the alarm ends this */
  printf("not reached\n");
}

/* ... and one that only makes syscalls that never block (the kernel-entry check). */
static void t_alarmbusy(void) {
  alarm(1);
  for (;;) (void)getppid();
}

/* The errnos of the signal calls. */
static void t_errno(void) {
  struct sigaction sa, old;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on;
  R("sigaction-0", sigaction(0, &sa, 0));
  R("sigaction-65", sigaction(65, &sa, 0));
  R("sigaction-kill", sigaction(SIGKILL, &sa, 0));
  R("sigaction-stop", sigaction(SIGSTOP, &sa, 0));
  R("sigaction-kill-query", sigaction(SIGKILL, 0, &old));
  R("sigaction-act-efault", sigaction(SIGUSR1, BAD, 0));
  R("sigaction-old-efault", sigaction(SIGUSR1, &sa, BAD));
  R("signal-kill", signal(SIGKILL, on) == SIG_ERR ? -1 : 0);
  sigset_t s;
  sigemptyset(&s);
  R("sigprocmask-how", sigprocmask(7, &s, 0));
  R("sigprocmask-set-efault", sigprocmask(SIG_BLOCK, BAD, 0));
  R("sigprocmask-old-efault", sigprocmask(SIG_BLOCK, &s, BAD));
  RE("pthread_sigmask-how", pthread_sigmask(-1, &s, 0));
  R("sigpending-efault", sigpending(BAD));
  R("sigsuspend-efault", sigsuspend(BAD));
  R("kill-sig-65", kill(getpid(), 65));
  R("kill-sig-neg", kill(getpid(), -1));
  R("kill-esrch", kill(30000, 0));
  R("kill-self-0", kill(getpid(), 0));
  R("killpg-neg", killpg(-3, SIGTERM));
  union sigval v = { .sival_int = 1 };
  R("sigqueue-65", sigqueue(getpid(), 65, v));
  R("sigqueue-esrch", sigqueue(30000, SIGUSR1, v));
  struct timespec ts = { 0, 1000000000 };
  R("sigtimedwait-nsec", sigtimedwait(&s, 0, &ts));
  R("sigtimedwait-ts-efault", sigtimedwait(&s, 0, BAD));
  ts.tv_nsec = 0;
  sigaddset(&s, SIGUSR2);
  R("sigtimedwait-timeout", sigtimedwait(&s, 0, &ts));
  int sig;
  RE("sigwait-efault", sigwait(&s, BAD));
  (void)sig;
  R("nanosleep-nsec", nanosleep(&(struct timespec){0, -1}, 0));
  R("nanosleep-efault", nanosleep(BAD, 0));
  R("nanosleep-rem-efault", nanosleep(&(struct timespec){0, 1}, BAD));
  RE("clock_nanosleep-clock", clock_nanosleep((clockid_t)99, 0, &(struct timespec){0, 1}, 0));
  RE("clock_nanosleep-efault", clock_nanosleep(CLOCK_MONOTONIC, 0, BAD, 0));
  RE("clock_nanosleep-abs-past", clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &(struct timespec){0, 0}, 0));
}

/* A handler interrupts sleep/nanosleep: EINTR and the time left (bounds that
 * hold on a loaded machine: the alarm comes after >= 1 s of a 30 s sleep). */
static void t_sleep(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on;
  R("sigaction", sigaction(SIGALRM, &sa, 0));
  alarm(1);
  struct timespec rem = { -1, -1 };
  int r = nanosleep(&(struct timespec){30, 0}, &rem);
  R("nanosleep", r);
  printf("handler-ran %d\n", got == SIGALRM);
  printf("rem-in-bounds %d\n", rem.tv_sec >= 0 && rem.tv_sec <= 29 && rem.tv_nsec >= 0 && rem.tv_nsec < 1000000000);
  got = 0;
  alarm(1);
  unsigned left = sleep(30);
  printf("sleep-left-in-bounds %d\n", left >= 1 && left <= 29);
  printf("handler-ran %d\n", got == SIGALRM);
  got = 0;
  alarm(1);
  R("pause", pause());
  printf("handler-ran %d\n", got == SIGALRM);
}

/* An interval timer re-arms: several SIGALRMs, then it is disarmed. */
static volatile int alrm_code = 99;
static void on_info(int sig, siginfo_t *si, void *ctx) { (void)ctx; got = sig; alrm_code = si->si_code; }
static void t_interval(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_info;
  sa.sa_flags = SA_SIGINFO | SA_RESTART;
  sigaction(SIGALRM, &sa, 0);
  struct itimerval v = {{0, 20000}, {0, 20000}};
  setitimer(ITIMER_REAL, &v, 0);
  int n = 0;
  while (n < 3) { got = 0; pause(); if (got == SIGALRM) n++; }
  printf("alarms %d, si_code SI_TIMER %d\n", n, alrm_code == SI_TIMER);
  struct itimerval z = {{0, 0}, {0, 0}};
  setitimer(ITIMER_REAL, &z, 0);
  struct itimerval c;
  getitimer(ITIMER_REAL, &c);
  printf("disarmed %d\n", c.it_value.tv_sec == 0 && c.it_value.tv_usec == 0);
}

/* An alarm reaches a process that computes without making any syscall (safepoints). */
static volatile unsigned long spin;
static void t_alarmcompute(void) {
  signal(SIGALRM, on);
  alarm(1);
  while (!got) spin++;
  printf("handler-ran-in-loop %d\n", got == SIGALRM);
}

/* The kernel's own checks, past the layer's (which validates first): raw calls. */
__attribute__((import_module("wasmux"), import_name("setitimer"))) int raw_setitimer(int, const void *, void *);
__attribute__((import_module("wasmux"), import_name("getitimer"))) int raw_getitimer(int, void *);
__attribute__((import_module("wasmux"), import_name("alarm"))) int raw_alarm(unsigned);
static void t_raw(void) {
  long long rec[2] = { 0, 5000000000ll }, out[2];
  printf("raw-set-new-efault %d\n", raw_setitimer(0, BAD, 0) == -EFAULT);
  printf("raw-set-old-efault %d\n", raw_setitimer(0, rec, BAD) == -EFAULT);
  printf("raw-get-efault %d\n", raw_getitimer(0, BAD) == -EFAULT);
  printf("raw-get-after %d %lld\n", raw_getitimer(0, out), out[1]);   /* nothing was armed by the failures */
  printf("raw-which %d %d\n", raw_setitimer(1, rec, 0) == -EINVAL, raw_getitimer(-7, out) == -EINVAL);
  long long neg[2] = { -1, 1000 }, negv[2] = { 0, -1 };
  printf("raw-negative %d %d\n", raw_setitimer(0, neg, 0) == -EINVAL, raw_setitimer(0, negv, 0) == -EINVAL);
  printf("raw-set %d\n", raw_setitimer(0, rec, 0));
  raw_getitimer(0, out);
  printf("raw-left-in-bounds %d\n", out[1] > 0 && out[1] <= 5000000000ll && out[0] == 0);
  printf("raw-alarm-rounds %d\n", raw_alarm(0));   /* 5 s armed a moment ago: 5 */
}

/* Timers across fork (the child has none) and exec (kept). */
static void t_forktimer(char *self) {
  struct itimerval v = {{0, 0}, {40, 0}}, c;
  setitimer(ITIMER_REAL, &v, 0);
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    getitimer(ITIMER_REAL, &c);
    printf("fork child: armed %d\n", c.it_value.tv_sec != 0 || c.it_value.tv_usec != 0);
    fflush(stdout);
    char *args[] = { self, "showtimer", 0 };
    setitimer(ITIMER_REAL, &v, 0);   /* armed again, then exec: kept */
    execv(self, args);
    _exit(127);
  }
  int st;
  waitpid(pid, &st, 0);
  getitimer(ITIMER_REAL, &c);
  printf("parent: armed %d, child status %d\n", c.it_value.tv_sec > 30, st);
}

/* sys/wait.h's macros on real statuses: a child stopped (WUNTRACED), continued
 * (WCONTINUED), dumped core (SIGQUIT). The child waits in pause(). */
static void t_wait(char *self) {
  char *args[] = { self, "pause", 0 };
  pid_t pid;
  int st;
  if (posix_spawn(&pid, self, 0, 0, args, environ) != 0) { printf("spawn failed\n"); return; }
  kill(pid, SIGSTOP);
  R("waitpid-stopped", waitpid(pid, &st, WUNTRACED) == pid ? 0 : -1);
  printf("stopped %d sig %d exited %d signaled %d continued %d\n", WIFSTOPPED(st) != 0, WSTOPSIG(st),
         WIFEXITED(st) != 0, WIFSIGNALED(st) != 0, WIFCONTINUED(st) != 0);
  kill(pid, SIGCONT);
  R("waitpid-continued", waitpid(pid, &st, WCONTINUED) == pid ? 0 : -1);
  printf("continued %d stopped %d\n", WIFCONTINUED(st) != 0, WIFSTOPPED(st) != 0);
  kill(pid, SIGQUIT);
  R("waitpid-quit", waitpid(pid, &st, 0) == pid ? 0 : -1);
  printf("signaled %d termsig %d core %d stopped %d\n", WIFSIGNALED(st) != 0, WTERMSIG(st), WCOREDUMP(st) != 0, WIFSTOPPED(st) != 0);
}

/* A spawned child reports its mask and dispositions (spawnattr). */
static void t_showsig(void) {
  sigset_t cur;
  sigprocmask(SIG_BLOCK, 0, &cur);
  struct sigaction usr2, intr;
  sigaction(SIGUSR2, 0, &usr2);
  sigaction(SIGINT, 0, &intr);
  printf("child: TERM blocked %d, USR2 %s, INT %s\n", sigismember(&cur, SIGTERM),
         usr2.sa_handler == SIG_DFL ? "default" : usr2.sa_handler == SIG_IGN ? "ignored" : "handled",
         intr.sa_handler == SIG_DFL ? "default" : intr.sa_handler == SIG_IGN ? "ignored" : "handled");
}

/* posix_spawn's POSIX_SPAWN_SETSIGMASK and POSIX_SPAWN_SETSIGDEF. */
static void t_spawnattr(char *self) {
  signal(SIGUSR2, SIG_IGN);
  signal(SIGINT, SIG_IGN);
  signal(SIGUSR1, on);                 /* handled: SIG_DFL in any child (exec semantics) */
  char *args[] = { self, "showsig", 0 };
  posix_spawnattr_t at;
  posix_spawnattr_init(&at);
  pid_t pid;
  int st;
  /* Each result is printed after the child's line (the child has exited): one order. */
  int e = posix_spawn(&pid, self, 0, &at, args, environ);
  if (!e) waitpid(pid, &st, 0);
  RE("plain", e);
  sigset_t mask, def;
  sigemptyset(&mask); sigaddset(&mask, SIGTERM); sigaddset(&mask, SIGKILL);
  sigemptyset(&def); sigaddset(&def, SIGUSR2);
  posix_spawnattr_setsigmask(&at, &mask);
  posix_spawnattr_setsigdefault(&at, &def);
  posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  e = posix_spawn(&pid, self, 0, &at, args, environ);
  if (!e) waitpid(pid, &st, 0);
  RE("with-attrs", e);
  printf("status %d\n", st);
}

int main(int argc, char **argv) {
  const char *m = argc > 1 ? argv[1] : "";
  setvbuf(stdout, 0, _IOLBF, 0);
  if (!strcmp(m, "showsig")) { t_showsig(); return 0; }
  if (!strcmp(m, "spawnattr")) { t_spawnattr(argv[0]); return 0; }
  if (!strcmp(m, "forktimer")) { t_forktimer(argv[0]); return 0; }
  if (!strcmp(m, "showtimer")) {
    struct itimerval c;
    getitimer(ITIMER_REAL, &c);
    printf("after exec: armed %d\n", c.it_value.tv_sec > 30);
    return 0;
  }
  if (!strcmp(m, "raw")) { t_raw(); return 0; }
  if (!strcmp(m, "pause")) { for (;;) pause(); }
  if (!strcmp(m, "wait")) { t_wait(argv[0]); return 0; }
  if (!strcmp(m, "sets")) t_sets();
  else if (!strcmp(m, "timers")) t_timers();
  else if (!strcmp(m, "alarmdie")) t_alarmdie();
  else if (!strcmp(m, "alarmbusy")) t_alarmbusy();
  else if (!strcmp(m, "errno")) t_errno();
  else if (!strcmp(m, "sleep")) t_sleep();
  else if (!strcmp(m, "interval")) t_interval();
  else if (!strcmp(m, "alarmcompute")) t_alarmcompute();
  else { fprintf(stderr, "usage: csignal GROUP\n"); return 2; }
  return 0;
}
