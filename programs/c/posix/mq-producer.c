/* mq-producer QUEUE: the classic POSIX message queue producer. Creates
 * QUEUE (if needed) and sends a few log records with priorities — 9 for
 * alarms, 5 for failures, 1 for progress, 0 for chatter — then an empty
 * message that tells the consumer the stream has ended. Pair with
 * mq-consumer, which prints them highest priority first. */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
  if (argc != 2) { fprintf(stderr, "usage: mq-producer /queue\n"); return 2; }
  struct mq_attr attr = {0};
  attr.mq_maxmsg = 10;
  attr.mq_msgsize = 256;
  mqd_t q = mq_open(argv[1], O_WRONLY | O_CREAT, 0644, &attr);
  if (q == (mqd_t)-1) { perror("mq-producer: mq_open"); return 1; }
  static const struct { unsigned prio; const char *text; } recs[] = {
    {1, "job 17 started"}, {0, "heartbeat"}, {9, "disk full"},
    {5, "job 17 failed"}, {1, "job 18 started"}, {9, "power low"},
  };
  int n = (int)(sizeof recs / sizeof recs[0]);
  for (int i = 0; i < n; i++) {
    if (mq_send(q, recs[i].text, strlen(recs[i].text), recs[i].prio) != 0) { perror("mq-producer: mq_send"); return 1; }
  }
  if (mq_send(q, "", 0, 0) != 0) { perror("mq-producer: mq_send"); return 1; }   /* end of stream */
  printf("producer: sent %d messages to %s\n", n, argv[1]);
  mq_close(q);
  return 0;
}
