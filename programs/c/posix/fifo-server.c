/* fifo-server: a FIFO server with several clients, the textbook way. Run
 * without arguments it makes the FIFO, starts the server and N clients (this
 * program as "server N" and "client I"), waits for all. Each client writes
 * one request line (shorter than PIPE_BUF, so never interleaved) into the
 * FIFO; the server holds the FIFO open for writing too (so it sees no EOF
 * between clients), reads N lines and prints them in client order.
 * argv: [N] (default 4). Output: "server: N requests" then "request from
 * client I (pid P)" lines, then "all done". */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define FIFO "/tmp/fifo-server.fifo"

static int server(int n) {
  int fd = open(FIFO, O_RDONLY);          /* waits for the first client */
  if (fd < 0) { perror("server: open"); return 1; }
  int keep = open(FIFO, O_WRONLY);        /* no EOF while clients come and go */
  char **req = calloc(n, sizeof *req);
  char buf[4096];
  size_t have = 0;
  int got = 0;
  while (got < n) {
    ssize_t r = read(fd, buf + have, sizeof buf - 1 - have);
    if (r <= 0) { perror("server: read"); return 1; }
    have += r;
    char *nl;
    while (got < n && (nl = memchr(buf, '\n', have))) {
      *nl = 0;
      int idx;
      if (sscanf(buf, "client %d", &idx) == 1 && idx >= 0 && idx < n && !req[idx]) { req[idx] = strdup(buf); got++; }
      size_t used = (size_t)(nl - buf) + 1;
      memmove(buf, nl + 1, have - used);
      have -= used;
    }
  }
  close(keep);
  close(fd);
  printf("server: %d requests\n", got);
  for (int i = 0; i < n; i++) printf("request from %s\n", req[i]);
  return 0;
}

static int client(int i) {
  int fd = open(FIFO, O_WRONLY);
  if (fd < 0) { perror("client: open"); return 1; }
  char line[128];
  int len = snprintf(line, sizeof line, "client %d (pid %d)\n", i, (int)getpid());
  if (write(fd, line, len) != len) { perror("client: write"); return 1; }
  close(fd);
  return 0;
}

static pid_t start(char *self, char *mode, int v) {
  char arg[16];
  snprintf(arg, sizeof arg, "%d", v);
  char *av[] = { self, mode, arg, NULL };
  pid_t pid;
  int e = posix_spawn(&pid, self, NULL, NULL, av, environ);
  if (e) { fprintf(stderr, "spawn %s: %s\n", mode, strerror(e)); exit(1); }
  return pid;
}

int main(int argc, char **argv) {
  if (argc > 2 && !strcmp(argv[1], "server")) return server(atoi(argv[2]));
  if (argc > 2 && !strcmp(argv[1], "client")) return client(atoi(argv[2]));
  int n = argc > 1 ? atoi(argv[1]) : 4;
  if (n < 1 || n > 64) { fprintf(stderr, "usage: fifo-server [1..64]\n"); return 2; }
  unlink(FIFO);
  if (mkfifo(FIFO, 0600) < 0) { perror("mkfifo"); return 1; }
  fflush(stdout);
  pid_t srv = start(argv[0], "server", n);
  pid_t *cl = malloc(sizeof *cl * n);
  for (int i = 0; i < n; i++) cl[i] = start(argv[0], "client", i);
  int st, bad = 0;
  for (int i = 0; i < n; i++) { waitpid(cl[i], &st, 0); bad |= !WIFEXITED(st) || WEXITSTATUS(st); }
  waitpid(srv, &st, 0);
  bad |= !WIFEXITED(st) || WEXITSTATUS(st);
  unlink(FIFO);
  printf(bad ? "failed\n" : "all done\n");
  return bad;
}
