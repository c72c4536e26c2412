// strerror(): the messages for the errno values of abi/errno.ts. The
// numbering is WASI's, not Linux's, so we switch on the named constants
// rather than index a table.
import {
  E2BIG, EACCES, EADDRINUSE, EADDRNOTAVAIL, EAFNOSUPPORT, EAGAIN, EALREADY,
  EBADF, EBADMSG, EBUSY, ECANCELED, ECHILD, ECONNABORTED, ECONNREFUSED,
  ECONNRESET, EDEADLK, EDESTADDRREQ, EDOM, EDQUOT, EEXIST, EFAULT, EFBIG,
  EHOSTUNREACH, EIDRM, EILSEQ, EINPROGRESS, EINTR, EINVAL, EIO, EISCONN,
  EISDIR, ELOOP, EMFILE, EMLINK, EMSGSIZE, EMULTIHOP, ENAMETOOLONG, ENETDOWN,
  ENETRESET, ENETUNREACH, ENFILE, ENOBUFS, ENODEV, ENOENT, ENOEXEC, ENOLCK,
  ENOLINK, ENOMEM, ENOMSG, ENOPROTOOPT, ENOSPC, ENOSYS, ENOTCONN, ENOTDIR,
  ENOTEMPTY, ENOTRECOVERABLE, ENOTSOCK, ENOTSUP, ENOTTY, ENXIO, EOVERFLOW,
  EOWNERDEAD, EPERM, EPIPE, EPROTO, EPROTONOSUPPORT, EPROTOTYPE, ERANGE, EROFS,
  ESPIPE, ESRCH, ESTALE, ETIMEDOUT, ETXTBSY, EXDEV, ENOTCAPABLE, ESUCCESS,
} from "../../abi/errno";

/** The message for an errno value; accepts `e` or `-e` (as syscalls return it). */
export function strerror(errno: i32): string {
  switch (errno < 0 ? -errno : errno) {
    case ESUCCESS: return "Success";
    case E2BIG: return "Argument list too long";
    case EACCES: return "Permission denied";
    case EADDRINUSE: return "Address already in use";
    case EADDRNOTAVAIL: return "Address not available";
    case EAFNOSUPPORT: return "Address family not supported";
    case EAGAIN: return "Resource temporarily unavailable";
    case EALREADY: return "Operation already in progress";
    case EBADF: return "Bad file descriptor";
    case EBADMSG: return "Bad message";
    case EBUSY: return "Device or resource busy";
    case ECANCELED: return "Operation canceled";
    case ECHILD: return "No child processes";
    case ECONNABORTED: return "Connection aborted";
    case ECONNREFUSED: return "Connection refused";
    case ECONNRESET: return "Connection reset by peer";
    case EDEADLK: return "Resource deadlock avoided";
    case EDESTADDRREQ: return "Destination address required";
    case EDOM: return "Numerical argument out of domain";
    case EDQUOT: return "Disk quota exceeded";
    case EEXIST: return "File exists";
    case EFAULT: return "Bad address";
    case EFBIG: return "File too large";
    case EHOSTUNREACH: return "No route to host";
    case EIDRM: return "Identifier removed";
    case EILSEQ: return "Invalid or incomplete multibyte or wide character";
    case EINPROGRESS: return "Operation now in progress";
    case EINTR: return "Interrupted system call";
    case EINVAL: return "Invalid argument";
    case EIO: return "Input/output error";
    case EISCONN: return "Transport endpoint is already connected";
    case EISDIR: return "Is a directory";
    case ELOOP: return "Too many levels of symbolic links";
    case EMFILE: return "Too many open files";
    case EMLINK: return "Too many links";
    case EMSGSIZE: return "Message too long";
    case EMULTIHOP: return "Multihop attempted";
    case ENAMETOOLONG: return "File name too long";
    case ENETDOWN: return "Network is down";
    case ENETRESET: return "Network dropped connection on reset";
    case ENETUNREACH: return "Network is unreachable";
    case ENFILE: return "Too many open files in system";
    case ENOBUFS: return "No buffer space available";
    case ENODEV: return "No such device";
    case ENOENT: return "No such file or directory";
    case ENOEXEC: return "Exec format error";
    case ENOLCK: return "No locks available";
    case ENOLINK: return "Link has been severed";
    case ENOMEM: return "Cannot allocate memory";
    case ENOMSG: return "No message of desired type";
    case ENOPROTOOPT: return "Protocol not available";
    case ENOSPC: return "No space left on device";
    case ENOSYS: return "Function not implemented";
    case ENOTCONN: return "Transport endpoint is not connected";
    case ENOTDIR: return "Not a directory";
    case ENOTEMPTY: return "Directory not empty";
    case ENOTRECOVERABLE: return "State not recoverable";
    case ENOTSOCK: return "Socket operation on non-socket";
    case ENOTSUP: return "Operation not supported";
    case ENOTTY: return "Inappropriate ioctl for device";
    case ENXIO: return "No such device or address";
    case EOVERFLOW: return "Value too large for defined data type";
    case EOWNERDEAD: return "Owner died";
    case EPERM: return "Operation not permitted";
    case EPIPE: return "Broken pipe";
    case EPROTO: return "Protocol error";
    case EPROTONOSUPPORT: return "Protocol not supported";
    case EPROTOTYPE: return "Protocol wrong type for socket";
    case ERANGE: return "Numerical result out of range";
    case EROFS: return "Read-only file system";
    case ESPIPE: return "Illegal seek";
    case ESRCH: return "No such process";
    case ESTALE: return "Stale file handle";
    case ETIMEDOUT: return "Connection timed out";
    case ETXTBSY: return "Text file busy";
    case EXDEV: return "Invalid cross-device link";
    case ENOTCAPABLE: return "Capabilities insufficient";
  }
  return "Unknown error " + errno.toString();
}
