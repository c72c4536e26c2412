/* The request/reply record msg-server and msg-client share. */
#ifndef MSG_DEMO_H
#define MSG_DEMO_H
#define DEMO_PROJ 'M'
#define DEMO_REQUEST 1   /* client -> server */
#define DEMO_BYE 2       /* client -> server: done */
struct demo_msg {
  long mtype;      /* DEMO_REQUEST, DEMO_BYE, or (a reply) the client's pid */
  int pid;         /* the client */
  char text[56];
};
#define DEMO_BODY (sizeof(struct demo_msg) - sizeof(long))
#endif
