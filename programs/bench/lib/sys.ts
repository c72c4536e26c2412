// The few syscalls and helpers the bench guests need, declared directly so
// the benchmarks do not depend on the evolving guest library (programs/lib).
// ABI: docs/abi.md — results are >= 0 or -errno; strings are (ptr, len).

// ---- wasi_snapshot_preview1 ----------------------------------------------
@external("wasi_snapshot_preview1", "args_sizes_get")
declare function args_sizes_get(argc: usize, size: usize): i32;
@external("wasi_snapshot_preview1", "args_get")
declare function args_get(argv: usize, buf: usize): i32;
@external("wasi_snapshot_preview1", "clock_time_get")
declare function clock_time_get(id: i32, precision: i64, time: usize): i32;
@external("wasi_snapshot_preview1", "proc_exit")
declare function proc_exit(code: i32): void;

// ---- wasmux extension module ---------------------------------------------
@external("wasmux", "spawn")
declare function sys_spawn(path: usize, pathlen: usize, argv: usize, argc: i32,
  envp: usize, envc: i32, actions: usize, nactions: i32, cwd: usize, cwdlen: usize): i32;
@external("wasmux", "waitpid")
declare function sys_waitpid(pid: i32, status: usize, options: i32): i32;
@external("wasmux", "pipe2")
declare function sys_pipe2(fds: usize, flags: i32): i32;
@external("wasmux", "close")
declare function sys_close(fd: i32): i32;
@external("wasmux", "read")
declare function sys_read(fd: i32, buf: usize, len: usize): i32;
@external("wasmux", "write")
declare function sys_write(fd: i32, buf: usize, len: usize): i32;

const CLOCK_MONOTONIC = 1;
const SPAWN_DUP2 = 1;
const SPAWN_CLOSE = 2;
const SPAWN_ACTION_SIZE = 24;
const EINTR = 27; // WASI numbering

/** Replaces AssemblyScript's `env.abort` (asc --use abort=...): a guest may
 *  import only from wasi_snapshot_preview1 and wasmux. */
export function guestAbort(msg: string | null, file: string | null, line: u32, col: u32): void {
  const m: string = msg !== null ? msg : "";
  const f: string = file !== null ? file : "?";
  const text = "abort: " + m + " at " + f + ":" + line.toString() + "\n";
  writeAll(2, text);
  proc_exit(134);
  unreachable();
}

export function exit(code: i32): void {
  proc_exit(code);
}

/** Monotonic clock in nanoseconds. */
export function nowNs(): i64 {
  const t = heap.alloc(8);
  clock_time_get(CLOCK_MONOTONIC, 1, t);
  const v = load<i64>(t);
  heap.free(t);
  return v;
}

/** The program's arguments, argv[0] first. */
export function args(): string[] {
  const sizes = heap.alloc(8);
  args_sizes_get(sizes, sizes + 4);
  const argc = load<u32>(sizes), size = load<u32>(sizes + 4);
  const ptrs = heap.alloc(argc * 4), buf = heap.alloc(size);
  args_get(ptrs, buf);
  const out = new Array<string>(argc);
  for (let i: u32 = 0; i < argc; i++) {
    const p = load<usize>(ptrs + i * 4);
    let n: usize = 0;
    while (load<u8>(p + n) != 0) n++;
    out[i] = String.UTF8.decodeUnsafe(p, n);
  }
  return out;
}

/** Prints `what` (and the errno, when not 0) to stderr and exits 1. */
export function fail(what: string, err: i32): void {
  writeAll(2, err != 0 ? what + ": errno " + err.toString() + "\n" : what + "\n");
  proc_exit(1);
}

/** read(2), retried on EINTR; exits on other errors. */
export function read(fd: i32, buf: usize, len: usize): i32 {
  let n = sys_read(fd, buf, len);
  while (n == -EINTR) n = sys_read(fd, buf, len);
  if (n < 0) fail("read", -n);
  return n;
}

/** Writes all `len` bytes, exits on error. */
export function writeBytes(fd: i32, buf: usize, len: usize): void {
  while (len > 0) {
    const n = sys_write(fd, buf, len);
    if (n < 0) {
      if (n == -EINTR) continue;
      fail("write", -n);
    }
    buf += <usize>n;
    len -= <usize>n;
  }
}

export function writeAll(fd: i32, s: string): void {
  const b = String.UTF8.encode(s);
  writeBytes(fd, changetype<usize>(b), b.byteLength);
}

export function close(fd: i32): void {
  sys_close(fd);
}

/** pipe2(2) without flags: returns [read end, write end]. */
export function pipe(): i32[] {
  const fds = heap.alloc(8);
  const r = sys_pipe2(fds, 0);
  if (r < 0) fail("pipe2", -r);
  const out = [load<i32>(fds), load<i32>(fds + 4)];
  heap.free(fds);
  return out;
}

/** A posix_spawn file-action list (docs/abi.md: 24-byte records). */
export class Actions {
  kinds: i32[] = [];
  fds: i32[] = [];
  newfds: i32[] = [];
  dup2(fd: i32, newfd: i32): Actions { this.kinds.push(SPAWN_DUP2); this.fds.push(fd); this.newfds.push(newfd); return this; }
  close(fd: i32): Actions { this.kinds.push(SPAWN_CLOSE); this.fds.push(fd); this.newfds.push(0); return this; }
}

/** Spawns `path` with `argv` (argv[0] included), inheriting the environment
 *  as empty and the cwd; exits on error. Returns the child's pid. */
export function spawn(path: string, argv: string[], actions: Actions = new Actions()): i32 {
  const p = String.UTF8.encode(path);
  const argc = argv.length;
  const argvRec = heap.alloc(<usize>max(argc, 1) * 8);
  const keep = new Array<ArrayBuffer>(argc); // keeps the encoded strings alive
  for (let i = 0; i < argc; i++) {
    keep[i] = String.UTF8.encode(argv[i]);
    store<u32>(argvRec + i * 8, changetype<usize>(keep[i]));
    store<u32>(argvRec + i * 8 + 4, keep[i].byteLength);
  }
  const n = actions.kinds.length;
  const rec = heap.alloc(<usize>max(n, 1) * SPAWN_ACTION_SIZE);
  memory.fill(rec, 0, <usize>max(n, 1) * SPAWN_ACTION_SIZE);
  for (let i = 0; i < n; i++) {
    const a = rec + i * SPAWN_ACTION_SIZE;
    store<u32>(a, actions.kinds[i]);
    store<i32>(a + 4, actions.fds[i]);
    store<i32>(a + 8, actions.newfds[i]);
  }
  const pid = sys_spawn(changetype<usize>(p), p.byteLength, argvRec, argc, 0, 0, rec, n, 0, 0);
  if (pid < 0) fail("spawn " + path, -pid);
  return pid;
}

/** waitpid(pid, &status, 0); returns the raw status, exits on error. */
export function wait(pid: i32): i32 {
  const st = heap.alloc(4);
  for (;;) {
    const r = sys_waitpid(pid, st, 0);
    if (r >= 0) break;
    if (r != -EINTR) fail("waitpid", -r);
  }
  const status = load<i32>(st);
  heap.free(st);
  return status;
}

/** The one-line JSON result the harness parses (same shape as the native
 *  baselines in bench/native). `extra` is raw JSON fields, no braces. */
export function report(name: string, value: f64, unit: string, extra: string): void {
  writeAll(1, '{"name":"' + name + '","value":' + value.toString() + ',"unit":"' + unit + '",' + extra + "}\n");
}
