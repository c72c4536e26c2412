/* wasmux C layer: <unistd.h> = wasi-libc's, plus the process model of the
 * kernel (fork/exec, pipes, dup, ids, groups, sessions, fchdir, ttyname,
 * alarm and pause). */
#ifndef __wasmux_unistd_h
#define __wasmux_unistd_h
/* wasi-libc marks getpid deprecated unless this is set; ours is the kernel's pid. */
#ifndef _WASI_EMULATED_GETPID
#define _WASI_EMULATED_GETPID 1
#define __wasmux_undef_getpid
#endif
#include_next <unistd.h>
#ifdef __wasmux_undef_getpid
#undef _WASI_EMULATED_GETPID
#undef __wasmux_undef_getpid
#endif
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

extern char **environ;

int pipe(int [2]);
int pipe2(int [2], int);
int dup(int);
int dup2(int, int);
int dup3(int, int, int);

pid_t fork(void);
pid_t vfork(void);
int execve(const char *, char *const [], char *const []);
int execv(const char *, char *const []);
int execvp(const char *, char *const []);
int execvpe(const char *, char *const [], char *const []);
int execl(const char *, const char *, ...);
int execlp(const char *, const char *, ...);
int execle(const char *, const char *, ...);
int fexecve(int, char *const [], char *const []);

pid_t getppid(void);
pid_t getpgrp(void);
pid_t getpgid(pid_t);
int setpgid(pid_t, pid_t);
pid_t setsid(void);
pid_t getsid(pid_t);
pid_t tcgetpgrp(int);
int tcsetpgrp(int, pid_t);
uid_t getuid(void);
uid_t geteuid(void);
gid_t getgid(void);
gid_t getegid(void);
/* Credentials (issue 15): real, effective and saved ids as Linux; no supplementary groups. */
int setuid(uid_t);
int setgid(gid_t);
int seteuid(uid_t);
int setegid(gid_t);
int setreuid(uid_t, uid_t);
int setregid(gid_t, gid_t);
int setresuid(uid_t, uid_t, uid_t);
int setresgid(gid_t, gid_t, gid_t);
int getresuid(uid_t *, uid_t *, uid_t *);
int getresgid(gid_t *, gid_t *, gid_t *);
int getgroups(int, gid_t []);
/* Owners of tmpfs files (issue 15): chown by root, chgrp to its own group by the owner. */
int chown(const char *, uid_t, gid_t);
int lchown(const char *, uid_t, gid_t);
int fchown(int, uid_t, gid_t);
int fchownat(int, const char *, uid_t, gid_t, int);

int fchdir(int);
char *ttyname(int);
/* Signals (issue 14): sleep and usleep are wasi-libc's declarations, the layer's implementations (EINTR). */
unsigned alarm(unsigned);
int pause(void);
int ttyname_r(int, char *, size_t);

#ifdef __cplusplus
}
#endif
#endif
