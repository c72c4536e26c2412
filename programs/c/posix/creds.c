/* creds: credentials through the C layer (issue 15): real, effective and
 * saved ids, the set*id calls for root and non-root, kill's EPERM across
 * users, inheritance by fork and spawn, and the spawn action that sets a
 * child's ids. Run with the name of a group; prints "label value" lines
 * (value: a result, or an errno name). tests/creds.test.mjs checks them. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report.h"

static char *self;

static void ids(const char *who) {
  uid_t r = 7, e = 7, s = 7;
  gid_t gr = 7, ge = 7, gs = 7;
  getresuid(&r, &e, &s);
  getresgid(&gr, &ge, &gs);
  printf("%s uid %d euid %d suid %d gid %d egid %d sgid %d\n", who, (int)r, (int)e, (int)s, (int)gr, (int)ge, (int)gs);
  printf("%s getuid %d geteuid %d getgid %d getegid %d\n", who, (int)getuid(), (int)geteuid(), (int)getgid(), (int)getegid());
}

/* The kernel's spawn with one SPAWN_SETCRED action (abi/constants.ts: 11;
 * records of 24 bytes {kind, fd, newfd, oflags, path, pathlen}). */
struct wx_str { unsigned ptr, len; };
__attribute__((__import_module__("wasmux"), __import_name__("spawn")))
int __wx_spawn_raw(const char *path, size_t plen, const struct wx_str *argv, int argc,
                   const struct wx_str *envp, int envc, const void *actions, int nactions,
                   const char *cwd, size_t cwdlen);

/* Spawns this program's "ids" group as uid/gid (-1: keep); returns the pid or -errno. */
static int spawn_as(int uid, int gid, const char *label) {
  struct wx_str av[3] = {
    { (unsigned)(size_t)self, (unsigned)strlen(self) }, { (unsigned)(size_t)"ids", 3 },
    { (unsigned)(size_t)label, (unsigned)strlen(label) },
  };
  int act[6] = { 11, uid, gid, 0, 0, 0 };
  fflush(stdout);
  return __wx_spawn_raw(self, strlen(self), av, 3, 0, 0, act, 1, 0, 0);
}

