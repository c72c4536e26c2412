/*
 * args — prints its arguments and environment, one per line, so a test can
 * check args_get/environ_get for a plain wasm32-wasi binary:
 *   argc=<n>
 *   argv[<i>]=<arg>        for every i from 0
 *   env=<NAME=value>       for every environment entry, in order
 * Exit 0.
 */
#include <stdio.h>

extern char **environ;

int main(int argc, char **argv) {
  printf("argc=%d\n", argc);
  for (int i = 0; i < argc; i++) printf("argv[%d]=%s\n", i, argv[i]);
  for (char **e = environ; e && *e; e++) printf("env=%s\n", *e);
  return 0;
}
