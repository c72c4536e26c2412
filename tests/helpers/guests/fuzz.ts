// The syscall fuzzer's guest: `fuzz run SEED ID CALLS MAXFDS PROCS`.
// Makes CALLS random calls to every import of wasi_snapshot_preview1 and
// wasmux (except proc_exit, which ends it) with random and boundary
// arguments: bad fds, pointers at and past the end of memory, huge and
// negative lengths, long paths, paths with NUL, '..', FIFOs, other fuzzers'
// files. The same SEED and ID give the same sequence of calls.
//
// What it checks itself: every result is a number the ABI allows (wasmux:
// >= 0 or -errno; WASI: 0 or an errno), never a kernel sentinel. A bad one
// is reported on fd 1000 (a report file) and ends the process with status 3.
// Everything else (no kernel fault, heap and locks back as they were, every
// process ends) is checked by the host (tests/helpers/fuzz.mjs).
//
// It must not hang legitimately, so what could block for ever is defused:
// every descriptor it makes or flags is O_NONBLOCK, waitpid has WNOHANG,
// sleeps and poll timeouts are at most 1 ms, signals go only to its own
// children (or are ones nobody dies of). It must not corrupt itself: the
// kernel writes only into a region at the very end of its memory (grown at
// start, never used by the allocator), or past the end (EFAULT). Mutating
// path calls stay inside /tmp/fz<ID> (and the other fuzzers' trees), so the
// host can remove everything made and expect the kernel heap as it was.

export { abortProgram } from "../../../programs/lib/abort";   // the --use abort= target

// --- imports (every one of abi/syscalls.ts; the test checks the list) -----

import {
  args_get, args_sizes_get, environ_get, environ_sizes_get, clock_res_get, clock_time_get,
  fd_advise, fd_allocate, fd_close, fd_datasync, fd_fdstat_get, fd_fdstat_set_flags,
  fd_fdstat_set_rights, fd_filestat_get, fd_filestat_set_size, fd_filestat_set_times, fd_pread,
  fd_prestat_get, fd_prestat_dir_name, fd_pwrite, fd_read, fd_readdir, fd_renumber, fd_seek,
  fd_sync, fd_tell, fd_write, path_create_directory, path_filestat_get, path_filestat_set_times,
  path_link, path_open, path_readlink, path_remove_directory, path_rename, path_symlink,
  path_unlink_file, poll_oneoff, proc_exit, proc_raise, random_get, sched_yield, sock_accept,
  sock_recv, sock_send, sock_shutdown, spawn, waitpid, getpid, getppid, pipe2, dup, dup2, fcntl,
  open, close, read, write, lseek, ftruncate, stat, fstat, mkdir, rmdir, unlink, rename, mkfifo,
  chdir, getcwd, getdents, kill, nanosleep, snapshot, openat, mkdirat, mkfifoat, alarm, setitimer,
  getitimer, sigaction, sigprocmask, sigpending, sigsuspend, sigtimedwait, sigqueue, sigtake,
  sigreturn, sleepleft, setuid, setgid, setreuid, setregid, setresuid, setresgid, getresuid,
  getresgid, fchmodat, fchownat, fchown, faccessat, unlinkat, renameat, linkat, symlinkat,
  readlinkat, fstatat, fork, execve, getpgid, setpgid, getsid, setsid, getuid, geteuid, getgid,
  getegid, umask, uname, dup3, getrlimit, setrlimit, waitid, fchdir, fchmod, fexecve, getrusage,
  wait4, tcgetpgrp, tcsetpgrp, msgget, msgsnd, msgrcv, msgctl, mq_open, mq_unlink, mq_timedsend,
  mq_timedreceive, mq_notify, mq_getsetattr,
} from "./fuzz/syscalls";
import { O_WRONLY, O_RDWR, O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_NONBLOCK, O_DIRECTORY, O_CLOEXEC, F_DUPFD, F_SETFL, F_DUPFD_CLOEXEC, WNOHANG, SIGKILL, WASI_FDFLAG_NONBLOCK, MAX_ERRNO, REPORT_FD, PROGRESS_FD, NCALLS, IPC_NOWAIT } from "./fuzz/consts";
import { cat, cleanStatus, listDir, removeTree, sameBytes } from "./fuzz/clean";
import { probe } from "./fuzz/probe";



// --- the generator -----------------------------------------------------------

let rng: u64 = 1;
function next(): u64 {
  rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17;
  return rng;
}
function below(n: u32): u32 { return <u32>(next() % <u64>n); }
function pct(p: u32): bool { return below(100) < p; }

// The region the kernel may write: the last pages of memory, grown at start.
let R: u32 = 0;                 // region start
let END: u32 = 0;               // end of memory
const RSIZE: u32 = 2 * 65536;
const DATA: u32 = 0;            // general buffers at R + [0, 40K)
const PATHA: u32 = 40 * 1024, PATHB: u32 = 48 * 1024, STRUCT: u32 = 56 * 1024;   // 8 KiB each

let maxFds: i32 = 1024;
let me: i32 = 0;
let nprocs: i32 = 1;
let dirPrefix = "";             // "/tmp/fz<ID>"

const POOL = 16;
let pool = new StaticArray<i32>(POOL);
let poolN = 0;
const MAXKIDS = 4;
let kids = new StaticArray<i32>(MAXKIDS);   // live or unreaped children (pids are never reused)
let kidsN = 0;

function remember(fd: i32): void {
  if (fd < 0 || fd >= REPORT_FD) return;
  if (poolN < POOL) { pool[poolN++] = fd; return; }
  let i = below(POOL);
  let old = pool[i];
  pool[i] = fd;
  if (old != fd && old > 3 && old < REPORT_FD) close(old);   // keep the table from filling for good
}

function fd(): i32 {
  switch (below(12)) {
    case 0: case 1: case 2: case 3: case 4: return poolN > 0 ? pool[below(poolN)] : 3;
    case 5: return <i32>below(8);
    case 6: return <i32>below(128);
    case 7: { const b: i32[] = [-1, maxFds - 1, maxFds, maxFds + 1, 0x7fffffff, -0x80000000, 64]; return b[below(7)]; }
    case 8: return 3;
    default: return poolN > 0 ? pool[below(poolN)] : <i32>below(8);
  }
}

/** A pointer the kernel may write through: in the region, at its end, or past memory. */
function ptr(): u32 {
  switch (below(10)) {
    case 0: return END - 1 - below(16);
    case 1: return END;
    case 2: { const b: u32[] = [0x7fffffff, 0x80000000, 0xfffffff0, 0xffffffff, END + 1]; return b[below(5)]; }
    case 3: return R + RSIZE - 8;
    default: return R + (below(RSIZE) & ~7);
  }
}
/**
 * snapshot(ptr, len): the record is written whole when it fits in len, and
 * with 8 fuzzers' descriptors it can outgrow the moat: a length that would
 * let it run past the moat from a pointer in the region is cut to the room
 * there is (the boundary lengths stay for pointers past memory).
 */
function snapshotCall(): i32 {
  const p = ptr();
  let n = len();
  if (p >= R && p < END && n > END + MOAT - p) n = END + MOAT - p;
  return snapshot(p, n);
}

/** A pointer the kernel only reads from: anything, low memory included. */
function inPtr(): u32 { return pct(10) ? below(2048) : ptr(); }

