/* Sleeping and timers: nanosleep, clock_nanosleep, sleep, usleep, alarm,
 * setitimer, getitimer over the kernel's calls. They replace wasi-libc's
 * (which sleep in poll_oneoff and cannot be interrupted): libwasmux.a comes
 * first on the link line, so the linker takes these. A handled signal ends a
 * sleep with EINTR; the time left is the deadline less the kernel clock. */
#include <errno.h>
#include <stdint.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include "wx.h"

#define NS 1000000000ll

long long __wx_timespec_ns(const void *p) {
  if (__wx_range(p, sizeof(struct timespec)) < 0) return -1;
  const struct timespec *ts = p;
  if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= NS) { errno = EINVAL; return -1; }
  if (ts->tv_sec > (INT64_MAX - NS) / NS) return INT64_MAX;
  return (long long)ts->tv_sec * NS + ts->tv_nsec;
}

static long long mono(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long long)t.tv_sec * NS + t.tv_nsec;
}

static void set_ts(struct timespec *ts, long long ns) {
  if (ns < 0) ns = 0;
  ts->tv_sec = (time_t)(ns / NS);
  ts->tv_nsec = (long)(ns % NS);
}

/* Sleeps `ns`; on EINTR writes the time left to *rem (if any). Returns 0 or an errno. */
static int sleep_ns(long long ns, struct timespec *rem) {
  long long end = mono() + ns;
  int r = __wx_nanosleep(ns);
  if (r == -EINTR && rem) set_ts(rem, end - mono());
  return r < 0 ? -r : 0;
}

int nanosleep(const struct timespec *req, struct timespec *rem) {
  long long ns = __wx_timespec_ns(req);
  if (ns < 0) return -1;
  if (rem && __wx_range(rem, sizeof *rem) < 0) return -1;
  int e = sleep_ns(ns, rem);
  if (e) { errno = e; return -1; }
  return 0;
}

/* POSIX: returns an error number, never sets errno. TIMER_ABSTIME leaves *rem alone. */
int clock_nanosleep(clockid_t clk, int flags, const struct timespec *req, struct timespec *rem) {
  if (clk != CLOCK_REALTIME && clk != CLOCK_MONOTONIC) return EINVAL;
  int saved = errno;
  long long ns = __wx_timespec_ns(req);
  if (ns < 0) { int e = errno; errno = saved; return e; }
  if (flags & TIMER_ABSTIME) {
    struct timespec now;
    clock_gettime(clk, &now);
    ns -= (long long)now.tv_sec * NS + now.tv_nsec;
    if (ns <= 0) return 0;
    rem = 0;
  } else if (rem && __wx_range(rem, sizeof *rem) < 0) {
    errno = saved;
    return EFAULT;
  }
  return sleep_ns(ns, rem);
}

/* The seconds left when a signal ends it, rounded to the nearest (as glibc). */
unsigned sleep(unsigned secs) {
  struct timespec rem;
  if (sleep_ns((long long)secs * NS, &rem) == EINTR) return (unsigned)(rem.tv_sec + (rem.tv_nsec >= NS / 2));
  return 0;
}

int usleep(unsigned us) {
  int e = sleep_ns((long long)us * 1000, 0);
  if (e) { errno = e; return -1; }
  return 0;
}

unsigned alarm(unsigned secs) { return (unsigned)__wx_alarm(secs); }

/* The kernel's record: {i64 interval_ns, i64 value_ns}. */
struct kitimer { long long interval, value; };

static int tv_ns(const struct timeval *tv, long long *ns) {
  if (tv->tv_sec < 0 || tv->tv_usec < 0 || tv->tv_usec >= 1000000) { errno = EINVAL; return -1; }
  *ns = (long long)tv->tv_sec * NS + (long long)tv->tv_usec * 1000;
  return 0;
}

static void ns_tv(struct timeval *tv, long long ns) {
  /* A time left below a microsecond is still an armed timer: 1 us, not 0. */
  if (ns > 0 && ns < 1000) ns = 1000;
  tv->tv_sec = (time_t)(ns / NS);
  tv->tv_usec = (suseconds_t)((ns % NS) / 1000);
}

int setitimer(int which, const struct itimerval *restrict nv, struct itimerval *restrict ov) {
  struct kitimer k, ko;
  if (nv) {
    if (__wx_range(nv, sizeof *nv) < 0) return -1;
    if (tv_ns(&nv->it_interval, &k.interval) < 0 || tv_ns(&nv->it_value, &k.value) < 0) return -1;
  }
  if (ov && __wx_range(ov, sizeof *ov) < 0) return -1;
  int r = __wx_setitimer(which, nv ? &k : 0, ov ? &ko : 0);
  if (r < 0) return wx_ret(r);
  if (ov) { ns_tv(&ov->it_interval, ko.interval); ns_tv(&ov->it_value, ko.value); }
  return 0;
}

int getitimer(int which, struct itimerval *cur) {
  struct kitimer k;
  if (__wx_range(cur, sizeof *cur) < 0) return -1;
  int r = __wx_getitimer(which, &k);
  if (r < 0) return wx_ret(r);
  ns_tv(&cur->it_interval, k.interval);
  ns_tv(&cur->it_value, k.value);
  return 0;
}
