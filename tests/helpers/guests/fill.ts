// fill: writes to a tmpfs file until the kernel says no, through each path a
// guest has (write, WASI fd_pwrite, ftruncate, fd_filestat_set_size,
// fd_allocate); results as "label value" lines (errno names when negative).
//   fill write PATH CHUNK      writes CHUNK-byte buffers until one fails or falls short
//   fill pwrite PATH OFF LEN   one fd_pwrite of LEN bytes at OFF
//   fill truncate PATH LEN     ftruncate; fill setsize PATH LEN: fd_filestat_set_size
//   fill allocate PATH OFF LEN fd_allocate
//   fill small DIR N           N files of 100 bytes, then removes them
import { args, open, close, unlink, O_WRONLY, O_RDWR, O_CREAT, O_TRUNC } from "./imports";
import * as sys from "../../../programs/lib/sys";
import { out, done } from "./common";

@external("wasi_snapshot_preview1", "fd_pwrite")
declare function fd_pwrite(fd: i32, iovs: usize, n: usize, off: u64, written: usize): i32;
@external("wasi_snapshot_preview1", "fd_allocate")
declare function fd_allocate(fd: i32, off: u64, len: u64): i32;
@external("wasi_snapshot_preview1", "fd_filestat_set_size")
declare function fd_filestat_set_size(fd: i32, size: u64): i32;

const a = args();
const op = a.length > 1 ? a[1] : "";
const path = a.length > 2 ? a[2] : "/tmp/fill";
function num(i: i32): i64 { return a.length > i ? <i64>parseFloat(a[i]) : 0; }

function wasi(e: i32): i64 { return e == 0 ? 0 : -<i64>e; }

if (op == "write") {
  const chunk = <i32>num(3);
  const buf = new Uint8Array(chunk);
  buf.fill(0x5a);
  const fd = open(path, O_WRONLY | O_CREAT | O_TRUNC);
  if (fd < 0) { out("open", fd); done(1); }
  let total: i64 = 0;
  let r: i32 = 0;
  while (true) {
    r = sys.write(fd, buf.dataStart, <usize>chunk);
    if (r <= 0) break;
    total += r;
    if (r < chunk) { out("short", r); r = sys.write(fd, buf.dataStart, <usize>chunk); break; }
  }
  out("total", total);
  out("last", r);
  out("again", sys.write(fd, buf.dataStart, 1));
  close(fd);
} else if (op == "pwrite" || op == "truncate" || op == "setsize" || op == "allocate") {
  const fd = open(path, O_RDWR | O_CREAT);
  if (fd < 0) { out("open", fd); done(1); }
  if (op == "pwrite") {
    const len = <i32>num(4);
    const buf = new Uint8Array(len);
    buf.fill(0x33);
    const iov = new Uint32Array(4);
    iov[0] = <u32>buf.dataStart; iov[1] = <u32>len;
    const e = fd_pwrite(fd, iov.dataStart, 1, <u64>num(3), iov.dataStart + 8);
    out("pwrite", e == 0 ? <i64>iov[2] : wasi(e));
  } else if (op == "truncate") {
    out("truncate", sys.ftruncate(fd, num(3)));
  } else if (op == "setsize") {
    out("setsize", wasi(fd_filestat_set_size(fd, <u64>num(3))));
  } else {
    out("allocate", wasi(fd_allocate(fd, <u64>num(3), <u64>num(4))));
  }
  close(fd);
} else if (op == "small") {
  const n = <i32>num(3);
  const buf = new Uint8Array(100);
  let made = 0;
  let err: i64 = 0;
  for (let i = 0; i < n; i++) {
    const fd = open(path + "/s" + i.toString(), O_WRONLY | O_CREAT | O_TRUNC);
    if (fd < 0) { err = fd; break; }
    const r = sys.write(fd, buf.dataStart, 100);
    close(fd);
    if (r != 100) { err = r; break; }
    made++;
  }
  out("made", made);
  out("err", err);
  for (let i = 0; i < made; i++) unlink(path + "/s" + i.toString());
} else {
  out("usage", -22);
  done(2);
}
done(0);
