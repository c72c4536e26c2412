/* wasmux C layer: <sys/time.h> = wasi-libc's, plus the kernel's interval
 * timer (ITIMER_REAL; the others are EINVAL, as a kernel without them). */
#ifndef __wasmux_sys_time_h
#define __wasmux_sys_time_h
#include_next <sys/time.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ITIMER_REAL    0
#define ITIMER_VIRTUAL 1
#define ITIMER_PROF    2

struct itimerval {
  struct timeval it_interval;
  struct timeval it_value;
};

int getitimer(int, struct itimerval *);
int setitimer(int, const struct itimerval *__restrict, struct itimerval *__restrict);

#ifdef __cplusplus
}
#endif
#endif