function len(): u32 {
  switch (below(12)) {
    case 0: return 0;
    case 1: return 1;
    case 2: return below(300);
    case 3: return 4096;
    case 4: return 4097;
    case 5: return 65536;
    case 6: { const b: u32[] = [0x7fffffff, 0x80000000, 0xffffffff, 0xfffffff0, RSIZE, RSIZE + 1]; return b[below(6)]; }
    default: return below(8192);
  }
}
function int(): i32 {
  switch (below(8)) {
    case 0: { const b: i32[] = [0, 1, -1, 2, 3, 4, 8, 17, 0x7fffffff, -0x80000000, 65, 1024]; return b[below(12)]; }
    case 1: return <i32>next();
    default: return <i32>below(16);
  }
}
function flags(): i32 { return pct(20) ? <i32>next() : <i32>below(0x100); }
function i64v(): i64 {
  switch (below(6)) {
    case 0: { const b: i64[] = [0, 1, -1, 4096, 0x7fffffff, 0x80000000, 0x100000000, 1 << 40, i64.MAX_VALUE, i64.MIN_VALUE]; return b[below(10)]; }
    case 1: return <i64>next();
    default: return <i64>below(65536);
  }
}
/** A file size or offset: small, or absurd; never one that makes the kernel hold hundreds of MiB. */
function size(): i64 {
  const b: i64[] = [0, 1, 4095, 4096, 65537, 1 << 20, -1, -4096, (1 << 30) + 1, 0x7fffffff, 1 << 40, i64.MAX_VALUE, i64.MIN_VALUE];
  return pct(30) ? <i64>below(1 << 17) : b[below(13)];
}

// Paths. Own-tree names are relative to our cwd or dir fd (both in our tree);
// the read-only ones are only looked at, never changed or kept open.
const OWN: string[] = ["a", "b", "sub", "sub/c", "sub/d/e", "fifo", ".", "sub/..", "..", "a/x", "sub/fifo2"];
const RO: string[] = ["/", "/dev/null", "/dev/zero", "/bin/true", "/tmp", "/dev"];
let OWN_ABS: string[] = [];      // dirPrefix + "/" + OWN[i]
let OTHERS: string[] = [];       // "/tmp/fz<k>/" + OWN[i], every fuzzer k, i < 5
let LONG1 = "", LONG2 = "", LONGCD = "";
let W_OWN: string[] = [];        // "tmp/fz<ID>/" + OWN[i]: WASI paths, relative to the root at fd 3
let W_OTHERS: string[] = [];
let W_LONG1 = "", W_LONG2 = "";
const W_RO: string[] = ["dev/null", "dev/zero", "bin/true", "tmp", "dev", "bin"];
let lastRO = false;              // the last path is one we only look at (or "..": not our tree)

function putStr(at: u32, s: string): u32 {
  return <u32>String.UTF8.encodeUnsafe(changetype<usize>(s), s.length, R + at);
}
let pathLen: u32 = 0;
/** Writes a path at R+at and returns its pointer; pathLen is the length to pass. */
function pathAt(at: u32, mutating: bool, wasi: bool = false): u32 {
  lastRO = false;
  let s: string;
  const k = below(20);
  if (wasi) {
    // Relative to fd 3, the root: our tree is "tmp/fz<ID>/...".
    if (k < 12) s = W_OWN[below(W_OWN.length)];
    else if (k < 13) s = W_OTHERS[below(W_OTHERS.length)];
    else if (k < 15 && !mutating) s = W_RO[below(W_RO.length)];
    else if (k < 16) s = pct(50) ? ".." : ".";
    else if (k < 17) s = "nonexistent/x";
    else if (k < 18) s = pct(50) ? "tmp/a\0b" : "";
    else s = below(2) == 0 ? W_LONG1 : W_LONG2;
  } else if (k < 9) s = OWN[below(OWN.length)];
  else if (k < 12) s = OWN_ABS[below(OWN_ABS.length)];
  else if (k < 13) s = OTHERS[below(OTHERS.length)];
  else if (k < 15 && !mutating) s = RO[below(RO.length)];
  else if (k < 16) s = "/nonexistent/x";
  else if (k < 17) s = "";
  else if (k < 18) s = "a\0b";
  else if (k < 19) s = below(2) == 0 ? LONG1 : LONG2;
  else s = "sub/./../sub/c";
  pathLen = putStr(at, s);
  // Ours: a name in our tree (or the other fuzzers'). Anything else — the
  // read-only names, "..", bytes from elsewhere in memory — is only looked at:
  // opened read-only and closed at once, never created or changed.
  const ours = !s.endsWith("..") && (s.startsWith(wasi ? "tmp/fz" : "/tmp/fz") || (!wasi && !s.startsWith("/")));
  lastRO = !ours;
  if (mutating) {
    const b2 = below(20);
    if (b2 == 0) pathLen = 0;
    else if (b2 == 1 && ours) pathLen = pathLen + 1;
    else if (b2 == 2) { const b: u32[] = [0x7fffffff, 0xffffffff, 0x80000000, 4097]; pathLen = b[below(4)]; }
    return R + at;
  }
  const bad = below(20);
  if (bad == 0) pathLen = 0;
  else if (bad == 1) pathLen = pathLen + 1;
  else if (bad == 2) { const b: u32[] = [0x7fffffff, 0xffffffff, 0x80000000, 4097]; pathLen = b[below(4)]; }
  else if (bad == 3) { lastRO = true; return inPtr(); }
  return R + at;
}

/** An iovec array at R+STRUCT (count iovCount); buffers where the kernel may write. */
let iovCount: u32 = 0;
function iovs(input: bool): u32 {
  const k = below(5);
  for (let i: u32 = 0; i < k; i++) {
    store<u32>(R + STRUCT + i * 8, input ? inPtr() : ptr());
    store<u32>(R + STRUCT + i * 8 + 4, len());
  }
  iovCount = pct(90) ? k : len();
  if (pct(95)) return R + STRUCT;
  // The kernel writes where a read's iovecs point: a vector elsewhere would
  // be whatever bytes lie there (the guest's own data, low memory), and the
  // kernel would rightly write into the guest's heap. So a read's vector is
  // ours or one the kernel cannot fetch (EFAULT); a write's may be anywhere.
  if (input) return inPtr();
  const bad: u32[] = [END, END - 4, 0xfffffff8, 0xffffffff];
  return bad[below(4)];
}

function nbFlags(f: i32): i32 { return f | O_NONBLOCK; }

/** poll subscriptions at R+STRUCT: the first a clock of at most 1 ms, so poll never waits long. */
let nsubs: u32 = 0;
function subs(): u32 {
  const n = below(5);
  const counts: u32[] = [0, 65, 129, 0x7fffffff, 0xffffffff, 100000];
  nsubs = pct(90) ? n : counts[below(6)];
  // Every subscription the kernel can reach inside the region is one of ours.
  const fill = nsubs < 160 ? (nsubs > n ? nsubs : n) : n;
  for (let i: u32 = 0; i < fill; i++) {
    const s = R + STRUCT + i * 48;
    for (let j: u32 = 0; j < 48; j += 8) store<u64>(s + j, next());
    let type: u8 = i == 0 ? 0 : <u8>below(4);
    store<u8>(s + 8, type);
    if (type == 0) {
      store<u32>(s + 16, below(5));              // clock id (4: invalid)
      store<u64>(s + 24, below(1000001));        // timeout ns
      store<u16>(s + 40, <u16>below(2));         // flags: abstime (in the past) or relative
    } else {
      store<i32>(s + 16, fd());
    }
  }
  return R + STRUCT;
}

