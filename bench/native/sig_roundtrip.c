/* Signal round trip: two processes, kill -> handler -> kill back, N rounds.
 * The same source is the native baseline (cc -O2, bench/run.mjs) and the
 * sandbox side (`wasmux cc -O2`, bench/signals.mjs). The parent starts its
 * partner with posix_spawn of itself (argv[0] "child PARENT-PID N"); each
 * side keeps SIGUSR1 blocked and waits in sigsuspend, so no signal is lost
 * between rounds. The first WARM rounds are not timed (as fork_touched's
 * warm-up rounds: a machine's first thousand or so round trips run on
 * workers whose JIT has not tiered up the syscall path yet; the cold
 * figure is in docs/architecture.md). Result: microseconds per round trip.
 * Usage: sig_roundtrip [N] */
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"

extern char **environ;
#define WARM 1000
static volatile sig_atomic_t got;
static void on_usr1(int sig) { (void)sig; got = 1; }

static void await_usr1(const sigset_t *during) {
  while (!got) sigsuspend(during);
  got = 0;
}

static sigset_t setup(void) {
  sigset_t block, old;
  sigemptyset(&block);
  sigaddset(&block, SIGUSR1);
  sigprocmask(SIG_BLOCK, &block, &old);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sigaction(SIGUSR1, &sa, 0);
  sigdelset(&old, SIGUSR1);
  return old;
}

int main(int argc, char **argv) {
  if (argc == 4 && !strcmp(argv[1], "child")) {
    pid_t parent = (pid_t)atoi(argv[2]);
    long long n = strtoll(argv[3], 0, 10);
    sigset_t during = setup();
    kill(parent, SIGUSR1);   /* ready */
    for (long long i = 0; i < n + WARM; i++) { await_usr1(&during); kill(parent, SIGUSR1); }
    return 0;
  }
  long long n = arg_count(argc, argv, 10000);
  sigset_t during = setup();
  char me[24], cnt[24];
  snprintf(me, sizeof me, "%d", (int)getpid());
  snprintf(cnt, sizeof cnt, "%lld", n);
  char *args[] = { argv[0], "child", me, cnt, 0 };
  pid_t pid;
  if (posix_spawn(&pid, argv[0], 0, 0, args, environ) != 0) die("posix_spawn");
  await_usr1(&during);   /* the child is ready */
  for (int i = 0; i < WARM; i++) { kill(pid, SIGUSR1); await_usr1(&during); }
  double t0 = now_s();
  for (long long i = 0; i < n; i++) { kill(pid, SIGUSR1); await_usr1(&during); }
  double t = now_s() - t0;
  int st;
  if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0) die("child");
  char extra[64];
  snprintf(extra, sizeof extra, "\"rounds\":%lld", n);
  report("sig_roundtrip", t / (double)n * 1e6, "us", extra);
  return 0;
}
