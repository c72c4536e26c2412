/* sysvmsg: System V message queues from C, one group per run; prints
 * "label value" lines (value: a result, or an errno name) that
 * tests/sysvmsg.test.mjs checks. Children report through their exit
 * status or their own lines (printed before the parent goes on). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "report.h"   /* BAD, ename, R */

/* Raw kernel calls the layer does not wrap (abi/syscalls.ts). */
__attribute__((__import_module__("wasmux"), __import_name__("setuid"))) int raw_setuid(int uid);
__attribute__((__import_module__("wasmux"), __import_name__("snapshot"))) int raw_snapshot(void *buf, unsigned len);
__attribute__((__import_module__("wasmux"), __import_name__("msgsnd"))) int raw_msgsnd(int id, const void *m, unsigned size, int flags);
__attribute__((__import_module__("wasmux"), __import_name__("msgrcv"))) int raw_msgrcv(int id, void *m, unsigned size, long long type, int flags);

static const char *en(int e) {
  switch (e) {
  case EIDRM: return "EIDRM"; case ENOMSG: return "ENOMSG"; case E2BIG: return "E2BIG"; case ENOSPC: return "ENOSPC";
  }
  return ename(e);
}
static void Q(const char *label, long r) {
  if (r == -1) printf("%s %s\n", label, en(errno));
  else printf("%s %ld\n", label, r);
}

struct m64 { long mtype; char mtext[64]; };
static char bigbuf[8192 + 8];

static int snd(int id, long type, const char *text, int flags) {
  struct m64 m;
  m.mtype = type;
  size_t n = strlen(text);
  memcpy(m.mtext, text, n);
  return msgsnd(id, &m, n, flags);
}

/* Receives and prints "label type text" or the errno. */
static void rcv(const char *label, int id, long typ, int flags) {
  struct m64 m;
  memset(&m, 0, sizeof m);
  ssize_t n = msgrcv(id, &m, sizeof m.mtext - 1, typ, flags);
  if (n < 0) printf("%s %s\n", label, en(errno));
  else printf("%s %ld %.*s\n", label, m.mtype, (int)n, m.mtext);
}

/* Is `pid` asleep in the kernel (ps's S)? From the snapshot record's process
 * section (docs/abi.md "Snapshot": type 1, pid at +0, state at +24). */
static int sleeping(int pid) {
  static unsigned char buf[1 << 16];
  int total = raw_snapshot(buf, sizeof buf);
  if (total < 16) return 0;
  unsigned off, nsec, len, count, size;
  unsigned short type, hdr;
  memcpy(&hdr, buf + 6, 2);
  memcpy(&nsec, buf + 12, 4);
  off = hdr;
  for (unsigned s = 0; s < nsec && off + 16 <= (unsigned)total; s++, off += len) {
    memcpy(&type, buf + off, 2); memcpy(&len, buf + off + 4, 4);
    memcpy(&count, buf + off + 8, 4); memcpy(&size, buf + off + 12, 4);
    if (len < 16) return 0;
    if (type != 1) continue;
    for (unsigned i = 0; i < count && 16 + (i + 1) * size <= len; i++) {
      int p, st;
      memcpy(&p, buf + off + 16 + i * size, 4);
      memcpy(&st, buf + off + 16 + i * size + 24, 4);
      if (p == pid) return st == 3;
    }
  }
  return 0;
}

/* Waits until process `pid` is asleep in the kernel: a condition, not a clock. */
static void wait_sleeping(int pid) {
  while (!sleeping(pid)) {
    struct timespec ts = {0, 1000000};
    nanosleep(&ts, 0);
  }
}

