// Files, directories and descriptors. Every function returns >= 0 on
// success or -errno; functions that produce objects fill one passed in.
import * as sys from "./sys";
import { encode } from "./utf8";
import { EINTR, ERANGE } from "../../abi/errno";
import {
  O_RDONLY, O_DIRECTORY, O_CLOEXEC, S_IFMT, S_IFDIR, S_IFREG, S_IFIFO, S_IFCHR,
  PATH_MAX,
} from "../../abi/constants";

export function open(path: string, flags: i32, mode: i32 = 0o644): i32 {
  let p = encode(path);
  return sys.open(p.dataStart, p.length, flags, mode);
}

export function close(fd: i32): i32 { return sys.close(fd); }
export function dup(fd: i32): i32 { return sys.dup(fd); }
export function dup2(oldfd: i32, newfd: i32): i32 { return sys.dup2(oldfd, newfd); }
export function fcntl(fd: i32, cmd: i32, arg: i32 = 0): i32 { return sys.fcntl(fd, cmd, arg); }
export function lseek(fd: i32, offset: i64, whence: i32): i64 { return sys.lseek(fd, offset, whence); }
export function ftruncate(fd: i32, length: i64): i32 { return sys.ftruncate(fd, length); }

/** Calls a path syscall with `path` encoded as UTF-8 (pointer, length). */
function pathCall(path: string, call: (path: usize, pathLen: usize) => i32): i32 {
  let p = encode(path);
  return call(p.dataStart, p.length);
}

/** Calls a path syscall that also takes a file mode. */
function pathModeCall(path: string, mode: i32, call: (path: usize, pathLen: usize, mode: i32) => i32): i32 {
  let p = encode(path);
  return call(p.dataStart, p.length, mode);
}

export function mkdir(path: string, mode: i32 = 0o755): i32 { return pathModeCall(path, mode, sys.mkdir); }
export function mkfifo(path: string, mode: i32 = 0o644): i32 { return pathModeCall(path, mode, sys.mkfifo); }
export function rmdir(path: string): i32 { return pathCall(path, sys.rmdir); }
export function unlink(path: string): i32 { return pathCall(path, sys.unlink); }
export function chdir(path: string): i32 { return pathCall(path, sys.chdir); }

export function rename(from: string, to: string): i32 {
  let a = encode(from), b = encode(to);
  return sys.rename(a.dataStart, a.length, b.dataStart, b.length);
}

/** The current directory, or null if the kernel refuses. */
export function getcwd(): string | null {
  let buf = new Uint8Array(256);
  while (true) {
    let n = sys.getcwd(buf.dataStart, buf.length);
    if (n >= 0) return String.UTF8.decodeUnsafe(buf.dataStart, <usize>n);
    if (n != -ERANGE || buf.length >= PATH_MAX) return null;
    buf = new Uint8Array(buf.length * 4);
  }
}

/** The two ends of a pipe; `error` is -errno if pipe() failed. */
export class Pipe {
  reader: i32 = -1;
  writer: i32 = -1;
  error: i32 = 0;
}

/** Creates a pipe (`flags`: O_NONBLOCK, O_CLOEXEC). */
export function pipe(flags: i32 = 0): Pipe {
  let fds = new Int32Array(2);
  let result = new Pipe();
  let err = sys.pipe2(fds.dataStart, flags);
  if (err < 0) {
    result.error = err;
  } else {
    result.reader = fds[0];
    result.writer = fds[1];
  }
  return result;
}

/** What stat() and fstat() report (docs/abi.md, 64 bytes). */
export class Stat {
  dev: u64 = 0;
  ino: u64 = 0;
  mode: u32 = 0;
  nlink: u32 = 0;
  uid: u32 = 0;
  gid: u32 = 0;
  size: u64 = 0;
  mtimeNs: u64 = 0;
  atimeNs: u64 = 0;
  ctimeNs: u64 = 0;

  get isDir(): bool { return (this.mode & S_IFMT) == S_IFDIR; }
  get isFile(): bool { return (this.mode & S_IFMT) == S_IFREG; }
  get isFifo(): bool { return (this.mode & S_IFMT) == S_IFIFO; }
  get isCharDevice(): bool { return (this.mode & S_IFMT) == S_IFCHR; }

