/* alarm-timeout: the classic read with a timeout. SIGALRM's handler is
 * installed without SA_RESTART, so alarm() ends a read that waits too long
 * with EINTR; a read whose data is there in time cancels the alarm.
 * Usage: alarm-timeout [SECONDS] */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t alarmed;
static void on_alarm(int sig) { (void)sig; alarmed = 1; }

/* Reads into buf with a timeout: the count, or -1 (errno EINTR on timeout). */
static ssize_t read_timeout(int fd, char *buf, size_t len, unsigned secs) {
  alarm(secs);
  ssize_t n = read(fd, buf, len);
  int e = errno;
  alarm(0);
  errno = e;
  return n;
}

int main(int argc, char **argv) {
  unsigned secs = argc > 1 ? (unsigned)atoi(argv[1]) : 1;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;          /* no SA_RESTART: the read is interrupted */
  sigaction(SIGALRM, &sa, 0);
  int p[2];
  if (pipe(p) < 0) { perror("pipe"); return 1; }
  char buf[64];
  write(p[1], "in time", 7);
  ssize_t n = read_timeout(p[0], buf, sizeof buf, secs);
  printf("first read: %.*s\n", (int)n, buf);
  n = read_timeout(p[0], buf, sizeof buf, secs);   /* nothing comes */
  if (n < 0 && errno == EINTR && alarmed) printf("second read: timed out after %u s (EINTR)\n", secs);
  else { printf("second read: %zd (%s)\n", n, strerror(errno)); return 1; }
  return 0;
}
