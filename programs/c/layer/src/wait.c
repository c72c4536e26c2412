/* wait and friends over the kernel's waitpid/waitid (Linux statuses). */
#include <stdint.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include "wx.h"

pid_t waitpid(pid_t pid, int *status, int options) { return wx_ret(__wx_waitpid(pid, status, options)); }
pid_t wait(int *status) { return waitpid(-1, status, 0); }

int waitid(idtype_t type, id_t id, siginfo_t *info, int options) {
  return wx_ret(__wx_waitid((int)type, (int)id, info, options));
}

/* The kernel's usage record (assembly/rusage.ts) as a struct rusage. */
struct krusage { uint64_t utime_ns, stime_ns, rss_bytes; };

static void tv(struct timeval *t, uint64_t ns) {
  t->tv_sec = (time_t)(ns / 1000000000u);
  t->tv_usec = (suseconds_t)(ns % 1000000000u / 1000u);
}

static void fill(struct rusage *ru, const struct krusage *k) {
  memset(ru, 0, sizeof *ru);
  tv(&ru->ru_utime, k->utime_ns);
  tv(&ru->ru_stime, k->stime_ns);
  ru->ru_maxrss = (long)(k->rss_bytes / 1024u);
}

int getrusage(int who, struct rusage *ru) {
  struct krusage k;
  int r = __wx_getrusage(who, &k);
  if (r < 0) return wx_ret(r);
  if (__wx_range(ru, sizeof *ru) < 0) return -1;   /* EFAULT */
  fill(ru, &k);
  return 0;
}

pid_t wait4(pid_t pid, int *status, int options, struct rusage *ru) {
  if (ru && __wx_range(ru, sizeof *ru) < 0) return -1;   /* EFAULT, the child left unreaped */
  struct krusage k;
  pid_t r = wx_ret(__wx_wait4(pid, status, options, ru ? &k : NULL));
  if (r > 0 && ru) fill(ru, &k);
  return r;
}
pid_t wait3(int *status, int options, struct rusage *ru) { return wait4(-1, status, options, ru); }
