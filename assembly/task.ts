// Processes and tasks, split as Linux splits task_struct from the thread
// group (invariant 7): what a thread blocks, wakes and is signalled on is the
// Task; what threads share (pid, memory, fds, cwd, dispositions) is the Proc.
// Today every Proc has exactly one Task.

/** The host reads wake, kstate, attn, parked, wakeAt and restartKind at fixed offsets (host/kernel.ts TASK_*). */
@unmanaged
export class Task {
  wake: i32;        // +0: bumped and notified to wake the task
  kstate: i32;      // +4: 0 = in guest code, 1 = in the kernel, 2 = being terminated
  attn: i32;        // +8: nonzero = the kernel wants a word after this syscall
  parked: i32;      // +12: nonzero while the thread sleeps in Atomics.wait (else it spins: no notify needed)
  wakeAt: i64;      // +16: deadline (ns, kernel clock) of a timed wait, 0 = none
  // The restart block (restart.ts): state one blocked call keeps across its
  // KBLOCK retries, owned by that call alone.
  restartKind: i32; // +24: RESTART_* bits of what the block holds for the blocked call, 0 = free
  tid: i32;
  proc: usize;
  sigpending: u64;  // bit n-1 = signal n pending
  sigmask: u64;
  waits: usize;     // this task's wait-queue entries
  restartDone: i32; // RESTART_WRITE: bytes already moved
  restartFile: usize; // RESTART_OPEN: the half-open FIFO File (a reference)
  restartAux: i32;  // RESTART_OPEN: the peer's open count when the wait began
  scratch: usize;   // per-task kernel buffer for copied-in arguments
  worker: i32;      // the runtime's id of the worker running this task
  runnable: i32;    // deterministic mode: may be chosen to run
  waitSlots: i32;   // which inline wait entries are in use (wait.ts)
  // Signals (signal.ts, sigwait.ts).
  sigintr: i32;     // the blocked call was interrupted by a handler: finish it now (EINTR or partial), set until the next call
  restoreMask: i32; // sigsuspend returned: savedMask goes back once its handlers' frames are set up
  savedMask: u64;   // the mask sigsuspend replaced
  waitSet: u64;     // sigtimedwait's set while it waits (those signals are taken by the call, not acted on)
  sleepLeft: i64;   // ns an interrupted nanosleep had left (sys_sleepleft)
  // Resource usage (rusage.ts): when a worker adopted the task (kernel
  // clock, ns); what the host's Gate adds on the slow paths (ns parked in
  // Atomics.wait, ns in calls that blocked, less the parked part) and the
  // memory's peak (bytes, at the calls that report or end it); utime and
  // stime frozen at exit.
  startNs: i64;
  parkNs: f64;
  stime: f64;
  rss: f64;
  utime: f64;
  frozen: i32;
  // The program this task runs has safepoints (host/transform/safepoint.ts),
  // or its host is still loading it: a fatal signal kills it at its next
  // one, never by terminating its worker (proc.ts procClaimForTermination).
  // Set by the host for each program it loads (k_setSafepoints).
  safepoints: i32;
}

