/* system, popen and pclose: /bin/sh -c over posix_spawn (no fork needed). */
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "wx.h"

int system(const char *cmd) {
  if (!cmd) return access("/bin/sh", X_OK) == 0;
  char *argv[] = { "sh", "-c", (char *)cmd, NULL };
  pid_t pid;
  int e = posix_spawn(&pid, "/bin/sh", NULL, NULL, argv, environ);
  if (e) return 127 << 8;   /* as a shell that could not run the command */
  int st;
  pid_t r;
  while ((r = waitpid(pid, &st, 0)) < 0 && errno == EINTR) {}
  return r < 0 ? -1 : st;
}

/* Open streams and their children, for pclose (and to close them in later children). */
static struct pchild { FILE *f; pid_t pid; struct pchild *next; } *children;

FILE *popen(const char *cmd, const char *mode) {
  int rd = mode[0] == 'r';
  if ((mode[0] != 'r' && mode[0] != 'w') || (mode[1] && mode[1] != 'e') || (mode[1] && mode[2])) {
    errno = EINVAL;
    return NULL;
  }
  struct pchild *c = malloc(sizeof *c);
  if (!c) return NULL;
  int p[2];
  /* Both ends close-on-exec: the child gets its end by the dup2 action only. */
  if (pipe2(p, O_CLOEXEC) < 0) { free(c); return NULL; }
  int mine = rd ? p[0] : p[1], theirs = rd ? p[1] : p[0];
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  int e = posix_spawn_file_actions_adddup2(&fa, theirs, rd ? 1 : 0);
  char *argv[] = { "sh", "-c", (char *)cmd, NULL };
  pid_t pid;
  if (!e) e = posix_spawn(&pid, "/bin/sh", &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  close(theirs);
  if (e) { close(mine); free(c); errno = e; return NULL; }
  /* `mine` stays close-on-exec: POSIX wants it closed in the children of later popen calls. */
  FILE *f = fdopen(mine, rd ? "r" : "w");
  if (!f) { close(mine); free(c); return NULL; }
  c->f = f; c->pid = pid; c->next = children; children = c;
  return f;
}

int pclose(FILE *f) {
  struct pchild **pp = &children;
  while (*pp && (*pp)->f != f) pp = &(*pp)->next;
  if (!*pp) { errno = ECHILD; return -1; }
  struct pchild *c = *pp;
  *pp = c->next;
  pid_t pid = c->pid;
  free(c);
  fclose(f);
  int st;
  pid_t r;
  while ((r = waitpid(pid, &st, 0)) < 0 && errno == EINTR) {}
  return r < 0 ? -1 : st;
}