  /** Fills the fields from the kernel's record at `ptr`. */
  load(ptr: usize): void {
    this.dev = load<u64>(ptr, 0);
    this.ino = load<u64>(ptr, 8);
    this.mode = load<u32>(ptr, 16);
    this.nlink = load<u32>(ptr, 20);
    this.uid = load<u32>(ptr, 24);
    this.gid = load<u32>(ptr, 28);
    this.size = load<u64>(ptr, 32);
    this.mtimeNs = load<u64>(ptr, 40);
    this.atimeNs = load<u64>(ptr, 48);
    this.ctimeNs = load<u64>(ptr, 56);
  }
}

const STAT_SIZE = 64;

export function stat(path: string, out: Stat): i32 {
  let p = encode(path);
  let record = new Uint8Array(STAT_SIZE);
  let err = sys.stat(p.dataStart, p.length, record.dataStart);
  if (err >= 0) out.load(record.dataStart);
  return err;
}

export function fstat(fd: i32, out: Stat): i32 {
  let record = new Uint8Array(STAT_SIZE);
  let err = sys.fstat(fd, record.dataStart);
  if (err >= 0) out.load(record.dataStart);
  return err;
}

/** Whether `path` exists (stat succeeds). */
export function exists(path: string): bool {
  return stat(path, new Stat()) >= 0;
}

/** Whether `path` exists and is a directory. */
export function isDirectory(path: string): bool {
  let st = new Stat();
  return stat(path, st) >= 0 && st.isDir;
}

/** Raw getdents(): fills `buf` with records; returns bytes written, 0 at the end, or -errno. */
export function getdents(fd: i32, buf: Uint8Array): i32 {
  return sys.getdents(fd, buf.dataStart, buf.length);
}

/** One directory entry as getdents() reports it. */
export class DirEntry {
  constructor(public name: string, public type: u8, public ino: u64) {}
}

/**
 * Appends the entries of directory `path` to `out` ("." and ".." are not
 * listed), unsorted. Returns how many were added, or -errno.
 */
export function readDir(path: string, out: DirEntry[]): i32 {
  let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return fd;
  let buf = new Uint8Array(8192);
  let count = 0;
  while (true) {
    let n = getdents(fd, buf);
    if (n == -EINTR) continue;
    if (n <= 0) {
      close(fd);
      return n < 0 ? n : count;
    }
    count += parseDirents(buf.dataStart, n, out);
  }
}

/** Decodes `len` bytes of getdents records at `ptr`. */
function parseDirents(ptr: usize, len: i32, out: DirEntry[]): i32 {
  let count = 0;
  let offset = 0;
  while (offset < len) {
    let record = ptr + <usize>offset;
    let reclen = <i32>load<u16>(record, 8);
    if (reclen == 0) break; // malformed; never loop forever
    let type = load<u8>(record, 10);
    let nameLen = load<u8>(record, 11);
    let name = String.UTF8.decodeUnsafe(record + 12, <usize>nameLen);
    out.push(new DirEntry(name, type, load<u64>(record)));
    offset += reclen;
    count++;
  }
  return count;
}

/** `dir/name`, without doubling the slash when `dir` ends in one. */
export function joinPath(dir: string, name: string): string {
  if (dir.length == 0) return name;
  return dir.endsWith("/") ? dir + name : dir + "/" + name;
}

/** The last component of `path` ("a/b/" -> "b", "/" -> "/"). */
export function basename(path: string): string {
  let end = path.length;
  while (end > 1 && path.charCodeAt(end - 1) == 0x2f) end--;
  if (end == 1 && path.charCodeAt(0) == 0x2f) return "/";
  let slash = path.lastIndexOf("/", end - 1);
  return path.substring(slash + 1, end);
}

/** True when `fd` is a terminal: a character device that cannot seek (as wasi-libc decides). */
export function isatty(fd: i32): bool {
  const buf = memory.data(24);
  if (sys.fd_fdstat_get(fd, buf) != 0) return false;
  const RIGHT_SEEK: u64 = 1 << 2;
  return load<u8>(buf) == 2 && (load<u64>(buf + 8) & RIGHT_SEEK) == 0;
}
