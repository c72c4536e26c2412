/* wasmux C layer: <termios.h> (wasi-libc has none). Only the job-control
 * calls the kernel implements, on the console (assembly/tty.ts): the
 * console has no settable attributes yet, so tcgetattr/tcsetattr are not
 * declared rather than faked. */
#ifndef __wasmux_termios_h
#define __wasmux_termios_h
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The foreground process group of the terminal at fd (ENOTTY: not the caller's controlling terminal). */
pid_t tcgetpgrp(int fd);
/* Makes pgrp the terminal's foreground group (EINVAL, ESRCH, EPERM: another session; SIGTTOU from the background). */
int tcsetpgrp(int fd, pid_t pgrp);

#ifdef __cplusplus
}
#endif
#endif