static void reap(const char *label, int pid) {
  int st = 0;
  if (pid < 0) { printf("%s %s\n", label, ename(-pid)); return; }
  waitpid(pid, &st, 0);
  printf("%s exit %d\n", label, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

/* Run as uid 1000 gid 1000 (SpawnOptions, --uid): no way back to root. */
static void t_user(void) {
  ids("user");
  R("setuid-0", setuid(0));
  R("seteuid-0", seteuid(0));
  R("setreuid-0", setreuid(0, (uid_t)-1));
  R("setreuid-e0", setreuid((uid_t)-1, 0));
  R("setresuid-0", setresuid((uid_t)-1, (uid_t)-1, 0));
  R("setgid-0", setgid(0));
  R("setegid-0", setegid(0));
  R("setresgid-0", setresgid(0, (gid_t)-1, (gid_t)-1));
  R("setuid-self", setuid(1000));
  R("setgid-self", setgid(1000));
  R("getgroups", getgroups(0, 0));
  R("kill-init", kill(1, 0));
  ids("user-after");
}

/* Root gives up root with setuid: all three ids change, 0 cannot be taken back. */
static void t_drop(void) {
  ids("root");
  R("setgid-1000", setgid(1000));
  R("setuid-1000", setuid(1000));
  ids("dropped");
  R("setuid-0", setuid(0));
  R("seteuid-0", seteuid(0));
  R("setgid-0", setgid(0));
  ids("dropped-after");
}

/* seteuid keeps the saved id: root may come back; setreuid's saved-id rule. */
static void t_saved(void) {
  R("seteuid-1000", seteuid(1000));
  ids("euid1000");
  R("kill-init", kill(1, 0));            /* real uid 0 = init's: allowed, as Linux */
  R("seteuid-2000", seteuid(2000));      /* not one of 0/1000/0: EPERM */
  R("seteuid-0", seteuid(0));            /* the real (and saved) id */
  ids("back");
  R("setreuid-e1000", setreuid((uid_t)-1, 1000));   /* effective set to a non-real id: saved follows */
  ids("re0");
  R("seteuid-0-again", seteuid(0));      /* the real id */
  R("setresuid-all", setresuid(1000, 2000, 3000));
  ids("res");
  R("seteuid-3000", seteuid(3000));      /* saved */
  R("seteuid-1000", seteuid(1000));      /* real */
  R("seteuid-4000", seteuid(4000));
  R("setreuid-r2000", setreuid(2000, (uid_t)-1));   /* not the real (1000) nor the effective (1000) */
  R("setreuid-r1000-e3000", setreuid(1000, 3000));
  ids("re");                             /* the real id was given: saved = new effective */
  R("setresuid-0-nonroot", setresuid(0, 0, 0));
  R("setreuid-e-real", setreuid((uid_t)-1, 1000));  /* effective set to the real id: saved stays */
  ids("re2");
  R("setregid-5-6", setregid(5, 6));
  ids("regid");
}

static void t_badargs(void) {
  R("setuid-minus1", setuid((uid_t)-1));
  R("setgid-minus1", setgid((gid_t)-1));
  R("seteuid-minus1", seteuid((uid_t)-1));
  R("setresuid-minus2", setresuid((uid_t)-2, (uid_t)-1, (uid_t)-1));
  R("setreuid-minus2", setreuid((uid_t)-1, (uid_t)-2));
  uid_t a, b;
  R("getresuid-bad1", getresuid(BAD, &a, &b));
  R("getresuid-bad3", getresuid(&a, &b, BAD));
  R("getresgid-bad2", getresgid(&a, BAD, &b));
  R("getgroups-neg", getgroups(-1, 0));
  R("nothing-changed", (long)getuid() + (long)geteuid());
}

/* Children inherit all three ids: fork and spawn. */
static void t_inherit(void) {
  R("seteuid-1000", geteuid() == 0 ? seteuid(1000) : 0);
  ids("parent");
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) { ids("forked"); fflush(stdout); _exit(0); }
  reap("fork", c);
  reap("spawn", spawn_as(-1, -1, "spawned"));
}

/* SPAWN_SETCRED: any ids for root, only its own for anyone else. */
static void t_setcred(void) {
  reap("as-2000", spawn_as(2000, 3000, "child2000"));
  R("setuid-1000", setuid(1000));
  reap("as-0", spawn_as(0, -1, "child0"));
  reap("as-gid0", spawn_as(-1, 0, "childgid0"));
  reap("as-self", spawn_as(1000, -1, "child1000"));
  reap("as-bad", spawn_as(-5, -1, "childbad"));
}

/* kill(2) of the pids given: EPERM for another user's process. */
static void t_kill(int argc, char **argv) {
  for (int i = 2; i < argc; i++) {
    char label[32];
    snprintf(label, sizeof label, "kill-%s", argv[i]);
    R(label, kill(atoi(argv[i]), SIGTERM));
  }
}

int main(int argc, char **argv) {
  self = argv[0];
  const char *m = argc > 1 ? argv[1] : "";
  if (!strcmp(m, "ids")) { ids(argc > 2 ? argv[2] : "ids"); return 0; }
  if (!strcmp(m, "user")) t_user();
  else if (!strcmp(m, "drop")) t_drop();
  else if (!strcmp(m, "saved")) t_saved();
  else if (!strcmp(m, "badargs")) t_badargs();
  else if (!strcmp(m, "inherit")) t_inherit();
  else if (!strcmp(m, "setcred")) t_setcred();
  else if (!strcmp(m, "kill")) t_kill(argc, argv);
  else { fprintf(stderr, "usage: creds GROUP\n"); return 2; }
  return 0;
}