static int child_status(int pid) {
  int st;
  if (waitpid(pid, &st, 0) != pid) return -1;
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static struct msqid_ds st(int id) {
  struct msqid_ds d;
  memset(&d, 0, sizeof d);
  if (msgctl(id, IPC_STAT, &d) < 0) printf("stat-failed %s\n", en(errno));
  return d;
}

/* Every msgtyp form: 0, > 0, < 0, MSG_EXCEPT (ignored for 0), IPC_NOWAIT's ENOMSG. */
static void t_types(void) {
  int q = msgget(IPC_PRIVATE, 0600);
  snd(q, 3, "a", 0); snd(q, 1, "b", 0); snd(q, 2, "c", 0);
  snd(q, 3, "d", 0); snd(q, 5, "e", 0); snd(q, 1, "f", 0);
  rcv("any", q, 0, 0);
  rcv("le4", q, -4, 0);
  rcv("eq2", q, 2, 0);
  rcv("except1", q, 1, MSG_EXCEPT);
  rcv("le4-again", q, -4, 0);
  rcv("le0-none", q, -4, IPC_NOWAIT);
  rcv("eq7-none", q, 7, IPC_NOWAIT);
  rcv("except5-none", q, 5, MSG_EXCEPT | IPC_NOWAIT);
  rcv("any-except", q, 0, MSG_EXCEPT);
  rcv("empty", q, 0, IPC_NOWAIT);
  snd(q, 9, "g", 0); snd(q, 4, "h", 0); snd(q, 4, "i", 0);
  rcv("lowest-of-many", q, -100, 0);
  rcv("except9", q, 9, MSG_EXCEPT);
  rcv("eq9", q, 9, 0);
  R("rmid", msgctl(q, IPC_RMID, 0));
}

/* mtype and size checks; E2BIG leaves the message; MSG_NOERROR truncates. */
static void t_sizes(void) {
  int q = msgget(IPC_PRIVATE, 0600);
  Q("mtype0", snd(q, 0, "x", 0));
  Q("mtype-neg", snd(q, -5, "x", 0));
  Q("size-over-msgmax", msgsnd(q, bigbuf, 8193, 0));
  Q("size-neg", msgsnd(q, bigbuf, (size_t)-1, 0));
  ((struct msgbuf *)bigbuf)->mtype = 1;
  Q("size-msgmax", msgsnd(q, bigbuf, 8192, 0));
  Q("rcv-msgmax", msgrcv(q, bigbuf, 8192, 0, 0));
  Q("size0", msgsnd(q, bigbuf, 0, 0));
  Q("rcv-size0", msgrcv(q, bigbuf, 0, 0, 0));
  snd(q, 2, "hello world", 0);
  struct m64 m;
  Q("small-buf", msgrcv(q, &m, 5, 0, 0));
  printf("still-queued %lu\n", (unsigned long)st(q).msg_qnum);
  memset(&m, 0, sizeof m);
  ssize_t n = msgrcv(q, &m, 5, 0, MSG_NOERROR);
  printf("noerror %ld %ld %.*s\n", (long)n, m.mtype, (int)(n < 0 ? 0 : n), m.mtext);
  printf("gone %lu\n", (unsigned long)st(q).msg_qnum);
  Q("rcv-size-neg", msgrcv(q, &m, (size_t)-1, 0, IPC_NOWAIT));
  Q("copy", msgrcv(q, &m, 8, 0, MSG_COPY | IPC_NOWAIT));
  msgctl(q, IPC_RMID, 0);
}

/* IPC_NOWAIT on a full queue; a blocked sender woken when a receive frees room. */
static void t_block(void) {
  int q = msgget(IPC_PRIVATE, 0600);
  ((struct msgbuf *)bigbuf)->mtype = 1;
  Q("fill1", msgsnd(q, bigbuf, 8192, 0));
  Q("fill2", msgsnd(q, bigbuf, 8192, 0));
  Q("full-nowait", msgsnd(q, bigbuf, 1, IPC_NOWAIT));
  fflush(stdout);
  int pid = fork();
  if (pid == 0) { ((struct msgbuf *)bigbuf)->mtype = 7; _exit(msgsnd(q, bigbuf, 10, 0) == 0 ? 0 : 1); }
  wait_sleeping(pid);
  struct msqid_ds d = st(q);
  printf("while-blocked qnum %lu cbytes %lu\n", (unsigned long)d.msg_qnum, (unsigned long)d.msg_cbytes);
  Q("receive-frees", msgrcv(q, bigbuf, 8192, 1, 0));
  printf("sender-status %d\n", child_status(pid));
  d = st(q);
  printf("after qnum %lu cbytes %lu\n", (unsigned long)d.msg_qnum, (unsigned long)d.msg_cbytes);
  rcv("sent-by-child", q, 7, IPC_NOWAIT);
  /* A receiver blocked on an empty queue, woken by a send. */
  fflush(stdout);
  pid = fork();
  if (pid == 0) { struct m64 m; _exit(msgrcv(q, &m, 64, 42, 0) == 3 && m.mtype == 42 ? 0 : 1); }
  wait_sleeping(pid);
  snd(q, 41, "not", 0);
  snd(q, 42, "yes", 0);
  printf("receiver-status %d\n", child_status(pid));
  rcv("left", q, 41, IPC_NOWAIT);
  msgctl(q, IPC_RMID, 0);
}

static volatile sig_atomic_t got;
static void on(int sig) { got = sig; }

/* A handled signal ends a blocked msgrcv/msgsnd with EINTR, SA_RESTART or not (signal(7)). */
static void t_eintr(void) {
  int q = msgget(IPC_PRIVATE, 0600);
  for (int restart = 0; restart < 2; restart++) {
    for (int send = 0; send < 2; send++) {
      if (send) { ((struct msgbuf *)bigbuf)->mtype = 1; msgsnd(q, bigbuf, 8192, 0); msgsnd(q, bigbuf, 8192, 0); }
      fflush(stdout);
      int pid = fork();
      if (pid == 0) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on;
        sa.sa_flags = restart ? SA_RESTART : 0;
        sigaction(SIGUSR1, &sa, 0);
        struct m64 m;
        int r = send ? msgsnd(q, bigbuf, 8192, 0) : (int)msgrcv(q, &m, 64, 0, 0);
        printf("%s%s %s handler %d\n", send ? "msgsnd" : "msgrcv", restart ? "-restart" : "", r < 0 ? en(errno) : "done", got);
        fflush(stdout);
        _exit(0);
      }
      wait_sleeping(pid);
      kill(pid, SIGUSR1);
      child_status(pid);
      if (send) { msgrcv(q, bigbuf, 8192, 0, 0); msgrcv(q, bigbuf, 8192, 0, 0); }
    }
  }
  printf("qnum %lu\n", (unsigned long)st(q).msg_qnum);
  msgctl(q, IPC_RMID, 0);
}

