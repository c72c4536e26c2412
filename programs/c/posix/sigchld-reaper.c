/* sigchld-reaper: a SIGCHLD handler that reaps every child that has
 * exited, with a waitpid(-1, WNOHANG) loop (standard signals coalesce: one
 * SIGCHLD may stand for several children). The main program waits in
 * sigsuspend until all are reaped.  Usage: sigchld-reaper [N] */
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;
static volatile sig_atomic_t reaped, codes;

static void on_chld(int sig) {
  (void)sig;
  int saved = errno, st;
  pid_t pid;
  while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
    reaped++;
    if (WIFEXITED(st)) codes += WEXITSTATUS(st);
  }
  errno = saved;
}

int main(int argc, char **argv) {
  setvbuf(stdout, 0, _IOLBF, 0);
  if (argc == 3 && !strcmp(argv[1], "exit")) return atoi(argv[2]);
  int n = argc > 1 ? atoi(argv[1]) : 5;
  sigset_t chld, old;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  sigprocmask(SIG_BLOCK, &chld, &old);   /* no reaping before we wait for it */
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_chld;
  sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
  sigaction(SIGCHLD, &sa, 0);
  int sum = 0;
  for (int i = 1; i <= n; i++) {
    char code[16];
    snprintf(code, sizeof code, "%d", i);
    char *args[] = { argv[0], "exit", code, 0 };
    pid_t pid;
    if (posix_spawn(&pid, argv[0], 0, 0, args, environ) != 0) { perror("posix_spawn"); return 1; }
    sum += i;
  }
  while (reaped < n) sigsuspend(&old);
  sigprocmask(SIG_SETMASK, &old, 0);
  printf("reaped %d children, exit codes add up to %d (expected %d)\n", (int)reaped, (int)codes, sum);
  printf("no child left: %s\n", waitpid(-1, 0, WNOHANG) < 0 && errno == ECHILD ? "ECHILD" : "no");
  return 0;
}
