/* sigrace: a signal raised while sigaction makes it ignored is either
 * dropped by that sigaction or by the raise itself, never left pending to
 * reach a handler installed later (issue 14: raise and sigaction decide
 * under the signal block's lock). A forked child hammers kill(SIGUSR1)
 * while the parent switches the handler to SIG_IGN; once the child has
 * stopped, the parent installs the handler again: no signal may run it.
 * Prints "rounds N stale M" (M must be 0) and "delivered K" (K > 0: the
 * hammer did reach the handler while it was installed). */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile int count;
static void handler(int sig) { (void)sig; count++; }

static void set(void (*h)(int)) {
  struct sigaction sa = { 0 };
  sa.sa_handler = h;
  sa.sa_flags = SA_RESTART;
  sigaction(SIGUSR1, &sa, 0);
}

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 500;
  int ctl[2], ack[2];
  pipe(ctl); pipe(ack);
  pid_t parent = getpid();
  set(handler);
  pid_t c = fork();
  if (c == 0) {
    fcntl(ctl[0], F_SETFL, O_NONBLOCK);
    char b;
    for (;;) {
      if (read(ctl[0], &b, 1) != 1) continue;
      if (b == 'q') _exit(0);
      /* 'g': hammer until 's' */
      for (;;) {
        kill(parent, SIGUSR1);
        if (read(ctl[0], &b, 1) == 1) break;
      }
      write(ack[1], "k", 1);
    }
  }
  int stale = 0, delivered = 0;
  for (int r = 0; r < rounds; r++) {
    set(handler);
    int before = count;
    write(ctl[1], "g", 1);
    while (count == before) getppid();   /* the hammer reaches the handler */
    delivered += count - before;
    set(SIG_IGN);                          /* races with the child's kills */
    for (int i = 0; i < 20; i++) getppid();
    write(ctl[1], "s", 1);
    char b;
    while (read(ack[0], &b, 1) != 1) {}   /* the child's last kill has returned */
    int c0 = count;
    set(handler);
    getppid();                             /* a delivery point */
    if (count != c0) stale++;
  }
  write(ctl[1], "q", 1);
  int st;
  waitpid(c, &st, 0);
  printf("rounds %d stale %d\n", rounds, stale);
  printf("delivered %d\n", delivered > 0);
  return 0;
}
