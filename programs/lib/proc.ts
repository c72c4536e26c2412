// Processes: arguments and environment, spawn/waitpid, signals, sleeping,
// the process list, and exit.
import * as sys from "./sys";
import { encode } from "./utf8";
import { flushAll } from "./io";
import { stat, Stat, joinPath } from "./fs";
import { EINTR } from "../../abi/errno";
import { SPAWN_DUP2, SPAWN_CLOSE, SPAWN_OPEN, SPAWN_ACTION_SIZE } from "../../abi/constants";

// --- arguments and environment ------------------------------------------

/** Decodes the NUL-terminated strings that args_get/environ_get wrote. */
function decodeStringTable(pointers: Uint32Array): string[] {
  let result = new Array<string>(pointers.length);
  for (let i = 0; i < pointers.length; i++) {
    result[i] = String.UTF8.decodeUnsafe(<usize>pointers[i], cstrlen(<usize>pointers[i]));
  }
  return result;
}

function cstrlen(ptr: usize): usize {
  let end = ptr;
  while (load<u8>(end) != 0) end++;
  return end - ptr;
}

/**
 * Reads a string table the WASI way: `sizesGet` reports the count and the
 * total size, `get` fills the pointers and the strings. Empty on failure.
 */
function readStringTable(
  sizesGet: (count: usize, bufSize: usize) => i32,
  get: (pointers: usize, buf: usize) => i32,
): string[] {
  let sizes = new Uint32Array(2);
  if (sizesGet(sizes.dataStart, sizes.dataStart + 4) != 0) return [];
  let pointers = new Uint32Array(sizes[0]);
  let strings = new Uint8Array(sizes[1]);
  if (get(pointers.dataStart, strings.dataStart) != 0) return [];
  return decodeStringTable(pointers);
}

/** The command line, argv[0] first. */
export function args(): string[] { return readStringTable(sys.args_sizes_get, sys.args_get); }

/** The environment as "NAME=value" strings. */
export function env(): string[] { return readStringTable(sys.environ_sizes_get, sys.environ_get); }

/** The value of environment variable `name`, or null. */
export function getenv(name: string): string | null {
  let entries = env();
  let prefix = name + "=";
  for (let i = 0; i < entries.length; i++) {
    if (entries[i].startsWith(prefix)) return entries[i].substring(prefix.length);
  }
  return null;
}

// --- spawn ----------------------------------------------------------------

/** One posix_spawn file action, applied to the child's copy of our fd table. */
export class FileAction {
  constructor(
    public kind: i32,
    public fd: i32,
    public newfd: i32,
    public oflags: i32,
    public path: string,
  ) {}

  /** Make `newfd` a copy of `fd`. */
  static dup2(fd: i32, newfd: i32): FileAction { return new FileAction(SPAWN_DUP2, fd, newfd, 0, ""); }
  /** Close `fd`. */
  static close(fd: i32): FileAction { return new FileAction(SPAWN_CLOSE, fd, -1, 0, ""); }
  /** Open `path` with `oflags` (mode 0644) as `newfd`. */
  static open(newfd: i32, path: string, oflags: i32): FileAction {
    return new FileAction(SPAWN_OPEN, -1, newfd, oflags, path);
  }
}

/** Packs strings as the {u32 ptr, u32 len} array spawn() takes; `keep` holds the bytes alive. */
function packStrings(strings: string[], keep: Uint8Array[]): Uint32Array {
  let table = new Uint32Array(strings.length * 2);
  for (let i = 0; i < strings.length; i++) {
    let bytes = encode(strings[i]);
    keep.push(bytes);
    table[i * 2] = <u32>bytes.dataStart;
    table[i * 2 + 1] = bytes.length;
  }
  return table;
}

function packActions(actions: FileAction[], keep: Uint8Array[]): Uint8Array {
  let records = new Uint8Array(actions.length * SPAWN_ACTION_SIZE);
  for (let i = 0; i < actions.length; i++) {
    let action = actions[i];
    let record = records.dataStart + <usize>(i * SPAWN_ACTION_SIZE);
    let path = encode(action.path);
    keep.push(path);
    store<u32>(record, action.kind, 0);
    store<i32>(record, action.fd, 4);
    store<i32>(record, action.newfd, 8);
    store<u32>(record, action.oflags, 12);
    store<u32>(record, <u32>path.dataStart, 16);
    store<u32>(record, path.length, 20);
  }
  return records;
}

