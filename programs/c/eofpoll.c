/* eofpoll: reads its stdin to the end, then asks poll(2) about it again.
 *
 *   eofpoll [TIMEOUT_MS] [ROUNDS]   (defaults: 1000 ms, 1 round)
 *
 * Reads fd 0 until read() returns 0 and prints "read N" (the bytes it got),
 * then ROUNDS times: poll(fd 0, POLLIN, TIMEOUT_MS) and prints
 * "rc=R revents=IN|HUP" (the flags set, or "-" for none). At end of input a
 * pipe whose writer has gone is readable and hung up at once, so every
 * round should print "rc=1 revents=IN|HUP" without waiting. Exits 0, or 2
 * if read or poll fails. */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv) {
  int ms = argc > 1 ? atoi(argv[1]) : 1000;
  int rounds = argc > 2 ? atoi(argv[2]) : 1;
  char buf[4096];
  long total = 0;
  for (;;) {
    ssize_t n = read(0, buf, sizeof buf);
    if (n < 0) { perror("read"); return 2; }
    if (n == 0) break;
    total += n;
  }
  printf("read %ld\n", total);
  for (int i = 0; i < rounds; i++) {
    struct pollfd p = { .fd = 0, .events = POLLIN, .revents = 0 };
    int r = poll(&p, 1, ms);
    if (r < 0) { perror("poll"); return 2; }
    const char *in = (p.revents & POLLIN) ? "IN" : "";
    const char *hup = (p.revents & POLLHUP) ? ((p.revents & POLLIN) ? "|HUP" : "HUP") : "";
    printf("rc=%d revents=%s%s\n", r, p.revents ? in : "-", hup);
  }
  return 0;
}
