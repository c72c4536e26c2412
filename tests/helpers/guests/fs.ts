// tmpfs: `fs <case>`; results as "label value" lines.
import {
  args, exit, open, close, lseek, ftruncate, fstat, stat, Stat, unlink, mkdir, rmdir, rename,
  chdir, getcwd, readFile_, O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_EXCL, O_TRUNC, O_APPEND,
  O_DIRECTORY, SEEK_SET, SEEK_CUR, SEEK_END, S_IFMT,
} from "./imports";
import * as sys from "../../../programs/lib/sys";
import { out, say } from "./common";

const a = args();
const what = a.length > 1 ? a[1] : "";
let buf = new Uint8Array(4096);

function writeStr(fd: i32, s: string): i32 {
  let b = String.UTF8.encode(s);
  return sys.write(fd, changetype<usize>(b), <usize>b.byteLength);
}
function readN(fd: i32, n: i32): string {
  let r = sys.read(fd, buf.dataStart, <usize>n);
  if (r < 0) return "<" + r.toString() + ">";
  let s = "";
  for (let i = 0; i < r; i++) s += buf[i] == 0 ? "\\0" : String.fromCharCode(buf[i]);
  return s;
}
function st(path: string): Stat { let s = new Stat(); let r = stat(path, s); if (r < 0) s.mode = 0xffffffff; return s; }