/**
 * Starts program `path` with `argv` (argv[0] is the name it sees), the
 * environment `envp` ("NAME=value"; empty means none), the file actions in
 * order, and working directory `cwd` ("" inherits ours). Returns the pid or
 * -errno (ENOENT: no such program, ENOEXEC: not wasm). Our buffered output
 * is flushed first so it comes before the child's.
 */
export function spawn(path: string, argv: string[], envp: string[], actions: FileAction[] = [], cwd: string = ""): i32 {
  flushAll();
  let keep = new Array<Uint8Array>();
  let pathBytes = encode(path);
  let cwdBytes = encode(cwd);
  let argTable = packStrings(argv, keep);
  let envTable = packStrings(envp, keep);
  let records = packActions(actions, keep);
  return sys.spawn(
    pathBytes.dataStart, pathBytes.length,
    argTable.dataStart, argv.length,
    envTable.dataStart, envp.length,
    records.dataStart, actions.length,
    cwdBytes.dataStart, cwdBytes.length,
  );
}

// --- waiting --------------------------------------------------------------

/** What waitpid() reports: `pid` is the child (0 with WNOHANG and nothing ready) or -errno. */
export class WaitResult {
  constructor(public pid: i32, public status: i32) {}
}

/** Waits for child `pid` (-1: any). `options`: WNOHANG or 0. */
export function waitpid(pid: i32, options: i32 = 0): WaitResult {
  let status = new Int32Array(1);
  let result: i32;
  do {
    result = sys.waitpid(pid, status.dataStart, options);
  } while (result == -EINTR);
  return new WaitResult(result, result > 0 ? status[0] : 0);
}

// Linux's wait status encoding: exit code in bits 8..15, signal in bits 0..6.
export function WIFEXITED(status: i32): bool { return (status & 0x7f) == 0; }
export function WEXITSTATUS(status: i32): i32 { return (status >> 8) & 0xff; }
export function WIFSIGNALED(status: i32): bool { return (status & 0x7f) != 0 && (status & 0x7f) != 0x7f; }
export function WTERMSIG(status: i32): i32 { return status & 0x7f; }

/** The shell's view of a wait status: the exit code, or 128 + the signal. */
export function statusCode(status: i32): i32 {
  return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

// --- identity, signals, time ----------------------------------------------

export function getpid(): i32 { return sys.getpid(); }
export function getppid(): i32 { return sys.getppid(); }
export function kill(pid: i32, sig: i32): i32 { return sys.kill(pid, sig); }
/** The real and effective user and group ids (never fail). */
export function getuid(): i32 { return sys.getuid(); }
export function geteuid(): i32 { return sys.geteuid(); }
export function getgid(): i32 { return sys.getgid(); }
export function getegid(): i32 { return sys.getegid(); }

/** Sleeps `ns` nanoseconds; -EINTR if interrupted. */
export function nanosleep(ns: i64): i32 { return sys.nanosleep(ns); }

const CLOCK_REALTIME = 0;
const CLOCK_MONOTONIC = 1;

/** Nanoseconds on the monotonic clock. */
export function monotonicNs(): i64 {
  let time = new Int64Array(1);
  sys.clock_time_get(CLOCK_MONOTONIC, 1, time.dataStart);
  return time[0];
}

/** Nanoseconds since the epoch. */
export function realtimeNs(): i64 {
  let time = new Int64Array(1);
  sys.clock_time_get(CLOCK_REALTIME, 1, time.dataStart);
  return time[0];
}

// --- exit -----------------------------------------------------------------

/** Flushes stdout and stderr and ends the process with `code`. */
export function exit(code: i32): void {
  flushAll();
  sys.proc_exit(code);
  unreachable();
}

/**
 * Where a command lives: `name` itself if it contains a "/", else the first
 * `dir/name` that exists (and is not a directory) for the directories of
 * `searchPath` (a $PATH value; "" means "/bin"). Null if none.
 */
export function findProgram(name: string, searchPath: string): string | null {
  if (name.includes("/")) return name;
  let dirs = (searchPath.length > 0 ? searchPath : DEFAULT_PATH).split(":");
  let st = new Stat();
  for (let i = 0; i < dirs.length; i++) {
    let candidate = joinPath(dirs[i].length > 0 ? dirs[i] : ".", name);
    if (stat(candidate, st) >= 0 && !st.isDir) return candidate;
  }
  return null;
}

/** Where programs are found when $PATH is not set. */
export const DEFAULT_PATH = "/bin";
