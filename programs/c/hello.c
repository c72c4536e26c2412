/*
 * hello — the C hello-world of the cold-start benchmark (bench/coldstart.mjs):
 * prints "hello, world" and exits 0. Nothing else, so the row measures
 * starting a process, not running one.
 */
#include <stdio.h>

int main(void) {
  printf("hello, world\n");
  return 0;
}
