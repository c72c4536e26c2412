/*
 * exitcode — exits with the number given as argv[1] (0 without one), taken
 * modulo 256 as the exit status is; prints nothing. Checks argv passing and
 * exit status encoding for a plain wasm32-wasi binary.
 */
#include <stdlib.h>

int main(int argc, char **argv) {
  return argc > 1 ? atoi(argv[1]) & 255 : 0;
}
