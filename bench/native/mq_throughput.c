/*
 * mq_throughput N — one-way POSIX message queue throughput: the parent
 * sends N 64-byte messages to a queue of 10 (Linux's default ceiling for
 * an unprivileged queue), a forked child receives them all; the time runs
 * from the first send (once the child is running: it says so over a pipe)
 * to the child's exit. The same source runs natively
 * and in wasmux (bench/mqueue.mjs). Prints messages per second (millions):
 * {"name":"mq_throughput","value":<Mmsg/s>,"unit":"Mmsg/s",...}.
 */
#include <fcntl.h>
#include <mqueue.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"

#define MSG 64

int main(int argc, char **argv) {
  long long n = arg_count(argc, argv, 200000);
  char name[64];
  snprintf(name, sizeof name, "/wxbench-tput-%d", (int)getpid());
  struct mq_attr a = {0};
  a.mq_maxmsg = 10;
  a.mq_msgsize = MSG;
  mq_unlink(name);
  mqd_t q = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &a);
  if (q == (mqd_t)-1) die("mq_open");
  char buf[MSG];
  memset(buf, 'x', sizeof buf);
  int ready[2];
  if (pipe(ready) < 0) die("pipe");
  pid_t pid = fork();
  if (pid < 0) die("fork");
  if (pid == 0) {
    if (write(ready[1], "r", 1) != 1) die("write");
    for (long long i = 0; i < n; i++) if (mq_receive(q, buf, MSG, NULL) != MSG) die("mq_receive");
    _exit(0);
  }
  char c;
  if (read(ready[0], &c, 1) != 1) die("read");
  double t0 = now_s();
  for (long long i = 0; i < n; i++) if (mq_send(q, buf, MSG, 0) != 0) die("mq_send");
  int status;
  waitpid(pid, &status, 0);
  double secs = now_s() - t0;
  mq_unlink(name);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) die("receiver");

  char extra[96];
  snprintf(extra, sizeof extra, "\"messages\":%lld,\"seconds\":%.6f", n, secs);
  report("mq_throughput", (double)n / secs / 1e6, "Mmsg/s", extra);
  return 0;
}
