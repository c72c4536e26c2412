/* pipe-spawn: the same pipe between parent and child as pipe-fork, with
 * posix_spawn (no fork): the child is this program run as "pipe-spawn
 * --child", its stdin the pipe's read end. Output: "child: <TEXT>" then
 * "parent: child exited 0". */
#include <ctype.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc > 1 && !strcmp(argv[1], "--child")) {
    char buf[256];
    ssize_t n, total = 0;
    while ((n = read(0, buf + total, sizeof buf - 1 - total)) > 0) total += n;
    buf[total] = 0;
    for (char *p = buf; *p; p++) *p = (char)toupper((unsigned char)*p);
    printf("child: %s\n", buf);
    return 0;
  }
  const char *msg = argc > 1 ? argv[1] : "hello through a pipe";
  int fd[2];
  if (pipe(fd) < 0) { perror("pipe"); return 1; }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, fd[0], 0);
  posix_spawn_file_actions_addclose(&fa, fd[0]);
  posix_spawn_file_actions_addclose(&fa, fd[1]);
  char *cargv[] = { argv[0], "--child", NULL };
  pid_t pid;
  int e = posix_spawn(&pid, argv[0], &fa, NULL, cargv, environ);
  if (e) { fprintf(stderr, "posix_spawn: %s\n", strerror(e)); return 1; }
  close(fd[0]);
  write(fd[1], msg, strlen(msg));
  close(fd[1]);
  int st;
  if (waitpid(pid, &st, 0) != pid) { perror("waitpid"); return 1; }
  printf("parent: child exited %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
  return 0;
}
