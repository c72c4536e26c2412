/* wait and friends over the kernel's waitpid/waitid (Linux statuses). */
#include <string.h>
#include <sys/wait.h>
#include "wx.h"

pid_t waitpid(pid_t pid, int *status, int options) { return wx_ret(__wx_waitpid(pid, status, options)); }
pid_t wait(int *status) { return waitpid(-1, status, 0); }

int waitid(idtype_t type, id_t id, siginfo_t *info, int options) {
  return wx_ret(__wx_waitid((int)type, (int)id, info, options));
}

/* The kernel does not account resource usage per child yet: a non-NULL
 * rusage comes back zeroed (documented in docs/architecture.md). */
pid_t wait4(pid_t pid, int *status, int options, struct rusage *ru) {
  if (ru && __wx_range(ru, sizeof *ru) < 0) return -1;   /* EFAULT, the child left unreaped */
  pid_t r = waitpid(pid, status, options);
  if (r > 0 && ru) memset(ru, 0, sizeof *ru);
  return r;
}
pid_t wait3(int *status, int options, struct rusage *ru) { return wait4(-1, status, options, ru); }
