// The one errno table. Values are WASI's numbering (wasi_snapshot_preview1
// `errno`), so wasi-libc's `errno` reads them directly. Syscalls return
// -errno on failure. This file is valid AssemblyScript and TypeScript: the
// kernel and the host both import it.

export const ESUCCESS = 0;
export const E2BIG = 1;
export const EACCES = 2;
export const EADDRINUSE = 3;
export const EADDRNOTAVAIL = 4;
export const EAFNOSUPPORT = 5;
export const EAGAIN = 6;
export const EALREADY = 7;
export const EBADF = 8;
export const EBADMSG = 9;
export const EBUSY = 10;
export const ECANCELED = 11;
export const ECHILD = 12;
export const ECONNABORTED = 13;
export const ECONNREFUSED = 14;
export const ECONNRESET = 15;
export const EDEADLK = 16;
export const EDESTADDRREQ = 17;
export const EDOM = 18;
export const EDQUOT = 19;
export const EEXIST = 20;
export const EFAULT = 21;
export const EFBIG = 22;
export const EHOSTUNREACH = 23;
export const EIDRM = 24;
export const EILSEQ = 25;
export const EINPROGRESS = 26;
export const EINTR = 27;
export const EINVAL = 28;
export const EIO = 29;
export const EISCONN = 30;
export const EISDIR = 31;
export const ELOOP = 32;
export const EMFILE = 33;
export const EMLINK = 34;
export const EMSGSIZE = 35;
export const EMULTIHOP = 36;
export const ENAMETOOLONG = 37;
export const ENETDOWN = 38;
export const ENETRESET = 39;
export const ENETUNREACH = 40;
export const ENFILE = 41;
export const ENOBUFS = 42;
export const ENODEV = 43;
export const ENOENT = 44;
export const ENOEXEC = 45;
export const ENOLCK = 46;
export const ENOLINK = 47;
export const ENOMEM = 48;
export const ENOMSG = 49;
export const ENOPROTOOPT = 50;
export const ENOSPC = 51;
export const ENOSYS = 52;
export const ENOTCONN = 53;
export const ENOTDIR = 54;
export const ENOTEMPTY = 55;
export const ENOTRECOVERABLE = 56;
export const ENOTSOCK = 57;
export const ENOTSUP = 58;
export const ENOTTY = 59;
export const ENXIO = 60;
export const EOVERFLOW = 61;
export const EOWNERDEAD = 62;
export const EPERM = 63;
export const EPIPE = 64;
export const EPROTO = 65;
export const EPROTONOSUPPORT = 66;
export const EPROTOTYPE = 67;
export const ERANGE = 68;
export const EROFS = 69;
export const ESPIPE = 70;
export const ESRCH = 71;
export const ESTALE = 72;
export const ETIMEDOUT = 73;
export const ETXTBSY = 74;
export const EXDEV = 75;
export const ENOTCAPABLE = 76;

// Linux errno names WASI's numbering lacks, for the C layer's <errno.h>
// (programs/c/layer/include/errno.h, checked against this table by
// tests/clayer-errno.test.mjs). The kernel never returns them; their values
// follow WASI's last one. EDEADLOCK is Linux's alias of EDEADLK.
export const ENOTBLK = 77;
export const ECHRNG = 78;
export const EL2NSYNC = 79;
export const EL3HLT = 80;
export const EL3RST = 81;
export const ELNRNG = 82;
export const EUNATCH = 83;
export const ENOCSI = 84;
export const EL2HLT = 85;
export const EBADE = 86;
export const EBADR = 87;
export const EXFULL = 88;
export const ENOANO = 89;
export const EBADRQC = 90;
export const EBADSLT = 91;
export const EBFONT = 92;
export const ENOSTR = 93;
export const ENODATA = 94;
export const ETIME = 95;
export const ENOSR = 96;
export const ENONET = 97;
export const ENOPKG = 98;
export const EREMOTE = 99;
export const EADV = 100;
export const ESRMNT = 101;
export const ECOMM = 102;
export const EDOTDOT = 103;
export const ENOTUNIQ = 104;
export const EBADFD = 105;
export const EREMCHG = 106;
export const ELIBACC = 107;
export const ELIBBAD = 108;
export const ELIBSCN = 109;
export const ELIBMAX = 110;
export const ELIBEXEC = 111;
export const ERESTART = 112;
export const ESTRPIPE = 113;
export const EUSERS = 114;
export const ESOCKTNOSUPPORT = 115;
export const EPFNOSUPPORT = 116;
export const ESHUTDOWN = 117;
export const ETOOMANYREFS = 118;
export const EHOSTDOWN = 119;
export const EUCLEAN = 120;
export const ENOTNAM = 121;
export const ENAVAIL = 122;
export const EISNAM = 123;
export const EREMOTEIO = 124;
export const ENOMEDIUM = 125;
export const EMEDIUMTYPE = 126;
export const ENOKEY = 127;
export const EKEYEXPIRED = 128;
export const EKEYREVOKED = 129;
export const EKEYREJECTED = 130;
export const ERFKILL = 131;
export const EHWPOISON = 132;
export const EDEADLOCK = EDEADLK;

// Kernel-internal results, never seen by a guest: the host acts on them.
/** The call must wait: the task is on a wait queue; park on the wake word, then retry. */
export const KBLOCK = -1000;
/** The process has died (killed, or exited): unwind the guest and stop. */
export const KDEAD = -1001;
/**
 * After a call (k_attention): a handled signal is deliverable; the host runs
 * the guest's trampoline (__wasmux_sigtramp), then asks again.
 */
export const KSIGNAL = -1002;
/** The process is stopped (default action of SIGSTOP & co): the host parks until k_stopped() is 0. */
export const KSTOP = -1003;
/**
 * A blocked call was interrupted by a handled signal and is to be restarted
 * from scratch once the handlers have run (SA_RESTART, a call Linux restarts).
 */
export const KRESTART = -1004;
