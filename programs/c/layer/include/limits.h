/* wasmux C layer: <limits.h> = wasi-libc's with the kernel's limits
 * (abi/constants.ts: PIPE_BUF, ARG_MAX; OPEN_MAX the default descriptor
 * table size, runtime/boot-options.ts maxFds). */
#ifndef __wasmux_limits_h
#define __wasmux_limits_h
#include_next <limits.h>
#undef PIPE_BUF
#define PIPE_BUF 4096
#undef ARG_MAX
#define ARG_MAX 1048576
#undef OPEN_MAX
#define OPEN_MAX 1024
#ifndef CHILD_MAX
#define CHILD_MAX 128
#endif
#endif
