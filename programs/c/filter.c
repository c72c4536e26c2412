/*
 * filter — an off-the-shelf wasm32-wasi program: wasi-libc, plain read/write.
 * It proves that a binary built by clang for wasm32-wasi runs under wasmux
 * with its stdio on our pipes.
 *
 * Contract (tests check exact bytes and exit codes):
 *   filter                  copy stdin to stdout until EOF, ASCII 'a'..'z'
 *                           upper-cased, every other byte unchanged; exit 0.
 *   filter --count-lines    same output; exit code = min(number of '\n'
 *                           bytes read, 255).
 *   any other argument      prints "usage: filter [--count-lines]\n" to
 *                           stderr, exit 2.
 *   read error              exit 3.   write error (e.g. EPIPE)  exit 4.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

static int write_all(const char *buf, size_t len) {
  while (len > 0) {
    ssize_t n = write(STDOUT_FILENO, buf, len);
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    buf += n;
    len -= (size_t)n;
  }
  return 0;
}

int main(int argc, char **argv) {
  int count_lines = 0;
  if (argc == 2 && strcmp(argv[1], "--count-lines") == 0) {
    count_lines = 1;
  } else if (argc > 1) {
    static const char usage[] = "usage: filter [--count-lines]\n";
    write(STDERR_FILENO, usage, sizeof usage - 1);
    return 2;
  }

  static char buf[16384];
  unsigned long lines = 0;
  for (;;) {
    ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      return 3;
    }
    for (ssize_t i = 0; i < n; i++) {
      char c = buf[i];
      if (c == '\n') lines++;
      if (c >= 'a' && c <= 'z') buf[i] = (char)(c - 'a' + 'A');
    }
    if (write_all(buf, (size_t)n) < 0) return 4;
  }
  if (!count_lines) return 0;
  return lines > 255 ? 255 : (int)lines;
}