function spawnCall(): i32 {
  if (kidsN >= MAXKIDS) return getpid();
  const progs: string[] = ["/bin/true", "/bin/false", "a", "sub", "fifo", "/nonexistent", "", "/bin/true\0x"];
  const pr = progs[below(progs.length)];
  const pp = R + PATHA;
  let pn = putStr(PATHA, pr);
  if (pct(5)) pn = len();
  // argv: our layout puts pointer/length pairs as the ABI wants (ptr, len)[]
  const argc = below(4);
  let av = R + PATHB;
  for (let i: u32 = 0; i < argc; i++) {
    const s = R + PATHB + 256 + i * 16;
    putStr(PATHB + 256 + i * 16, "x" + i.toString());
    store<u32>(av + i * 8, pct(95) ? s : inPtr());
    store<u32>(av + i * 8 + 4, pct(95) ? 2 : len());
  }
  const ac = pct(90) ? <i32>argc : int();
  const avp = pct(90) ? av : inPtr();
  // file actions (24-byte records): DUP2, CLOSE, OPEN of our own paths, or garbage
  const na = below(4);
  const acts = R + STRUCT;
  for (let i: u32 = 0; i < na; i++) {
    const r = acts + i * 24;
    store<u32>(r, pct(90) ? 1 + below(3) : <u32>int());
    store<i32>(r + 4, fd());
    store<i32>(r + 8, fd());
    store<i32>(r + 12, pct(50) ? nbFlags(flags()) : flags());
    const pa = pathAt(DATA + i * 8192, true);
    store<u32>(r + 16, pa);
    store<u32>(r + 20, pathLen);
  }
  const nact = pct(90) ? <i32>na : int();
  const cwdp = pct(80) ? 0 : pathAt(DATA + 32768, true);
  const cwdn = cwdp == 0 ? 0 : pathLen;
  const pid = spawn(pp, pn, avp, ac, pct(90) ? 0 : avp, pct(90) ? 0 : ac, pct(90) ? acts : inPtr(), nact, cwdp, cwdn);
  if (pid > 0) kids[kidsN++] = pid;
  return pid;
}

/**
 * execve that never replaces this guest: every call has an argv or envp
 * the kernel cannot read, so it fails (path and image checks first: ENOENT,
 * EACCES, ENOEXEC, ENAMETOOLONG, EFAULT).
 */
/** fexecve that never replaces this guest, as execveCall: any fd, an unreadable argv or envp. */
function fexecveCall(): i32 {
  const bad: u32 = 0xfffffff0;
  if (pct(50)) return fexecve(fd(), bad, 1 + below(3), 0, 0);
  return fexecve(fd(), 0, 0, bad, 1 + below(3));
}

function execveCall(): i32 {
  const progs: string[] = ["/bin/true", "a", "sub", "fifo", "/nonexistent", "", "/bin/true\0x", "/tmp", "/dev/null"];
  const pn = putStr(PATHA, progs[below(progs.length)]);
  const pp = pct(95) ? R + PATHA : ptr();
  const bad: u32 = 0xfffffff0;
  if (pct(50)) return execve(pp, pct(95) ? pn : len(), bad, 1 + below(3), 0, 0);
  return execve(pp, pct(95) ? pn : len(), 0, 0, bad, 1 + below(3));
}

function killCall(): i32 {
  if (kidsN > 0 && pct(50)) {
    const sigs: i32[] = [0, 9, 15, 17, 2];
    return kill(kids[below(kidsN)], sigs[below(5)]);
  }
  const pids: i32[] = [0, -1, 1, me, 99999, -0x80000000, 0x7fffffff, getpid()];
  const sigs: i32[] = [0, 17, -1, 65, 0x7fffffff, 1000];
  return kill(pids[below(8)], sigs[below(6)]);
}

function waitCall(rusage: bool = false): i32 {
  const pids: i32[] = [-1, 0, 1, me, 99999];
  const pid = kidsN > 0 && pct(50) ? kids[below(kidsN)] : pids[below(5)];
  const opt = (pct(80) ? 0 : int()) | WNOHANG;
  const r = rusage ? wait4(pid, ptr(), opt, ptr()) : waitpid(pid, ptr(), opt);
  for (let i = 0; i < kidsN; i++) if (kids[i] == r) { kids[i] = kids[--kidsN]; break; }
  return r;
}

function sleepNs(): i64 {
  const b: i64[] = [-1, 0, 1, 1000, 100000, 1000000, i64.MIN_VALUE, -1000000];
  return b[below(8)];
}

function rememberOut(r: i32, at: u32, count: i32): void {
  // The fds a call wrote at `at` (if it is in the region and the call succeeded).
  if (r != 0 || at < R || at + <u32>count * 4 > END) return;
  for (let i = 0; i < count; i++) {
    const f = load<i32>(at + i * 4);
    if (lastRO) { if (f > 3 && f < REPORT_FD) close(f); } else remember(f);
  }
}