/* IPC_RMID wakes a blocked receiver and a blocked sender with EIDRM; the old id stays dead. */
static void t_rmid(void) {
  int full = msgget(IPC_PRIVATE, 0600), empty = msgget(IPC_PRIVATE, 0600);
  ((struct msgbuf *)bigbuf)->mtype = 1;
  msgsnd(full, bigbuf, 8192, 0); msgsnd(full, bigbuf, 8192, 0);
  fflush(stdout);
  int s = fork();
  if (s == 0) { int r = msgsnd(full, bigbuf, 100, 0); _exit(r < 0 && errno == EIDRM ? 0 : 1); }
  int rv = fork();
  if (rv == 0) { struct m64 m; int r = (int)msgrcv(empty, &m, 64, 0, 0); _exit(r < 0 && errno == EIDRM ? 0 : 1); }
  wait_sleeping(s);
  wait_sleeping(rv);
  R("rmid-full", msgctl(full, IPC_RMID, 0));
  R("rmid-empty", msgctl(empty, IPC_RMID, 0));
  printf("sender-eidrm %d receiver-eidrm %d\n", child_status(s) == 0, child_status(rv) == 0);
  Q("stale-snd", snd(full, 1, "x", 0));
  Q("stale-rcv", msgrcv(empty, bigbuf, 10, 0, IPC_NOWAIT));
  Q("stale-stat", msgctl(full, IPC_STAT, (struct msqid_ds *)bigbuf));
  Q("stale-rmid", msgctl(full, IPC_RMID, 0));
  int again = msgget(IPC_PRIVATE, 0600);
  printf("new-id-differs %d %d\n", again != full, again != empty);
  Q("stale-after-reuse", snd(full, 1, "x", 0));
  Q("stale-after-reuse2", snd(empty, 1, "x", 0));
  R("new-works", snd(again, 1, "x", 0));
  msgctl(again, IPC_RMID, 0);
}

