/*
 * wasicd — wasidirs with chdir linked in (wasi-libc then makes every
 * relative path absolute with its own cwd, __wasilibc_cwd). For each
 * argument, in order:
 *   cd:DIR    chdir(DIR), then prints "cd DIR: 0" or "cd DIR: error <errno>"
 *   PATH      prints "PATH: <first line>" or "PATH: error <errno>"
 * and first "cwd=<getcwd()>", again after every cd. Exit 0.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void show_cwd(void) {
  char cwd[4096];
  printf("cwd=%s\n", getcwd(cwd, sizeof cwd) ? cwd : strerror(errno));
}

int main(int argc, char **argv) {
  show_cwd();
  for (int i = 1; i < argc; i++) {
    if (strncmp(argv[i], "cd:", 3) == 0) {
      if (chdir(argv[i] + 3) == 0) printf("cd %s: 0\n", argv[i] + 3);
      else printf("cd %s: error %d\n", argv[i] + 3, errno);
      show_cwd();
      continue;
    }
    FILE *f = fopen(argv[i], "r");
    if (!f) { printf("%s: error %d\n", argv[i], errno); continue; }
    char line[256] = "";
    if (!fgets(line, sizeof line, f)) strcpy(line, "(empty)\n");
    printf("%s: %s%s", argv[i], line, strchr(line, '\n') ? "" : "\n");
    fclose(f);
  }
  return 0;
}
