// Flag and structure constants shared by kernel, host and guest library.
// Linux values where the extension ABI takes flags (open, pipe2, fcntl,
// waitpid, signals), so C headers can use the usual numbers.

// open(2) flags (Linux, generic).
export const O_RDONLY = 0;
export const O_WRONLY = 1;
export const O_RDWR = 2;
export const O_ACCMODE = 3;
export const O_CREAT = 0x40;
export const O_EXCL = 0x80;
export const O_TRUNC = 0x200;
export const O_APPEND = 0x400;
export const O_NONBLOCK = 0x800;
export const O_DIRECTORY = 0x10000;
export const O_NOFOLLOW = 0x20000;
export const O_CLOEXEC = 0x80000;

// fcntl(2)
export const F_DUPFD = 0;
export const F_GETFD = 1;
export const F_SETFD = 2;
export const F_GETFL = 3;
export const F_SETFL = 4;
export const F_DUPFD_CLOEXEC = 1030;
export const FD_CLOEXEC = 1;

// lseek whence (same in WASI and Linux)
export const SEEK_SET = 0;
export const SEEK_CUR = 1;
export const SEEK_END = 2;

// waitpid options (Linux)
export const WNOHANG = 1;
export const WUNTRACED = 2;
export const WCONTINUED = 8;

// File type bits of st_mode (Linux).
export const S_IFMT = 0xf000;
export const S_IFIFO = 0x1000;
export const S_IFCHR = 0x2000;
export const S_IFDIR = 0x4000;
export const S_IFREG = 0x8000;
export const S_IFLNK = 0xa000;
export const S_IFSOCK = 0xc000;
// The mode's special bits (Linux): set-user-id, set-group-id, sticky (only the owner may remove a name).
export const S_ISUID = 0o4000;
export const S_ISGID = 0o2000;
export const S_ISVTX = 0o1000;

// Signals (Linux numbers).
export const SIGHUP = 1;
export const SIGINT = 2;
export const SIGQUIT = 3;
export const SIGILL = 4;
export const SIGTRAP = 5;
export const SIGABRT = 6;
export const SIGBUS = 7;
export const SIGFPE = 8;
export const SIGKILL = 9;
export const SIGUSR1 = 10;
export const SIGSEGV = 11;
export const SIGUSR2 = 12;
export const SIGPIPE = 13;
export const SIGALRM = 14;
export const SIGTERM = 15;
export const SIGCHLD = 17;
export const SIGCONT = 18;
export const SIGSTOP = 19;
export const SIGTSTP = 20;
export const SIGTTIN = 21;
export const SIGTTOU = 22;
export const SIGURG = 23;
export const SIGXCPU = 24;
export const SIGXFSZ = 25;
export const SIGVTALRM = 26;
export const SIGPROF = 27;
export const SIGWINCH = 28;
export const SIGIO = 29;
export const SIGPWR = 30;
export const SIGSYS = 31;
/** Real-time signals are 32..64 in the kernel; the C layer's SIGRTMIN is 34, as glibc's. */
export const SIGRT_FIRST = 32;
export const SIGRTMIN = 34;
export const SIGRTMAX = 64;
export const NSIG = 65;

// Signal dispositions and sigaction flags (Linux values).
export const SIG_DFL = 0;
export const SIG_IGN = 1;
export const SA_NOCLDSTOP = 1;
export const SA_NOCLDWAIT = 2;
export const SA_SIGINFO = 4;
export const SA_RESTART = 0x10000000;
export const SA_NODEFER = 0x40000000;
export const SA_RESETHAND = 0x80000000;
// sigprocmask how (Linux values).
export const SIG_BLOCK = 0;
export const SIG_UNBLOCK = 1;
export const SIG_SETMASK = 2;
// si_code values (Linux).
export const SI_USER = 0;
export const SI_KERNEL = 0x80;
export const SI_QUEUE = -1;
export const SI_TIMER = -2;
export const SI_MESGQ = -3;   // a POSIX message queue's notification (mq_notify)
export const CLD_EXITED = 1;
export const CLD_KILLED = 2;
export const CLD_DUMPED = 3;
export const CLD_STOPPED = 5;
export const CLD_CONTINUED = 6;
/** Queued real-time signals per process: one more is EAGAIN from sigqueue/kill. */
export const SIGQUEUE_MAX = 32;