if (what == "rw") {
  let f = open("/tmp/fs-rw", O_RDWR | O_CREAT | O_TRUNC);
  out("open", f >= 0 ? 0 : f);
  out("write", writeStr(f, "hello world"));
  out("tell", lseek(f, 0, SEEK_CUR));
  out("seek-set", lseek(f, 0, SEEK_SET));
  say("read5", readN(f, 5));
  out("seek-end-5", lseek(f, -5, SEEK_END));
  say("read-rest", readN(f, 100));
  say("read-at-eof", readN(f, 100));
  out("truncate-5", ftruncate(f, 5));
  let s = new Stat();
  fstat(f, s);
  out("size-after-truncate", <i64>s.size);
  out("seek-end", lseek(f, 0, SEEK_END));
  out("seek-past", lseek(f, 8, SEEK_SET));
  out("write-past", writeStr(f, "X"));
  fstat(f, s);
  out("size-with-hole", <i64>s.size);
  lseek(f, 0, SEEK_SET);
  say("content", readN(f, 100));
  out("truncate-grow", ftruncate(f, 12));
  fstat(f, s);
  out("size-grown", <i64>s.size);
  out("truncate-neg", ftruncate(f, -1));
  close(f);
  let ro = open("/tmp/fs-rw", O_RDONLY);
  out("truncate-rdonly", ftruncate(ro, 0));
  out("write-rdonly", writeStr(ro, "no"));
  close(ro);
  let wo = open("/tmp/fs-rw", O_WRONLY);
  out("read-wronly", sys.read(wo, buf.dataStart, 10));
  close(wo);
  let ap = open("/tmp/fs-rw", O_WRONLY | O_APPEND);
  lseek(ap, 0, SEEK_SET);
  writeStr(ap, "END");
  close(ap);
  say("appended", readFile_("/tmp/fs-rw").replaceAll("\0", "\\0"));
  out("excl-existing", open("/tmp/fs-rw", O_WRONLY | O_CREAT | O_EXCL));
  out("open-missing", open("/tmp/fs-missing", O_RDONLY));
  out("open-trunc", close(open("/tmp/fs-rw", O_WRONLY | O_TRUNC)));
  out("size-after-o_trunc", <i64>st("/tmp/fs-rw").size);
  exit(0);
} else if (what == "stat") {
  close(open("/tmp/fs-a", O_WRONLY | O_CREAT | O_TRUNC));
  close(open("/tmp/fs-b", O_WRONLY | O_CREAT | O_TRUNC));
  let x = st("/tmp/fs-a"), y = st("/tmp/fs-b");
  out("ino-distinct", x.ino != y.ino && x.ino != 0 ? 0 : -1);
  let f = open("/tmp/fs-a", O_RDONLY);
  let z = new Stat();
  fstat(f, z);
  out("fstat-same-ino", z.ino == x.ino ? 0 : -1);
  close(f);
  say("mode-file", ((x.mode & S_IFMT) >> 12).toString() + " " + x.isFile.toString());
  out("nlink-file", x.nlink);
  mkdir("/tmp/fs-dir");
  let d = st("/tmp/fs-dir");
  say("mode-dir", d.isDir.toString());
  out("ino-dir-distinct", d.ino != x.ino && d.ino != y.ino ? 0 : -1);
  say("mode-devnull", st("/dev/null").isCharDevice.toString());
  say("mode-devzero", st("/dev/zero").isCharDevice.toString());
  say("mode-root", st("/").isDir.toString());
  let s = new Stat();
  out("stat-missing", stat("/tmp/no-such", s));
  out("stat-through-file", stat("/tmp/fs-a/x", s));
  let w = open("/tmp/fs-a", O_WRONLY);
  writeStr(w, "12345");
  close(w);
  out("size", <i64>st("/tmp/fs-a").size);
  rmdir("/tmp/fs-dir");
  exit(0);
} else if (what == "dirs") {
  out("mkdir", mkdir("/tmp/fs-d"));
  out("mkdir-again", mkdir("/tmp/fs-d"));
  out("mkdir-noparent", mkdir("/tmp/fs-nope/x"));
  out("mkdir-nested", mkdir("/tmp/fs-d/sub"));
  close(open("/tmp/fs-d/file", O_WRONLY | O_CREAT));
  out("rmdir-notempty", rmdir("/tmp/fs-d"));
  out("rmdir-file", rmdir("/tmp/fs-d/file"));
  out("unlink-dir", unlink("/tmp/fs-d/sub"));
  out("rmdir-sub", rmdir("/tmp/fs-d/sub"));
  out("unlink-file", unlink("/tmp/fs-d/file"));
  out("unlink-again", unlink("/tmp/fs-d/file"));
  out("rmdir", rmdir("/tmp/fs-d"));
  out("rmdir-gone", rmdir("/tmp/fs-d"));
  out("open-dir-write", open("/tmp", O_WRONLY));
  out("open-file-as-dir", open("/dev/null", O_RDONLY | O_DIRECTORY));
  // cwd and relative paths
  mkdir("/tmp/fs-cwd");
  out("chdir", chdir("/tmp/fs-cwd"));
  say("cwd", getcwd()!);
  close(open("rel", O_WRONLY | O_CREAT));
  out("relative-created", stat("/tmp/fs-cwd/rel", new Stat()));
  out("chdir-dotdot", chdir(".."));
  say("cwd-up", getcwd()!);
  out("chdir-file", chdir("/dev/null"));
  out("chdir-missing", chdir("/nope"));
  let small = new Uint8Array(2);
  out("getcwd-small", sys.getcwd(small.dataStart, 2));
  unlink("/tmp/fs-cwd/rel"); rmdir("/tmp/fs-cwd");
  exit(0);
} else if (what == "rename") {
  let f = open("/tmp/fs-r1", O_WRONLY | O_CREAT | O_TRUNC);
  writeStr(f, "one");
  close(f);
  let ino = st("/tmp/fs-r1").ino;
  out("rename", rename("/tmp/fs-r1", "/tmp/fs-r2"));
  out("old-gone", stat("/tmp/fs-r1", new Stat()));
  say("new-content", readFile_("/tmp/fs-r2"));
  out("same-ino", st("/tmp/fs-r2").ino == ino ? 0 : -1);
  f = open("/tmp/fs-r3", O_WRONLY | O_CREAT | O_TRUNC);
  writeStr(f, "three");
  close(f);
  out("rename-over", rename("/tmp/fs-r2", "/tmp/fs-r3"));
  say("replaced-content", readFile_("/tmp/fs-r3"));
  out("rename-missing", rename("/tmp/fs-r1", "/tmp/fs-r9"));
  mkdir("/tmp/fs-rd"); mkdir("/tmp/fs-rd/in");
  out("rename-into-self", rename("/tmp/fs-rd", "/tmp/fs-rd/in/x"));
  out("rename-dir", rename("/tmp/fs-rd", "/tmp/fs-rd2"));
  out("moved-child", stat("/tmp/fs-rd2/in", new Stat()));
  out("rename-file-into-dir", rename("/tmp/fs-r3", "/tmp/fs-rd2/in/r3"));
  say("moved-content", readFile_("/tmp/fs-rd2/in/r3"));
  exit(0);
} else if (what == "dev") {
  let n = open("/dev/null", O_RDWR);
  out("null-write", writeStr(n, "discarded"));
  out("null-read", sys.read(n, buf.dataStart, 100));
  let z = open("/dev/zero", O_RDONLY);
  buf.fill(0x55);
  out("zero-read", sys.read(z, buf.dataStart, 4096));
  let nz = 0;
  for (let i = 0; i < 4096; i++) if (buf[i] != 0) nz++;
  out("zero-nonzero-bytes", nz);
  exit(0);
} else if (what == "getdents") {
  mkdir("/tmp/fs-gd");
  for (let i = 0; i < 20; i++) close(open("/tmp/fs-gd/entry-with-a-long-name-" + i.toString(), O_WRONLY | O_CREAT));
  let d = open("/tmp/fs-gd", O_RDONLY | O_DIRECTORY);
  out("open-dir", d >= 0 ? 0 : d);
  let tiny = new Uint8Array(8);
  out("getdents-tiny", sys.getdents(d, tiny.dataStart, 8));
  let total = 0, calls = 0;
  while (true) {
    let n = sys.getdents(d, buf.dataStart, 200);
    if (n <= 0) { out("getdents-end", n); break; }
    calls++;
    let off = 0;
    while (off < n) { total++; off += <i32>load<u16>(buf.dataStart + <usize>off, 8); }
  }
  out("entries", total);
  out("several-calls", calls > 1 ? 0 : -1);
  exit(0);
}
say("unknown-case", what);
exit(2);
