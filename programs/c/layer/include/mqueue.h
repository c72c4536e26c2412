/* wasmux C layer: <mqueue.h>, POSIX message queues over the kernel's mq_*
 * calls (docs/abi.md "Message queues"). A queue descriptor is a file
 * descriptor (mqd_t is int), as on Linux: poll works on it, fork inherits
 * it, exec closes it. Link with -lrt or not: the calls are in libc here. */
#ifndef __wasmux_mqueue_h
#define __wasmux_mqueue_h
#include <sys/types.h>
#include <fcntl.h>
#include <time.h>
#include <__struct_sigevent.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef int mqd_t;

struct mq_attr {
  long mq_flags;     /* 0 or O_NONBLOCK */
  long mq_maxmsg;    /* most messages queued */
  long mq_msgsize;   /* largest message, bytes */
  long mq_curmsgs;   /* messages queued now */
  long __reserved[4];
};

#define MQ_PRIO_MAX 32768

mqd_t mq_open(const char *name, int oflag, ...);
int mq_close(mqd_t mqd);
int mq_unlink(const char *name);
int mq_send(mqd_t mqd, const char *msg, size_t len, unsigned prio);
int mq_timedsend(mqd_t mqd, const char *msg, size_t len, unsigned prio, const struct timespec *abs_timeout);
ssize_t mq_receive(mqd_t mqd, char *msg, size_t len, unsigned *prio);
ssize_t mq_timedreceive(mqd_t mqd, char *msg, size_t len, unsigned *prio, const struct timespec *abs_timeout);
int mq_notify(mqd_t mqd, const struct sigevent *sev);
int mq_getattr(mqd_t mqd, struct mq_attr *attr);
int mq_setattr(mqd_t mqd, const struct mq_attr *newattr, struct mq_attr *oldattr);

#ifdef __cplusplus
}
#endif
#endif
