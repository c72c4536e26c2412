/* System V message queue ping-pong: two processes on one queue, N round
 * trips of a 64-byte message, requests typed 1 and replies typed with the
 * parent's pid (the classic server form). The same source is the native
 * baseline (cc -O2, bench/run.mjs) and the sandbox side (`wasmux cc -O2`,
 * bench/sysvmsg.mjs). The parent starts its partner with posix_spawn of
 * itself (argv "child QUEUE-ID"), warms up, then times the rounds.
 * Result: microseconds per round trip.
 * Usage: sysv_msg_pingpong [N] */
#include <spawn.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"

#define WARMUP 100
#define BODY 64
#define CMD 8   /* text[0..7]: the sender's pid; text[CMD]: 'p' ping, 'q' quit */

extern char **environ;
struct rec { long mtype; char text[BODY]; };

int main(int argc, char **argv) {
  struct rec m;
  if (argc == 3 && !strcmp(argv[1], "child")) {
    int q = atoi(argv[2]);
    for (;;) {
      if (msgrcv(q, &m, BODY, 1, 0) != BODY) die("child msgrcv");
      if (m.text[CMD] == 'q') return 0;
      memcpy(&m.mtype, m.text, sizeof m.mtype);   /* the reply's type: the sender's pid */
      if (msgsnd(q, &m, BODY, 0) != 0) die("child msgsnd");
    }
  }
  long long n = arg_count(argc, argv, 10000);
  int q = msgget(IPC_PRIVATE, 0600);
  if (q < 0) die("msgget");
  char qs[24];
  snprintf(qs, sizeof qs, "%d", q);
  char *args[] = { argv[0], "child", qs, 0 };
  pid_t pid;
  if (posix_spawn(&pid, argv[0], 0, 0, args, environ) != 0) die("posix_spawn");
  long me = (long)getpid();
  memset(&m, 0, sizeof m);
  double t0 = 0;
  for (long long i = -WARMUP; i < n; i++) {
    if (i == 0) t0 = now_s();
    m.mtype = 1;
    memcpy(m.text, &me, sizeof me);
    m.text[CMD] = 'p';
    if (msgsnd(q, &m, BODY, 0) != 0) die("msgsnd");
    if (msgrcv(q, &m, BODY, me, 0) != BODY) die("msgrcv");
  }
  double t = now_s() - t0;
  m.mtype = 1;
  m.text[CMD] = 'q';
  if (msgsnd(q, &m, BODY, 0) != 0) die("msgsnd quit");
  int st;
  if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0) die("child");
  msgctl(q, IPC_RMID, 0);
  char extra[64];
  snprintf(extra, sizeof extra, "\"rounds\":%lld", n);
  report("sysv_msg_pingpong", t / (double)n * 1e6, "us", extra);
  return 0;
}
