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

// waitpid options
export const WNOHANG = 1;

// File type bits of st_mode (Linux).
export const S_IFMT = 0xf000;
export const S_IFIFO = 0x1000;
export const S_IFCHR = 0x2000;
export const S_IFDIR = 0x4000;
export const S_IFREG = 0x8000;
export const S_IFLNK = 0xa000;
export const S_IFSOCK = 0xc000;

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
export const NSIG = 65;

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
/**
 * (#12 wasirun) Opens a directory at `newfd` as a WASI preopen: the record's
 * path bytes are the preopen's name (its first `oflags` bytes, what
 * fd_prestat_dir_name reports) followed by the directory's namespace path.
 * A child given any PREOPEN gets exactly those, and not the default "/";
 * a PREOPEN with newfd -1 opens nothing (a spawn that wants no preopen).
 */
export const SPAWN_PREOPEN = 6;   // (4, 5: the C layer's SETPGID, SETSID)
export const SPAWN_ACTION_SIZE = 24;

// Process states as shown by ps.
export const PSTATE_FREE = 0;
export const PSTATE_EMBRYO = 1;
export const PSTATE_RUNNING = 2;
export const PSTATE_SLEEPING = 3;
export const PSTATE_ZOMBIE = 4;

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
// uname(2) release string (sys/utsname.h, assembly/cred.ts): the package version.
export const UNAME_RELEASE = "0.1.0";
