/* sigrace: a signal whose raise decided to queue it before sigaction made
 * it ignored is dropped by that sigaction, never left pending for a
 * handler installed later (issue 14: the raise decides and queues under
 * the signal lock that sigaction changes a disposition and discards under).
 * SIGUSR1 is blocked throughout, so a raise always decides to queue it (a
 * blocked signal is never ignored at generation, as Linux).
 *   raced: run with the kernel's test hook armed
 *          (Machine._stallNextRaise(SIGUSR1), assembly/sigstall.ts): the
 *          child's kill parks between deciding and queueing, the parent's
 *          sigaction(SIG_IGN) runs meanwhile. Prints "pending 0" and
 *          "handled 0"; a kernel that queues outside the lock leaves it
 *          pending (1, 1).
 *   after: no hook; the kill comes after the SIG_IGN (the parent waits for
 *          the child): it stays pending and the later handler runs it
 *          ("pending 1", "handled 1"), so 0 above is the discard's doing. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t count;
static void handler(int sig) { (void)sig; count++; }

static void set(void (*h)(int)) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = h;
  sigaction(SIGUSR1, &sa, 0);
}

int main(int argc, char **argv) {
  int raced = argc > 1 && !strcmp(argv[1], "raced");
  sigset_t usr1;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  sigprocmask(SIG_BLOCK, &usr1, 0);
  set(handler);
  if (!raced) set(SIG_IGN);
  pid_t parent = getpid();
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) { kill(parent, SIGUSR1); _exit(0); }
  if (raced) set(SIG_IGN);   /* the hook holds it until the child's raise has decided */
  int st;
  waitpid(c, &st, 0);        /* the kill has returned */
  sigset_t pend;
  sigemptyset(&pend);
  sigpending(&pend);
  printf("pending %d\n", sigismember(&pend, SIGUSR1));
  set(handler);
  sigprocmask(SIG_UNBLOCK, &usr1, 0);   /* a pending SIGUSR1 runs the handler as this returns */
  printf("handled %d\n", (int)count);
  return 0;
}
