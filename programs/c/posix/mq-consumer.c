/* mq-consumer QUEUE: the classic POSIX message queue consumer. Receives
 * from QUEUE (blocking: it may start before the producer) and prints each
 * record with its priority — the kernel hands them out highest priority
 * first, oldest first within one — until the empty end-of-stream message;
 * then removes the queue. */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  if (argc != 2) { fprintf(stderr, "usage: mq-consumer /queue\n"); return 2; }
  struct mq_attr attr = {0};
  attr.mq_maxmsg = 10;
  attr.mq_msgsize = 256;
  mqd_t q = mq_open(argv[1], O_RDONLY | O_CREAT, 0644, &attr);
  if (q == (mqd_t)-1) { perror("mq-consumer: mq_open"); return 1; }
  if (mq_getattr(q, &attr) != 0) { perror("mq-consumer: mq_getattr"); return 1; }
  char *buf = malloc((size_t)attr.mq_msgsize + 1);
  for (;;) {
    unsigned prio;
    ssize_t n = mq_receive(q, buf, (size_t)attr.mq_msgsize, &prio);
    if (n < 0) { perror("mq-consumer: mq_receive"); return 1; }
    if (n == 0) break;
    buf[n] = 0;
    printf("consumer: [prio %u] %s\n", prio, buf);
  }
  mq_close(q);
  if (mq_unlink(argv[1]) != 0) { perror("mq-consumer: mq_unlink"); return 1; }
  printf("consumer: queue empty, removed %s\n", argv[1]);
  return 0;
}
