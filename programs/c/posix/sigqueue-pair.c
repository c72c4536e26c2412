/* sigqueue-pair: a receiver and a sender exchanging values with sigqueue.
 * The receiver (this program) blocks SIGRTMIN, starts the sender with its
 * pid, and takes each value with sigwaitinfo (si_code SI_QUEUE, si_pid the
 * sender's); it answers with value * 10 on SIGRTMIN+1, which the sender
 * takes in an SA_SIGINFO handler while it waits in sigsuspend.
 * Usage: sigqueue-pair [N]   (the sender: sigqueue-pair send PID N) */
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;
static volatile sig_atomic_t reply, replied;

static void on_reply(int sig, siginfo_t *si, void *ctx) {
  (void)sig; (void)ctx;
  reply = si->si_value.sival_int;
  replied = 1;
}

static int sender(pid_t to, int n) {
  sigset_t block, old;
  sigemptyset(&block);
  sigaddset(&block, SIGRTMIN + 1);
  sigprocmask(SIG_BLOCK, &block, &old);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_reply;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGRTMIN + 1, &sa, 0);
  for (int i = 1; i <= n; i++) {
    replied = 0;
    if (sigqueue(to, SIGRTMIN, (union sigval){ .sival_int = i }) < 0) { perror("sigqueue"); return 1; }
    while (!replied) sigsuspend(&old);
    printf("sender: reply %d\n", reply);
  }
  return 0;
}

int main(int argc, char **argv) {
  setvbuf(stdout, 0, _IOLBF, 0);
  if (argc == 4 && !strcmp(argv[1], "send")) return sender(atoi(argv[2]), atoi(argv[3]));
  int n = argc > 1 ? atoi(argv[1]) : 3;
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGRTMIN);
  sigprocmask(SIG_BLOCK, &set, 0);   /* before the sender exists: nothing is lost */
  char me[16], cnt[16];
  snprintf(me, sizeof me, "%d", (int)getpid());
  snprintf(cnt, sizeof cnt, "%d", n);
  char *args[] = { argv[0], "send", me, cnt, 0 };
  pid_t pid;
  if (posix_spawn(&pid, argv[0], 0, 0, args, environ) != 0) { perror("posix_spawn"); return 1; }
  for (int i = 0; i < n; i++) {
    siginfo_t si;
    int sig = sigwaitinfo(&set, &si);
    if (sig != SIGRTMIN) { perror("sigwaitinfo"); return 1; }
    printf("receiver: value %d, %s, from the sender: %s\n", si.si_value.sival_int,
           si.si_code == SI_QUEUE ? "SI_QUEUE" : "other code", si.si_pid == pid ? "yes" : "no");
    sigqueue(pid, SIGRTMIN + 1, (union sigval){ .sival_int = si.si_value.sival_int * 10 });
  }
  int st;
  waitpid(pid, &st, 0);
  printf("sender exited %d\n", WEXITSTATUS(st));
  return 0;
}
