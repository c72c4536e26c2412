/* System V message queues: thin wrappers over the kernel's calls
 * (abi/syscalls.ts; assembly/ipc/msg.ts does the work and the checks). */
#include <sys/msg.h>
#include "wx.h"

WX(msgget) int __wx_msgget(int key, int flags);
WX(msgsnd) int __wx_msgsnd(int id, const void *msg, size_t size, int flags);
WX(msgrcv) int __wx_msgrcv(int id, void *msg, size_t size, long long type, int flags);
WX(msgctl) int __wx_msgctl(int id, int cmd, void *buf);

_Static_assert(sizeof(struct msqid_ds) == 96, "struct msqid_ds is the kernel's 96-byte record");
_Static_assert(__builtin_offsetof(struct msqid_ds, msg_stime) == 40, "msg_stime at 40");
_Static_assert(__builtin_offsetof(struct msqid_ds, msg_qbytes) == 72, "msg_qbytes at 72");
_Static_assert(sizeof(struct msginfo) == 32, "struct msginfo is 32 bytes");

int msgget(key_t key, int msgflg) { return wx_ret(__wx_msgget(key, msgflg)); }

int msgsnd(int msqid, const void *msgp, size_t msgsz, int msgflg) {
  return wx_ret(__wx_msgsnd(msqid, msgp, msgsz, msgflg));
}

ssize_t msgrcv(int msqid, void *msgp, size_t msgsz, long msgtyp, int msgflg) {
  return wx_ret(__wx_msgrcv(msqid, msgp, msgsz, msgtyp, msgflg));
}

int msgctl(int msqid, int cmd, struct msqid_ds *buf) { return wx_ret(__wx_msgctl(msqid, cmd, buf)); }
