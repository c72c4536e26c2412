/* wasmux C layer: <stdio.h> = wasi-libc's, plus popen/pclose (/bin/sh -c over posix_spawn). */
#ifndef __wasmux_stdio_h
#define __wasmux_stdio_h
#include_next <stdio.h>
#ifdef __cplusplus
extern "C" {
#endif
FILE *popen(const char *, const char *);
int pclose(FILE *);
#ifdef __cplusplus
}
#endif
#endif
