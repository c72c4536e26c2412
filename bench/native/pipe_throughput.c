/*
 * pipe_throughput N — a forked child writes N bytes into a pipe in 64 KiB
 * writes; the parent reads them in 64 KiB reads and counts.
 * Timed from the parent's first successful read to EOF, so fork/startup cost
 * is left out (the sandbox guest times the same interval). The bytes of that
 * first read are not counted.
 * Prints {"name":"pipe_throughput","value":<GB/s>,"unit":"GB/s",...}.
 */
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"

#define CHUNK 65536

static void writer(int fd, long long total) {
  static char buf[CHUNK];
  memset(buf, 'x', sizeof buf);
  while (total > 0) {
    size_t len = total < CHUNK ? (size_t)total : CHUNK;
    ssize_t n = write(fd, buf, len);
    if (n < 0) die("write");
    total -= n;
  }
  _exit(0);
}

int main(int argc, char **argv) {
  long long total = arg_count(argc, argv, 1LL << 30);
  int fds[2];
  if (pipe(fds) < 0) die("pipe");
  pid_t pid = fork();
  if (pid < 0) die("fork");
  if (pid == 0) {
    close(fds[0]);
    writer(fds[1], total);
  }
  close(fds[1]);

  static char buf[CHUNK];
  ssize_t n = read(fds[0], buf, sizeof buf);
  if (n <= 0) die("first read");
  double t0 = now_s();
  long long counted = 0, seen = n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0) counted += n;
  if (n < 0) die("read");
  double secs = now_s() - t0;
  seen += counted;
  int status;
  waitpid(pid, &status, 0);
  if (seen != total) {
    fprintf(stderr, "pipe_throughput: read %lld of %lld bytes\n", seen, total);
    return 1;
  }
  char extra[96];
  snprintf(extra, sizeof extra, "\"bytes\":%lld,\"seconds\":%.6f", counted, secs);
  report("pipe_throughput", (double)counted / secs / 1e9, "GB/s", extra);
  return 0;
}
