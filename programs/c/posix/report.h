/* The "label value" lines the layer's test programs (clayer.c, cproc.c, csignal.c)
 * print: a call's result, or the name of its errno. tests/clayer*.test.mjs
 * read them. */
#ifndef REPORT_H
#define REPORT_H
#include <errno.h>
#include <stdio.h>

#define BAD ((void *)0xfffffff0u)   /* past any guest memory: EFAULT */

static const char *ename(int e) {
  static char buf[16];
  switch (e) {
  case EBADF: return "EBADF"; case EINVAL: return "EINVAL"; case EFAULT: return "EFAULT";
  case ECHILD: return "ECHILD"; case ESRCH: return "ESRCH"; case EPERM: return "EPERM";
  case ENOENT: return "ENOENT"; case EEXIST: return "EEXIST"; case EMFILE: return "EMFILE";
  case ERANGE: return "ERANGE"; case EAGAIN: return "EAGAIN"; case ENOTTY: return "ENOTTY";
  case ENOTDIR: return "ENOTDIR"; case EACCES: return "EACCES"; case ENOEXEC: return "ENOEXEC";
  case ENOSYS: return "ENOSYS"; case ENOTSUP: return "ENOTSUP"; case ENOMEM: return "ENOMEM";
  case EINTR: return "EINTR";
  }
  snprintf(buf, sizeof buf, "E#%d", e);
  return buf;
}

/* Prints a call's result: the value, or the errno name when it is -1. */
static void R(const char *label, long r) {
  if (r == -1) printf("%s %s\n", label, ename(errno));
  else printf("%s %ld\n", label, r);
}
#endif