/* IPC_STAT's fields. */
static void t_stat(void) {
  time_t t0 = time(0);
  int q = msgget(0x5157, IPC_CREAT | 0640);
  struct msqid_ds d = st(q);
  printf("new: key %#x mode %o uid %u gid %u cuid %u cgid %u qnum %lu cbytes %lu qbytes %lu lspid %d lrpid %d stime %lld rtime %lld ctime-now %d\n",
         d.msg_perm.__key, d.msg_perm.mode, d.msg_perm.uid, d.msg_perm.gid, d.msg_perm.cuid, d.msg_perm.cgid,
         (unsigned long)d.msg_qnum, (unsigned long)d.msg_cbytes, (unsigned long)d.msg_qbytes, d.msg_lspid, d.msg_lrpid,
         (long long)d.msg_stime, (long long)d.msg_rtime, d.msg_ctime >= t0 && d.msg_ctime <= time(0));
  snd(q, 1, "12345", 0); snd(q, 2, "1234567", 0);
  d = st(q);
  printf("sent: qnum %lu cbytes %lu lspid-me %d lrpid %d stime-now %d rtime %lld\n", (unsigned long)d.msg_qnum,
         (unsigned long)d.msg_cbytes, d.msg_lspid == getpid(), d.msg_lrpid, d.msg_stime >= t0 && d.msg_stime <= time(0), (long long)d.msg_rtime);
  fflush(stdout);
  int pid = fork();
  if (pid == 0) { struct m64 m; _exit(msgrcv(q, &m, 64, 2, 0) == 7 ? 0 : 1); }
  int cs = child_status(pid);
  d = st(q);
  printf("received: child %d qnum %lu cbytes %lu lspid-me %d lrpid-child %d rtime-now %d\n", cs, (unsigned long)d.msg_qnum,
         (unsigned long)d.msg_cbytes, d.msg_lspid == getpid(), d.msg_lrpid == pid, d.msg_rtime >= t0 && d.msg_rtime <= time(0));
  msgctl(q, IPC_RMID, 0);
}

