/* compute — a compute-heavy guest that can fork (it imports wasmux.fork, so
 * the transform pipeline gives it asyncify): CRC-32 over 4 x 8 MiB of generated
 * bytes and a merge sort of 256K integers, timed with
 * CLOCK_MONOTONIC. Prints {"name":"compute","value":<ms>,"unit":"ms","check":<crc^sum>}.
 * bench/fork.mjs runs it transformed and untransformed: the transform's cost. */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

__attribute__((import_module("wasmux"), import_name("fork"))) int wx_fork(void);

static uint32_t table[256];

static uint32_t crc32(const uint8_t *p, size_t n, uint32_t crc) {
  crc = ~crc;
  for (size_t i = 0; i < n; i++) crc = table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
  return ~crc;
}

static void merge_sort(uint32_t *a, uint32_t *tmp, size_t n) {
  if (n < 2) return;
  size_t h = n / 2;
  merge_sort(a, tmp, h);
  merge_sort(a + h, tmp, n - h);
  size_t i = 0, j = h, k = 0;
  while (i < h && j < n) tmp[k++] = a[i] <= a[j] ? a[i++] : a[j++];
  while (i < h) tmp[k++] = a[i++];
  while (j < n) tmp[k++] = a[j++];
  memcpy(a, tmp, n * sizeof *a);
}

int main(int argc, char **argv) {
  if (argc > 99) return wx_fork();   /* never: keeps the import */
  int scale = argc > 1 ? atoi(argv[1]) : 1;
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
  size_t n = (size_t)8 << 20;
  uint8_t *buf = malloc(n);
  size_t m = 1 << 18;
  uint32_t *a = malloc(m * 4), *tmp = malloc(m * 4);
  if (!buf || !a || !tmp) return 1;
  uint32_t x = 12345;
  for (size_t i = 0; i < n; i++) { x = x * 1103515245u + 12345u; buf[i] = x >> 24; }
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  uint32_t crc = 0, sum = 0;
  for (int r = 0; r < 4 * scale; r++) crc = crc32(buf, n, crc);
  for (int r = 0; r < scale; r++) {
    for (size_t i = 0; i < m; i++) { x = x * 1103515245u + 12345u; a[i] = x; }
    merge_sort(a, tmp, m);
    sum += a[m / 2];
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
  printf("{\"name\":\"compute\",\"value\":%.3f,\"unit\":\"ms\",\"check\":%u}\n", ms, crc ^ sum);
  return 0;
}
