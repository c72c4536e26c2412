/* Shared helpers for the native baselines: a monotonic clock, argument
 * parsing and the one-line JSON result the harness (bench/run.mjs) parses. */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static inline double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static inline long long arg_count(int argc, char **argv, long long dflt) {
  return argc > 1 ? strtoll(argv[1], NULL, 10) : dflt;
}

static inline void die(const char *what) {
  perror(what);
  exit(1);
}

/* Extra fields (e.g. the raw numbers) follow the three the table needs. */
static inline void report(const char *name, double value, const char *unit,
                          const char *extra) {
  printf("{\"name\":\"%s\",\"value\":%.6g,\"unit\":\"%s\"%s%s}\n", name, value,
         unit, extra && *extra ? "," : "", extra ? extra : "");
  fflush(stdout);
}
#endif
