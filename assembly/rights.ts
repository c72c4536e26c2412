// WASI rights of a descriptor (fd_fdstat_get, fd_fdstat_set_rights,
// path_open's requested rights). What a descriptor may do is, as in
// uvwasi and the old wasi-common, what its file type can do (a directory
// lists and opens, a regular file reads, writes and seeks, a terminal
// cannot seek: wasi-libc's isatty tells a tty by that) less the right its
// access mode excludes (fd_write when open read-only, fd_read when open
// write-only), less what the guest gave up: fd_fdstat_set_rights can only
// shrink them, and path_open keeps only the rights it asked for. The given-up
// rights are kept in the descriptor slot (file.ts); a call that needs one
// of them is ENOTCAPABLE. A call whose right the type merely lacks goes on
// to the operation, which answers as Linux does (EBADF for a write to a
// read-only file, ESPIPE for pread on a pipe), so C programs see the errnos
// they expect. WASI rights are 30 bits: they fit the u32 masks used here.

import { O_ACCMODE, O_RDONLY, O_WRONLY } from "../abi/constants";
import { File, FT_REG, FT_DIR, FT_HOST, FT_HOSTDIR, FT_NULL, FT_ZERO, FT_CONSOLE, fops } from "./file";
import { HF_STREAM } from "./mount";

export const RIGHT_FD_DATASYNC: u32 = 1 << 0;
export const RIGHT_FD_READ: u32 = 1 << 1;
export const RIGHT_FD_SEEK: u32 = 1 << 2;
export const RIGHT_FD_FDSTAT_SET_FLAGS: u32 = 1 << 3;
export const RIGHT_FD_SYNC: u32 = 1 << 4;
export const RIGHT_FD_TELL: u32 = 1 << 5;
export const RIGHT_FD_WRITE: u32 = 1 << 6;
export const RIGHT_FD_ADVISE: u32 = 1 << 7;
export const RIGHT_FD_ALLOCATE: u32 = 1 << 8;
export const RIGHT_PATH_CREATE_DIRECTORY: u32 = 1 << 9;
export const RIGHT_PATH_CREATE_FILE: u32 = 1 << 10;
export const RIGHT_PATH_LINK_SOURCE: u32 = 1 << 11;
export const RIGHT_PATH_LINK_TARGET: u32 = 1 << 12;
export const RIGHT_PATH_OPEN: u32 = 1 << 13;
export const RIGHT_FD_READDIR: u32 = 1 << 14;
export const RIGHT_PATH_READLINK: u32 = 1 << 15;
export const RIGHT_PATH_RENAME_SOURCE: u32 = 1 << 16;
export const RIGHT_PATH_RENAME_TARGET: u32 = 1 << 17;
export const RIGHT_PATH_FILESTAT_GET: u32 = 1 << 18;
export const RIGHT_PATH_FILESTAT_SET_SIZE: u32 = 1 << 19;
export const RIGHT_PATH_FILESTAT_SET_TIMES: u32 = 1 << 20;
export const RIGHT_FD_FILESTAT_GET: u32 = 1 << 21;
export const RIGHT_FD_FILESTAT_SET_SIZE: u32 = 1 << 22;
export const RIGHT_FD_FILESTAT_SET_TIMES: u32 = 1 << 23;
export const RIGHT_PATH_SYMLINK: u32 = 1 << 24;
export const RIGHT_PATH_REMOVE_DIRECTORY: u32 = 1 << 25;
export const RIGHT_PATH_UNLINK_FILE: u32 = 1 << 26;
export const RIGHT_POLL_FD_READWRITE: u32 = 1 << 27;
export const RIGHT_SOCK_SHUTDOWN: u32 = 1 << 28;
export const RIGHT_SOCK_ACCEPT: u32 = 1 << 29;

/** What a regular file can do. */
export const RIGHTS_FILE: u32 = RIGHT_FD_DATASYNC | RIGHT_FD_READ | RIGHT_FD_SEEK | RIGHT_FD_FDSTAT_SET_FLAGS
  | RIGHT_FD_SYNC | RIGHT_FD_TELL | RIGHT_FD_WRITE | RIGHT_FD_ADVISE | RIGHT_FD_ALLOCATE
  | RIGHT_FD_FILESTAT_GET | RIGHT_FD_FILESTAT_SET_SIZE | RIGHT_FD_FILESTAT_SET_TIMES | RIGHT_POLL_FD_READWRITE;

/** What a directory can do (no reads, writes or seeks of its own). */
export const RIGHTS_DIR: u32 = RIGHT_FD_FDSTAT_SET_FLAGS | RIGHT_FD_SYNC | RIGHT_FD_ADVISE
  | RIGHT_PATH_CREATE_DIRECTORY | RIGHT_PATH_CREATE_FILE | RIGHT_PATH_LINK_SOURCE | RIGHT_PATH_LINK_TARGET
  | RIGHT_PATH_OPEN | RIGHT_FD_READDIR | RIGHT_PATH_READLINK | RIGHT_PATH_RENAME_SOURCE
  | RIGHT_PATH_RENAME_TARGET | RIGHT_PATH_FILESTAT_GET | RIGHT_PATH_FILESTAT_SET_SIZE
  | RIGHT_PATH_FILESTAT_SET_TIMES | RIGHT_FD_FILESTAT_GET | RIGHT_FD_FILESTAT_SET_TIMES | RIGHT_PATH_SYMLINK
  | RIGHT_PATH_REMOVE_DIRECTORY | RIGHT_PATH_UNLINK_FILE | RIGHT_POLL_FD_READWRITE;

/** What a directory hands down to what path_open opens below it: everything a file or directory can do. */
export const RIGHTS_DIR_INHERITING: u32 = RIGHTS_DIR | RIGHTS_FILE;

/** A stream (pipe, FIFO, terminal, host FIFO or device): a file without positions. */
export const RIGHTS_STREAM: u32 = RIGHTS_FILE & ~(RIGHT_FD_SEEK | RIGHT_FD_TELL);

/** Every right WASI defines. */
export const RIGHTS_ALL: u32 = (1 << 30) - 1;

/** The base rights of `f`'s type and access mode, before anything is given up. */
export function typeRights(f: File): u32 {
  let r: u32;
  const t = f.type;
  if (t == FT_DIR || t == FT_HOSTDIR) r = RIGHTS_DIR;
  else if (t == FT_REG || t == FT_NULL || t == FT_ZERO) r = RIGHTS_FILE;   // lseek on a device is fine (Linux)
  else if (t == FT_HOST) r = (f.flags & HF_STREAM) != 0 ? RIGHTS_STREAM : RIGHTS_FILE;
  else r = RIGHTS_STREAM;   // pipes, FIFOs, the console (a terminal or a host pipe)
  if (t == FT_CONSOLE && fops(f).filetype(f) == 2) r &= ~(RIGHT_FD_ALLOCATE | RIGHT_FD_FILESTAT_SET_SIZE);
  const acc = f.flags & O_ACCMODE;
  if (acc == O_RDONLY) r &= ~RIGHT_FD_WRITE;
  else if (acc == O_WRONLY) r &= ~(RIGHT_FD_READ | RIGHT_FD_READDIR);
  return r;
}

/** The inheriting rights of `f`'s type: what a directory passes on; nothing for other files. */
export function typeInheriting(f: File): u32 {
  return f.type == FT_DIR || f.type == FT_HOSTDIR ? RIGHTS_DIR_INHERITING : 0;
}
