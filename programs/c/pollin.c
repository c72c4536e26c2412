/* pollin: waits with poll(2) for its stdin to become readable.
 *
 *   pollin [TIMEOUT_MS]   (default: wait for ever)
 *
 * Prints "timeout" and exits 1 when nothing came in time; otherwise reads
 * once and prints "ready IN n=N" (or "ready IN HUP n=0" at end of input)
 * and exits 0. Exits 2 if poll fails. Used by the tests to check that
 * poll_oneoff really waits for a pipe, with and without a timeout. */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv) {
  int ms = argc > 1 ? atoi(argv[1]) : -1;
  struct pollfd p = { .fd = 0, .events = POLLIN, .revents = 0 };
  int r = poll(&p, 1, ms);
  if (r < 0) { perror("poll"); return 2; }
  if (r == 0) { printf("timeout\n"); return 1; }
  char buf[256];
  ssize_t n = read(0, buf, sizeof buf);
  printf("ready%s%s n=%zd\n", (p.revents & POLLIN) ? " IN" : "", (p.revents & POLLHUP) ? " HUP" : "", n);
  return 0;
}