/* IPC_SET (mode, owner, msg_qbytes), and what another uid may not do. */
static void t_perm(void) {
  int q = msgget(0x7e57, IPC_CREAT | 0600);
  struct msqid_ds d = st(q);
  d.msg_qbytes = 100;
  d.msg_perm.mode = 0640;
  R("set", msgctl(q, IPC_SET, &d));
  d = st(q);
  printf("after-set mode %o qbytes %lu\n", d.msg_perm.mode, (unsigned long)d.msg_qbytes);
  ((struct msgbuf *)bigbuf)->mtype = 1;
  Q("over-new-qbytes", snd(q, 1, "x", IPC_NOWAIT) == 0 ? msgsnd(q, bigbuf, 100, IPC_NOWAIT) : -2);
  msgrcv(q, bigbuf, 10, 0, IPC_NOWAIT);
  d.msg_qbytes = 1 << 20;
  R("root-raises-past-msgmnb", msgctl(q, IPC_SET, &d));
  printf("qbytes %lu\n", (unsigned long)st(q).msg_qbytes);
  struct msqid_ds e = st(q);
  e.msg_perm.uid = (uid_t)-1;
  Q("set-uid-invalid", msgctl(q, IPC_SET, &e));
  d.msg_perm.mode = 0600;
  msgctl(q, IPC_SET, &d);
  int open = msgget(0x0be4, IPC_CREAT | 0666);
  fflush(stdout);
  int pid = fork();
  if (pid == 0) {
    R("setuid", raw_setuid(1000));
    printf("euid %d\n", geteuid());
    struct m64 m;
    struct msqid_ds dd;
    Q("get-0600-is-q", msgget(0x7e57, 0) == q);
    Q("get-0600-rw", msgget(0x7e57, 0600));
    Q("get-0600-none-asked", msgget(0x7e57, 0) >= 0 ? 0 : -1);
    Q("snd-0600", snd(q, 1, "x", IPC_NOWAIT));
    Q("rcv-0600", msgrcv(q, &m, 64, 0, IPC_NOWAIT));
    Q("stat-0600", msgctl(q, IPC_STAT, &dd));
    memset(&dd, 0, sizeof dd);
    dd.msg_qbytes = 10;
    Q("set-roots", msgctl(q, IPC_SET, &dd));
    Q("rmid-roots", msgctl(q, IPC_RMID, 0));
    Q("snd-0666", snd(open, 1, "y", IPC_NOWAIT));
    Q("rcv-0666", msgrcv(open, &m, 64, 0, IPC_NOWAIT));
    Q("rmid-0666-roots", msgctl(open, IPC_RMID, 0));
    int mine = msgget(IPC_PRIVATE, 0600);
    dd = st(mine);
    printf("mine uid %u cuid %u\n", dd.msg_perm.uid, dd.msg_perm.cuid);
    dd.msg_qbytes = 16385;
    Q("mine-raise-past-msgmnb", msgctl(mine, IPC_SET, &dd));
    dd.msg_qbytes = 16384;
    Q("mine-lower-ok", msgctl(mine, IPC_SET, &dd) == 0 ? (dd.msg_qbytes = 50, msgctl(mine, IPC_SET, &dd)) : -1);
    Q("mine-back-to-msgmnb", (dd.msg_qbytes = 16384, msgctl(mine, IPC_SET, &dd)));
    dd.msg_perm.uid = 0;
    Q("give-to-root", msgctl(mine, IPC_SET, &dd));
    Q("creator-still-may-rmid", msgctl(mine, IPC_RMID, 0));
    fflush(stdout);
    _exit(0);
  }
  printf("child %d\n", child_status(pid));
  R("root-rmid", msgctl(q, IPC_RMID, 0));
  R("root-rmid-open", msgctl(open, IPC_RMID, 0));
}