// ksigaction, 16 bytes in guest memory: what sigaction takes and gives, and
// what sigtake writes for the trampoline (there `mask` is the mask to restore).
export const KSIGACTION_SIZE = 16;
export const KSA_HANDLER = 0;   // u32: SIG_DFL, SIG_IGN, else a function-table index
export const KSA_FLAGS = 4;     // u32: SA_*
export const KSA_MASK = 8;      // u64: bit n-1 = signal n
// ksiginfo, 128 bytes: Linux's siginfo_t for wasm32.
export const KSIGINFO_SIZE = 128;
export const KSI_SIGNO = 0;
export const KSI_ERRNO = 4;
export const KSI_CODE = 8;
export const KSI_PID = 12;
export const KSI_UID = 16;
export const KSI_STATUS = 20;   // SIGCHLD: exit code or signal
export const KSI_VALUE = 20;    // SI_QUEUE / RT: sival_int or sival_ptr
/** Signal sets in guest memory: 8 bytes, little endian. */
export const SIGSET_SIZE = 8;
/** Wait statuses of a stopped and a continued child (Linux). */
export const WSTATUS_STOPPED = 0x7f;   // | sig << 8
export const WSTATUS_CONTINUED = 0xffff;

// Limits.
export const PIPE_BUF = 4096;
export const PIPE_SIZE = 65536;
export const PATH_MAX = 4096;
export const NAME_MAX = 255;
/** A spawn's argv, and separately its env: bytes of the strings with their NULs, and strings. */
export const ARG_MAX = 1 << 20;
export const ARG_COUNT_MAX = 65536;

// posix_spawn file actions (records of SPAWN_ACTION_SIZE bytes).
export const SPAWN_DUP2 = 1;
export const SPAWN_CLOSE = 2;
export const SPAWN_OPEN = 3;
// C layer (posix_spawn attributes, assembly/cred.ts): fd = the process group (0: the child's pid).
export const SPAWN_SETPGID = 4;
export const SPAWN_SETSID = 5;
/** SPAWN_SETSID's fd field: 1 = the new session also takes the console as its controlling terminal (a login). */
export const SETSID_CTTY = 1;
/**
 * (#12 wasirun) Opens a directory at `newfd` as a WASI preopen: the record's
 * path bytes are the preopen's name (its first `oflags` bytes, what
 * fd_prestat_dir_name reports) followed by the directory's namespace path.
 * A child given any PREOPEN gets exactly those, and not the default "/";
 * a PREOPEN with newfd -1 opens nothing (a spawn that wants no preopen).
 */
export const SPAWN_PREOPEN = 6;   // (4, 5: the C layer's SETPGID, SETSID)
// posix_spawn signal attributes (#14): the 64-bit set is the record's fd (low) and newfd (high) words.
/** POSIX_SPAWN_SETSIGMASK: the child's signal mask is the set (SIGKILL/SIGSTOP dropped). */
export const SPAWN_SIGMASK = 7;
/** POSIX_SPAWN_SETSIGDEF: the signals in the set start with SIG_DFL in the child. */
export const SPAWN_SIGDEF = 8;
/**
 * (#14 job control) Resets signals in the child: those in the mask (fd = bits 0..31, newfd =
 * bits 32..63; bit n-1 = signal n) get their default action and are unblocked, as
 * POSIX_SPAWN_SETSIGDEF plus a mask: a shell's ignored SIGINT/SIGTSTP... must not reach its jobs.
 */
export const SPAWN_SIGRESET = 9;
/**
 * (#14 job control) The child's process group becomes the console's foreground group before
 * the child runs, if the child's parent is in the foreground (a shell handing its job the
 * terminal: otherwise the job could read the console before the shell's own tcsetpgrp and be
 * stopped by SIGTTIN); else nothing happens. fd, newfd unused.
 */
