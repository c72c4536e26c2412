// One kernel function per descriptor operation, seen through both ABIs, and
// poll_oneoff readiness: `fileops <case> [args]`. WASI calls return a
// positive errno; they are printed negated so `out` names them.
import {
  args, exit, open, close, ftruncate, fstat, Stat, pipe, mkfifo, O_RDONLY, O_WRONLY, O_RDWR,
  O_CREAT, O_TRUNC, O_NONBLOCK,
} from "./imports";
import * as sys from "../../../programs/lib/sys";
import { out } from "./common";

@external("wasi_snapshot_preview1", "fd_filestat_set_size")
declare function fd_filestat_set_size(fd: i32, size: i64): i32;
@external("wasi_snapshot_preview1", "fd_allocate")
declare function fd_allocate(fd: i32, off: i64, len: i64): i32;
@external("wasi_snapshot_preview1", "poll_oneoff")
declare function poll_oneoff(subs: usize, events: usize, n: u32, nevents: usize): i32;

const a = args();
const what = a.length > 1 ? a[1] : "";
const st = new Stat();

function size(fd: i32): i64 { return fstat(fd, st) < 0 ? -1 : <i64>st.size; }

/** A file of 10 bytes, opened with `flags`. */
function tenBytes(path: string, flags: i32): i32 {
  const w = open(path, O_WRONLY | O_CREAT | O_TRUNC);
  sys.write(w, changetype<usize>(String.UTF8.encode("0123456789")), 10);
  close(w);
  return open(path, flags);
}

const SUB = 48, EVENT = 32;

/** Fills subscription `i` at `subs`: FD_READ (tag 1) or FD_WRITE (2) on `fd`, userdata = i. */
function subFd(subs: usize, i: i32, tag: u8, fd: i32): void {
  const s = subs + <usize>i * SUB;
  memory.fill(s, 0, SUB);
  store<u64>(s, <u64>i);
  store<u8>(s + 8, tag);
  store<i32>(s + 16, fd);
}

/** Subscription `i`: a relative CLOCK_MONOTONIC timeout of `ns`. */
function subClock(subs: usize, i: i32, ns: i64): void {
  const s = subs + <usize>i * SUB;
  memory.fill(s, 0, SUB);
  store<u64>(s, <u64>i);
  store<u8>(s + 8, 0);
  store<u32>(s + 16, 1);
  store<i64>(s + 24, ns);
}

if (what == "truncate") {
  // ftruncate and fd_filestat_set_size follow one set of rules.
  const ro = tenBytes("/tmp/fo-trunc", O_RDONLY);
  out("sys-rdonly", ftruncate(ro, 3));
  out("wasi-rdonly", -fd_filestat_set_size(ro, 3));
  out("size-after-rdonly", size(ro));
  const rw = open("/tmp/fo-trunc", O_RDWR);
  out("sys-rdwr", ftruncate(rw, 4));
  out("size-sys", size(rw));
  out("wasi-rdwr", -fd_filestat_set_size(rw, 6));
  out("size-wasi", size(rw));
  out("sys-negative", ftruncate(rw, -1));
  out("wasi-negative", -fd_filestat_set_size(rw, -1));
  const p = pipe();
  out("sys-pipe", ftruncate(p.writer, 0));
  out("wasi-pipe", -fd_filestat_set_size(p.writer, 0));
  out("sys-badfd", ftruncate(99, 0));
  out("wasi-badfd", -fd_filestat_set_size(99, 0));
  // fd_allocate (posix_fallocate) needs a descriptor open for writing too.
  out("allocate-rdonly", -fd_allocate(ro, 0, 100));
  out("size-after-allocate-rdonly", size(ro));
  out("allocate-rdwr", -fd_allocate(rw, 0, 100));
  out("size-allocate", size(rw));
  out("allocate-overflow", -fd_allocate(rw, I64.MAX_VALUE, 2));
  exit(0);
} else if (what == "pollmany") {
  // pollmany N: N-1 subscriptions for reading an empty pipe (not ready)
  // and, last, one for reading /dev/null (ready, no hang-up): one event.
  const n = I32.parseInt(a[2], 10);
  const p = pipe();
  const nul = open("/dev/null", O_RDONLY);
  const subs = heap.alloc(<usize>n * SUB);
  const evs = heap.alloc(<usize>n * EVENT);
  const cnt = heap.alloc(4);
  for (let i = 0; i < n - 1; i++) subFd(subs, i, 1, p.reader);
  subFd(subs, n - 1, 1, nul);
  store<u32>(cnt, 0);
  out("poll", -poll_oneoff(subs, evs, <u32>n, cnt));
  out("nevents", load<u32>(cnt));
  out("userdata", <i64>load<u64>(evs));
  out("error", load<u16>(evs + 8));
  out("flags", load<u16>(evs + 24));
  exit(0);
} else if (what == "pollwait") {
  // pollwait N: N-1 reads of an empty pipe and a 10 ms clock: the clock
  // fires (every descriptor was queued on and left again).
  const n = I32.parseInt(a[2], 10);
  const p = pipe();
  const subs = heap.alloc(<usize>n * SUB);
  const evs = heap.alloc(<usize>n * EVENT);
  const cnt = heap.alloc(4);
  for (let i = 0; i < n - 1; i++) subFd(subs, i, 1, p.reader);
  subClock(subs, n - 1, 10_000_000);
  out("poll", -poll_oneoff(subs, evs, <u32>n, cnt));
  out("nevents", load<u32>(cnt));
  out("userdata", <i64>load<u64>(evs));
  out("type", load<u8>(evs + 10));
  exit(0);
} else if (what == "devnull") {
  // /dev/null: readable (end of file at once) and writable, never hung up.
  const r = open("/dev/null", O_RDONLY);
  const w = open("/dev/null", O_WRONLY);
  const subs = heap.alloc(2 * SUB);
  const evs = heap.alloc(2 * EVENT);
  const cnt = heap.alloc(4);
  subFd(subs, 0, 1, r);
  subFd(subs, 1, 2, w);
  out("poll", -poll_oneoff(subs, evs, 2, cnt));
  out("nevents", load<u32>(cnt));
  for (let i = 0; i < 2; i++) {
    const e = evs + <usize>i * EVENT;
    const k = "ev" + load<u64>(e).toString();
    out(k + "-type", load<u8>(e + 10));
    out(k + "-error", load<u16>(e + 8));
    out(k + "-flags", load<u16>(e + 24));
  }
  exit(0);
} else if (what == "fifo-enxio") {
  // A FIFO write-open without a reader fails (ENXIO) before its File has a
  // pipe; closing that File must touch no pipe.
  out("mkfifo", mkfifo("/tmp/fo-fifo", 0o600));
  for (let i = 0; i < 3; i++) out("open-w-nb", open("/tmp/fo-fifo", O_WRONLY | O_NONBLOCK));
  exit(0);
}
out("unknown-case", -1);
exit(2);
