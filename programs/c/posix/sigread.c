/* sigread: a handler interrupting a blocked read. A child pokes its parent
 * with SIGUSR1 until the parent tells it to stop; the parent waits in read()
 * on a pipe nobody writes to. Without SA_RESTART the read fails with EINTR
 * after the handler ran; with SA_RESTART it goes on and gets the data the
 * child writes after its pokes.  Usage: sigread */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;
static volatile sig_atomic_t pokes;
static void on_usr1(int sig) { (void)sig; pokes++; }

/* The child: SIGUSR1 to its parent every 20 ms until stdin says stop (EOF);
 * with an argument, also writes it to stdout after a few pokes, then stops. */
static int poker(const char *data) {
  pid_t parent = getppid();
  for (int i = 0;; i++) {
    struct pollfd pf = { .fd = 0, .events = POLLIN };
    if (poll(&pf, 1, 20) > 0) return 0;   /* EOF (or anything) on stdin: stop */
    kill(parent, SIGUSR1);
    if (data && i == 3) { write(1, data, strlen(data)); return 0; }
  }
}

static pid_t start(char *self, const char *data, int *tochild, int *fromchild) {
  int in[2], out[2];
  pipe(in); pipe(out);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in[0], 0);
  posix_spawn_file_actions_adddup2(&fa, out[1], 1);
  posix_spawn_file_actions_addclose(&fa, in[1]);
  posix_spawn_file_actions_addclose(&fa, out[0]);
  char *args[] = { self, "poke", (char *)data, 0 };
  pid_t pid;
  if (posix_spawn(&pid, self, &fa, 0, args, environ) != 0) { perror("posix_spawn"); exit(1); }
  close(in[0]); close(out[1]);
  *tochild = in[1]; *fromchild = out[0];
  return pid;
}

int main(int argc, char **argv) {
  setvbuf(stdout, 0, _IOLBF, 0);
  if (argc >= 2 && !strcmp(argv[1], "poke")) return poker(argc > 2 ? argv[2] : 0);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sigaction(SIGUSR1, &sa, 0);

  /* 1. No SA_RESTART: EINTR. */
  int quiet[2], tochild, fromchild, st;
  pipe(quiet);
  pid_t pid = start(argv[0], 0, &tochild, &fromchild);
  char c;
  ssize_t n = read(quiet[0], &c, 1);
  int e = errno;
  close(tochild);   /* stop poking */
  waitpid(pid, &st, 0);
  printf("without SA_RESTART: read %zd, %s, handler ran: %s\n", n, n < 0 && e == EINTR ? "EINTR" : strerror(e), pokes > 0 ? "yes" : "no");
  close(fromchild);

  /* 2. SA_RESTART: the read goes on after each handler and gets the data. */
  sa.sa_flags = SA_RESTART;
  sigaction(SIGUSR1, &sa, 0);
  pokes = 0;
  pid = start(argv[0], "data after the pokes", &tochild, &fromchild);
  char buf[64];
  n = read(fromchild, buf, sizeof buf);
  printf("with SA_RESTART: read \"%.*s\", handler ran: %s\n", n > 0 ? (int)n : 0, buf, pokes > 0 ? "yes" : "no");
  close(tochild);
  waitpid(pid, &st, 0);
  printf("child exited %d\n", WEXITSTATUS(st));
  return 0;
}
