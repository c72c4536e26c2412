/*
 * oob — loads from an address far past the end of its linear memory (just
 * under 4 GiB; a guest memory is never that large), which traps with
 * "memory access out of bounds". The process must die with a signal status.
 * Exits 0 only if the load somehow succeeded, which a test reports as a bug.
 */
#include <stdint.h>

int main(void) {
  /* volatile: the compiler must emit the load even though the result is
   * only used to pick an exit code. */
  volatile uint32_t *p = (volatile uint32_t *)(uintptr_t)0xfffffff0u;
  return *p == 0x12345678u ? 1 : 0;
}