/* Keys: IPC_PRIVATE always new, IPC_CREAT|IPC_EXCL, ENOENT; ftok from device and inode. */
static void t_keys(void) {
  int a = msgget(IPC_PRIVATE, 0600), b = msgget(IPC_PRIVATE, IPC_CREAT | IPC_EXCL | 0600);
  printf("private-distinct %d\n", a >= 0 && b >= 0 && a != b);
  int k = msgget(0x1234, IPC_CREAT | 0600);
  printf("same-key-same-id %d\n", msgget(0x1234, 0) == k && msgget(0x1234, IPC_CREAT | 0600) == k);
  Q("excl", msgget(0x1234, IPC_CREAT | IPC_EXCL | 0600));
  Q("enoent", msgget(0x4321, 0600));
  Q("enoent-excl-only", msgget(0x4321, IPC_EXCL | 0600));
  close(open("/tmp/ftok-a", O_CREAT | O_WRONLY, 0644));
  close(open("/tmp/ftok-b", O_CREAT | O_WRONLY, 0644));
  key_t ka = ftok("/tmp/ftok-a", 1), kb = ftok("/tmp/ftok-b", 1), ka2 = ftok("/tmp/ftok-a", 2);
  struct stat sa;
  stat("/tmp/ftok-a", &sa);
  printf("ftok files-differ %d projs-differ %d stable %d\n", ka != kb, ka != ka2, ftok("/tmp/ftok-a", 1) == ka);
  printf("ftok proj-byte %d ino-bits %d dev-bits %d\n", ((unsigned)ka >> 24) == 1, ((unsigned)ka & 0xffff) == ((unsigned)sa.st_ino & 0xffff),
         (((unsigned)ka >> 16) & 0xff) == ((unsigned)sa.st_dev & 0xff));
  Q("ftok-missing", ftok("/tmp/ftok-none", 1));
  int qa = msgget(ka, IPC_CREAT | 0600), qb = msgget(kb, IPC_CREAT | 0600);
  printf("ftok-queues-distinct %d\n", qa >= 0 && qb >= 0 && qa != qb);
  msgctl(a, IPC_RMID, 0); msgctl(b, IPC_RMID, 0); msgctl(k, IPC_RMID, 0); msgctl(qa, IPC_RMID, 0); msgctl(qb, IPC_RMID, 0);
}

/* Bad pointers and arguments: EFAULT before anything moves, EINVAL. */
static void t_fault(void) {
  int q = msgget(IPC_PRIVATE, 0600);
  Q("snd-bad", msgsnd(q, BAD, 4, 0));
  Q("snd-bad-nowait", msgsnd(q, BAD, 4, IPC_NOWAIT));
  snd(q, 3, "keep", 0);
  Q("rcv-bad", msgrcv(q, BAD, 64, 0, 0));
  Q("rcv-bad-raw", raw_msgrcv(q, (void *)0x7ffffffc, 64, 0, 0) < 0 ? -1 : 0);
  printf("kept %lu\n", (unsigned long)st(q).msg_qnum);
  rcv("still-there", q, 0, IPC_NOWAIT);
  Q("stat-bad", msgctl(q, IPC_STAT, BAD));
  Q("set-bad", msgctl(q, IPC_SET, BAD));
  Q("info-bad", msgctl(0, IPC_INFO, BAD));
  Q("cmd-bad", msgctl(q, 99, 0));
  Q("id-bad", msgctl(12345, IPC_STAT, (struct msqid_ds *)bigbuf));
  Q("id-neg-snd", snd(-1, 1, "x", 0));
  Q("id-neg-rcv", msgrcv(-1, bigbuf, 4, 0, 0));
  Q("raw-size-neg", raw_msgsnd(q, bigbuf, 0x80000000u, 0) == -EINVAL ? 0 : -1);
  msgctl(q, IPC_RMID, 0);
  Q("after-rmid", msgctl(q, IPC_STAT, (struct msqid_ds *)bigbuf));
}

/* A process killed while blocked takes nothing and leaves no waiter: the next send and receive work. */
static void t_killed(void) {
  int q = msgget(IPC_PRIVATE, 0600);
  fflush(stdout);
  int pid = fork();
  if (pid == 0) { struct m64 m; msgrcv(q, &m, 64, 1, 0); _exit(3); }
  wait_sleeping(pid);
  kill(pid, SIGKILL);
  printf("receiver %d\n", child_status(pid));
  snd(q, 1, "after", 0);
  printf("qnum %lu\n", (unsigned long)st(q).msg_qnum);
  rcv("nothing-lost", q, 1, IPC_NOWAIT);
  ((struct msgbuf *)bigbuf)->mtype = 2;
  msgsnd(q, bigbuf, 8192, 0); msgsnd(q, bigbuf, 8192, 0);
  fflush(stdout);
  pid = fork();
  if (pid == 0) { msgsnd(q, bigbuf, 10, 0); _exit(3); }
  wait_sleeping(pid);
  kill(pid, SIGKILL);
  printf("sender %d\n", child_status(pid));
  msgrcv(q, bigbuf, 8192, 0, 0);
  struct msqid_ds d = st(q);
  printf("after qnum %lu cbytes %lu\n", (unsigned long)d.msg_qnum, (unsigned long)d.msg_cbytes);
  msgctl(q, IPC_RMID, 0);
}

