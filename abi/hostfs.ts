// Requests from the kernel to the host's file system, for names below a
// mount point: the operation codes and the request layout, shared by the
// kernel (assembly/mount.ts writes requests) and the host (host/hostfs.ts
// reads them). Valid AssemblyScript and TypeScript.

export const HOST_OPEN = 1;
export const HOST_CLOSE = 2;
export const HOST_READ = 3;
export const HOST_WRITE = 4;
export const HOST_STAT = 5;
export const HOST_FSTAT = 6;
export const HOST_MKDIR = 7;
export const HOST_RMDIR = 8;
export const HOST_UNLINK = 9;
export const HOST_RENAME = 10;
export const HOST_READDIR = 11;
export const HOST_TRUNCATE = 12;
export const HOST_READFILE = 13;
// Links (#12): SYMLINK makes PATH a link to the bytes PATH2; READLINK answers
// the target in R_OUT (the length is the result); LINK makes PATH2 a second
// name of PATH (R_FLAGS HOST_NOFOLLOW: a final link of PATH is linked itself).
export const HOST_SYMLINK = 14;
export const HOST_READLINK = 15;
export const HOST_LINK = 16;
// FDPATH: the current path of the open directory R_FD below R_ROOT, in
// R_OUT (the length is the result; ENOSYS where the host cannot tell).
export const HOST_FDPATH = 17;
// Times and sync (the wasifd part of #12): FUTIMES/UTIMES set atime (R_POS)
// and/or mtime (R_POS2), in ns since the epoch, as R_FLAGS bits 1 and 2 say
// (UTIMES: with HOST_NOFOLLOW, of a final link itself); FSYNC flushes a
// descriptor (R_POS 1: data only, fdatasync).
export const HOST_FUTIMES = 20;   // (14-19 left to the namespace part)
export const HOST_UTIMES = 21;
export const HOST_FSYNC = 22;

// STAT and LINK flags: act on a final symlink itself (lstat, link without AT_SYMLINK_FOLLOW).
export const HOST_NOFOLLOW = 0x100;

// What an OPEN answers in the first byte of R_OUT: a regular file (reads and
// writes at positions), a directory, or a stream (FIFO, device, socket: no
// positions; its host descriptor is non-blocking and EAGAIN means "retry").
export const HOST_KIND_FILE = 0;
export const HOST_KIND_DIR = 1;
export const HOST_KIND_STREAM = 2;

// Byte offsets in a 64-byte request.
export const R_OP = 0;        // i32
export const R_FD = 4;        // i32 host descriptor (READDIR: of the open directory)
export const R_FLAGS = 8;     // i32 open flags (Linux values)
export const R_MODE = 12;     // i32 mode; READFILE: bytes wanted
export const R_POS = 16;      // i64 position (-1: a stream); READDIR: the cookie to list after (0: all); TRUNCATE: length
export const R_UPTR = 24;     // u32 guest buffer
export const R_POS2 = 24;     // i64 FUTIMES/UTIMES: mtime (in place of UPTR and ULEN)
export const R_ULEN = 28;     // u32 its length
export const R_PATH = 32;     // u32 kernel address of the host path
export const R_PATHLEN = 36;
export const R_PATH2 = 40;    // RENAME, LINK: the new path; SYMLINK: the target
export const R_PATH2LEN = 44;
export const R_OUT = 48;      // u32 kernel buffer for answers (stat records, entries)
export const R_OUTCAP = 52;
export const R_ROOT = 56;     // the mount's host directory: requests stay inside it
export const R_ROOTLEN = 60;
