/*
 * wasidirs — what a stock wasi-libc program sees of its directories, so a
 * test can check preopens and the working directory:
 *   preopen <fd> <name>     for every preopened directory (fd_prestat_*)
 *   cwd=<getcwd()>
 *   <path>: <first line>    for every argument: the file opened with fopen
 *   <path>: error <errno>   (or why it could not be opened)
 * Exit 0.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wasi/api.h>

int main(int argc, char **argv) {
  for (__wasi_fd_t fd = 3;; fd++) {
    __wasi_prestat_t st;
    if (__wasi_fd_prestat_get(fd, &st) != 0) break;
    char name[256];
    size_t n = st.u.dir.pr_name_len < sizeof name - 1 ? st.u.dir.pr_name_len : sizeof name - 1;
    if (__wasi_fd_prestat_dir_name(fd, (uint8_t *)name, n) != 0) break;
    name[n] = 0;
    printf("preopen %u %s\n", (unsigned)fd, name);
  }
  char cwd[4096];
  printf("cwd=%s\n", getcwd(cwd, sizeof cwd) ? cwd : strerror(errno));
  for (int i = 1; i < argc; i++) {
    FILE *f = fopen(argv[i], "r");
    if (!f) { printf("%s: error %d\n", argv[i], errno); continue; }
    char line[256] = "";
    if (!fgets(line, sizeof line, f)) strcpy(line, "(empty)\n");
    printf("%s: %s%s", argv[i], line, strchr(line, '\n') ? "" : "\n");
    fclose(f);
  }
  return 0;
}