/** One random call; returns its result as i64 and whether it is a WASI call (errno convention). */
let isWasi = false;
function doCall(k: u32): i64 {
  isWasi = true;
  switch (k) {
    case 0: return args_get(ptr(), ptr());
    case 1: return args_sizes_get(ptr(), ptr());
    case 2: return environ_get(ptr(), ptr());
    case 3: return environ_sizes_get(ptr(), ptr());
    case 4: return clock_res_get(int(), ptr());
    case 5: return clock_time_get(int(), i64v(), ptr());
    case 6: return fd_advise(fd(), size(), size(), int());
    case 7: return fd_allocate(fd(), size(), size());
    case 8: { const f = fd(); if (f == REPORT_FD) return 0; return fd_close(f); }
    case 9: return fd_datasync(fd());
    case 10: return fd_fdstat_get(fd(), ptr());
    case 11: return fd_fdstat_set_flags(fd(), flags() | WASI_FDFLAG_NONBLOCK);
    case 12: return fd_fdstat_set_rights(fd(), i64v(), i64v());
    case 13: return fd_filestat_get(fd(), ptr());
    case 14: return fd_filestat_set_size(fd(), size());
    case 15: return fd_filestat_set_times(fd(), i64v(), i64v(), flags());
    case 16: { const f = fd(); const v = iovs(false); return fd_pread(f, v, iovCount, size(), ptr()); }
    case 17: return fd_prestat_get(fd(), ptr());
    case 18: return fd_prestat_dir_name(fd(), ptr(), len());
    case 19: { const f = fd(); const v = iovs(true); return fd_pwrite(f, v, iovCount, size(), ptr()); }
    case 20: { const f = fd(); const v = iovs(false); return fd_read(f, v, iovCount, ptr()); }
    case 21: return fd_readdir(fd(), ptr(), len(), i64v(), ptr());
    case 22: { const a = fd(), b = fd(); if (b == REPORT_FD || a == REPORT_FD) return 0; return fd_renumber(a, b); }
    case 23: {
      const wh = <i32>below(4);
      return fd_seek(fd(), wh == 0 ? size() : (pct(90) ? <i64>below(4096) - 2048 : i64v()), pct(95) ? wh : int(), ptr());
    }
    case 24: return fd_sync(fd());
    case 25: return fd_tell(fd(), ptr());
    case 26: { const f = fd(); const v = iovs(true); return fd_write(f, v, iovCount, ptr()); }
    case 27: { const p = pathAt(PATHA, true, true); return path_create_directory(wdir(), p, pathLen); }
    case 28: { const d = wdir(), fl = flags(); const p = pathAt(PATHA, false, true); return path_filestat_get(d, fl, p, pathLen, ptr()); }
    case 29: { const d = wdir(), fl = flags(); const p = pathAt(PATHA, true, true); return path_filestat_set_times(d, fl, p, pathLen, i64v(), i64v(), flags()); }
    case 30: {
      const d = wdir(), fl = flags(); const p = pathAt(PATHA, true, true); const pl = pathLen;
      const d2 = wdir(); const q = pathAt(PATHB, true, true);
      return path_link(d, fl, p, pl, d2, q, pathLen);
    }
    case 31: {
      const d = wdir(), df = flags(); const p = pathAt(PATHA, false, true); const pl = pathLen;
      let ofl = flags(), base = i64v(), inh = i64v(), ff = flags() | WASI_FDFLAG_NONBLOCK;
      if (lastRO) { ofl &= 2; base = 2; inh = 0; ff = WASI_FDFLAG_NONBLOCK; }   // fd_read right only, no create/trunc
      const o = pct(95) ? R + STRUCT : ptr();
      const r = path_open(d, df, p, pl, ofl, base, inh, ff, o);
      rememberOut(r, o, 1);
      return r;
    }
    case 32: { const d = wdir(); const p = pathAt(PATHA, false, true); return path_readlink(d, p, pathLen, ptr(), len(), ptr()); }
    case 33: { const d = wdir(); const p = pathAt(PATHA, true, true); return path_remove_directory(d, p, pathLen); }
    case 34: {
      const d = wdir(); const p = pathAt(PATHA, true, true); const pl = pathLen;
      const d2 = wdir(); const q = pathAt(PATHB, true, true);
      return path_rename(d, p, pl, d2, q, pathLen);
    }
    case 35: {
      // The link's target stays inside our tree or does not exist.
      const t: string[] = ["a", "sub", "/nonexistent/x", "", "fifo"];
      const tn = putStr(PATHB, t[below(5)]);
      const d = wdir(); const q = pathAt(PATHA, true, true);
      return path_symlink(R + PATHB, tn, d, q, pathLen);
    }
    case 36: { const d = wdir(); const p = pathAt(PATHA, true, true); return path_unlink_file(d, p, pathLen); }
    case 37: { const i = subs(); return poll_oneoff(i, pct(95) ? R + DATA : ptr(), nsubs, ptr()); }
    case 38: { const sigs: i32[] = [0, 17, -1, 65, 0x7fffffff]; return proc_raise(sigs[below(5)]); }
    case 39: return random_get(ptr(), len() & 0x3ffff);
    case 40: return sched_yield();
    case 41: return sock_accept(fd(), flags(), ptr());
    case 42: { const f = fd(); const v = iovs(false); return sock_recv(f, v, iovCount, flags(), ptr(), ptr()); }
    case 43: { const f = fd(); const v = iovs(true); return sock_send(f, v, iovCount, flags(), ptr()); }
    case 44: return sock_shutdown(fd(), int());
  }
  isWasi = false;
  switch (k) {
    case 45: return spawnCall();
    case 46: return waitCall();
    case 47: return getpid();
    case 48: return getppid();
    case 49: {
      const o = pct(95) ? R + STRUCT : ptr();
      // Random flags too, but always O_NONBLOCK: pipe2(0) made a blocking pipe
      // whose both ends were ours, and a read of it (or a write to it full)
      // waited for ever, as it would on Linux (a 110 s "guests still running").
      const r = pipe2(o, nbFlags(pct(95) ? (pct(80) ? 0 : O_CLOEXEC) : flags()));
      lastRO = false;
      rememberOut(r, o, 2);
      return r;
    }
    case 50: { const r = dup(fd()); remember(r); return r; }
    case 51: { const a = fd(), b = fd(); const r = dup2(a, b); remember(r); return r; }
    case 52: {
      const cmds: i32[] = [F_DUPFD, 1, 2, 3, F_SETFL, F_DUPFD_CLOEXEC, -1, 9999];
      const c = pct(95) ? cmds[below(8)] : int();
      let arg = int();
      if (c == F_SETFL) arg |= O_NONBLOCK;
      if ((c == F_DUPFD || c == F_DUPFD_CLOEXEC) && arg >= REPORT_FD && arg <= PROGRESS_FD) arg = 5;
      const r = fcntl(fd(), c, arg);
      if (c == F_DUPFD || c == F_DUPFD_CLOEXEC) remember(r);
      return r;
    }
    case 53: {
      const p = pathAt(PATHA, false);
      let f = flags() | (pct(50) ? O_CREAT : 0) | (pct(10) ? O_TRUNC | O_WRONLY : 0) | (pct(10) ? O_EXCL : 0)
        | (pct(10) ? O_APPEND | O_RDWR : 0) | (pct(10) ? O_DIRECTORY : 0) | (pct(10) ? O_CLOEXEC : 0);
      if (lastRO) f = f & (O_DIRECTORY | O_CLOEXEC);      // read-only, no create/trunc
      const r = open(p, pathLen, nbFlags(f), int());
      if (lastRO) { if (r > 3) close(r); } else remember(r);
      return r;
    }
    case 54: { const f = fd(); if (f == REPORT_FD) return 0; return close(f); }
    case 55: return read(fd(), ptr(), len());
    case 56: return write(fd(), inPtr(), len());
    case 57: {
      const wh = <i32>below(3);
      return lseek(fd(), wh == 0 ? size() : (pct(90) ? <i64>below(4096) - 2048 : i64v()), pct(95) ? wh : int());
    }
    case 58: return ftruncate(fd(), size());
    case 59: { const p = pathAt(PATHA, false); return stat(p, pathLen, ptr()); }
    case 60: return fstat(fd(), ptr());
    case 61: { const p = pathAt(PATHA, true); return mkdir(p, pathLen, int()); }
    case 62: { const p = pathAt(PATHA, true); return rmdir(p, pathLen); }
    case 63: { const p = pathAt(PATHA, true); return unlink(p, pathLen); }
    case 64: { const p = pathAt(PATHA, true); const pl = pathLen; const q = pathAt(PATHB, true); return rename(p, pl, q, pathLen); }
    case 65: { const p = pathAt(PATHA, true); return mkfifo(p, pathLen, int()); }
    case 66: {
      // Only into our own tree (or nowhere): relative paths must stay ours.
      const own: string[] = [".", "sub", "sub/d", dirPrefix, OWN_ABS[2], "a", "/nonexistent", "", LONGCD];
      const n = putStr(PATHA, own[below(own.length)]);
      return chdir(R + PATHA, pct(95) ? n : len());
    }
    case 67: return getcwd(ptr(), len());
    case 68: return getdents(fd(), ptr(), len());
    case 69: return killCall();
    case 70: return nanosleep(sleepNs());
    case 71: return snapshotCall();
    case 72: return pct(50) ? getpid() : getppid();
    // The *at calls: from the cwd (AT_FDCWD) or fd 3, the root (a WASI-style
    // path: our tree), and, only for calls that change nothing, any fd.
    case 73: {
      const d = atDir(false); const p = atPath(PATHA, false);
      let f = flags() | (pct(50) ? O_CREAT : 0) | (pct(10) ? O_TRUNC | O_WRONLY : 0) | (pct(10) ? O_EXCL : 0);
      if (lastRO || atAny) f = f & (O_DIRECTORY | O_CLOEXEC);
      const r = openat(d, p, pathLen, nbFlags(f), int());
      if (lastRO || atAny) { if (r > 3) close(r); } else remember(r);
      return r;
    }
    case 74: { const d = atDir(true); const p = atPath(PATHA, true); return mkdirat(d, p, pathLen, int()); }
    case 75: { const d = atDir(true); const p = atPath(PATHA, true); return unlinkat(d, p, pathLen, pct(50) ? AT_REMOVEDIR : flags()); }
    case 76: {
      const d = atDir(true); const p = atPath(PATHA, true); const pl = pathLen;
      const d2 = atDir(true); const q = atPath(PATHB, true);
      return renameat(d, p, pl, d2, q, pathLen);
    }
    case 77: {
      const d = atDir(true); const p = atPath(PATHA, true); const pl = pathLen;
      const d2 = atDir(true); const q = atPath(PATHB, true);
      return linkat(d, p, pl, d2, q, pathLen, pct(50) ? AT_SYMLINK_FOLLOW : flags());
    }
    case 78: {
      const t: string[] = ["a", "sub", "/nonexistent/x", "", "l2"];
      const tn = putStr(PATHB, t[below(5)]);
      const d = atDir(true); const q = atPath(PATHA, true);
      return symlinkat(R + PATHB, tn, d, q, pathLen);
    }
    case 79: { const d = atDir(false); const p = atPath(PATHA, false); return readlinkat(d, p, pathLen, ptr(), len()); }
    case 80: { const d = atDir(false); const p = atPath(PATHA, false); return fstatat(d, p, pathLen, ptr(), pct(50) ? AT_SYMLINK_NOFOLLOW : flags()); }
    case 81: {
      // This guest's calls run in its start function, where no fork can be
      // rewound (ENOSYS); should one ever succeed, the child leaves at once.
      const r = fork();
      if (r == 0) proc_exit(0);
      if (r > 0) waitpid(r, 0, 0);
      return r;
    }
    case 82: return execveCall();
    case 83: return getpgid(pidArg());
    case 84: return setpgid(pidArg(), pidArg());
    case 85: return getsid(pidArg());
    case 86: return setsid();
    case 87: return pct(50) ? getuid() : geteuid();
    case 88: return pct(50) ? getgid() : getegid();
    case 89: return umask(int());
    case 90: return uname(ptr());
    case 91: { const a = fd(), b = fd(); if (b == REPORT_FD || b == PROGRESS_FD) return 0; const r = dup3(a, b, pct(80) ? (pct(50) ? O_CLOEXEC : 0) : flags()); remember(r); return r; }
    case 92: return getrlimit(pct(90) ? <i32>below(17) : int(), ptr());
    case 93: return setrlimitCall();
    case 94: {
      // As waitCall, by idtype; WEXITED (4) mostly, WNOHANG so nothing waits for ever.
      const t = pct(90) ? <i32>below(4) : int();
      const o = pct(90) ? 4 | WNOHANG | (pct(20) ? 0x1000000 : 0) : int();
      return waitid(t, pct(50) && kidsN > 0 ? kids[below(kidsN)] : pidArg(), ptr(), o | WNOHANG);
    }
    case 95: {
      // Only into our own tree: relative paths must stay ours (see chdir).
      if (pct(50)) { const b: i32[] = [-1, 5000, 0x7fffffff, -0x80000000]; return fchdir(b[below(4)]); }
      const d = openStr(dirPrefix, O_DIRECTORY);
      if (d < 0) return d;
      const r = fchdir(d);
      close(d);
      return r;
    }
    case 96: return fchmod(fd(), int());
    case 97: return getpgid(0);
    case 98: return getsid(0);
    case 99: { const d = atDir(true); const p = atPath(PATHA, true); return mkfifoat(d, p, pathLen, int()); }
    // Signals. This guest has no trampoline, so no handler can be installed
    // (EINVAL): dispositions are SIG_DFL or SIG_IGN, masks anything; what
    // could wait for ever (sigsuspend, sigtimedwait with -1) gets bad
    // pointers or short timeouts; what it queues to itself nobody dies of.
    // SIGPIPE stays unblocked and default (keepSigpipe): generations end by
    // it (tests/helpers/fuzz.mjs), and one that lived on would grow its heap
    // past END, where the kernel is let write.
    case 100: {
      if (pct(60)) store<u32>(R + STRUCT, below(3));   // SIG_DFL, SIG_IGN, a function index
      const sigs: i32[] = [1, 2, 15, 17, 9, 19, 0, 65, -1, 40, 64, 0x7fffffff];
      return sigaction(sigs[below(12)], pct(80) ? R + STRUCT : ptr(), pct(50) ? 0 : ptr());
    }
    case 101: return keepSigpipe(sigprocmask(pct(90) ? <i32>below(3) : int(), pct(80) ? R + STRUCT : (pct(50) ? 0 : ptr()), pct(50) ? 0 : ptr()));
    case 102: return sigpending(ptr());
    case 103: { const b: u32[] = [0xfffffff0, 0xfffffff9, 0xffffffff]; return sigsuspend(b[below(3)]); }   // (END may be memory by now)
    case 104: {
      const t: i64[] = [0, 1000, 1000000, -2, -5, i64.MIN_VALUE];
      return sigtimedwait(pct(80) ? R + STRUCT : ptr(), pct(50) ? 0 : ptr(), t[below(6)]);
    }
    case 105: {
      if (kidsN > 0 && pct(50)) { const ks: i32[] = [0, 9, 15, 40, 64]; return sigqueue(kids[below(kidsN)], ks[below(5)], int()); }
      const pids: i32[] = [getpid(), 0, -1, 1, 99999, 0x7fffffff];
      const ss: i32[] = [0, 17, 23, 28, -1, 65, 0x7fffffff];
      return sigqueue(pids[below(6)], ss[below(7)], int());
    }
    case 106: return sigtake(ptr(), ptr());
    case 107: return keepSigpipe(sigreturn(pct(80) ? R + STRUCT : ptr()));
    case 108: return sleepleft(ptr());
    // Only to its own ids (or bad ones): a fuzzer that gave up root could not kill its children at the end.
    case 109: return setuid(pct(50) ? getuid() : (pct(50) ? -1 : -0x80000000));
    case 110: return setgid(pct(50) ? getgid() : (pct(50) ? -1 : -0x80000000));
    case 111: return fexecveCall();
    case 112: { const who: i32[] = [0, -1, 1, 2, -2, 0x7fffffff]; return getrusage(who[below(6)], ptr()); }
    case 113: return waitCall(true);
    // Timers (itimer.ts). SIGALRM's default action would end the generation
    // early, so an armed timer is always far off (or the call disarms it).
    case 114: return alarm(pct(50) ? 0 : 1000 + below(1000));
    case 115: {
      const far: i64 = 1000000000000;   // 1000 s
      store<i64>(R + STRUCT, pct(70) ? <i64>below(1000000) : int());     // interval_ns (may be negative: EINVAL)
      store<i64>(R + STRUCT + 8, pct(50) ? 0 : (pct(90) ? far : -1));   // value_ns: off, far, EINVAL
      const which: i32[] = [0, 0, 0, 1, 2, -1, 0x7fffffff];
      return setitimer(which[below(7)], pct(80) ? R + STRUCT : (pct(50) ? 0 : 0xfffffff0), pct(50) ? 0 : ptr());   // never random bytes as a new value
    }
    case 116: { const which: i32[] = [0, 1, 2, -5]; return getitimer(which[below(4)], ptr()); }
    // The fuzz processes have no console descriptor (stdio is /dev/null): ENOTTY or EBADF, never a stop.
    case 117: return tcgetpgrp(fd());
    case 118: return tcsetpgrp(fd(), pidArg());
    // System V message queues (ipc/msg.ts). Calls never block (IPC_NOWAIT);
    // IPC_SET mostly keeps msg_qbytes small so root's queues cannot eat the
    // kernel memory; the round removes every queue at its end (clean-ipc).
    case 119: {
      const keys: i32[] = [0, 1, 2, 3, 0x5157, -1];
      const r = msgget(pct(80) ? keys[below(6)] : int(), flags() | (pct(50) ? 0o1000 : 0) | (pct(10) ? 0o2000 : 0) | (pct(90) ? 0o600 : 0));
      if (r >= 0) qids[below(4)] = r;
      return r;
    }
    case 120: return msgsnd(qid(), inPtr(), pct(70) ? below(9000) : len(), flags() | IPC_NOWAIT);
    case 121: return msgrcv(qid(), ptr(), len(), pct(50) ? <i64>below(8) - 4 : i64v(), flags() | IPC_NOWAIT);
    case 122: {
      const cmds: i32[] = [0, 1, 2, 3, 11, 12, 13, 99, -1];
      const cmd = cmds[below(9)];
      if (cmd == 1) {   // IPC_SET: a record of ours, msg_qbytes small unless rarely
        for (let i: u32 = 0; i < 96; i += 4) store<i32>(R + STRUCT + i, int());
        store<i32>(R + STRUCT + 72, pct(95) ? <i32>below(20000) : int());
        return msgctl(qid(), cmd, pct(90) ? R + STRUCT : ptr());
      }
      return msgctl(pct(30) ? <i32>below(8) : qid(), cmd, ptr());
    }
    // Credentials (#15): the fuzz processes stay root (only -1, their own ids or invalid ones).
    case 123: return setreuid(idArg(true), idArg(true));
    case 124: return setregid(idArg(false), idArg(false));
    case 125: return setresuid(idArg(true), idArg(true), idArg(true));
    case 126: return setresgid(idArg(false), idArg(false), idArg(false));
    case 127: return getresuid(ptr(), ptr(), ptr());
    case 128: return getresgid(ptr(), ptr(), ptr());
    // Owners and modes (#15): root may give its own files away; any uid, mode, flags.
    case 129: { const d = atDir(true); const p = atPath(PATHA, true); return fchmodat(d, p, pathLen, int()); }
    case 130: { const d = atDir(true); const p = atPath(PATHA, true); return fchownat(d, p, pathLen, pct(50) ? -1 : int(), pct(50) ? -1 : int(), pct(50) ? AT_SYMLINK_NOFOLLOW : flags()); }
    case 131: return fchown(fd(), pct(50) ? -1 : int(), pct(50) ? -1 : int());
    case 132: { const d = atDir(false); const p = atPath(PATHA, false); return faccessat(d, p, pathLen, pct(80) ? <i32>below(8) : int(), pct(50) ? 0 : flags()); }
    // POSIX message queues (mqueue.ts). Queue descriptors are always
    // O_NONBLOCK (mq_getsetattr never clears it) and every timed call has a
    // deadline at most 1 ms off, so nothing blocks for long.
    case 133: {
      const accs: i32[] = [0, O_WRONLY, O_RDWR, 3];
      let fl = accs[below(4)] | O_NONBLOCK;
      if (pct(60)) fl |= O_CREAT;
      if (pct(20)) fl |= O_EXCL;
      if (pct(30)) fl |= O_CLOEXEC;
      if (pct(5)) fl |= int() | O_NONBLOCK;
      const n = mqName();
      const fdq = mq_open(n, mqLen, fl, pct(80) ? 0o600 | below(0o200) : int(), mqAttr());
      if (fdq >= 0) remember(fdq);
      return fdq;
    }
    case 134: { const n = mqName(); return mq_unlink(n, mqLen); }
    case 135: {
      const prios: u32[] = [0, 1, 31, 32767, 32768, 0xffffffff];
      return mq_timedsend(fd(), inPtr(), len(), prios[below(6)], mqDeadline());
    }
    case 136: return mq_timedreceive(fd(), ptr(), len(), pct(50) ? 0 : ptr(), mqDeadline());
    case 137: {
      if (pct(20)) return mq_notify(fd(), 0);
      if (pct(10)) return mq_notify(fd(), ptr());
      // Only signals nobody dies of (SIGCHLD, SIGURG, SIGWINCH) or bad ones.
      const sigs: i32[] = [17, 23, 28, 0, 65, -1];
      const kinds: i32[] = [0, 1, 2, 7];
      store<i32>(R + STRUCT, int());
      store<i32>(R + STRUCT + 4, sigs[below(6)]);
      store<i32>(R + STRUCT + 8, kinds[below(4)]);
      return mq_notify(fd(), R + STRUCT);
    }
    case 138: {
      // A new attr keeps O_NONBLOCK (or is refused); never random bytes there.
      let nw: u32 = 0;
      const w = below(4);
      if (w == 1) nw = pct(50) ? END : 0xfffffff0;
      else if (w >= 2) {
        memory.fill(R + STRUCT, 0, 32);
        store<i32>(R + STRUCT, pct(80) ? O_NONBLOCK : O_NONBLOCK | (1 << <i32>below(31)));
        nw = R + STRUCT;
      }
      return mq_getsetattr(fd(), nw, pct(30) ? 0 : ptr());
    }
  }
  return 0;
}

