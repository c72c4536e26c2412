/* wasmux C layer: sigset_t is the kernel's set, 64 bits, bit n-1 = signal n
 * (wasi-libc's is a one-byte placeholder). The guard is wasi-libc's, so its
 * headers that need sigset_t (poll.h, sys/select.h, spawn.h) get this one. */
#ifndef __wasilibc___typedef_sigset_t_h
#define __wasilibc___typedef_sigset_t_h
typedef struct { unsigned long long __bits; } sigset_t;
#endif
