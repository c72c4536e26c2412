// Fixed kernel words, at a fixed address below the kernel's static data
// (asc --memoryBase leaves this region to us). Every worker instantiates the
// kernel over the same memory, so this struct — not AssemblyScript globals,
// which are per instance — is where machine-wide state lives.

export const GLOBALS_ADDR: usize = 1024;
export const NCLASSES = 32;

@unmanaged
export class Globals {
  bootState: i32;       // 0 = never booted, 1 = booting, 2 = ready
  heapLock: i32;
  heapTop: usize;       // end of the pages carved so far (pages.ts)
  heapEnd: usize;       // memory size when last asked (pages.ts ensureMemory)
  heapBlocks: i32;      // live kalloc blocks, for leak checks in tests
  ptableLock: i32;
  nextPid: i32;
  maxProcs: i32;
  nprocs: i32;
  procs: usize;         // Proc* [maxProcs]
  maxFds: i32;
  pipeSize: i32;
  vfsLock: i32;
  nextIno: i32;
  root: usize;          // Inode* of "/"
  devTty: usize;        // Inode* of /dev/tty
  consoleIn: usize;     // Pipe* the host feeds with terminal input
  init: usize;          // Proc* of pid 1 (the runtime itself)
  clockMode: i32;       // 0 = host clocks, 1 = virtual (deterministic mode)
  virtualNow: i64;      // ns, when clockMode = 1
  bootRealtime: i64;
  runqLock: i32;        // embryo processes waiting for a worker: a ring of pids
  runqHead: i32;
  runqTail: i32;
  runq: usize;          // i32[maxProcs]
  runqWord: i32;        // idle workers park on this word; spawn bumps it
  idleWorkers: i32;     // workers parked on runqWord or about to be
  consoleTty: i32;      // bit n: console stream n is a terminal on the host
  consoleEofs: i32;     // ^D presses not yet seen by a console read
  ttySid: i32;          // session whose controlling terminal the console is, 0 = none (tty.ts, ptableLock)
  ttyPgrp: i32;         // the console's foreground process group (tty.ts, ptableLock)
  spinningWorkers: i32; // idle workers spinning on runqWord (they need no notify)
  schedLock: i32;       // deterministic mode (sched.ts)
  schedToken: usize;    // Task* holding the CPU, 0 = idle
  schedRng: u64;
  faulted: i32;         // nonzero once a thread found the kernel broken (a trap): see host/fault.ts
  faultInject: i32;     // tests only (k_faultInject): the pid whose next k_unblock traps
  // The page allocator (pages.ts), under pageLock.
  memLimit: u64;        // the kernel memory's maximum, bytes
  pageLock: i32;
  pageCount: i32;       // pages between pageBase and memLimit
  pageTop: i32;         // pages carved so far
  pagesUsed: i32;       // pages in allocated blocks
  pageMap: usize;       // PageInfo[pageCount]
  pageBase: usize;      // address of page 0
  // tmpfs file data (regfile.ts), counted atomically.
  tmpfsPages: i32;      // data pages of regular files
  tmpfsMaxPages: i32;   // the tmpfs size limit, in pages
  filePages: i32;       // data and index pages files hold (leak checks)
  zeroPage: usize;      // a page of zeros: what holes read as
  monoOrigin: i64;      // the host's machine-wide monotonic clock at boot: CLOCK_MONOTONIC counts from here
  faultSkip: i32;       // tests only (k_faultAlloc): kallocs to let through before failing
  faultFork: i32;       // tests only (k_faultInjectFork): the pid whose next fork stalls before its commit
  raceSig: i32;         // tests only (sigstall.ts): the signal whose next raise parks between deciding and queueing
  raceState: i32;       // tests only (sigstall.ts): how far that raise and the racing sigaction have got
  racePid: i32;         // tests only (sigstall.ts): the parked raise's target
  faultCount: i32;      // tests only: kallocs to fail after those
  mqNs: usize;          // POSIX message queues: the /dev/mqueue namespace and its limits (mqueue.ts)
  sysvNs: usize;        // System V IPC: the id tables and limits every family shares (ipc/util.ts)
  // Deterministic mode's pause and step (sched.ts), under schedLock.
  schedSteps: i32;      // hand-offs still allowed: -1 = run freely, 0 = paused
  schedNext: usize;     // Task* chosen to run next while paused (the token is SCHED_PARKED)
  schedPoints: i32;     // hand-offs so far (one per scheduling point that passed the CPU)
  fifoStall: i32;       // tests only (fifostall.ts): the next FIFO reader's open that meets a writer parks
}

// List heads follow the struct: NCLASSES words, the heap's slab classes
// (alloc.ts) first, then the page allocator's free lists by order (pages.ts).
export const FREELISTS_ADDR: usize = GLOBALS_ADDR + 320;   // 256 until the struct outgrew it (the static data starts at 16384)
export const SLAB_LISTS_ADDR: usize = FREELISTS_ADDR;        // 8 words
export const PAGE_LISTS_ADDR: usize = FREELISTS_ADDR + 32;   // 20 words (orders 0..19)
export const GLOBALS_MAX: usize = FREELISTS_ADDR - GLOBALS_ADDR;

// Checked when the kernel compiles: a field appended past GLOBALS_MAX would
// overlap the allocator's free lists. The branch is decided at compile time,
// so ERROR fails the build only when the struct is too big.
if (offsetof<Globals>() > GLOBALS_MAX) {
  ERROR("assembly/globals.ts: Globals is larger than GLOBALS_MAX (it would overlap the free lists at FREELISTS_ADDR); move FREELISTS_ADDR up (the static data starts at --memoryBase)");
}

// @ts-ignore: decorator
@inline export function G(): Globals { return changetype<Globals>(GLOBALS_ADDR); }