const qids = new StaticArray<i32>(4);
/** A queue id: one we were given, a near miss, or anything. */
function qid(): i32 {
  switch (below(6)) {
    case 0: return int();
    case 1: return qids[below(4)] + 32768;   // the same slot, another seq: a stale id
    default: return qids[below(4)];
  }
}

/** An id argument that never gives up root: unchanged (-1), the own one, or invalid. */
function idArg(user: bool): i32 {
  const k = below(4);
  if (k == 0) return -1;
  if (k == 1) return user ? getuid() : getgid();
  return k == 2 ? -2 : -0x80000000;
}

// --- message queue arguments ---

let mqLen: u32 = 0;
/** A queue name in the region (PATHA), its length in mqLen: the fuzzers' shared few, bad and long ones, or any bytes. */
function mqName(): u32 {
  if (pct(8)) { mqLen = len(); return inPtr(); }
  const names: string[] = ["/fzq0", "/fzq1", "/fzq2", "/fzq3", "fzq0", "/fz/q", "/", "/.", "/..", ""];
  let s = names[below(<u32>names.length)];
  if (pct(4)) s = "/" + "m".repeat(pct(50) ? 255 : 256);
  const b = String.UTF8.encode(s);
  memory.copy(R + PATHA, changetype<usize>(b), <usize>b.byteLength);
  mqLen = <u32>b.byteLength;
  if (pct(3) && mqLen > 1) store<u8>(R + PATHA + 1, 0);   // a NUL inside
  return R + PATHA;
}