export const SPAWN_TCSETPGRP = 10;
/**
 * (#15 credentials) The child's real, effective and saved uid become fd and its gids newfd
 * (-1: keep the spawner's). A spawner whose euid is not 0 may give only ids it has (real,
 * effective or saved, as setresuid): EPERM otherwise. The API's SpawnOptions.uid/gid.
 */
export const SPAWN_SETCRED = 11;
export const SPAWN_ACTION_SIZE = 24;

// Process states as shown by ps.
export const PSTATE_FREE = 0;
export const PSTATE_EMBRYO = 1;
export const PSTATE_RUNNING = 2;
export const PSTATE_SLEEPING = 3;
export const PSTATE_ZOMBIE = 4;
export const PSTATE_STOPPED = 5;   // ps shows T

// d_type values in getdents records (Linux numbering).
export const DT_UNKNOWN = 0;
export const DT_FIFO = 1;
export const DT_CHR = 2;
export const DT_DIR = 4;
export const DT_REG = 8;
export const DT_LNK = 10;
export const DT_SOCK = 12;

// The *at calls (#12): the directory argument and flags, Linux values.
export const AT_FDCWD = -100;
export const AT_SYMLINK_NOFOLLOW = 0x100;
export const AT_REMOVEDIR = 0x200;
export const AT_SYMLINK_FOLLOW = 0x400;
/** faccessat: check with the effective ids rather than the real ones (Linux's value, = AT_REMOVEDIR). */
export const AT_EACCESS = 0x200;
// uname(2) release string (sys/utsname.h, assembly/cred.ts): the package version.
export const UNAME_RELEASE = "0.1.0";

// System V IPC (#15, assembly/ipc/): Linux's values (include/uapi/linux/ipc.h, msg.h).
export const IPC_PRIVATE = 0;
export const IPC_CREAT = 0o1000;
export const IPC_EXCL = 0o2000;
export const IPC_NOWAIT = 0o4000;
export const IPC_RMID = 0;
export const IPC_SET = 1;
export const IPC_STAT = 2;
export const IPC_INFO = 3;
export const MSG_STAT = 11;
export const MSG_INFO = 12;
export const MSG_STAT_ANY = 13;
export const MSG_NOERROR = 0o10000;
export const MSG_EXCEPT = 0o20000;
export const MSG_COPY = 0o40000;
/** Ids are index + seq * IPC_SEQ_MULTIPLIER (Linux's IPCMNI): at most this many objects per family. */
export const IPC_SEQ_MULTIPLIER = 32768;
/** struct msqid_ds on wasm32 (docs/abi.md "System V message queues"). */
export const MSQID_DS_SIZE = 96;
/** struct msginfo: eight ints, the last a short. */
export const MSGINFO_SIZE = 32;
/** Boot defaults: Linux's msgmax and msgmnb; msgmni well below Linux's 32000 (see docs/abi.md). */
export const MSGMAX_DEFAULT = 8192;
export const MSGMNB_DEFAULT = 16384;
export const MSGMNI_DEFAULT = 1024;
// POSIX message queues (assembly/mqueue.ts, docs/abi.md "Message queues").
/** Priorities are 0 .. MQ_PRIO_MAX - 1 (Linux's). */
export const MQ_PRIO_MAX = 32768;
/** struct mq_attr in guest memory: eight i32 (wasm32 longs) {flags, maxmsg, msgsize, curmsgs, reserved[4]}. */
export const MQ_ATTR_SIZE = 32;
/** struct sigevent's head as mq_notify reads it: {i32 value, i32 signo, i32 notify}. */
export const MQ_SIGEVENT_SIZE = 12;
export const SIGEV_SIGNAL = 0;
export const SIGEV_NONE = 1;
export const SIGEV_THREAD = 2;
/** Boot defaults: the ceilings mq_attr may ask for, and the queues a machine may hold. */
export const MQ_MAXMSG_DEFAULT = 1024;
export const MQ_MSGSIZE_MAX_DEFAULT = 65536;
export const MQ_QUEUES_MAX_DEFAULT = 256;
/** The attributes of a queue created without mq_attr (Linux's msg_default, msgsize_default). */
export const MQ_DFLT_MAXMSG = 10;
export const MQ_DFLT_MSGSIZE = 8192;
