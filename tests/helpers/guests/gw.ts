// Groundwork checks (tests/groundwork.test.mjs): `gw <case> [path]`.
//   mono-a PATH: opens the FIFO for writing (waits for the reader), reads
//     CLOCK_MONOTONIC, then writes the value into the FIFO: "a <ns>".
//   mono-b PATH: opens the FIFO for reading, reads A's value (so A's clock
//     read happened before), then reads CLOCK_MONOTONIC: "b <ns>".
//   offset-race PATH N: two children share one open file (inherited fd):
//     one writes N single bytes, the other lseeks (SEEK_CUR, 0) N times.
//     A seek that stored back a stale offset would make a write overwrite
//     an earlier byte: "size <bytes>" must be N.
import {
  args, exit, open, close, monotonicNs, spawn, waitpid, fstat, Stat,
  O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_TRUNC, SEEK_CUR,
} from "../../../programs/lib";
import * as sys from "../../../programs/lib/sys";
import { out, say } from "./common";

const a = args();
const what = a.length > 1 ? a[1] : "";
const path = a.length > 2 ? a[2] : "/tmp/gw-fifo";
const buf = new Uint8Array(64);

if (what == "mono-a") {
  const fd = open(path, O_WRONLY);
  if (fd < 0) { out("open", fd); exit(1); }
  const t = monotonicNs();
  const s = String.UTF8.encode(t.toString());
  sys.write(fd, changetype<usize>(s), <usize>s.byteLength);
  close(fd);
  say("a", t.toString());
  exit(0);
} else if (what == "mono-b") {
  const fd = open(path, O_RDONLY);
  if (fd < 0) { out("open", fd); exit(1); }
  let n = 0;
  while (true) {
    const r = sys.read(fd, buf.dataStart + <usize>n, <usize>(64 - n));
    if (r <= 0) break;
    n += <i32>r;
  }
  const t = monotonicNs();
  say("got", String.UTF8.decodeUnsafe(buf.dataStart, <usize>n));
  say("b", t.toString());
  exit(0);
} else if (what == "offset-race") {
  const n = a[3];
  const fd = open(path, O_RDWR | O_CREAT | O_TRUNC);
  if (fd < 0) { out("open", fd); exit(1); }
  const w = spawn(a[0], [a[0], "writer", fd.toString(), n], []);
  const s = spawn(a[0], [a[0], "seeker", fd.toString(), n], []);
  out("writer", waitpid(w).status);
  out("seeker", waitpid(s).status);
  const st = new Stat();
  out("fstat", fstat(fd, st));
  say("size", st.size.toString());
  exit(0);
} else if (what == "writer") {
  const fd = I32.parseInt(a[2]), n = I32.parseInt(a[3]);
  const x = String.UTF8.encode("x");
  for (let i = 0; i < n; i++) if (sys.write(fd, changetype<usize>(x), 1) != 1) exit(1);
  exit(0);
} else if (what == "seeker") {
  const fd = I32.parseInt(a[2]), n = I32.parseInt(a[3]);
  for (let i = 0; i < n; i++) if (sys.lseek(fd, 0, SEEK_CUR) < 0) exit(1);
  exit(0);
}
say("usage", "gw mono-a|mono-b PATH | offset-race PATH N");
exit(2);