/** mq_open's attr: none, a bad pointer, any bytes, or {maxmsg, msgsize} at and past the limits. */
function mqAttr(): u32 {
  const w = below(4);
  if (w == 0) return 0;
  if (w == 1) return ptr();
  const sizes: i32[] = [1, 4, 10, 64, 8192, 65536, 65537, 0, -1, 0x7fffffff];
  const counts: i32[] = [1, 2, 10, 256, 1024, 1025, 0, -1, 0x7fffffff];
  memory.fill(R + STRUCT + 64, 0, 32);
  store<i32>(R + STRUCT + 64 + 4, counts[below(9)]);
  store<i32>(R + STRUCT + 64 + 8, sizes[below(10)]);
  return R + STRUCT + 64;
}

/** An absolute CLOCK_REALTIME deadline at most 1 ms off (so a blocking call cannot hang), a bad one, or a bad pointer. */
function mqDeadline(): u32 {
  const w = below(10);
  if (w == 0) return pct(50) ? END - 4 : 0xfffffff0;
  const ts = R + STRUCT + 128;
  clock_time_get(0, 0, ts + 32);
  const t = load<i64>(ts + 32) + <i64>below(1000000);
  store<i64>(ts, t / 1000000000);
  store<i32>(ts + 8, <i32>(t % 1000000000));
  if (w == 1) store<i32>(ts + 8, pct(50) ? 1000000000 : -1);
  if (w == 2) store<i64>(ts, -1);
  return ts;
}