/* IPC_INFO / MSG_INFO / MSG_STAT (what ipcs walks). */
static void t_info(void) {
  int a = msgget(IPC_PRIVATE, 0600), b = msgget(0x99, IPC_CREAT | 0644), c = msgget(IPC_PRIVATE, 0600);
  msgctl(a, IPC_RMID, 0);
  snd(b, 1, "abc", 0); snd(b, 1, "de", 0); snd(c, 1, "f", 0);
  struct msginfo mi;
  int hi = msgctl(0, IPC_INFO, (struct msqid_ds *)&mi);
  printf("ipc-info hi %d msgmax %d msgmnb %d msgmni %d\n", hi, mi.msgmax, mi.msgmnb, mi.msgmni);
  hi = msgctl(0, MSG_INFO, (struct msqid_ds *)&mi);
  printf("msg-info hi %d queues %d msgs %d bytes %d\n", hi, mi.msgpool, mi.msgmap, mi.msgtql);
  struct msqid_ds d;
  for (int i = 0; i <= hi; i++) {
    int id = msgctl(i, MSG_STAT, &d);
    if (id < 0) printf("index %d %s\n", i, en(errno));
    else printf("index %d is-b %d is-c %d qnum %lu\n", i, id == b, id == c, (unsigned long)d.msg_qnum);
  }
  Q("index-past", msgctl(hi + 1, MSG_STAT, &d));
  msgctl(b, IPC_RMID, 0); msgctl(c, IPC_RMID, 0);
  hi = msgctl(0, MSG_INFO, (struct msqid_ds *)&mi);
  printf("empty hi %d queues %d\n", hi, mi.msgpool);
}

/* Boot limits (the test boots with msg { msgmax 100, msgmnb 300, msgmni 4 }). */
static void t_limits(void) {
  struct msginfo mi;
  msgctl(0, IPC_INFO, (struct msqid_ds *)&mi);
  printf("limits msgmax %d msgmnb %d msgmni %d\n", mi.msgmax, mi.msgmnb, mi.msgmni);
  int q = msgget(IPC_PRIVATE, 0600);
  printf("qbytes %lu\n", (unsigned long)st(q).msg_qbytes);
  ((struct msgbuf *)bigbuf)->mtype = 1;
  Q("over-msgmax", msgsnd(q, bigbuf, 101, 0));
  Q("msgmax", msgsnd(q, bigbuf, 100, 0));
  Q("second", msgsnd(q, bigbuf, 100, 0));
  Q("third", msgsnd(q, bigbuf, 100, 0));
  Q("full", msgsnd(q, bigbuf, 1, IPC_NOWAIT));
  fflush(stdout);
  int pid = fork();
  if (pid == 0) _exit(msgsnd(q, bigbuf, 50, 0) == 0 ? 0 : 1);
  wait_sleeping(pid);
  Q("free-room", msgrcv(q, bigbuf, 100, 0, 0));
  printf("blocked-sender %d\n", child_status(pid));
  int n = 1;
  for (;;) { int r = msgget(IPC_PRIVATE, 0600); if (r < 0) { printf("queues %d then %s\n", n, en(errno)); break; } n++; }
}

