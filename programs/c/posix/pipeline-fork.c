/* pipeline-fork: "seq 1 N | grep 1 | wc -l" built by hand with fork, dup2
 * and exec, as the textbooks do; prints wc's count and each stage's exit
 * status ("status 0 0 0"). N is argv[1] (default 20). Needs fork and exec. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t stage(int in, int out, char *const argv[]) {
  pid_t pid = fork();
  if (pid < 0) { perror("fork"); exit(1); }
  if (pid == 0) {
    if (in != 0) { dup2(in, 0); close(in); }
    if (out != 1) { dup2(out, 1); close(out); }
    execvp(argv[0], argv);
    perror(argv[0]);
    _exit(127);
  }
  return pid;
}

int main(int argc, char **argv) {
  char *n = argc > 1 ? argv[1] : "20";
  char *seq[] = { "seq", "1", n, NULL }, *grep[] = { "grep", "1", NULL }, *wc[] = { "wc", "-l", NULL };
  int a[2], b[2];
  if (pipe(a) < 0 || pipe(b) < 0) { perror("pipe"); return 1; }
  pid_t p1 = stage(0, a[1], seq);
  close(a[1]);
  pid_t p2 = stage(a[0], b[1], grep);
  close(a[0]); close(b[1]);
  fflush(stdout);
  pid_t p3 = stage(b[0], 1, wc);
  close(b[0]);
  int s1, s2, s3;
  waitpid(p1, &s1, 0); waitpid(p2, &s2, 0); waitpid(p3, &s3, 0);
  printf("status %d %d %d\n", WEXITSTATUS(s1), WEXITSTATUS(s2), WEXITSTATUS(s3));
  return 0;
}
