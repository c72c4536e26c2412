/* wasmux C layer: union sigval and siginfo_t, Linux's wasm32 layout (128
 * bytes), the kernel's ksiginfo record (docs/abi.md): si_signo @0, si_errno
 * @4, si_code @8, si_pid @12, si_uid @16, then si_status (SIGCHLD) or
 * si_value (sigqueue, timers) @20. Shared by <signal.h> and <sys/wait.h>. */
#ifndef __wasmux_siginfo_h
#define __wasmux_siginfo_h
#include <sys/types.h>

union sigval {
  int sival_int;
  void *sival_ptr;
};

typedef struct {
  int si_signo, si_errno, si_code;
  pid_t si_pid;
  uid_t si_uid;
  union {
    int si_status;
    union sigval si_value;
  };
  int __pad[26];
} siginfo_t;
#define si_int si_value.sival_int
#define si_ptr si_value.sival_ptr

#define SI_USER 0
#define SI_QUEUE (-1)
#define SI_TIMER (-2)
#define SI_MESGQ (-3)
#define SI_ASYNCIO (-4)
#define SI_TKILL (-6)
#define SI_KERNEL 0x80

#define CLD_EXITED 1
#define CLD_KILLED 2
#define CLD_DUMPED 3
#define CLD_TRAPPED 4
#define CLD_STOPPED 5
#define CLD_CONTINUED 6
#endif
