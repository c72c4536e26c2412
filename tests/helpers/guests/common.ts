// Shared by the test guests: result lines "label value" where a negative
// syscall result is printed as its errno name (EBADF, EPIPE, ...).
import {
  stdout, exit, args,
  EBADF, EFAULT, EINVAL, EAGAIN, EPIPE, ENXIO, ESPIPE, EMFILE, ECHILD, ENOENT,
  ENOTEMPTY, EEXIST, ENOTDIR, EISDIR, ENOEXEC, ESRCH, EPERM, ENAMETOOLONG, E2BIG,
  ERANGE, EBUSY, EINTR, ENOMEM, ENOSYS, EACCES, EFBIG, ENOSPC,
} from "../../../programs/lib";

export function ename(r: i64): string {
  if (r >= 0) return r.toString();
  switch (<i32>(-r)) {
    case EBADF: return "EBADF";
    case EFAULT: return "EFAULT";
    case EINVAL: return "EINVAL";
    case EAGAIN: return "EAGAIN";
    case EPIPE: return "EPIPE";
    case ENXIO: return "ENXIO";
    case ESPIPE: return "ESPIPE";
    case EMFILE: return "EMFILE";
    case ECHILD: return "ECHILD";
    case ENOENT: return "ENOENT";
    case ENOTEMPTY: return "ENOTEMPTY";
    case EEXIST: return "EEXIST";
    case ENOTDIR: return "ENOTDIR";
    case EISDIR: return "EISDIR";
    case ENOEXEC: return "ENOEXEC";
    case ESRCH: return "ESRCH";
    case EPERM: return "EPERM";
    case ENAMETOOLONG: return "ENAMETOOLONG";
    case E2BIG: return "E2BIG";
    case ERANGE: return "ERANGE";
    case EBUSY: return "EBUSY";
    case EINTR: return "EINTR";
    case ENOMEM: return "ENOMEM";
    case ENOSYS: return "ENOSYS";
    case EACCES: return "EACCES";
    case EFBIG: return "EFBIG";
    case ENOSPC: return "ENOSPC";
  }
  return "E" + (-r).toString();
}

/** Prints "label value" (value: a number, or the errno name when negative). */
export function out(label: string, r: i64): void {
  stdout.line(label + " " + ename(r));
  stdout.flush();
}

/** Prints "label text". */
export function say(label: string, text: string): void {
  stdout.line(label + " " + text);
  stdout.flush();
}

export function argv(): string[] { return args(); }

export function done(code: i32 = 0): void { exit(code); }
