/* msg-client: sends COUNT requests "NAME i" to msg-server's queue and
 * reads each answer (the text upper-cased) from the replies typed with
 * its own pid; then says goodbye.
 * Usage: msg-client NAME COUNT [PATH]. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <unistd.h>
#include "msg-demo.h"

int main(int argc, char **argv) {
  const char *name = argc > 1 ? argv[1] : "client";
  int count = argc > 2 ? atoi(argv[2]) : 1;
  key_t key = ftok(argc > 3 ? argv[3] : "/tmp", DEMO_PROJ);
  if (key == -1) { perror("msg-client: ftok"); return 1; }
  /* IPC_CREAT too: whichever of server and clients starts first makes the queue. */
  int q = msgget(key, IPC_CREAT | 0600);
  if (q < 0) { perror("msg-client: msgget"); return 1; }
  int pid = getpid(), mine = 0;
  for (int i = 1; i <= count; i++) {
    struct demo_msg req = {DEMO_REQUEST, pid, {0}};
    snprintf(req.text, sizeof req.text, "%s %d", name, i);
    if (msgsnd(q, &req, DEMO_BODY, 0) < 0) { perror("msg-client: msgsnd"); return 1; }
    struct demo_msg rep;
    if (msgrcv(q, &rep, DEMO_BODY, pid, 0) < 0) { perror("msg-client: msgrcv"); return 1; }
    if (rep.mtype == pid && rep.pid == pid) mine++;
    printf("%s: %s -> %s\n", name, req.text, rep.text);
  }
  struct demo_msg bye = {DEMO_BYE, pid, {0}};
  if (msgsnd(q, &bye, DEMO_BODY, 0) < 0) { perror("msg-client: msgsnd"); return 1; }
  printf("%s: %d of %d replies were mine\n", name, mine, count);
  return 0;
}
