/* wasmux C layer: struct sigevent and SIGEV_*, Linux's layout (64 bytes;
 * mq_notify reads its first three fields: sigev_value, sigev_signo,
 * sigev_notify). Included by <signal.h> and <mqueue.h>. */
#ifndef __wasmux_struct_sigevent_h
#define __wasmux_struct_sigevent_h
#include <sys/types.h>
#include <__wasmux_siginfo.h>

#define SIGEV_SIGNAL 0
#define SIGEV_NONE   1
#define SIGEV_THREAD 2

struct sigevent {
  union sigval sigev_value;
  int sigev_signo;
  int sigev_notify;
  union {
    char __pad[64 - 2 * sizeof(int) - sizeof(union sigval)];
    pid_t sigev_notify_thread_id;
    struct {
      void (*sigev_notify_function)(union sigval);
      void *sigev_notify_attributes;
    } __sev_thread;
  } __sev_fields;
};
#define sigev_notify_function __sev_fields.__sev_thread.sigev_notify_function
#define sigev_notify_attributes __sev_fields.__sev_thread.sigev_notify_attributes
#endif
