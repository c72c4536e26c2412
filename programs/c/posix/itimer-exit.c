/* itimer-exit: ITIMER_REAL that falls due during a long syscall fires as
 * the call returns (issue 14: the kernel's exit checks the timer as its
 * entry does), so the handler has run before the next line of guest code.
 * An overwrite of BIG bytes is timed first (the quicker of two); then the
 * timer is armed for a quarter of that and the same overwrite made again: the handler's flag is
 * read right after it (no syscall between). getitimer then says whether
 * the timer really fell due before that (remaining 0); if not (the write
 * was quicker this time) it tries again with twice the bytes.
 * Prints "seen-at-exit 1" once an attempt was conclusive. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static volatile int fired;
static void on_alarm(int sig) { (void)sig; fired = 1; }

static long long now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int main(void) {
  struct sigaction sa = { 0 };
  sa.sa_handler = on_alarm;
  sigaction(SIGALRM, &sa, 0);
  size_t big = 8u << 20;
  for (int attempt = 0; attempt < 4; attempt++, big *= 2) {
    char *buf = malloc(big);
    if (!buf) break;
    memset(buf, 'x', big);
    int fd = open("/tmp/itimer-exit", O_WRONLY | O_CREAT | O_TRUNC, 0600);
    write(fd, buf, big);                    /* the pages exist from here: the writes below overwrite */
    long long d = -1;
    for (int i = 0; i < 2; i++) {           /* the quicker of two overwrites */
      lseek(fd, 0, SEEK_SET);
      long long t0 = now_us();
      write(fd, buf, big);
      long long e = now_us() - t0;
      if (d < 0 || e < d) d = e;
    }
    lseek(fd, 0, SEEK_SET);
    fired = 0;
    struct itimerval it = { { 0, 0 }, { 0, (long)(d / 4 > 0 ? d / 4 : 1) } };
    setitimer(ITIMER_REAL, &it, 0);
    write(fd, buf, big);
    int seen = fired;                       /* no syscall since the write returned */
    struct itimerval left;
    getitimer(ITIMER_REAL, &left);
    close(fd);
    unlink("/tmp/itimer-exit");
    free(buf);
    int due = left.it_value.tv_sec == 0 && left.it_value.tv_usec == 0;
    if (!due) {                             /* it was not due by the write's end: inconclusive */
      it.it_value.tv_usec = 0;
      setitimer(ITIMER_REAL, &it, 0);
      continue;
    }
    printf("seen-at-exit %d\n", seen);
    return 0;
  }
  printf("inconclusive\n");
  return 1;
}
