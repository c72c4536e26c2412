/* popen-pipeline: popen of a shell pipeline, reading its output line by
 * line, then pclose's status; and popen for writing into a pipeline.
 * Prints "read: <line>" for each line, "pclose: <status>", then what the
 * write side produced. argv[1]: the read command (default below). */
#include <stdio.h>
#include <sys/wait.h>

int main(int argc, char **argv) {
  const char *cmd = argc > 1 ? argv[1] : "seq 1 30 | grep 2 | wc -l";
  FILE *f = popen(cmd, "r");
  if (!f) { perror("popen"); return 1; }
  char line[256];
  while (fgets(line, sizeof line, f)) printf("read: %s", line);
  int st = pclose(f);
  printf("pclose: %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
  FILE *w = popen("grep -v skip | wc -l", "w");
  if (!w) { perror("popen"); return 1; }
  fputs("keep\nskip\nkeep\n", w);
  fflush(stdout);
  st = pclose(w);
  printf("pclose-w: %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
  return 0;
}
