/* wasmux C layer: <signal.h>, the kernel's POSIX signals (docs/abi.md,
 * "Signals"). Linux numbers and values throughout. wasi-libc's own header
 * only offers an emulation without handlers or masks; this one replaces it
 * (it does not include it). */
#ifndef __wasmux_signal_h
#define __wasmux_signal_h
#define _SIGNAL_H   /* wasi-libc's guard: never both */
#include <sys/types.h>
#include <time.h>
#include <__typedef_sigset_t.h>
#include <__wasmux_siginfo.h>
#include <__struct_sigevent.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SIGHUP    1
#define SIGINT    2
#define SIGQUIT   3
#define SIGILL    4
#define SIGTRAP   5
#define SIGABRT   6
#define SIGIOT    SIGABRT
#define SIGBUS    7
#define SIGFPE    8
#define SIGKILL   9
#define SIGUSR1   10
#define SIGSEGV   11
#define SIGUSR2   12
#define SIGPIPE   13
#define SIGALRM   14
#define SIGTERM   15
#define SIGSTKFLT 16
#define SIGCHLD   17
#define SIGCONT   18
#define SIGSTOP   19
#define SIGTSTP   20
#define SIGTTIN   21
#define SIGTTOU   22
#define SIGURG    23
#define SIGXCPU   24
#define SIGXFSZ   25
#define SIGVTALRM 26
#define SIGPROF   27
#define SIGWINCH  28
#define SIGIO     29
#define SIGPOLL   SIGIO
#define SIGPWR    30
#define SIGSYS    31
#define SIGUNUSED SIGSYS
/* As glibc: 32 and 33 exist in the kernel but are not offered to programs. */
#define SIGRTMIN  34
#define SIGRTMAX  64
#define _NSIG     65
#define NSIG      _NSIG

typedef void (*sighandler_t)(int);
typedef int sig_atomic_t;

/* SIG_IGN is a function of the layer's, never called: no other function
 * pointer equals it (wasm-ld may put a program's own function at table
 * index 1, so the classic constant 1 could collide). */
void __wasmux_sig_ign(int);
#define SIG_DFL ((void (*)(int))0)
#define SIG_IGN (__wasmux_sig_ign)
#define SIG_ERR ((void (*)(int))-1)

#define SIG_BLOCK   0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

#define SA_NOCLDSTOP 1
#define SA_NOCLDWAIT 2
#define SA_SIGINFO   4
#define SA_ONSTACK   0x08000000
#define SA_RESTART   0x10000000
#define SA_NODEFER   0x40000000
#define SA_RESETHAND 0x80000000
#define SA_NOMASK    SA_NODEFER
#define SA_ONESHOT   SA_RESETHAND

struct sigaction {
  union {
    void (*sa_handler)(int);
    void (*sa_sigaction)(int, siginfo_t *, void *);
  } __sa_handler;
  sigset_t sa_mask;
  int sa_flags;
};
#define sa_handler __sa_handler.sa_handler
#define sa_sigaction __sa_handler.sa_sigaction

int sigemptyset(sigset_t *);
int sigfillset(sigset_t *);
int sigaddset(sigset_t *, int);
int sigdelset(sigset_t *, int);
int sigismember(const sigset_t *, int);
#ifdef _GNU_SOURCE
int sigisemptyset(const sigset_t *);
int sigorset(sigset_t *, const sigset_t *, const sigset_t *);
int sigandset(sigset_t *, const sigset_t *, const sigset_t *);
#endif

int sigaction(int, const struct sigaction *__restrict, struct sigaction *__restrict);
void (*signal(int, void (*)(int)))(int);
int raise(int);
int kill(pid_t, int);
int killpg(pid_t, int);
int sigqueue(pid_t, int, const union sigval);

int sigprocmask(int, const sigset_t *__restrict, sigset_t *__restrict);
int pthread_sigmask(int, const sigset_t *__restrict, sigset_t *__restrict);
int sigpending(sigset_t *);
int sigsuspend(const sigset_t *);
int sigwait(const sigset_t *__restrict, int *__restrict);
int sigwaitinfo(const sigset_t *__restrict, siginfo_t *__restrict);
int sigtimedwait(const sigset_t *__restrict, siginfo_t *__restrict, const struct timespec *__restrict);

void psignal(int, const char *);
void psiginfo(const siginfo_t *, const char *);
char *strsignal(int);

#ifdef __cplusplus
}
#endif
#endif
