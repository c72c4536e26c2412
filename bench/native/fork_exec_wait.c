/*
 * fork_exec_wait N [PROG] — N times: fork, the child execs PROG (default
 * /bin/true), the parent waitpid()s it. A few warm-up rounds first. Prints
 * the mean per round: {"name":"fork_exec_wait","value":<us>,"unit":"us",...}.
 * The sandbox counterpart is programs/c/forktest.c `benchexec N /bin/true`
 * (the userland's true).
 */
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"

static const char *prog = "/bin/true";

static void one_round(void) {
  pid_t pid = fork();
  if (pid < 0) die("fork");
  if (pid == 0) { execl(prog, prog, (char *)NULL); _exit(127); }
  int status;
  if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) die("waitpid");
}

int main(int argc, char **argv) {
  long long rounds = arg_count(argc, argv, 500);
  if (argc > 2) prog = argv[2];
  for (int i = 0; i < 5; i++) one_round();
  double t0 = now_s();
  for (long long i = 0; i < rounds; i++) one_round();
  double secs = now_s() - t0;
  char extra[96];
  snprintf(extra, sizeof extra, "\"rounds\":%lld,\"seconds\":%.6f", rounds, secs);
  report("fork_exec_wait", secs / (double)rounds * 1e6, "us", extra);
  return 0;
}
