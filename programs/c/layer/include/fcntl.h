/* wasmux C layer: <fcntl.h> = wasi-libc's (its O_* numbering, which its
 * open() uses), plus O_CLOEXEC (wasi-libc defines it as 0), F_DUPFD,
 * F_DUPFD_CLOEXEC and a fcntl over the kernel's descriptor table. */
#ifndef __wasmux_fcntl_h
#define __wasmux_fcntl_h
#include_next <fcntl.h>
#undef O_CLOEXEC
/* A bit no wasi-libc O_* flag uses (Linux's value). */
#define O_CLOEXEC 0x80000
#ifndef F_DUPFD
#define F_DUPFD 0
#endif
#ifndef F_DUPFD_CLOEXEC
#define F_DUPFD_CLOEXEC 1030
#endif
/* wasi-libc's AT_EACCESS is 0 (it cannot be asked for): a bit its other AT_* flags leave free. */
#undef AT_EACCESS
#define AT_EACCESS 0x200
#endif
