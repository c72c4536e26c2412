/* wasmux C layer: <sys/stat.h> = wasi-libc's, plus umask, fchmod, mkfifo, mkfifoat (the kernel's). */
#ifndef __wasmux_sys_stat_h
#define __wasmux_sys_stat_h
#include_next <sys/stat.h>
#ifdef __cplusplus
extern "C" {
#endif
mode_t umask(mode_t);
int fchmod(int, mode_t);
int chmod(const char *, mode_t);
int fchmodat(int, const char *, mode_t, int);
int mkfifo(const char *, mode_t);
int mkfifoat(int, const char *, mode_t);
#ifdef __cplusplus
}
#endif
#endif
