/* <mqueue.h> over the kernel's mq_* calls (docs/abi.md "Message queues").
 * A queue descriptor is a file descriptor: mq_close is close. The only
 * translation is of O_* values (wasi-libc's to the kernel's, Linux's), in
 * oflag and in mq_attr.mq_flags; everything else the kernel checks itself
 * (names, pointers, lengths, limits), so its errnos are Linux's. */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>
#include "wx.h"

#define WX_O_CREAT 0x40
#define WX_O_EXCL 0x80

mqd_t mq_open(const char *name, int oflag, ...) {
  mode_t mode = 0;
  struct mq_attr *attr = 0;
  if (oflag & O_CREAT) {
    va_list ap;
    va_start(ap, oflag);
    mode = va_arg(ap, mode_t);
    attr = va_arg(ap, struct mq_attr *);
    va_end(ap);
  }
  long n = __wx_strlen(name);
  if (n < 0) return -1;
  /* Linux ignores the open flags mq_open has no use for (O_TRUNC, O_APPEND...). */
  int k = __wx_flags_to_kernel(oflag & (O_ACCMODE | O_NONBLOCK | O_CLOEXEC), O_ACCMODE | O_NONBLOCK | O_CLOEXEC);
  if (k < 0) return -1;
  if ((oflag & O_ACCMODE) == O_ACCMODE) k |= 3;   /* neither read, write nor both: the kernel says EINVAL */
  if (oflag & O_CREAT) k |= WX_O_CREAT;
  if (oflag & O_EXCL) k |= WX_O_EXCL;
  return wx_ret(__wx_mq_open(name, (size_t)n, k, (int)mode, attr));
}

int mq_close(mqd_t mqd) { return close(mqd); }

int mq_unlink(const char *name) {
  long n = __wx_strlen(name);
  if (n < 0) return -1;
  return wx_ret(__wx_mq_unlink(name, (size_t)n));
}

int mq_timedsend(mqd_t mqd, const char *msg, size_t len, unsigned prio, const struct timespec *ts) {
  return wx_ret(__wx_mq_timedsend(mqd, msg, len, prio, ts));
}

int mq_send(mqd_t mqd, const char *msg, size_t len, unsigned prio) {
  return mq_timedsend(mqd, msg, len, prio, 0);
}

ssize_t mq_timedreceive(mqd_t mqd, char *msg, size_t len, unsigned *prio, const struct timespec *ts) {
  return wx_ret(__wx_mq_timedreceive(mqd, msg, len, prio, ts));
}

ssize_t mq_receive(mqd_t mqd, char *msg, size_t len, unsigned *prio) {
  return mq_timedreceive(mqd, msg, len, prio, 0);
}

int mq_notify(mqd_t mqd, const struct sigevent *sev) { return wx_ret(__wx_mq_notify(mqd, sev)); }

/* The attributes with mq_flags in the kernel's numbering and back. */
int mq_setattr(mqd_t mqd, const struct mq_attr *newattr, struct mq_attr *oldattr) {
  struct mq_attr kn, ko;
  if (newattr) {
    if (__wx_range(newattr, sizeof *newattr) < 0) return -1;
    kn = *newattr;
    if (kn.mq_flags & ~(long)O_NONBLOCK) { errno = EINVAL; return -1; }
    kn.mq_flags = (kn.mq_flags & O_NONBLOCK) ? WX_O_NONBLOCK : 0;
  }
  int r = __wx_mq_getsetattr(mqd, newattr ? &kn : 0, &ko);
  if (r < 0) return wx_ret(r);
  if (oldattr) {
    /* As Linux: a bad oldattr is EFAULT after the change was made. */
    if (__wx_range(oldattr, sizeof *oldattr) < 0) return -1;
    ko.mq_flags = (ko.mq_flags & WX_O_NONBLOCK) ? O_NONBLOCK : 0;
    *oldattr = ko;
  }
  return 0;
}

int mq_getattr(mqd_t mqd, struct mq_attr *attr) {
  if (!attr) { errno = EFAULT; return -1; }   /* glibc dereferences it: a fault there */
  return mq_setattr(mqd, 0, attr);
}
