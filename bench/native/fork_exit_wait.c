/*
 * fork_exit_wait N — N times: fork, the child calls _exit(0), the parent
 * waitpid()s it. A few warm-up rounds first. Prints the mean per round:
 * {"name":"fork_exit_wait","value":<us>,"unit":"us",...}.
 * The sandbox counterpart spawns a trivial guest from a warm worker pool.
 */
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"

#define WARMUP 5

static void one_round(void) {
  pid_t pid = fork();
  if (pid < 0) die("fork");
  if (pid == 0) _exit(0);
  int status;
  if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) die("waitpid");
}

int main(int argc, char **argv) {
  long long rounds = arg_count(argc, argv, 1000);
  for (int i = 0; i < WARMUP; i++) one_round();
  double t0 = now_s();
  for (long long i = 0; i < rounds; i++) one_round();
  double secs = now_s() - t0;

  char extra[96];
  snprintf(extra, sizeof extra, "\"rounds\":%lld,\"seconds\":%.6f", rounds, secs);
  report("fork_exit_wait", secs / (double)rounds * 1e6, "us", extra);
  return 0;
}
