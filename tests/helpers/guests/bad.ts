// Bad input must give an error, never crash the kernel: `bad <case>`.
import { args, exit, open, O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, pipe, spawn } from "./imports";
import * as sys from "../../../programs/lib/sys";
import { out, say } from "./common";
import { ENOSPC } from "../../../abi/errno";

@external("wasi_snapshot_preview1", "fd_write")
declare function fd_write(fd: i32, iovs: usize, n: usize, nwritten: usize): i32;

const a = args();
const what = a.length > 1 ? a[1] : "";
let buf = new Uint8Array(64);
const FAR: usize = 0xfffffff0;     // far past our memory
// The first byte past memory, read when used: printing may grow memory.
// @ts-ignore: decorator
@inline function endOfMemory(): usize { return <usize>memory.size() << 16; }

if (what == "ebadf") {
  let p = pipe();
  out("read-badfd", sys.read(99, buf.dataStart, 10));
  out("read-negfd", sys.read(-1, buf.dataStart, 10));
  out("write-badfd", sys.write(1000000, buf.dataStart, 10));
  out("close-badfd", sys.close(77));
  out("close-twice", sys.close(p.reader) == 0 ? sys.close(p.reader) : -999);
  out("fstat-badfd", sys.fstat(55, buf.dataStart));
  out("dup-badfd", sys.dup(40));
  out("read-writeend", sys.read(p.writer, buf.dataStart, 10));
  let q = pipe();
  out("write-readend", sys.write(q.reader, buf.dataStart, 10));
  let ro = open("/dev/null", O_RDONLY);
  out("write-rdonly", sys.write(ro, buf.dataStart, 10));
  out("getdents-notdir", sys.getdents(ro, buf.dataStart, 64));
  say("alive", "yes");
  exit(0);
} else if (what == "efault") {
  let z = open("/dev/zero", O_RDONLY);
  out("read-far", sys.read(z, FAR, 100));
  out("read-straddle", sys.read(z, endOfMemory() - 10, 100));
  out("read-at-end-zero", sys.read(z, endOfMemory(), 0));
  out("write-far", sys.write(1, FAR, 10));
  out("write-straddle", sys.write(1, endOfMemory() - 4, 10));
  let p = pipe();
  out("pipe-write-far", sys.write(p.writer, FAR, 10));
  out("pipe-read-far", sys.write(p.writer, buf.dataStart, 5) == 5 ? sys.read(p.reader, FAR, 10) : -999);
  out("pipe-data-kept", sys.read(p.reader, buf.dataStart, 10));
  out("pipe2-far", sys.pipe2(FAR, 0));
  out("stat-path-far", sys.stat(FAR, 5, buf.dataStart));
  let path = String.UTF8.encode("/dev/null");
  out("stat-buf-far", sys.stat(changetype<usize>(path), 9, FAR));
  out("fstat-buf-far", sys.fstat(0, FAR));
  out("open-path-far", sys.open(FAR, 8, O_RDONLY, 0));
  out("getcwd-far", sys.getcwd(FAR, 100));
  let self = String.UTF8.encode(a[0]);
  let argv0 = new Uint32Array(2);
  argv0[0] = <u32>changetype<usize>(self); argv0[1] = <u32>self.byteLength;
  let child = sys.spawn(changetype<usize>(self), <usize>self.byteLength, argv0.dataStart, 1, 0, 0, 0, 0, 0, 0);
  out("spawned", child > 0 ? 0 : child);
  out("waitpid-status-far", sys.waitpid(child, FAR, 0));
  out("waitpid-after-efault", sys.waitpid(child, buf.dataStart, 0) == child ? 0 : -1);
  out("snapshot-far", sys.snapshot(FAR, 4096));
  out("spawn-path-far", sys.spawn(FAR, 10, 0, 0, 0, 0, 0, 0, 0, 0));
  out("spawn-argv-far", sys.spawn(changetype<usize>(self), <usize>self.byteLength, FAR, 1, 0, 0, 0, 0, 0, 0));
  out("mkdir-far", sys.mkdir(FAR, 3, 0o755));
  // WASI returns the errno itself (positive).
  out("wasi-fd_write-iovs-far", -fd_write(1, FAR, 1, buf.dataStart));
  store<u32>(buf.dataStart, <u32>FAR); store<u32>(buf.dataStart + 4, 10);
  out("wasi-fd_write-buf-far", -fd_write(1, buf.dataStart, 1, buf.dataStart + 16));
  say("alive", "yes");
  exit(0);
} else if (what == "einval") {
  let z = open("/dev/zero", O_RDONLY);
  out("read-len-neg", sys.read(z, buf.dataStart, <usize>0xffffffff));
  out("read-len-huge", sys.read(z, buf.dataStart, <usize>0x80000000));
  out("write-len-neg", sys.write(1, buf.dataStart, <usize>0xffffffff));
  out("nanosleep-neg", sys.nanosleep(-1));
  out("kill-sig-neg", sys.kill(sys.getpid(), -3));
  out("kill-sig-huge", sys.kill(sys.getpid(), 1000));
  out("kill-nopid", sys.kill(99999, 0));
  out("waitpid-opts", sys.waitpid(-1, 0, 0x7fff0000));
  out("pipe2-flags", sys.pipe2(buf.dataStart, -1));
  out("fcntl-cmd", sys.fcntl(z, -5, 0));
  let f = open("/tmp/bad-f", O_RDWR | O_CREAT);
  out("lseek-whence", sys.lseek(f, 0, 42));
  out("ftruncate-neg", sys.ftruncate(f, -5));
  out("ftruncate-absurd", sys.ftruncate(f, 0x7fffffffffffffff));
  let path = String.UTF8.encode("/tmp/bad-f");
  out("open-path-len-absurd", sys.open(changetype<usize>(path), 0x7ffffff0, O_RDONLY, 0));
  out("open-path-len-zero", sys.open(changetype<usize>(path), 0, O_RDONLY, 0));
  let nul = String.UTF8.encode("/tmp/x\0y");
  out("open-path-nul", sys.open(changetype<usize>(nul), 8, O_RDONLY, 0));
  let self = String.UTF8.encode(a[0]);
  out("spawn-argc-absurd", sys.spawn(changetype<usize>(self), <usize>self.byteLength, buf.dataStart, 0x10000000, 0, 0, 0, 0, 0, 0));
  out("spawn-envc-absurd", sys.spawn(changetype<usize>(self), <usize>self.byteLength, 0, 0, buf.dataStart, 0x10000000, 0, 0, 0, 0));
  say("alive", "yes");
  exit(0);
} else if (what == "snapshot") {
  // The snapshot syscall: its size, short buffers (nothing past len written), huge lengths, bad buffers.
  const big = new Uint8Array(1 << 16);
  const full = sys.snapshot(big.dataStart, big.length);
  out("full", full > 16 && load<u32>(big.dataStart) == 0x4E535857 && load<u32>(big.dataStart, 8) == <u32>full ? 0 : full);
  const at = big.dataStart + 256;
  let untouched = true, needed = true;
  const lens: u32[] = [0, 8, 15, 16, 40, 0];
  for (let i = 0; i < lens.length; i++) {
    big.fill(0xaa);
    let r = 0;
    // The last: one byte short of what the header just said (asked again if the machine shrank in between).
    for (let tries = 0; tries < 100; tries++) {
      if (i == lens.length - 1) { sys.snapshot(at, 16); lens[i] = load<u32>(at, 8) - 1; big.fill(0xaa); }
      r = sys.snapshot(at, lens[i]);
      if (r == -ENOSPC || i != lens.length - 1) break;
    }
    if (r != -ENOSPC) { out("short-len-" + lens[i].toString(), r); untouched = false; }
    for (let j: usize = 0; j < <usize>big.length; j++) {
      const inside = big.dataStart + j >= at && big.dataStart + j < at + <usize>lens[i];
      // Past len nothing; inside a buffer shorter than the header nothing either.
      if ((!inside || lens[i] < 16) && load<u8>(big.dataStart + j) != 0xaa) { untouched = false; break; }
    }
    // With room for the header, its size field says what is needed (the machine may have changed meanwhile).
    if (lens[i] >= 16 && (load<u32>(at) != 0x4E535857 || load<u32>(at, 8) < 16)) needed = false;
  }
  out("short-untouched", untouched ? 0 : -1);
  out("short-header-size", needed ? 0 : -1);
  // len 2^31 (and the largest u32): only the record is written, so a buffer with room for it is enough.
  out("len-2^31", sys.snapshot(big.dataStart, 0x80000000) > 16 ? 0 : -1);
  out("len-max", sys.snapshot(big.dataStart, 0xffffffff) > 16 ? 0 : -1);
  out("buf-null-len-0", sys.snapshot(0, 0));
  out("buf-far", sys.snapshot(FAR, 4096));
  out("buf-wrapping", sys.snapshot(0xffffff00, 0x80000000));
  // Sections start 16 bytes in: from 0xfffffff0 that offset wraps to address 0, which must stay as it was.
  // (The copy is kept on the heap, above the static data those first 512 bytes are part of.)
  const low = new Uint8Array(512);
  memory.copy(low.dataStart, 0, 512);
  out("buf-wrap-to-0", sys.snapshot(0xfffffff0, 0x80000000));
  out("buf-wrap-low-untouched", low.dataStart < 512 ? -2 : memory.compare(low.dataStart, 0, 512) == 0 ? 0 : -1);
  out("buf-straddle", sys.snapshot(endOfMemory() - 32, 4096));
  say("alive", "yes");
  exit(0);
}
say("unknown-case", what);
exit(2);
