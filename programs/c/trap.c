/*
 * trap — writes "before trap\n" to stdout, then executes the wasm
 * `unreachable` instruction. The process must die with a signal status while
 * everything else keeps running; the line shows that output written before
 * the trap is not lost.
 */
#include <unistd.h>

int main(void) {
  static const char msg[] = "before trap\n";
  write(STDOUT_FILENO, msg, sizeof msg - 1);
  __builtin_trap();
}
