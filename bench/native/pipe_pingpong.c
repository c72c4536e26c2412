/*
 * pipe_pingpong N — parent and forked child bounce one byte over two pipes,
 * N round trips after a short warm-up (so the child is surely running and
 * both sides are hot, as in the sandbox guest). Prints the mean round trip:
 * {"name":"pipe_pingpong","value":<us>,"unit":"us",...}.
 */
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"

#define WARMUP 100

static void xread1(int fd, char *c) {
  if (read(fd, c, 1) != 1) die("read");
}
static void xwrite1(int fd, char c) {
  if (write(fd, &c, 1) != 1) die("write");
}

int main(int argc, char **argv) {
  long long rounds = arg_count(argc, argv, 10000);
  int ping[2], pong[2];
  if (pipe(ping) < 0 || pipe(pong) < 0) die("pipe");
  pid_t pid = fork();
  if (pid < 0) die("fork");
  if (pid == 0) { /* echo until the parent closes its end */
    close(ping[1]);
    close(pong[0]);
    char c;
    while (read(ping[0], &c, 1) == 1) xwrite1(pong[1], c);
    _exit(0);
  }
  close(ping[0]);
  close(pong[1]);

  char c;
  for (int i = 0; i < WARMUP; i++) { xwrite1(ping[1], 'p'); xread1(pong[0], &c); }
  double t0 = now_s();
  for (long long i = 0; i < rounds; i++) { xwrite1(ping[1], 'p'); xread1(pong[0], &c); }
  double secs = now_s() - t0;
  close(ping[1]);
  int status;
  waitpid(pid, &status, 0);

  char extra[96];
  snprintf(extra, sizeof extra, "\"rounds\":%lld,\"seconds\":%.6f", rounds, secs);
  report("pipe_pingpong", secs / (double)rounds * 1e6, "us", extra);
  return 0;
}