/* Many producers and consumers on one small queue: every message arrives exactly once. */
#define PRODUCERS 4
#define CONSUMERS 3
#define PER 300
static void t_many(void) {
  int q = msgget(IPC_PRIVATE, 0600);
  struct msqid_ds d = st(q);
  d.msg_qbytes = 256;   /* small: senders block often */
  msgctl(q, IPC_SET, &d);
  int fds[2];
  pipe(fds);
  fflush(stdout);
  int pids[PRODUCERS + CONSUMERS];
  for (int c = 0; c < CONSUMERS; c++) {
    if ((pids[c] = fork()) == 0) {
      close(fds[0]);
      for (;;) {
        struct { long mtype; int v; } m;
        if (msgrcv(q, &m, sizeof m.v, 0, 0) != sizeof m.v) _exit(2);
        if (m.mtype == 2) _exit(0);
        if (write(fds[1], &m.v, sizeof m.v) != sizeof m.v) _exit(3);
      }
    }
  }
  for (int p = 0; p < PRODUCERS; p++) {
    if ((pids[CONSUMERS + p] = fork()) == 0) {
      for (int i = 0; i < PER; i++) {
        struct { long mtype; int v; } m = {1, p * PER + i};
        if (msgsnd(q, &m, sizeof m.v, 0) != 0) _exit(2);
      }
      _exit(0);
    }
  }
  close(fds[1]);
  int bad = 0;
  for (int p = 0; p < PRODUCERS; p++) if (child_status(pids[CONSUMERS + p]) != 0) bad++;
  for (int c = 0; c < CONSUMERS; c++) { struct { long mtype; int v; } m = {2, -1}; msgsnd(q, &m, sizeof m.v, 0); }
  static unsigned char seen[PRODUCERS * PER];
  int got = 0, dup = 0, out = 0, v;
  while (read(fds[0], &v, sizeof v) == sizeof v) {
    if (v < 0 || v >= PRODUCERS * PER) out++;
    else if (seen[v]++) dup++;
    else got++;
  }
  for (int c = 0; c < CONSUMERS; c++) if (child_status(pids[c]) != 0) bad++;
  printf("many got %d of %d dup %d out %d bad-children %d left %lu\n", got, PRODUCERS * PER, dup, out, bad,
         (unsigned long)st(q).msg_qnum);
  msgctl(q, IPC_RMID, 0);
}

/* Makes a queue for ipcs/ipcrm tests: key, mode, then messages; prints its id. */
static void t_make(int argc, char **argv) {
  int key = (int)strtol(argv[2], 0, 0), mode = (int)strtol(argv[3], 0, 8);
  int q = msgget(key, IPC_CREAT | mode);
  for (int i = 4; i < argc; i++) snd(q, 1, argv[i], 0);
  Q("id", q);
}

/* as UID PROG ARGS...: runs PROG as another user (setuid, then execv). */
static int t_as(char **argv) {
  if (raw_setuid(atoi(argv[2])) != 0) { fprintf(stderr, "sysvmsg: setuid failed\n"); return 1; }
  execv(argv[3], argv + 3);
  perror("sysvmsg: execv");
  return 127;
}

int main(int argc, char **argv) {
  const char *g = argc > 1 ? argv[1] : "";
  if (!strcmp(g, "as") && argc >= 4) return t_as(argv);
  if (!strcmp(g, "types")) t_types();
  else if (!strcmp(g, "sizes")) t_sizes();
  else if (!strcmp(g, "block")) t_block();
  else if (!strcmp(g, "eintr")) t_eintr();
  else if (!strcmp(g, "rmid")) t_rmid();
  else if (!strcmp(g, "stat")) t_stat();
  else if (!strcmp(g, "perm")) t_perm();
  else if (!strcmp(g, "keys")) t_keys();
  else if (!strcmp(g, "fault")) t_fault();
  else if (!strcmp(g, "killed")) t_killed();
  else if (!strcmp(g, "info")) t_info();
  else if (!strcmp(g, "limits")) t_limits();
  else if (!strcmp(g, "many")) t_many();
  else if (!strcmp(g, "make") && argc >= 4) t_make(argc, argv);
  else { fprintf(stderr, "usage: sysvmsg GROUP\n"); return 2; }
  return 0;
}
