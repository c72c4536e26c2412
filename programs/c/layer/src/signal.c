/* <signal.h>: the kernel's signals (docs/abi.md "Signals"). sigset_t is the
 * kernel's 64-bit set, so sets go to the kernel as they are; sigaction
 * translates struct sigaction to the kernel's 16-byte ksigaction.
 *
 * Handlers run from __wasmux_sigtramp, which the host calls inside the
 * instance (on its own stack, below the interrupted code's frames) after a
 * syscall or at a safepoint when a handled signal is deliverable. It lives in
 * this object, with sigaction: every program that can install a handler
 * exports it (a module without it cannot install one: the host says EINVAL).
 *
 * The kernel's handler word: 0 SIG_DFL, 1 SIG_IGN, else the function's table
 * index + 1. The bias keeps table index 1 (wasm-ld gives it to a program's
 * first address-taken function) from reading as SIG_IGN. */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include "wx.h"

struct ksigaction { uint32_t handler, flags; uint64_t mask; };
_Static_assert(sizeof(siginfo_t) == 128, "siginfo_t is the kernel's 128-byte ksiginfo");
_Static_assert(sizeof(sigset_t) == 8, "sigset_t is the kernel's u64 set");

#define KH_DFL 0u
#define KH_IGN 1u

void __wasmux_sig_ign(int sig) { (void)sig; }

static uint32_t to_kernel(void (*h)(int)) {
  if (h == SIG_DFL) return KH_DFL;
  if (h == SIG_IGN) return KH_IGN;
  return (uint32_t)(uintptr_t)h + 1;
}

static void (*from_kernel(uint32_t k))(int) {
  if (k == KH_DFL) return SIG_DFL;
  if (k == KH_IGN) return SIG_IGN;
  return (void (*)(int))(uintptr_t)(k - 1);
}

__attribute__((export_name("__wasmux_sigtramp")))
void __wasmux_sigtramp(void) {
  /* The interrupted code's errno survives its handlers (a handler that
   * calls write() would otherwise change what the interrupted call reports). */
  int saved = errno;
  siginfo_t info;
  struct ksigaction act;
  /* One signal a call: the host calls again while more are deliverable (it
   * looks at the attention word first), which costs less than the sigtake
   * that would find nothing left (one kernel call of a signal's four). */
  int sig = __wx_sigtake(&info, &act);
  if (sig > 0) {
    if (act.flags & SA_SIGINFO) ((void (*)(int, siginfo_t *, void *))(uintptr_t)(act.handler - 1))(sig, &info, 0);
    else ((void (*)(int))(uintptr_t)(act.handler - 1))(sig);
    __wx_sigreturn(&act.mask);
  }
  errno = saved;
}

static int valid(int sig) { return sig >= 1 && sig < _NSIG; }

int sigemptyset(sigset_t *s) { s->__bits = 0; return 0; }
int sigfillset(sigset_t *s) { s->__bits = ~0ull; return 0; }
int sigaddset(sigset_t *s, int sig) {
  if (!valid(sig)) { errno = EINVAL; return -1; }
  s->__bits |= 1ull << (sig - 1);
  return 0;
}
int sigdelset(sigset_t *s, int sig) {
  if (!valid(sig)) { errno = EINVAL; return -1; }
  s->__bits &= ~(1ull << (sig - 1));
  return 0;
}
int sigismember(const sigset_t *s, int sig) {
  if (!valid(sig)) { errno = EINVAL; return -1; }
  return (s->__bits >> (sig - 1)) & 1;
}
int sigisemptyset(const sigset_t *s) { return s->__bits == 0; }
int sigorset(sigset_t *d, const sigset_t *a, const sigset_t *b) { d->__bits = a->__bits | b->__bits; return 0; }
int sigandset(sigset_t *d, const sigset_t *a, const sigset_t *b) { d->__bits = a->__bits & b->__bits; return 0; }

int sigaction(int sig, const struct sigaction *restrict act, struct sigaction *restrict old) {
  /* Both structs are the layer's to read and write: a bad pointer is EFAULT
   * before anything changes (reading it would trap). */
  if (act && __wx_range(act, sizeof *act) < 0) return -1;
  if (old && __wx_range(old, sizeof *old) < 0) return -1;
  struct ksigaction k, ko;
  if (act) {
    k.handler = to_kernel(act->sa_handler);
    k.flags = (uint32_t)act->sa_flags;
    k.mask = act->sa_mask.__bits;
  }
  int r = __wx_sigaction(sig, act ? &k : 0, old ? &ko : 0);
  if (r < 0) return wx_ret(r);
  if (old) {
    memset(old, 0, sizeof *old);
    old->sa_handler = from_kernel(ko.handler);
    old->sa_flags = (int)ko.flags;
    old->sa_mask.__bits = ko.mask;
  }
  return 0;
}

/* signal(): BSD semantics, as glibc's: the handler stays installed, the
 * signal is blocked while it runs, interrupted calls restart. */
void (*signal(int sig, void (*h)(int)))(int) {
  struct sigaction sa, old;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = h;
  sa.sa_flags = SA_RESTART;
  if (sigaction(sig, &sa, &old) < 0) return SIG_ERR;
  return old.sa_handler;
}

int kill(pid_t pid, int sig) { return wx_ret(__wx_kill(pid, sig)); }

int killpg(pid_t pgrp, int sig) {
  if (pgrp < 0) { errno = EINVAL; return -1; }
  return kill(-pgrp, sig);
}

/* The handler has run when raise returns (the host delivers on the way out of kill). */
int raise(int sig) { return kill(getpid(), sig); }

int sigqueue(pid_t pid, int sig, const union sigval value) {
  return wx_ret(__wx_sigqueue(pid, sig, value.sival_int));
}

int sigprocmask(int how, const sigset_t *restrict set, sigset_t *restrict old) {
  return wx_ret(__wx_sigprocmask(how, set, old));
}

int pthread_sigmask(int how, const sigset_t *restrict set, sigset_t *restrict old) {
  int r = __wx_sigprocmask(how, set, old);
  return r < 0 ? -r : 0;
}

int sigpending(sigset_t *set) { return wx_ret(__wx_sigpending(set)); }

int sigsuspend(const sigset_t *mask) { return wx_ret(__wx_sigsuspend(mask)); }

int pause(void) {
  sigset_t cur;
  int r = __wx_sigprocmask(SIG_BLOCK, 0, &cur);
  if (r < 0) return wx_ret(r);
  return sigsuspend(&cur);
}

int sigtimedwait(const sigset_t *restrict set, siginfo_t *restrict info, const struct timespec *restrict timeout) {
  long long ns = -1;
  if (timeout && (ns = __wx_timespec_ns(timeout)) < 0) return -1;
  return wx_ret(__wx_sigtimedwait(set, info, ns));
}

int sigwaitinfo(const sigset_t *restrict set, siginfo_t *restrict info) {
  return sigtimedwait(set, info, 0);
}

int sigwait(const sigset_t *restrict set, int *restrict sig) {
  if (__wx_range(sig, sizeof *sig) < 0) return EFAULT;
  int r;
  do r = __wx_sigtimedwait(set, 0, -1); while (r == -EINTR);   /* POSIX: sigwait never fails with EINTR */
  if (r < 0) return -r;
  *sig = r;
  return 0;
}
