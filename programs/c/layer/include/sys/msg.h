/* wasmux C layer: <sys/msg.h> (wasi-libc has none). System V message
 * queues over the kernel's msgget/msgsnd/msgrcv/msgctl (assembly/ipc/msg.ts).
 * struct msqid_ds is Linux's for wasm32 (64-bit time_t), 96 bytes. */
#ifndef __wasmux_sys_msg_h
#define __wasmux_sys_msg_h
#include <sys/ipc.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef unsigned long msgqnum_t;
typedef unsigned long msglen_t;

#define MSG_STAT     11
#define MSG_INFO     12
#define MSG_STAT_ANY 13
#define MSG_NOERROR  010000
#define MSG_EXCEPT   020000
#define MSG_COPY     040000

struct msqid_ds {
  struct ipc_perm msg_perm;
  time_t msg_stime;
  time_t msg_rtime;
  time_t msg_ctime;
  unsigned long __msg_cbytes;
  msgqnum_t msg_qnum;
  msglen_t msg_qbytes;
  pid_t msg_lspid;
  pid_t msg_lrpid;
  unsigned long __unused[2];
};
#define msg_cbytes __msg_cbytes

struct msginfo {
  int msgpool, msgmap, msgmax, msgmnb, msgmni, msgssz, msgtql;
  unsigned short msgseg;
};

/* The record msgsnd sends and msgrcv fills: a type >= 1, then the text. */
struct msgbuf {
  long mtype;
  char mtext[1];
};

int msgget(key_t key, int msgflg);
int msgsnd(int msqid, const void *msgp, size_t msgsz, int msgflg);
ssize_t msgrcv(int msqid, void *msgp, size_t msgsz, long msgtyp, int msgflg);
int msgctl(int msqid, int cmd, struct msqid_ds *buf);

#ifdef __cplusplus
}
#endif
#endif
