// Descriptor table semantics: `fds <case>`; argv[0] is this program's path.
import {
  args, exit, open, close, dup, dup2, fcntl, lseek, pipe, spawn, waitpid, FileAction, fstat, Stat,
  O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_TRUNC, O_CLOEXEC, O_NONBLOCK, O_APPEND,
  F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_SETFD, F_GETFL, F_SETFL, FD_CLOEXEC, SEEK_SET, SEEK_CUR,
} from "../../../programs/lib";
import * as sys from "../../../programs/lib/sys";
import { out, say } from "./common";

const a = args();
const self = a[0];
const what = a.length > 1 ? a[1] : "";
let buf = new Uint8Array(256);

function writeStr(fd: i32, s: string): i32 {
  let b = String.UTF8.encode(s);
  return sys.write(fd, changetype<usize>(b), <usize>b.byteLength);
}
function readStr(fd: i32): string {
  let n = sys.read(fd, buf.dataStart, 256);
  return n <= 0 ? "<" + n.toString() + ">" : String.UTF8.decodeUnsafe(buf.dataStart, <usize>n);
}

if (what == "probe") {
  // probe fd...: fstat each fd in the child; prints "fd<N> ok|EBADF".
  let st = new Stat();
  for (let i = 2; i < a.length; i++) out("fd" + a[i], fstat(I32.parseInt(a[i], 10), st));
  exit(0);
} else if (what == "dup") {
  // Lowest free descriptor, dup, dup2 redirection.
  let f = open("/dev/null", O_RDONLY);
  out("open-lowest", f);
  out("dup", dup(1));
  out("close3", close(3));
  out("dup-reuses-3", dup(1));
  out("close3b", close(3));
  out("close4", close(4));
  let file = open("/tmp/fds-redir", O_RDWR | O_CREAT | O_TRUNC);
  out("open-file", file);
  let saved = dup(1);
  out("saved", saved);
  let r1 = dup2(file, 1);
  writeStr(1, "into-the-file\n");
  let r2 = dup2(saved, 1);
  out("dup2-to-1", r1);
  out("dup2-restore", r2);
  close(saved);
  out("dup2-same", dup2(file, file));
  out("dup2-badold", dup2(77, 5));
  out("dup2-negnew", dup2(1, -1));
  out("dup2-hugenew", dup2(1, 100000));
  // dup2 onto an open fd closes it first; both names share one offset.
  out("lseek-0", lseek(file, 0, SEEK_SET));
  say("file", readStr(file));
  let d = dup(file);
  out("shared-offset-set", lseek(file, 5, SEEK_SET));
  out("shared-offset-seen", lseek(d, 0, SEEK_CUR));
  exit(0);
} else if (what == "fcntl") {
  let p = pipe();
  out("getfl-r", fcntl(p.reader, F_GETFL));
  out("getfl-w", fcntl(p.writer, F_GETFL));
  out("setfl-nb", fcntl(p.reader, F_SETFL, O_NONBLOCK));
  out("getfl-r-nb", fcntl(p.reader, F_GETFL));
  out("read-nb", sys.read(p.reader, buf.dataStart, 10));
  out("setfl-clear", fcntl(p.reader, F_SETFL, 0));
  out("getfl-r-clear", fcntl(p.reader, F_GETFL));
  let f = open("/tmp/fds-append", O_WRONLY | O_CREAT | O_TRUNC);
  out("setfl-append", fcntl(f, F_SETFL, O_APPEND));
  out("getfl-append", fcntl(f, F_GETFL));
  out("getfd", fcntl(p.reader, F_GETFD));
  out("setfd", fcntl(p.reader, F_SETFD, FD_CLOEXEC));
  out("getfd-set", fcntl(p.reader, F_GETFD));
  out("setfd-clear", fcntl(p.reader, F_SETFD, 0));
  out("getfd-clear", fcntl(p.reader, F_GETFD));
  let q = pipe(O_CLOEXEC);
  out("getfd-o_cloexec", fcntl(q.reader, F_GETFD));
  let c = open("/dev/null", O_RDONLY | O_CLOEXEC);
  out("getfd-open-cloexec", fcntl(c, F_GETFD));
  out("dupfd-10", fcntl(p.writer, F_DUPFD, 10));
  out("dupfd-10-again", fcntl(p.writer, F_DUPFD, 10));
  out("dupfd-0", fcntl(p.writer, F_DUPFD, 0));
  let dc = fcntl(p.writer, F_DUPFD_CLOEXEC, 20);
  out("dupfd-cloexec", dc);
  out("dupfd-cloexec-getfd", fcntl(dc, F_GETFD));
  out("dup-clears-cloexec", fcntl(dup(c), F_GETFD));
  out("dupfd-neg", fcntl(p.writer, F_DUPFD, -1));
  out("fcntl-badcmd", fcntl(p.writer, 9999));
  out("fcntl-badfd", fcntl(99, F_GETFD));
  // Close-on-exec descriptors do not reach a child; the others do.
  let plain = open("/dev/null", O_RDONLY);
  say("fds", "plain=" + plain.toString() + " cloexec=" + c.toString() + " dupcloexec=" + dc.toString());
  let pid = spawn(self, [self, "probe", plain.toString(), c.toString(), dc.toString(), q.reader.toString(), p.reader.toString()], []);
  out("child", waitpid(pid).status);
  exit(0);
} else if (what == "lseek") {
  let p = pipe();
  out("lseek-pipe-r", lseek(p.reader, 0, SEEK_CUR));
  out("lseek-pipe-w", lseek(p.writer, 0, SEEK_SET));
  out("lseek-badfd", lseek(55, 0, SEEK_SET));
  let f = open("/tmp/fds-seek", O_RDWR | O_CREAT | O_TRUNC);
  writeStr(f, "0123456789");
  out("lseek-badwhence", lseek(f, 0, 9));
  out("lseek-negative", lseek(f, -100, SEEK_SET));
  out("lseek-end-minus", lseek(f, -3, 2));
  say("read", readStr(f));
  exit(0);
} else if (what == "emfile") {
  // Fill the table (boot with maxFds: 32): fds 0..2 are open.
  let last = 0, count = 0;
  while (true) {
    let r = dup(0);
    if (r < 0) { out("dup-fails", r); break; }
    last = r; count++;
    if (count > 10000) break;
  }
  out("highest", last);
  out("count", count);
  out("open-full", open("/dev/null", O_RDONLY));
  let pb = new Int32Array(2);
  out("pipe-full", sys.pipe2(pb.dataStart, 0));
  out("fdupfd-full", fcntl(0, F_DUPFD, 0));
  // Lowest free: close 7 and 20; next dup gets 7, then 20.
  close(20); close(7);
  out("reuse-lowest", dup(0));
  out("reuse-next", dup(0));
  out("after", dup(0));
  // One free slot is not enough for a pipe (needs two).
  close(9);
  out("pipe-one-slot", sys.pipe2(pb.dataStart, 0));
  out("slot-still-free", dup(0));
  exit(0);
}
say("unknown-case", what);
exit(2);