const AT_FDCWD = -100, AT_SYMLINK_NOFOLLOW = 0x100, AT_REMOVEDIR = 0x200, AT_SYMLINK_FOLLOW = 0x400;
let atWasi = false;              // the *at call's directory is fd 3: a path relative to the root
let atAny = false;               // ... or any fd: the call must change nothing
function atDir(mutating: bool): i32 {
  atWasi = pct(40);
  atAny = !mutating && !atWasi && pct(20);
  return atWasi ? 3 : atAny ? fd() : AT_FDCWD;
}
function atPath(at: u32, mutating: bool): u32 { return pathAt(at, mutating, atWasi); }
/** A pid for the group calls: ours, 0, init, a child, none, extremes. */
function pidArg(): i32 {
  if (kidsN > 0 && pct(30)) return kids[below(kidsN)];
  const b: i32[] = [0, 1, -1, getpid(), 99999, 0x7fffffff, -0x80000000];
  return b[below(7)];
}

/** setrlimit: mostly refused (soft > hard, hard raised, bad pointers); a valid NOFILE keeps the report fds allocatable. */
function setrlimitCall(): i32 {
  const p = R + STRUCT;
  const res = pct(80) ? (pct(50) ? 7 : <i32>below(17)) : int();
  const soft: u64 = pct(50) ? <u64>(1002 + below(<u32>maxFds)) : <u64>next();
  const hard: u64 = pct(50) ? <u64>maxFds : <u64>next();
  // RLIMIT_AS/RLIMIT_DATA (9, 2) stay unlimited: a guest whose next program got a
  // memory below what this one touches would die of SIGSEGV, as on Linux, and the
  // round would report it as an unexpected death.
  const mem = res == 9 || res == 2;
  store<u64>(p, mem ? u64.MAX_VALUE : soft);
  store<u64>(p + 8, mem ? u64.MAX_VALUE : hard);
  return setrlimit(res, pct(90) ? p : ptr());
}

/** A directory fd for WASI path calls: 3, the preopened root (kept so), else any. */
function wdir(): i32 { return pct(70) ? 3 : fd(); }


// --- start ----------------------------------------------------------------------

function argvOf(): string[] {
  const sz = new StaticArray<u32>(2);
  args_sizes_get(changetype<u32>(sz), changetype<u32>(sz) + 4);
  const argc = sz[0];
  const ptrs = new ArrayBuffer(<i32>argc * 4);
  const buf = new ArrayBuffer(<i32>sz[1]);
  args_get(changetype<u32>(ptrs), changetype<u32>(buf));
  const out = new Array<string>();
  for (let i: u32 = 0; i < argc; i++) {
    const p = load<u32>(changetype<usize>(ptrs) + i * 4);
    let e = p;
    while (load<u8>(e) != 0) e++;
    out.push(String.UTF8.decodeUnsafe(p, e - p));
  }
  return out;
}

function say(s: string): void {
  const b = String.UTF8.encode(s + "\n");
  write(REPORT_FD, changetype<u32>(b), <u32>b.byteLength);
}

function mkdirStr(s: string): void {
  const b = String.UTF8.encode(s);
  mkdir(changetype<u32>(b), <u32>b.byteLength, 0o755);
}

function openStr(s: string, f: i32): i32 {
  const b = String.UTF8.encode(s);
  return open(changetype<u32>(b), <u32>b.byteLength, f, 0o644);
}

/** Every so often: truncate our files so a million writes do not fill the host's memory. */
/** SIGPIPE unblocked again after a call that set the mask (see doCall's signal cases); returns `r`. */
const SIGPIPE_SET = memory.data<u64>([<u64>1 << 12]);
function keepSigpipe(r: i32): i32 {
  sigprocmask(1, SIGPIPE_SET, 0);   // SIG_UNBLOCK
  return r;
}

function trim(): void {
  for (let i = 0; i < OWN.length; i++) {
    const f = openStr(dirPrefix + "/" + OWN[i], O_WRONLY | O_TRUNC | O_NONBLOCK);
    if (f >= 0) close(f);
  }
  for (let i = 0; i < poolN; i++) ftruncate(pool[i], 0);
}

const NAMES = "args_get args_sizes_get environ_get environ_sizes_get clock_res_get clock_time_get fd_advise fd_allocate fd_close fd_datasync fd_fdstat_get fd_fdstat_set_flags fd_fdstat_set_rights fd_filestat_get fd_filestat_set_size fd_filestat_set_times fd_pread fd_prestat_get fd_prestat_dir_name fd_pwrite fd_read fd_readdir fd_renumber fd_seek fd_sync fd_tell fd_write path_create_directory path_filestat_get path_filestat_set_times path_link path_open path_readlink path_remove_directory path_rename path_symlink path_unlink_file poll_oneoff proc_raise random_get sched_yield sock_accept sock_recv sock_send sock_shutdown spawn waitpid getpid getppid pipe2 dup dup2 fcntl open close read write lseek ftruncate stat fstat mkdir rmdir unlink rename mkfifo chdir getcwd getdents kill nanosleep snapshot getpid/getppid openat mkdirat unlinkat renameat linkat symlinkat readlinkat fstatat fork execve getpgid setpgid getsid setsid getuid/geteuid getgid/getegid umask uname dup3 getrlimit setrlimit waitid fchdir fchmod getpgid0 getsid0 mkfifoat sigaction sigprocmask sigpending sigsuspend sigtimedwait sigqueue sigtake sigreturn sleepleft setuid setgid fexecve getrusage wait4 alarm setitimer getitimer tcgetpgrp tcsetpgrp msgget msgsnd msgrcv msgctl setreuid setregid setresuid setresgid getresuid getresgid fchmodat fchownat fchown faccessat mq_open mq_unlink mq_timedsend mq_timedreceive mq_notify mq_getsetattr";


