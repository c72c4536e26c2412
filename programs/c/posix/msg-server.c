/* msg-server: the classic System V message-queue server. Clients send
 * typed requests (mtype 1: a request, mtype 2: goodbye) on one queue, named
 * by ftok of a path; the server answers each request with mtype = the
 * client's pid, so every client receives its own replies only.
 * Usage: msg-server NCLIENTS [PATH]  (PATH defaults to /tmp; the queue is
 * removed when NCLIENTS clients have said goodbye). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include "msg-demo.h"

int main(int argc, char **argv) {
  int clients = argc > 1 ? atoi(argv[1]) : 1;
  key_t key = ftok(argc > 2 ? argv[2] : "/tmp", DEMO_PROJ);
  if (key == -1) { perror("msg-server: ftok"); return 1; }
  int q = msgget(key, IPC_CREAT | 0600);
  if (q < 0) { perror("msg-server: msgget"); return 1; }
  int served = 0, gone = 0;
  while (gone < clients) {
    struct demo_msg req;
    /* msgtyp -2: requests and goodbyes, never a reply (those have pid types). */
    ssize_t n = msgrcv(q, &req, DEMO_BODY, -DEMO_BYE, 0);
    if (n < 0) { perror("msg-server: msgrcv"); return 1; }
    if (req.mtype == DEMO_BYE) { gone++; continue; }
    struct demo_msg rep;
    rep.mtype = req.pid;
    rep.pid = req.pid;
    size_t len = strnlen(req.text, sizeof req.text - 1);
    for (size_t i = 0; i < len; i++) rep.text[i] = (char)toupper((unsigned char)req.text[i]);
    rep.text[len] = 0;
    if (msgsnd(q, &rep, DEMO_BODY, 0) < 0) { perror("msg-server: msgsnd"); return 1; }
    served++;
  }
  if (msgctl(q, IPC_RMID, 0) < 0) { perror("msg-server: msgctl"); return 1; }
  printf("msg-server: served %d requests from %d clients\n", served, clients);
  return 0;
}