@unmanaged
export class Proc {
  lock: i32;
  refs: i32;        // the process table's and the running worker's (proc.ts procPut)
  pid: i32;
  ppid: i32;
  pgid: i32;
  state: i32;       // PSTATE_*
  status: i32;      // wait status once a zombie
  task: usize;
  fdt: usize;       // FdEntry[maxFds]
  maxFds: i32;
  fdHigh: i32;      // 1 + the highest fd ever used: table scans stop here
  cwd: usize;       // absolute path, no trailing slash except "/"
  cwdLen: i32;
  args: usize;      // argv strings, each NUL-terminated, back to back
  argc: i32;
  argBytes: i32;
  env: usize;
  envc: i32;
  envBytes: i32;
  image: usize;     // Inode* of the program (held reference), or 0 for a host file
  imagePath: usize; // host path of the program when it lives below a mount
  imagePathLen: i32;
  imageRootLen: i32; // how much of imagePath is the mount's directory (reads stay beneath it)
  childLock: i32;   // wait queue of waitpid callers: {lock, head}
  childHead: usize;
  uid: i32;
  gid: i32;
  comm0: u64;       // argv[0], NUL-padded to 48 bytes (what ps shows, zombies included)
  comm1: u64; comm2: u64; comm3: u64; comm4: u64; comm5: u64;
  actions: usize;   // spawn file actions still to apply (kernel copy), or 0
  nactions: i32;
  actionsDone: i32;
  preopenFd: i32;   // WASI preopened "/" (for guests that import fd_prestat_get), -1 = none
  // fork (fork.ts): the memory image the parent's host wrote for this child
  // (opaque to the kernel, host/fork.ts lays it out), until the child's host
  // has copied it; the child waits off the run queue until it is complete.
  forkImage: usize;
  forkImageSize: u32;
  forkPending: i32; // 1 from k_fork until k_forkCommit queues the child
  // exec (exec.ts): the image replaced by a staged execve, kept until the
  // host commits (freed) or aborts (put back): a Proc-shaped block, or 0.
  execOld: usize;
  // C layer (assembly/cred.ts): inherited by every child (procCreate), kept across exec.
  sid: i32;         // session id (setsid)
  euid: i32;        // effective ids (uid/gid above are the real ones); file and IPC permissions use these
  egid: i32;
  umask: i32;       // file mode creation mask, applied to mkdir/mkfifo/open(O_CREAT)
  nofile: i32;      // RLIMIT_NOFILE soft limit: fds from here up are not allocated (<= nofileMax)
  nofileMax: i32;   // RLIMIT_NOFILE hard limit (<= maxFds, the table size)
  // Signals (#14, signal.ts): the block of dispositions, pending records and queue.
  sigs: usize;
  sigTramp: i32;    // the program exports __wasmux_sigtramp (the host says so): handlers may be installed
  stopReport: i32;  // the signal that stopped it, for a waitpid(WUNTRACED) not yet told; 0 none
  contReport: i32;  // 1: continued, for a waitpid(WCONTINUED) not yet told
  // Issue 13's last points (cred.ts, rusage.ts).
  execd: i32;       // 1 once the process runs a program it did not fork from (spawn, execve): setpgid EACCES
  rlimAs: u64;      // RLIMIT_AS (= RLIMIT_DATA) soft limit, bytes of guest memory (the host sizes memories by it)
  rlimAsMax: u64;   // ... hard limit
  cutime: f64;      // the reaped children's (and their reaped children's) guest ns (rusage.ts)
  cstime: f64;      // ... kernel ns
  cmaxrss: f64;     // ... largest peak memory, bytes
  // ITIMER_REAL (assembly/itimer.ts): not inherited by fork, kept across exec.
  itimerAt: i64;       // next expiry (ns, kernel clock), 0 = disarmed
  itimerInterval: i64; // re-arm period (ns), 0 = one-shot
  // Saved set-user and set-group ids (assembly/ids.ts): inherited, kept across exec.
  suid: i32;
  sgid: i32;
}

export const COMM_SIZE: usize = 48;

/**
 * The process lock: guards the descriptor table (file.ts) and the cwd
 * (vfs.ts cwdSet/cwdCopy), which every thread of a process shares.
 */
// @ts-ignore: decorator
@inline export function procLock(p: Proc): usize { return changetype<usize>(p) + offsetof<Proc>("lock"); }

/** Sets the process's name for ps from a NUL-terminated string. */
export function procSetComm(p: Proc, s: usize): void {
  const d = changetype<usize>(p) + offsetof<Proc>("comm0");
  memory.fill(d, 0, COMM_SIZE);
  let n: usize = 0;
  while (n < COMM_SIZE - 1 && load<u8>(s + n) != 0) n++;
  memory.copy(d, s, n);
}

// Per-instance: which task this worker's thread is running. This is the one
// piece of per-thread state, like a CPU's `current`; it is set when a worker
// adopts a process and never holds machine state.
let currentTask: usize = 0;

export function setCurrent(t: usize): void { currentTask = t; }
// @ts-ignore: decorator
@inline export function cur(): Task { return changetype<Task>(currentTask); }
// @ts-ignore: decorator
@inline export function curProc(): Proc { return changetype<Proc>(changetype<Task>(currentTask).proc); }
