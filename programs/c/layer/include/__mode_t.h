/* wasmux C layer: wasi-libc's file-mode bits, with Linux's S_IFIFO (wasi-libc
 * gives FIFOs the socket value 0xc000, WASI having no FIFO type); the
 * kernel's stat reports Linux's. Every header that has the S_IF* macros
 * takes them from here. */
#ifndef __wasmux___mode_t_h
#define __wasmux___mode_t_h
#include_next <__mode_t.h>
#undef S_IFIFO
#define S_IFIFO (0x1000)
#undef S_IFMT
#define S_IFMT (0xf000)
#endif
