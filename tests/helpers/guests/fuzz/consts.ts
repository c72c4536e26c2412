// The fuzz guest's constants: Linux values (abi/constants.ts), and the
// guest's own fds and limits.

export const O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0x40, O_EXCL = 0x80, O_TRUNC = 0x200, O_APPEND = 0x400;
export const O_NONBLOCK = 0x800, O_DIRECTORY = 0x10000, O_CLOEXEC = 0x80000;
export const F_DUPFD = 0, F_SETFL = 4, F_DUPFD_CLOEXEC = 1030;
export const WNOHANG = 1, SIGKILL = 9;
export const WASI_FDFLAG_NONBLOCK = 4;
export const MAX_ERRNO = 76;           // ENOTCAPABLE, the last of abi/errno.ts
export const REPORT_FD = 1000;         // never among the fds the generator picks
export const PROGRESS_FD = 1001;       // the count of calls made, before each call that may raise SIGPIPE
export const NCALLS = 139;              // cases of doCall
export const IPC_NOWAIT = 0o4000;      // every msgsnd/msgrcv here: a generation never waits for ever
