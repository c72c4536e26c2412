/* pipe-fork: the textbook pipe between parent and child. The parent writes
 * its argument (or a default line) into a pipe; the forked child reads it,
 * upper-cases it and prints it; the parent waits and reports the status.
 * Output: "child: <TEXT>" then "parent: child exited 0". Needs fork. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
  const char *msg = argc > 1 ? argv[1] : "hello through a pipe";
  int fd[2];
  if (pipe(fd) < 0) { perror("pipe"); return 1; }
  pid_t pid = fork();
  if (pid < 0) { perror("fork"); return 1; }
  if (pid == 0) {
    close(fd[1]);
    char buf[256];
    ssize_t n, total = 0;
    while ((n = read(fd[0], buf + total, sizeof buf - 1 - total)) > 0) total += n;
    buf[total] = 0;
    for (char *p = buf; *p; p++) *p = (char)toupper((unsigned char)*p);
    printf("child: %s\n", buf);
    return 0;
  }
  close(fd[0]);
  write(fd[1], msg, strlen(msg));
  close(fd[1]);
  int st;
  if (waitpid(pid, &st, 0) != pid) { perror("waitpid"); return 1; }
  printf("parent: child exited %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
  return 0;
}
