// FIFO semantics: `fifo <case> <path>`; argv[0] is this program's path.
import {
  args, exit, open, close, mkfifo, unlink, stat, Stat, spawn, waitpid, nanosleep,
  O_RDONLY, O_WRONLY, O_NONBLOCK, O_CREAT, WNOHANG,
} from "../../../programs/lib";
import * as sys from "../../../programs/lib/sys";
import { out, say, waitPath } from "./common";

const a = args();
const self = a[0];
const what = a.length > 1 ? a[1] : "";
const path = a.length > 2 ? a[2] : "/tmp/fifo";
let buf = new Uint8Array(256);

function str(n: i32): string { return n <= 0 ? "" : String.UTF8.decodeUnsafe(buf.dataStart, <usize>n); }
function touch(p: string): void { close(open(p, O_WRONLY | O_CREAT)); }
function exists(p: string): bool { let st = new Stat(); return stat(p, st) == 0; }

// The rendezvous is checked by order, not by time: a child marks that it is
// about to open ("<path>.started"); the parent waits for that, pauses (time
// for a broken open to fall through), marks that it opens its end
// ("<path>.opening") and opens. A child whose open returned must see that mark.

if (what == "reader") {
  // Opens the FIFO for reading (blocks until a writer comes), reads to EOF.
  touch(path + ".started");
  let fd = open(path, O_RDONLY);
  out("reader-open", fd >= 0 ? 0 : fd);
  say("reader-after-writer", exists(path + ".opening") ? "yes" : "no");
  let got = "";
  while (true) { let n = sys.read(fd, buf.dataStart, 256); if (n <= 0) break; got += str(n); }
  say("reader-got", got);
  exit(0);
} else if (what == "writer") {
  touch(path + ".started");
  let fd = open(path, O_WRONLY);
  out("writer-open", fd >= 0 ? 0 : fd);
  say("writer-after-reader", exists(path + ".opening") ? "yes" : "no");
  let msg = String.UTF8.encode("from-writer");
  out("writer-write", sys.write(fd, changetype<usize>(msg), <usize>msg.byteLength));
  exit(0);
} else if (what == "rendezvous") {
  out("mkfifo", mkfifo(path));
  let st = new Stat();
  out("stat", stat(path, st));
  say("is-fifo", st.isFifo ? "yes" : "no");
  // A reader child blocks in open until we open for writing.
  let pid = spawn(self, [self, "reader", path], []);
  out("reader-started", waitPath(path + ".started"));
  nanosleep(300 * 1000000);
  out("reader-still-running", waitpid(pid, WNOHANG).pid);
  touch(path + ".opening");
  let fd = open(path, O_WRONLY);
  out("open-w", fd >= 0 ? 0 : fd);
  let msg = String.UTF8.encode("ping");
  out("write", sys.write(fd, changetype<usize>(msg), 4));
  close(fd);
  out("reader-status", waitpid(pid).status);
  unlink(path + ".started"); unlink(path + ".opening");
  // And the other way: a writer child blocks in open until we open for reading.
  let pid2 = spawn(self, [self, "writer", path], []);
  out("writer-started", waitPath(path + ".started"));
  nanosleep(300 * 1000000);
  out("writer-still-running", waitpid(pid2, WNOHANG).pid);
  touch(path + ".opening");
  let rfd = open(path, O_RDONLY);
  out("open-r", rfd >= 0 ? 0 : rfd);
  let got = "";
  while (true) { let n = sys.read(rfd, buf.dataStart, 256); if (n <= 0) break; got += str(n); }
  say("got", got);
  close(rfd);
  out("writer-status", waitpid(pid2).status);
  unlink(path + ".started"); unlink(path + ".opening");
  out("unlink", unlink(path));
  exit(0);
} else if (what == "nonblock") {
  out("mkfifo", mkfifo(path));
  // No reader: a non-blocking write open is ENXIO.
  out("open-w-nb-noreader", open(path, O_WRONLY | O_NONBLOCK));
  // A non-blocking read open succeeds at once; read sees EOF (no writer).
  let r = open(path, O_RDONLY | O_NONBLOCK);
  out("open-r-nb", r >= 0 ? 0 : r);
  out("read-nowriter", sys.read(r, buf.dataStart, 10));
  // Now there is a reader: the non-blocking write open succeeds.
  let w = open(path, O_WRONLY | O_NONBLOCK);
  out("open-w-nb-reader", w >= 0 ? 0 : w);
  out("read-empty-writer", sys.read(r, buf.dataStart, 10));
  let msg = String.UTF8.encode("xyz");
  out("write", sys.write(w, changetype<usize>(msg), 3));
  let n = sys.read(r, buf.dataStart, 10);
  say("read", str(n));
  close(w);
  out("read-eof", sys.read(r, buf.dataStart, 10));
  close(r);
  out("unlink", unlink(path));
  exit(0);
} else if (what == "unlinked") {
  out("mkfifo", mkfifo(path));
  let r = open(path, O_RDONLY | O_NONBLOCK);
  let w = open(path, O_WRONLY);
  out("opened", r >= 0 && w >= 0 ? 0 : -1);
  out("unlink", unlink(path));
  let st = new Stat();
  out("stat-after-unlink", stat(path, st));
  let msg = String.UTF8.encode("still-works");
  out("write", sys.write(w, changetype<usize>(msg), <usize>msg.byteLength));
  let n = sys.read(r, buf.dataStart, 256);
  say("read", str(n));
  // A new FIFO of the same name is a different pipe.
  out("mkfifo-again", mkfifo(path));
  let r2 = open(path, O_RDONLY | O_NONBLOCK);
  out("read-new-fifo", sys.read(r2, buf.dataStart, 256));
  close(w);
  out("read-old-eof", sys.read(r, buf.dataStart, 256));
  close(r); close(r2);
  unlink(path);
  exit(0);
}
say("unknown-case", what);
exit(2);
