/*
 * fork_touched N [KIB] — with KIB KiB of heap touched (default 1024): N
 * times fork, the child calls _exit(0), the parent waitpid()s it. A few
 * warm-up rounds first. Prints the mean per round:
 * {"name":"fork_touched","value":<us>,"unit":"us",...}.
 * The sandbox counterpart is programs/c/forktest.c `bench N KIB`.
 */
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"

static void one_round(void) {
  pid_t pid = fork();
  if (pid < 0) die("fork");
  if (pid == 0) _exit(0);
  int status;
  if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) die("waitpid");
}

int main(int argc, char **argv) {
  long long rounds = arg_count(argc, argv, 1000);
  long long kib = argc > 2 ? strtoll(argv[2], NULL, 10) : 1024;
  char *mem = malloc((size_t)kib * 1024 + 1);
  if (!mem) die("malloc");
  memset(mem, 1, (size_t)kib * 1024);
  for (int i = 0; i < 5; i++) one_round();
  double t0 = now_s();
  for (long long i = 0; i < rounds; i++) one_round();
  double secs = now_s() - t0;
  char extra[128];
  snprintf(extra, sizeof extra, "\"rounds\":%lld,\"touched_kib\":%lld,\"check\":%d", rounds, kib, mem[kib * 512]);
  report("fork_touched", secs / (double)rounds * 1e6, "us", extra);
  return 0;
}
