/* pipeline-spawn: the pipeline of pipeline-fork ("seq 1 N | grep 1 | wc
 * -l") with posix_spawnp and dup2 file actions, no fork; prints wc's count
 * and each stage's exit status ("status 0 0 0"). */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t stage(int in, int out, int closefd, char *const argv[]) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  if (in != 0) { posix_spawn_file_actions_adddup2(&fa, in, 0); posix_spawn_file_actions_addclose(&fa, in); }
  if (out != 1) { posix_spawn_file_actions_adddup2(&fa, out, 1); posix_spawn_file_actions_addclose(&fa, out); }
  if (closefd >= 0) posix_spawn_file_actions_addclose(&fa, closefd);
  pid_t pid;
  int e = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  if (e) { fprintf(stderr, "%s: %s\n", argv[0], strerror(e)); exit(1); }
  return pid;
}

int main(int argc, char **argv) {
  char *n = argc > 1 ? argv[1] : "20";
  char *seq[] = { "seq", "1", n, NULL }, *grep[] = { "grep", "1", NULL }, *wc[] = { "wc", "-l", NULL };
  int a[2], b[2];
  if (pipe(a) < 0 || pipe(b) < 0) { perror("pipe"); return 1; }
  pid_t p1 = stage(0, a[1], a[0], seq);
  close(a[1]);
  pid_t p2 = stage(a[0], b[1], b[0], grep);
  close(a[0]); close(b[1]);
  fflush(stdout);
  pid_t p3 = stage(b[0], 1, -1, wc);
  close(b[0]);
  int s1, s2, s3;
  waitpid(p1, &s1, 0); waitpid(p2, &s2, 0); waitpid(p3, &s3, 0);
  printf("status %d %d %d\n", WEXITSTATUS(s1), WEXITSTATUS(s2), WEXITSTATUS(s3));
  return 0;
}
