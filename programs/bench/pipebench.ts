// pipebench — the sandbox side of the pipe rows of `npm run bench`, timed
// inside the guest (clock_time_get) so worker startup does not count.
// Mirrors bench/native/pipe_throughput.c and pipe_pingpong.c.
//
//   pipebench throughput N   spawn `pipebench write N` with stdout on a pipe,
//                            read it in 64 KiB reads; timed from the first
//                            read's return to EOF (its bytes not counted).
//   pipebench pingpong N     spawn `pipebench echo` on two pipes, bounce one
//                            byte N times after 100 warm-up round trips.
//   pipebench write N        write N bytes to stdout in 64 KiB writes.
//   pipebench echo           copy stdin to stdout one byte at a time.
// argv[0] must be the program's own path: the children are spawned from it.
// Prints one JSON line: {"name":..,"value":..,"unit":..,...}.
import { args, nowNs, read, writeBytes, close, pipe, spawn, wait, report, fail, exit, Actions } from "./lib/sys";

const CHUNK: usize = 65536;
const WARMUP = 100;

function writer(total: i64): void {
  const buf = heap.alloc(CHUNK);
  memory.fill(buf, 0x78, CHUNK);
  while (total > 0) {
    const len = total < <i64>CHUNK ? <usize>total : CHUNK;
    writeBytes(1, buf, len);
    total -= <i64>len;
  }
}

function echo(): void {
  const c = heap.alloc(1);
  while (read(0, c, 1) == 1) writeBytes(1, c, 1);
}

function throughput(self: string, total: i64): void {
  const fds = pipe();
  const pid = spawn(self, [self, "write", total.toString()],
    new Actions().dup2(fds[1], 1).close(fds[0]).close(fds[1]));
  close(fds[1]);

  const buf = heap.alloc(CHUNK);
  let n = read(fds[0], buf, CHUNK);
  if (n <= 0) fail("first read", n);
  const t0 = nowNs();
  let seen: i64 = n, counted: i64 = 0;
  while ((n = read(fds[0], buf, CHUNK)) > 0) counted += n;
  const ns = nowNs() - t0;
  seen += counted;
  wait(pid);
  if (seen != total) fail("short read, bytes " + seen.toString(), 0);
  const secs = <f64>ns / 1e9;
  report("pipe_throughput", <f64>counted / secs / 1e9, "GB/s",
    '"bytes":' + counted.toString() + ',"seconds":' + secs.toString());
}

function pingpong(self: string, rounds: i64): void {
  const ping = pipe(), pong = pipe();
  const pid = spawn(self, [self, "echo"], new Actions()
    .dup2(ping[0], 0).dup2(pong[1], 1)
    .close(ping[0]).close(ping[1]).close(pong[0]).close(pong[1]));
  close(ping[0]);
  close(pong[1]);

  const c = heap.alloc(1);
  store<u8>(c, 0x70);
  for (let i = 0; i < WARMUP; i++) bounce(ping[1], pong[0], c);
  const t0 = nowNs();
  for (let i: i64 = 0; i < rounds; i++) bounce(ping[1], pong[0], c);
  const ns = nowNs() - t0;
  close(ping[1]);
  wait(pid);
  const secs = <f64>ns / 1e9;
  report("pipe_pingpong", secs / <f64>rounds * 1e6, "us",
    '"rounds":' + rounds.toString() + ',"seconds":' + secs.toString());
}

function bounce(out: i32, inp: i32, c: usize): void {
  writeBytes(out, c, 1);
  if (read(inp, c, 1) != 1) fail("pingpong: echo child gone", 0);
}

const argv = args();
const mode = argv.length > 1 ? argv[1] : "";
const count: i64 = argv.length > 2 ? I64.parseInt(argv[2]) : 0;
if (mode == "throughput") throughput(argv[0], count > 0 ? count : (<i64>1 << 30));
else if (mode == "pingpong") pingpong(argv[0], count > 0 ? count : 10000);
else if (mode == "write") writer(count);
else if (mode == "echo") echo();
else fail("usage: pipebench throughput|pingpong|write|echo [N]", 0);
exit(0);
