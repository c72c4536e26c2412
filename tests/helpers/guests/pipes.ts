// Pipe semantics the shell cannot express. `pipes <case> ...`, results as
// "label value" lines (common.ts). argv[0] must be this program's path: the
// cases spawn copies of it.
import {
  args, exit, stdout, pipe, close, dup, fcntl, spawn, waitpid, FileAction, nanosleep,
  O_NONBLOCK, O_CLOEXEC, F_SETFL, F_GETFL, writeRaw, PSTATE_SLEEPING,
} from "../../../programs/lib";
import * as sys from "../../../programs/lib/sys";
import { out, say, waitState } from "./common";

const a = args();
const self = a[0];
const what = a.length > 1 ? a[1] : "";

function rawWrite(fd: i32, buf: Uint8Array, len: i32): i32 { return sys.write(fd, buf.dataStart, <usize>len); }
function rawRead(fd: i32, buf: Uint8Array, len: i32): i32 { return sys.read(fd, buf.dataStart, <usize>len); }

if (what == "writer") {
  // writer <letter> <records>: <records> single writes of 4096 bytes of <letter>.
  let rec = new Uint8Array(4096);
  rec.fill(<u8>a[2].charCodeAt(0));
  let n = I32.parseInt(a[3], 10);
  for (let i = 0; i < n; i++) {
    let r = rawWrite(1, rec, 4096);
    if (r != 4096) { say("short-write", r.toString()); exit(1); }
  }
  exit(0);
} else if (what == "atomic") {
  // atomic <writers> <records>: concurrent writers, one pipe; every 4096-byte chunk must be uniform.
  let writers = I32.parseInt(a[2], 10);
  let records = I32.parseInt(a[3], 10);
  let p = pipe(O_CLOEXEC);
  let pids = new Array<i32>();
  for (let w = 0; w < writers; w++) {
    let letter = String.fromCharCode(0x61 + w);
    let pid = spawn(self, [self, "writer", letter, records.toString()], [], [FileAction.dup2(p.writer, 1)]);
    if (pid < 0) out("spawn", pid);
    pids.push(pid);
  }
  close(p.writer);
  let buf = new Uint8Array(65536);
  let counts = new Array<i32>(26).fill(0);
  let total: i64 = 0, bad = 0, reads = 0;
  let chunkLetter: u8 = 0, inChunk = 0;
  while (true) {
    // Odd read sizes so reads do not line up with records.
    let n = rawRead(p.reader, buf, 1000 + (reads % 7) * 3001);
    reads++;
    if (n < 0) { out("read", n); break; }
    if (n == 0) break;
    for (let i = 0; i < n; i++) {
      let c = unchecked(buf[i]);
      if (inChunk == 0) chunkLetter = c;
      else if (c != chunkLetter) bad++;
      inChunk++;
      if (inChunk == 4096) {
        inChunk = 0;
        let k = <i32>chunkLetter - 0x61;
        if (k >= 0 && k < 26) counts[k]++; else bad++;
      }
    }
    total += n;
  }
  say("total", total.toString());
  say("bad", bad.toString());
  say("partial", inChunk.toString());
  for (let w = 0; w < writers; w++) say(String.fromCharCode(0x61 + w), counts[w].toString());
  for (let i = 0; i < pids.length; i++) say("status", waitpid(pids[i]).status.toString());
  exit(0);
} else if (what == "eof") {
  // EOF comes only once every write end (dups included) is closed.
  let p = pipe();
  let buf = new Uint8Array(16);
  buf[0] = 0x61; buf[1] = 0x62; buf[2] = 0x63;
  out("write", rawWrite(p.writer, buf, 3));
  let w2 = dup(p.writer);
  out("close-w", close(p.writer));
  out("read", rawRead(p.reader, buf, 16));
  out("setfl", fcntl(p.reader, F_SETFL, O_NONBLOCK));
  out("read-open-dup", rawRead(p.reader, buf, 16));
  out("close-dup", close(w2));
  out("read-eof", rawRead(p.reader, buf, 16));
  out("read-eof-again", rawRead(p.reader, buf, 16));
  // A child holding the only write end: EOF when it exits.
  let q = pipe(O_CLOEXEC);
  let pid = spawn(self, [self, "hello"], [], [FileAction.dup2(q.writer, 1)]);
  close(q.writer);
  let got = 0;
  while (true) {
    let n = rawRead(q.reader, buf, 16);
    if (n <= 0) { out("child-eof", n); break; }
    got += n;
  }
  out("child-bytes", got);
  out("child-status", waitpid(pid).status);
  exit(0);
} else if (what == "hello") {
  stdout.print("hello\n");
  exit(0);
} else if (what == "epipe") {
  // Writing with no reader: EPIPE and SIGPIPE; with no handlers the process dies.
  let p = pipe();
  out("close-r", close(p.reader));
  let buf = new Uint8Array(10);
  let r = rawWrite(p.writer, buf, 10);
  out("survived-write", r);
  exit(0);
} else if (what == "nonblock") {
  let p = pipe(O_NONBLOCK);
  let buf = new Uint8Array(65536 * 2);
  out("getfl-r", fcntl(p.reader, F_GETFL, 0));
  out("getfl-w", fcntl(p.writer, F_GETFL, 0));
  out("read-empty", rawRead(p.reader, buf, 100));
  let total = 0;
  let last = 0;
  for (let i = 0; i < 100; i++) {
    last = rawWrite(p.writer, buf, 4096);
    if (last < 0) break;
    total += last;
  }
  out("filled", total);
  out("write-full", last);
  out("write-full-big", rawWrite(p.writer, buf, 10000));
  out("read-some", rawRead(p.reader, buf, 100));
  // Room for 100 bytes: an atomic (<= PIPE_BUF) write of 200 must not go in part.
  out("write-atomic-noroom", rawWrite(p.writer, buf, 200));
  // A big write goes in part.
  out("write-partial", rawWrite(p.writer, buf, 10000));
  let drained = 0;
  while (true) { let n = rawRead(p.reader, buf, 65536 * 2); if (n <= 0) { out("drain-end", n); break; } drained += n; }
  out("drained", drained);
  out("pipe2-badflags", sys.pipe2(buf.dataStart, 0x1234));
  exit(0);
} else if (what == "run2") {
  // run2 P1 P2: runs P1 | P2 (two programs, no arguments); prints both raw wait statuses.
  let p = pipe(O_CLOEXEC);
  let pid1 = spawn(a[2], [a[2]], [], [FileAction.dup2(p.writer, 1)]);
  let pid2 = spawn(a[3], [a[3]], [], [FileAction.dup2(p.reader, 0)]);
  close(p.reader); close(p.writer);
  say("status1", waitpid(pid1).status.toString());
  say("status2", waitpid(pid2).status.toString());
  exit(0);
} else if (what == "seq2") {
  // seq2 P1 ARG1 P2 ARG2: "P1 ARG1 | P2 ARG2" where P1 has exited (every write
  // end closed) before P2 starts. Prints P2's raw wait status after its output.
  let p = pipe(O_CLOEXEC);
  let pid1 = spawn(a[2], [a[2], a[3]], [], [FileAction.dup2(p.writer, 1)]);
  close(p.writer);
  let st1 = waitpid(pid1).status;
  let pid2 = spawn(a[4], [a[4], a[5]], [], [FileAction.dup2(p.reader, 0)]);
  close(p.reader);
  let st2 = waitpid(pid2).status;
  say("status1", st1.toString());
  say("status2", st2.toString());
  exit(0);
} else if (what == "pollwait") {
  // pollwait P ARG [DATA]: runs "P ARG" with stdin a pipe whose write end we
  // hold until P has exited. With DATA: once P sleeps (parked in poll), write
  // DATA. Prints whether P was seen sleeping, then P's raw wait status.
  let p = pipe(O_CLOEXEC);
  let pid = spawn(a[2], [a[2], a[3]], [], [FileAction.dup2(p.reader, 0)]);
  close(p.reader);
  if (a.length > 4) {
    let seen = waitState(pid, PSTATE_SLEEPING);
    let d = String.UTF8.encode(a[4]);
    let w = sys.write(p.writer, changetype<usize>(d), <usize>d.byteLength);
    let st = waitpid(pid).status;
    say("was-sleeping", seen == 0 ? "yes" : "no");
    out("write", w);
    say("status", st.toString());
  } else {
    say("status", waitpid(pid).status.toString());
  }
  close(p.writer);
  exit(0);
} else if (what == "slowreader") {
  // Reads one byte, then exits (a reader that goes away).
  let b = new Uint8Array(1);
  rawRead(0, b, 1);
  exit(0);
} else if (what == "forever") {
  let buf = new Uint8Array(4096);
  while (true) {
    let r = writeRaw(1, buf.dataStart, 4096);
    if (r < 0) { say("write-failed", r.toString()); exit(9); }
  }
} else if (what == "sleep") {
  nanosleep(<i64>I32.parseInt(a[2], 10) * 1000000);
  exit(0);
}
say("unknown-case", what);
exit(2);
