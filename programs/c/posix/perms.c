/* perms: tmpfs ownership and permissions (issue 15) through the C layer.
 * "setup" (root) makes a tree of owners and modes under /srv and /tmp;
 * "user" (run as uid/gid 1000) meets each refusal with its errno; "root"
 * is refused none of them. Prints "label value" lines (value: a result, or
 * an errno name). tests/perms.test.mjs checks them. */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report.h"

extern char **environ;
static char *self;

static void put(const char *path, int mode, const char *text) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd >= 0) { write(fd, text, strlen(text)); close(fd); }
  chmod(path, (mode_t)mode);
}

/* This program's bytes at `path` with `mode` (a program to run or not). */
static void copyself(const char *path, int mode) {
  static char buf[65536];
  int in = open(self, O_RDONLY), out = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  long n;
  while ((n = read(in, buf, sizeof buf)) > 0) write(out, buf, (size_t)n);
  close(in); close(out);
  chmod(path, (mode_t)mode);
}

static void owner(const char *label, const char *path) {
  struct stat st;
  if (stat(path, &st) < 0) { printf("%s %s\n", label, ename(errno)); return; }
  printf("%s %d:%d %o\n", label, (int)st.st_uid, (int)st.st_gid, (unsigned)(st.st_mode & 07777));
}

static void t_setup(void) {
  umask(0);
  R("mkdir-srv", mkdir("/srv", 0755));
  owner("srv", "/srv");
  put("/srv/secret", 0600, "secret");
  put("/srv/pub", 0644, "public");
  put("/srv/rw", 0666, "rw");
  put("/srv/mine", 0644, "mine");
  R("chown-mine", chown("/srv/mine", 1000, 1000));
  /* wasi-libc's mkdir passes no mode (WASI has none): chmod says it. */
  R("mkdir-closed", mkdir("/srv/closed", 0700));
  chmod("/srv/closed", 0700);
  put("/srv/closed/f", 0644, "f");
  R("mkdir-open", mkdir("/srv/open", 0777));   /* writable by all, not sticky */
  chmod("/srv/open", 0777);
  put("/srv/open/theirs", 0600, "theirs");
  copyself("/srv/exec", 0755);
  copyself("/srv/rootonly", 0700);
  copyself("/srv/noexec", 0644);
  put("/tmp/other", 0666, "other");
  R("chown-other", chown("/tmp/other", 2000, 2000));
  R("mkdir-u1000", mkdir("/tmp/u1000", 0755));
  R("chown-u1000", chown("/tmp/u1000", 1000, 1000));
  put("/srv/suid", 04755, "s");
  owner("suid-before", "/srv/suid");
  R("chown-suid", chown("/srv/suid", 0, 5));
  owner("suid-after", "/srv/suid");          /* chown clears S_ISUID */
  owner("tmp", "/tmp");
  owner("mine", "/srv/mine");
}