const a = argvOf();
if (a.length > 1 && a[1] == "probe") { probe(); proc_exit(0); }
if (a.length > 2 && a[1] == "clean-except") {
  // clean-except DIR NAME...: removes every entry of DIR but the NAMEs.
  const dir = Uint8Array.wrap(String.UTF8.encode(a[2]));
  const keep = new Array<Uint8Array>();
  for (let i = 3; i < a.length; i++) keep.push(Uint8Array.wrap(String.UTF8.encode(a[i])));
  const names = new Array<Uint8Array>();
  listDir(dir, names);
  for (let i = 0; i < names.length; i++) {
    let kept = false;
    for (let j = 0; j < keep.length; j++) if (sameBytes(names[i], keep[j])) kept = true;
    if (!kept) removeTree(dir.length == 1 ? cat(dir, names[i], false) : cat(dir, names[i], true));
  }
  proc_exit(cleanStatus());
}
if (a.length == 2 && a[1] == "clean-ipc") {
  // clean-ipc: removes every System V message queue (MSG_INFO, then MSG_STAT_ANY of each index).
  const R0 = changetype<u32>(new StaticArray<u8>(128));
  const hi = msgctl(0, 12, R0);
  let fails = hi < 0 ? 1 : 0;
  for (let i = 0; i <= hi; i++) {
    const id = msgctl(i, 13, R0);
    if (id >= 0 && msgctl(id, 0, 0) != 0) fails++;
  }
  proc_exit(fails);
}
if (a.length > 2 && a[1] == "clean") {
  for (let i = 2; i < a.length; i++) removeTree(Uint8Array.wrap(String.UTF8.encode(a[i])));
  proc_exit(cleanStatus());
}
if (a.length < 7 || a[1] != "run") {
  proc_exit(2);
}
const seed = U64.parseInt(a[2], 10);
me = I32.parseInt(a[3], 10);
const calls = I64.parseInt(a[4], 10);
maxFds = I32.parseInt(a[5], 10);
nprocs = I32.parseInt(a[6], 10);
rng = (seed * 0x9E3779B97F4A7C15) ^ (<u64>(me + 1) * 0xD1B54A32D192ED03);
if (rng == 0) rng = 1;
for (let i = 0; i < 4; i++) next();

// Reports go to a file of our own on a descriptor the generator never picks.
const gen = a.length > 7 ? I32.parseInt(a[7], 10) : 0;
// Optional: only these calls (doCall cases, comma-separated), to narrow a failure down.
const only = new Array<u32>();
if (a.length > 8 && a[8].length > 0) { const l = a[8].split(","); for (let i = 0; i < l.length; i++) only.push(<u32>I32.parseInt(l[i], 10)); }
rng ^= <u64>gen * 0x94D049BB133111EB;
if (rng == 0) rng = 1;
const rep = openStr("/tmp/fzreport" + me.toString(), O_WRONLY | O_CREAT | O_APPEND);
dup2(rep, REPORT_FD);
close(rep);
// A write to a pipe with no reader kills us with SIGPIPE, as it should (there
// is no sigaction to ignore it): the host then starts the next generation for
// the calls left, and this count says how many were made.
const prog = openStr("/tmp/fzprogress" + me.toString(), O_RDWR | O_CREAT | O_TRUNC);
dup2(prog, PROGRESS_FD);
close(prog);
const progressBuf = new StaticArray<i64>(1);
function progress(n: i64): void {
  progressBuf[0] = n;
  write(PROGRESS_FD, changetype<u32>(progressBuf), 8);
  lseek(PROGRESS_FD, 0, 0);
}

dirPrefix = "/tmp/fz" + me.toString();
{
  // Our tree (an earlier generation may have left a file or FIFO of its name).
  const b = String.UTF8.encode(dirPrefix);
  mkdir(changetype<u32>(b), <u32>b.byteLength, 0o755);
  if (chdir(changetype<u32>(b), <u32>b.byteLength) != 0) {
    unlink(changetype<u32>(b), <u32>b.byteLength);
    mkdir(changetype<u32>(b), <u32>b.byteLength, 0o755);
    const r = chdir(changetype<u32>(b), <u32>b.byteLength);
    if (r != 0) { say("fuzz: cannot make and enter " + dirPrefix + ": " + r.toString()); proc_exit(4); }
  }
}
for (let i = 0; i < OWN.length; i++) OWN_ABS.push(dirPrefix + "/" + OWN[i]);
for (let k = 0; k < nprocs; k++) for (let i = 0; i < 5; i++) OTHERS.push("/tmp/fz" + k.toString() + "/" + OWN[i]);
LONG1 = "sub/" + "z".repeat(300);
LONG2 = "sub/" + "z".repeat(4200);
LONGCD = "sub/" + "q".repeat(5000);
W_LONG1 = "tmp/fz" + me.toString() + "/" + LONG1;
W_LONG2 = "tmp/fz" + me.toString() + "/" + LONG2;
mkdirStr(dirPrefix + "/sub");
for (let i = 0; i < OWN.length; i++) W_OWN.push("tmp/fz" + me.toString() + "/" + OWN[i]);
for (let k = 0; k < nprocs; k++) for (let i = 0; i < 5; i++) W_OTHERS.push("tmp/fz" + k.toString() + "/" + OWN[i]);
// The region: pages at the end of memory the allocator has never seen,
// then a moat of pages nothing uses. A pointer near END with a length
// crosses END: that was meant to be past the memory (EFAULT), but the
// runtime's heap grows above the region later (more so with more
// processes: longer path lists), and the kernel then wrote the spill, as
// asked, into the guest's own heap — a trap that was the fuzzer's, not the
// kernel's. The moat (at least the longest spill: RSIZE + 1 past END)
// takes it instead.
const MOAT: u32 = 3 * 65536;
const before = memory.size();
memory.grow(<i32>((RSIZE + MOAT) >> 16));
R = <u32>before << 16;
END = R + RSIZE;
const names = NAMES.split(" ");

let done: i64 = 0;
for (; done < calls; done++) {
  if ((done & 511) == 511) trim();
  const k = only.length > 0 ? only[below(only.length)] : below(NCALLS);
  if (k == 19 || k == 26 || k == 43 || k == 56) progress(done);   // fd_pwrite, fd_write, sock_send, write
  const r = doCall(k);
  // fd 3 stays the root, the WASI calls' base: re-aim it if a call moved or closed it.
  if ((done & 15) == 15) {
    const d = openStr("/", O_DIRECTORY | O_NONBLOCK);
    if (d >= 0) { dup2(d, 3); if (d != 3) close(d); }
  }
  const bad = isWasi ? (r < 0 || r > MAX_ERRNO) : (r < -MAX_ERRNO);
  if (bad) {
    say("fuzz: seed " + seed.toString() + " process " + me.toString() + " call #" + done.toString()
      + " " + names[k] + " returned " + r.toString() + ", not a result the ABI allows");
    proc_exit(3);
  }
}
// Our children: killed (a FIFO open may hold one) and reaped.
for (let i = 0; i < kidsN; i++) { kill(kids[i], SIGKILL); waitpid(kids[i], R, 0); }
progress(done);
say("done " + done.toString());
proc_exit(0);
