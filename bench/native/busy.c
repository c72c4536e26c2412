/*
 * busy — the load of `npm run bench -- --loaded`: one of these per core
 * computes without a syscall until the harness kills it, so both the native
 * baseline and the sandbox share every core with a busy process.
 */
int main(void) {
  volatile unsigned long n = 0;
  for (;;) n++;
}
