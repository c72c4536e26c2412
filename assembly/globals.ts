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
  heapTop: usize;       // next unallocated byte
  heapEnd: usize;       // memory size when last asked (alloc.ts growTo)
  heapBlocks: i32;      // live blocks, for leak checks in tests
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
  spinningWorkers: i32; // idle workers spinning on runqWord (they need no notify)
  schedLock: i32;       // deterministic mode (sched.ts)
  schedToken: usize;    // Task* holding the CPU, 0 = idle
  schedRng: u64;
  faulted: i32;         // nonzero once a thread found the kernel broken (a trap): see host/fault.ts
  faultInject: i32;     // tests only (k_faultInject): the pid whose next k_unblock traps
}

// Free-list heads for the allocator's size classes follow the struct.
export const FREELISTS_ADDR: usize = GLOBALS_ADDR + 256;

// @ts-ignore: decorator
@inline export function G(): Globals { return changetype<Globals>(GLOBALS_ADDR); }