static void spawn_r(const char *label, const char *path) {
  char *argv[] = { (char *)path, "exit", 0 };
  pid_t pid;
  fflush(stdout);
  int e = posix_spawn(&pid, path, 0, 0, argv, environ);
  if (e != 0) { printf("%s %s\n", label, ename(e)); return; }
  int st;
  waitpid(pid, &st, 0);
  printf("%s exit %d\n", label, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

static int openr(const char *path, int flags) {
  int fd = open(path, flags, 0644);
  if (fd >= 0) { close(fd); return 0; }
  return -1;
}

static void t_user(void) {
  R("open-secret-r", openr("/srv/secret", O_RDONLY));
  R("open-pub-r", openr("/srv/pub", O_RDONLY));
  R("open-pub-w", openr("/srv/pub", O_WRONLY));
  R("open-pub-trunc", openr("/srv/pub", O_RDONLY | O_TRUNC));
  R("open-rw-rw", openr("/srv/rw", O_RDWR));
  R("open-closed-dir", openr("/srv/closed", O_RDONLY));
  struct stat st;
  R("stat-walk", stat("/srv/closed/f", &st));
  R("open-walk", openr("/srv/closed/f", O_RDONLY));
  R("create-srv", openr("/srv/new", O_WRONLY | O_CREAT));
  R("mkdir-srv", mkdir("/srv/d", 0755));
  R("mkfifo-srv", mkfifo("/srv/p", 0644));
  R("symlink-srv", symlink("/x", "/srv/l"));
  R("unlink-srv", unlink("/srv/pub"));
  R("rmdir-srv", rmdir("/srv/closed"));
  R("rename-srv", rename("/srv/pub", "/tmp/pub"));
  R("rename-into-srv", rename("/tmp/u1000", "/srv/u"));
  /* A world-writable directory without the sticky bit: anyone may remove a name. */
  R("unlink-open-theirs", unlink("/srv/open/theirs"));
  /* Sticky /tmp: another user's file stays. */
  R("unlink-tmp-other", unlink("/tmp/other"));
  R("rename-tmp-other", rename("/tmp/other", "/tmp/o2"));
  R("create-tmp-mine", openr("/tmp/mine", O_WRONLY | O_CREAT));
  owner("tmp-mine", "/tmp/mine");
  R("mkdir-tmp-mine", mkdir("/tmp/minedir", 0700));
  owner("tmp-minedir", "/tmp/minedir");
  R("rename-tmp-mine", rename("/tmp/mine", "/tmp/mine2"));
  R("unlink-tmp-mine", unlink("/tmp/mine2"));
  /* Modes: the owner's to change. */
  R("chmod-pub", chmod("/srv/pub", 0666));
  R("chmod-mine", chmod("/srv/mine", 0600));
  owner("mine-after-chmod", "/srv/mine");
  int fd = open("/srv/pub", O_RDONLY);
  R("fchmod-pub", fchmod(fd, 0666));
  R("fchown-pub", fchown(fd, 1000, (gid_t)-1));
  close(fd);
  /* Owners: only root gives a file away; the owner may change its group to its own. */
  R("chown-pub-nochange", chown("/srv/pub", (uid_t)-1, (gid_t)-1));
  R("chown-mine-same", chown("/srv/mine", 1000, (gid_t)-1));
  R("chown-mine-away", chown("/srv/mine", 2000, (gid_t)-1));
  R("chgrp-mine-own", chown("/srv/mine", (uid_t)-1, 1000));
  R("chgrp-mine-root", chown("/srv/mine", (uid_t)-1, 0));
  R("lchown-mine", lchown("/srv/mine", 2000, 2000));
  /* access with the (real) ids. */
  R("access-secret-r", access("/srv/secret", R_OK));
  R("access-pub-r", access("/srv/pub", R_OK));
  R("access-pub-w", access("/srv/pub", W_OK));
  R("access-pub-f", access("/srv/pub", F_OK));
  R("access-walk", access("/srv/closed/f", F_OK));
  R("access-exec-x", access("/srv/exec", X_OK));
  R("access-noexec-x", access("/srv/noexec", X_OK));
  R("access-missing", access("/srv/nothing", F_OK));
  R("access-badmode", access("/srv/pub", 8));
  R("access-badptr", access(BAD, F_OK));
  /* Running programs: x for its class. */
  spawn_r("spawn-exec", "/srv/exec");
  spawn_r("spawn-rootonly", "/srv/rootonly");
  spawn_r("spawn-noexec", "/srv/noexec");
}

static void t_root(void) {
  R("open-secret-r", openr("/srv/secret", O_RDWR));
  struct stat st;
  R("stat-walk", stat("/srv/closed/f", &st));
  R("create-closed", openr("/srv/closed/new", O_WRONLY | O_CREAT));
  R("chmod-pub", chmod("/srv/pub", 0640));
  R("chown-pub", chown("/srv/pub", 3000, 3000));
  owner("pub", "/srv/pub");
  R("open-pub-rw", openr("/srv/pub", O_RDWR));
  spawn_r("spawn-rootonly", "/srv/rootonly");
  spawn_r("spawn-noexec", "/srv/noexec");     /* no x bit at all: root runs it as before credentials */
  /* access() checks with the real ids: root with euid 1000. */
  R("seteuid-1000", seteuid(1000));
  R("euid-open-secret", openr("/srv/secret", O_RDONLY));
  R("euid-access-secret", access("/srv/secret", R_OK));
  R("euid-eaccess-secret", faccessat(AT_FDCWD, "/srv/secret", R_OK, AT_EACCESS));
  R("euid-access-walk", access("/srv/closed/f", R_OK));
  R("euid-eaccess-walk", faccessat(AT_FDCWD, "/srv/closed/f", R_OK, AT_EACCESS));
  R("seteuid-0", seteuid(0));
  R("unlink-tmp-other", unlink("/tmp/other"));
}

int main(int argc, char **argv) {
  self = argv[0];
  const char *m = argc > 1 ? argv[1] : "";
  if (!strcmp(m, "exit")) return 7;
  if (!strcmp(m, "setup")) t_setup();
  else if (!strcmp(m, "user")) t_user();
  else if (!strcmp(m, "root")) t_root();
  else { fprintf(stderr, "usage: perms GROUP\n"); return 2; }
  return 0;
}
