/* sigwindow N: a signal that arrives while the process computes between
 * two calls reaches it no later than its next blocking call. The parent
 * kills the child during a short computation (no call in it); the child
 * then reads an empty pipe unless the handler ran already. On Linux the
 * handler runs during the computation; in wasmux it may run only in the
 * read, which must then end with EINTR, not sleep on with the signal
 * pending (tests/signals-gaps.test.mjs). Prints "rounds N handled N". */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t got;
static void on(int s) { (void)s; got++; }

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 100;
  int p[2], rep[2];
  if (pipe(p) < 0 || pipe(rep) < 0) return 2;
  pid_t c = fork();
  if (c == 0) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on;   /* no SA_RESTART: the read ends with EINTR */
    sigaction(SIGUSR1, &sa, 0);
    char b;
    for (int i = 0; i < n; i++) {
      int before = got;
      if (write(rep[1], "r", 1) != 1) _exit(3);
      for (volatile int k = 0; k < 3000; k++) {}   /* the kill lands about here */
      while (got == before) {
        ssize_t r = read(p[0], &b, 1);
        if (r != -1 || errno != EINTR) { printf("round %d: read %zd\n", i, r); fflush(stdout); _exit(1); }
      }
    }
    printf("rounds %d handled %d\n", n, (int)got);
    fflush(stdout);
    _exit(0);
  }
  char b;
  for (int i = 0; i < n; i++) {
    if (read(rep[0], &b, 1) != 1) return 4;
    kill(c, SIGUSR1);
  }
  int st;
  waitpid(c, &st, 0);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 5;
}
