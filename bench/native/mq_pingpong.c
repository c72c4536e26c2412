/*
 * mq_pingpong N — parent and forked child bounce a 1-byte message over two
 * POSIX message queues (ping, pong), N round trips after a warm-up. The
 * same source runs natively (cc) and in wasmux (wasmux cc, bench/mqueue.mjs).
 * Prints the mean round trip: {"name":"mq_pingpong","value":<us>,"unit":"us",...}.
 */
#include <fcntl.h>
#include <mqueue.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"

#define WARMUP 100
#define MSGSIZE 64

static mqd_t open_queue(const char *name) {
  struct mq_attr a = {0};
  a.mq_maxmsg = 10;
  a.mq_msgsize = MSGSIZE;
  mq_unlink(name);
  mqd_t q = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &a);
  if (q == (mqd_t)-1) die("mq_open");
  return q;
}

int main(int argc, char **argv) {
  long long rounds = arg_count(argc, argv, 10000);
  char pingName[64], pongName[64];
  snprintf(pingName, sizeof pingName, "/wxbench-ping-%d", (int)getpid());
  snprintf(pongName, sizeof pongName, "/wxbench-pong-%d", (int)getpid());
  mqd_t ping = open_queue(pingName), pong = open_queue(pongName);
  long long total = WARMUP + rounds;
  pid_t pid = fork();
  if (pid < 0) die("fork");
  char buf[MSGSIZE];
  if (pid == 0) {   /* echo every message back */
    for (long long i = 0; i < total; i++) {
      if (mq_receive(ping, buf, MSGSIZE, NULL) != 1) die("child mq_receive");
      if (mq_send(pong, buf, 1, 0) != 0) die("child mq_send");
    }
    _exit(0);
  }
  double t0 = 0;
  for (long long i = 0; i < total; i++) {
    if (i == WARMUP) t0 = now_s();
    if (mq_send(ping, "p", 1, 0) != 0) die("mq_send");
    if (mq_receive(pong, buf, MSGSIZE, NULL) != 1) die("mq_receive");
  }
  double secs = now_s() - t0;
  int status;
  waitpid(pid, &status, 0);
  mq_unlink(pingName);
  mq_unlink(pongName);

  char extra[96];
  snprintf(extra, sizeof extra, "\"rounds\":%lld,\"seconds\":%.6f", rounds, secs);
  report("mq_pingpong", secs / (double)rounds * 1e6, "us", extra);
  return 0;
}
