// The kernel's entry points for the host and the runtime (k_*), and the
// syscall exports (sys_*, wasi_*) re-exported from their subsystems.
// Every worker instantiates this module over the one shared kernel memory.

import { ESRCH, ENOMEM, EBUSY, EFAULT, EINVAL } from "../abi/errno";
import { KDEAD } from "../abi/errno";
import {
  O_RDONLY, O_WRONLY, O_DIRECTORY, PSTATE_EMBRYO, PSTATE_RUNNING, PSTATE_ZOMBIE,
  PATH_MAX, SIGINT, SIGQUIT, SIGTSTP, SIGHUP,
} from "../abi/constants";
import { ttyBoot, ttySpecialSignal, ttySignalForeground, ttyInterrupt } from "./tty";
import { kalloc, faultAlloc } from "./alloc";
import { pagesInit, pageAlloc, PAGE_SIZE } from "./pages";
import { G, Globals, GLOBALS_ADDR } from "./globals";
import { Proc, Task, cur, curProc, setCurrent, procSetComm } from "./task";
import {
  copyPath, scratch, SCRATCH_PATH1, SCRATCH_PATH2, SCRATCH_TMP, curUio, uioFromBuffer, copyin,
} from "./user";
import { dequeueAll, wakeTask } from "./wait";
import { acquire, release, locksHeld } from "./lock";
import { fileAlloc, filePut, fdInstall, fdtCreate, fileOpsValid, FT_CONSOLE, FT_DIR } from "./file";
import { Pipe, pipeCreate, pipeWrite, pipeWakeReaders } from "./pipe";
import { consoleHangup } from "./fs/console";
import { restartAbandon } from "./restart";
import { Inode, vfsBoot, vfsMount, lookupHeld, inodePut, inodeLock, regPage } from "./vfs";
import { acquire, release } from "./lock";
import {
  procTableInit, procCreate, procExit, procByPid, setSleeping, runqPop, runqWord, runqLength,
  procHold, procPut, procClaimForTermination, procFatalPending, ptableLock, findProc,
} from "./proc";
import { rusageStart } from "./rusage";
import { applyActions } from "./spawn";
import { PREOPENS_NAMED, preopenNameBlock } from "./preopen";
import { sigAttention, sigStopped, deliverable } from "./signal";
import { sigInterrupt, sigInterrupted } from "./sigwait";
import { now, clockBoot, CLOCK_REALTIME, CLOCK_MONOTONIC } from "./clock";
import {
  schedYield, schedAcquire, schedSeed, tokenAddr, deterministic, taskDeadline, schedPause, schedStep, schedState,
  schedCurrentPid,
} from "./sched";
import { timersFire, timerDue } from "./itimer";
import { sysvInit } from "./ipc/util";
import { mqInit } from "./mqueue";

export * from "./syscall";
export * from "./wasi";
export { k_snapshot } from "./snapshot";
export { k_faultInjectRaise, k_raiseStalled } from "./sigstall";
export { k_faultInjectFifo, k_fifoStalled } from "./fifostall";

/**
 * Boots the machine once (the first caller wins; the others see it ready)
 * and makes the calling thread pid 1's task. Returns init's task.
 */
/** The task word offsets the host uses (host/kernel.ts checks them at start). */
export function k_taskLayout(): i32 {
  return offsetof<Task>("wake") | (offsetof<Task>("kstate") << 8) | (offsetof<Task>("attn") << 16) | (offsetof<Task>("wakeAt") << 24)
    | (offsetof<Task>("parked") == 12 ? 0 : 0x80000000) | (offsetof<Task>("restartKind") == 24 ? 0 : 0x40000000);
}

/**
 * `memPages`: the kernel memory's maximum in 64 KiB wasm pages (the page
 * allocator covers all of it); `tmpfsPages`: the tmpfs size limit in 4 KiB
 * pages. Returns 0 when the memory is too small to boot in.
 */
export function k_boot(maxProcs: i32, maxFds: i32, pipeSize: i32, clockMode: i32, seed: i64,
                       memPages: i32, tmpfsPages: i32): usize {
  const g = G();
  if (!fileOpsValid()) unreachable();   // a short row in the file operations table (file.ts)
  if (atomic.cmpxchg<i32>(GLOBALS_ADDR, 0, 1) != 0) return 0;
  if (!pagesInit(__heap_base, <u64>memPages << 16)) return 0;
  g.tmpfsMaxPages = tmpfsPages;
  g.zeroPage = pageAlloc(0);
  if (g.zeroPage == 0) return 0;
  memory.fill(g.zeroPage, 0, PAGE_SIZE);
  g.maxFds = maxFds;
  g.pipeSize = pipeSize;
  g.clockMode = clockMode;
  clockBoot();
  schedSeed(<u64>seed);
  g.nextIno = 1;
  procTableInit(maxProcs);
  if (!sysvInit()) return 0;
  const init = changetype<Proc>(procCreate(null));
  const t = changetype<Task>(init.task);
  t.parked = 1;   // the runtime thread waits with Atomics.waitAsync: always notify it
  setCurrent(changetype<usize>(t));
  g.bootRealtime = now(CLOCK_REALTIME);
  vfsBoot();
  mqInit();   // /dev/mqueue's queues (mqueue.ts)
  init.cwd = kalloc(1); store<u8>(init.cwd, 0x2f); init.cwdLen = 1;
  init.state = PSTATE_RUNNING;
  init.args = kalloc(8); storeName(init.args);
  procSetComm(init, init.args);
  init.argc = 1; init.argBytes = 5;
  init.env = kalloc(1);
  fdtCreate(init, maxFds);
  g.init = changetype<usize>(init);
  ttyBoot(init.pid);
  // The console: terminal input arrives through a pipe the host fills.
  const cin = pipeCreate()!;
  cin.readers = 1; cin.writers = 1;
  g.consoleIn = changetype<usize>(cin);
  g.consoleTty = 7;
  installConsole(init, 0, O_RDONLY, 0);
  installConsole(init, 1, O_WRONLY, 1);
  installConsole(init, 2, O_WRONLY, 2);
  atomic.store<i32>(GLOBALS_ADDR, 2);
  return changetype<usize>(t);
}

function storeName(p: usize): void {
  store<u8>(p, 0x69); store<u8>(p + 1, 0x6e); store<u8>(p + 2, 0x69); store<u8>(p + 3, 0x74); store<u8>(p + 4, 0);
}

function installConsole(p: Proc, fd: i32, mode: i32, stream: i32): void {
  const f = fileAlloc(FT_CONSOLE, mode, 0, 0)!;
  f.aux = stream;
  fdInstall(p, f, fd, false);
}

// ---- the scheduler (deterministic mode; no-ops in parallel mode) ----

/**
 * A scheduling point of the current task; `runnable` 0 when it blocks.
 * Returns 1 when the caller must now wait for the token (deterministic mode
 * and its process still alive), else 0.
 */
export function k_schedYield(runnable: i32): i32 {
  schedYield(cur(), runnable != 0);
  return deterministic() && curProc().state != PSTATE_ZOMBIE ? 1 : 0;
}
/** Address of the word holding the Task* that has the CPU. */
export function k_schedToken(): usize { return tokenAddr(); }
/** The current task asks for the CPU (the runtime thread); 1 when it has it. */
export function k_schedAcquire(): i32 { return schedAcquire(cur()); }
/** Deterministic mode: stop passing the CPU on (sched.ts "Pause and step"); -EINVAL in parallel mode. */
export function k_schedPause(): i32 { if (!deterministic()) return -EINVAL; schedPause(); return 0; }
/** Lets `n` hand-offs through (n >= 1), or resumes (n < 0). */
export function k_schedStep(n: i32): i32 { if (!deterministic() || n == 0) return -EINVAL; schedStep(n); return 0; }
/** Bit 0 paused, bit 1 a choice parked, hand-offs so far << 2. */
export function k_schedState(): i32 { return schedState(); }
/** The pid holding the CPU, or chosen to run next while paused; 0 idle. */
export function k_schedCurrent(): i32 { return schedCurrentPid(); }

/** Another thread joining a booted machine as pid 1 (the runtime's own thread). */
export function k_attachInit(): usize {
  while (atomic.load<i32>(GLOBALS_ADDR) != 2) {}
  const t = changetype<Proc>(G().init).task;
  setCurrent(t);
  return t;
}

/** A worker adopts an embryo process. Returns its task, or -errno. */
export function k_attach(pid: i32, worker: i32): isize {
  const p = procByPid(pid);
  if (p == null) return -ESRCH;
  if (p.state != PSTATE_EMBRYO) return -EBUSY;
  // Worker id and the worker's hold first: once the state says running, the
  // runtime may claim the process for termination and relies on both.
  changetype<Task>(p.task).worker = worker;
  // Until the host knows its program (k_setSafepoints), its own loader is
  // the safepoint: a fatal signal meanwhile kills it once the load is done,
  // not by terminating the worker in the middle of it.
  changetype<Task>(p.task).safepoints = 1;
  rusageStart(changetype<Task>(p.task));
  procHold(p);
  atomic.store<i32>(changetype<usize>(p) + offsetof<Proc>("state"), PSTATE_RUNNING);
  setCurrent(p.task);
  return changetype<isize>(p.task);
}

/**
 * The way into the kernel for every guest syscall (host/syscalls.ts Gate):
 * returns 0 when the task may enter (kstate 0 -> 1), KDEAD when its process
 * has exited — a zombie never runs kernel code again, even if its guest
 * caught the unwinding (its fd table and memory are gone) — or the kstate
 * that stopped it (2: the runtime is terminating the worker).
 */
export function k_enter(): i32 {
  if (curProc().state == PSTATE_ZOMBIE) return KDEAD;
  const t = cur();
  const r = atomic.cmpxchg<i32>(changetype<usize>(t) + offsetof<Task>("kstate"), 0, 1);
  // A new call begins (KBLOCK retries do not come through here): whatever
  // is in the restart block was left by a call given up (restart.ts).
  if (r == 0 && t.restartKind != 0) restartAbandon(t);
  t.sigintr = 0;
  if (r == 0) timersFire();   // a computing process's timer, checked at every way in (itimer.ts)
  return r;
}

/** The worker is done with the process it ran (it has exited and left the kernel). */
export function k_taskDone(task: usize): void {
  const t = changetype<Task>(task);
  t.worker = 0;   // no worker holds it any more (k_workerLost relies on it)
  procPut(changetype<Proc>(t.proc));
}

/** See procClaimForTermination: (worker << 8) | signal, -1 (in the kernel: look again), or 0. */
export function k_claimForTermination(pid: i32): i32 { return procClaimForTermination(pid); }
/** After kill/sigqueue: 1 if the runtime must look at `pid` (procFatalPending). */
export function k_nudgeWanted(pid: i32): i32 { return procFatalPending(pid) ? 1 : 0; }

/**
 * Whether the current process's program has safepoints (k_setSafepoints).
 * The safepoint import asks once a signal wants attention (Gate.attention),
 * so a process a test marked without them (Machine._withoutSafepoints)
 * acts as a program without safepoints would: it never dies at one, only
 * by its worker's termination.
 */
export function k_safepointsOn(): i32 {
  return atomic.load<i32>(changetype<usize>(cur()) + offsetof<Task>("safepoints"));
}

/**
 * Process `pid` runs a program with (1) or without (0) safepoints
 * (procClaimForTermination): its host says so before the program's code
 * runs (tests also clear it, to reach the worker-termination path).
 */
export function k_setSafepoints(pid: i32, on: i32): i32 {
  const p = procByPid(pid);
  if (p == null) return -ESRCH;
  atomic.store<i32>(p.task + offsetof<Task>("safepoints"), on != 0 ? 1 : 0);
  return 0;
}

/**
 * The kernel's half of a safepoint in guest code (host/safepoint.ts), entered
 * through the Gate when the task's attention word is set or the run is
 * deterministic, or its timer is due (k_timerDue; k_enter fired it on the
 * way in): the Gate acts on pending signals after it and makes it a
 * scheduling point. Nothing to do in here itself.
 */
export function k_safepoint(): i32 { return 0; }

// ---- the run queue, for the worker pool ----

/** The next embryo to run, or 0. */
export function k_runqPop(): i32 { return runqPop(); }
/** Address of the word idle workers park on. */
export function k_runqWord(): usize { return runqWord(); }
/** Embryos waiting for a worker. */
export function k_runqLength(): i32 { return runqLength(); }
/** Adjusts and returns the count of idle workers spinning on the queue word. */
export function k_spinningWorkers(delta: i32): i32 {
  return atomic.add<i32>(changetype<usize>(G()) + offsetof<Globals>("spinningWorkers"), delta) + delta;
}

/** Adjusts and returns the count of idle workers. */
export function k_idleWorkers(delta: i32): i32 {
  return atomic.add<i32>(changetype<usize>(G()) + offsetof<Globals>("idleWorkers"), delta) + delta;
}

/**
 * The child's part of spawn: file actions the parent left (an OPEN of a
 * FIFO waits here for the other end). 0, KBLOCK, or -errno; on an error
 * the host reports it and exits the process with status 1 (as a shell's
 * failed redirection).
 */
export function k_spawnResume(): i32 {
  const p = curProc();
  if (p.actions == 0) return 0;
  return applyActions(p, true);
}

/**
 * Opens the default WASI preopen "/" for guests that import fd_prestat_get,
 * unless their spawn named preopens of its own (assembly/preopen.ts).
 */
export function k_preopen(): i32 {
  if (curProc().preopenFd == PREOPENS_NAMED) return 0;
  const path = scratch(SCRATCH_PATH1);
  store<u8>(path, 0x2f);
  const r = lookupHeld(path, 1);
  if (r < 0) return <i32>r;
  const f = fileAlloc(FT_DIR, O_RDONLY | O_DIRECTORY, 0, changetype<usize>(r));
  if (f == null) { inodePut(changetype<Inode>(r)); return -ENOMEM; }
  f.pname = preopenNameBlock(path, 1);
  if (f.pname == 0) { filePut(f); return -ENOMEM; }
  const fd = fdInstall(curProc(), f, 3, true);
  curProc().preopenFd = fd;
  return fd;
}

/**
 * Where the current process's program is: writes {inTmpfs, size, ino,
 * version, hostPath, hostPathLen, rootLen} at the returned address (inTmpfs
 * = 0 for a host file, whose first rootLen bytes are the mount's directory).
 * A tmpfs program's bytes are read with k_imagePage; the version is odd
 * while the file is being changed (host/image.ts).
 */
export function k_imageInfo(): usize {
  const p = curProc();
  const out = scratch(SCRATCH_TMP);
  memory.fill(out, 0, 28);
  if (p.image != 0) {
    const node = changetype<Inode>(p.image);
    store<u32>(out, 1);
    store<i32>(out + 12, atomic.load<i32>(changetype<usize>(node) + offsetof<Inode>("version")));
    store<u32>(out + 4, node.size);
    store<i32>(out + 8, node.ino);
  }
  store<u32>(out + 16, <u32>p.imagePath);
  store<i32>(out + 20, p.imagePathLen);
  store<i32>(out + 24, p.imageRootLen);
  return out;
}

/** Address of 4 KiB page `index` of the current process's tmpfs program, 0 for a hole. */
export function k_imagePage(index: u32): usize {
  const p = curProc();
  if (p.image == 0) return 0;
  const node = changetype<Inode>(p.image);
  acquire(inodeLock(node));
  const page = regPage(node, index);
  release(inodeLock(node));
  return page;
}

/**
 * The current task gives up the call that last returned KBLOCK (init's API
 * does when an operation would wait): its restart state is released (a
 * half-open FIFO end closed). Its wait entries go at the next k_unblock.
 */
export function k_restartAbandon(): void { restartAbandon(cur()); }

/** The kernel's CLOCK_MONOTONIC (ns): the clock task.wakeAt deadlines are on. */
export function k_monotonic(): i64 { return now(CLOCK_MONOTONIC); }

/**
 * Until when the host may park a blocked call: min(call deadline, process
 * timer) in ns, 0 = no limit; already past (1) when a signal the call must
 * act on is pending: one raised while the guest ran between two calls moved
 * the wake word before the call read it, so a park would sleep through it
 * (Linux checks signal_pending before it sleeps).
 */
export function k_parkDeadline(): i64 {
  const t = cur();
  return deliverable(t) != 0 ? 1 : taskDeadline(t);
}

/**
 * The safepoint slow path's look at the timer, outside the kernel proper
 * (no lock, no write): 1 when the current process's timer is due, and the
 * host then enters the kernel (k_enter fires it).
 */
export function k_timerDue(): i32 { return timerDue() ? 1 : 0; }

/**
 * The way out of a syscall (host/syscalls.ts Gate.call, before it acts on
 * signals): the timer is fired here too, so one that fell due during a
 * long call raises SIGALRM as the call returns, not at the next entry or
 * safepoint. One load when no timer is armed.
 */
export function k_leave(): void { timersFire(); }

/** After a park: leave the wait queues; act on signals (as k_attention, delivering). */
export function k_unblock(): i32 {
  const t = cur();
  if (G().faultInject != 0 && G().faultInject == curProc().pid) injectedTrap();
  dequeueAll(t);
  setSleeping(curProc(), false);
  timersFire();   // the park may have ended at the process's timer (k_parkDeadline)
  return sigAttention(t, curProc(), 0, true);
}

/**
 * After a syscall that raised the attention word: act on pending signals
 * (signal.ts sigAttention): KDEAD, KSTOP, KSIGNAL (only when `deliver`:
 * not for the trampoline's own sigtake/sigreturn), or `r`.
 */
export function k_attention(r: i32, deliver: i32): i32 { return sigAttention(cur(), curProc(), r, deliver != 0); }

/** 1 while the current process is stopped (the host parks on its wake word). */
export function k_stopped(): i32 { return sigStopped(cur(), curProc()); }

/** The host tells whether the current program exports __wasmux_sigtramp (sigaction refuses handlers without). */
export function k_sigTramp(has: i32): void { curProc().sigTramp = has != 0 ? 1 : 0; }

/** A handled signal for a blocked call (sigwait.ts sigInterrupt): KDEAD, KSTOP, KRESTART, 1 (finish it), 0. */
export function k_sigInterrupt(restartable: i32): i32 { return sigInterrupt(restartable != 0); }

/** The interrupted call would block again: -EINTR (sigwait.ts). */
export function k_interrupted(): i32 { return sigInterrupted(); }

/** The current process dies by a signal (a trap in its code). */
export function k_exitSignal(sig: i32): void {
  procExit(curProc(), sig & 0x7f);
}

/**
 * The runtime, terminating a worker that sits in guest code (claimed by
 * k_claimForTermination), exits its process for it. The worker's hold on the
 * process's memory stays until the runtime knows the thread has stopped
 * (k_taskDone then): a thread being terminated may still run guest code.
 */
export function k_exitOther(pid: i32, sig: i32): i32 {
  const p = procByPid(pid);
  if (p == null) return -ESRCH;
  procExit(p, sig & 0x7f);
  return 0;
}

/**
 * Worker `worker` died (crashed, ran out of memory, was terminated by
 * something else) with `pid` taken off the run queue. If the thread was in
 * the kernel and not parked, it may have held a lock: returns 1 and changes
 * nothing (a kernel fault). Otherwise the process ends with `sig` (an
 * embryo not adopted yet as well) and the dead worker's hold, if it still
 * had one (k_attach to k_taskDone), is dropped: 0. -ESRCH: the pid is gone.
 */
export function k_workerLost(pid: i32, worker: i32, sig: i32): i32 {
  acquire(ptableLock());
  const p = findProc(pid);
  if (p == null) { release(ptableLock()); return -ESRCH; }
  const t = changetype<Task>(p.task);
  if (atomic.load<i32>(changetype<usize>(t) + offsetof<Task>("kstate")) == 1
      && atomic.load<i32>(changetype<usize>(t) + offsetof<Task>("parked")) == 0) {
    release(ptableLock());
    return 1;
  }
  const held = t.worker == worker;
  if (held) t.worker = 0;
  release(ptableLock());
  // Not held: an embryo (nobody else removes one) or a zombie (left alone).
  if (p.state != PSTATE_ZOMBIE) procExit(p, sig & 0x7f);
  if (held) procPut(p);
  return 0;
}

/** Locks this thread holds now (see lock.ts): after a stack overflow in the kernel, 0 means it is intact. */
export function k_locksHeld(): i32 { return locksHeld(); }

/** Address of the machine's fault word (host/fault.ts): nonzero once the kernel is found broken. */
export function k_faultWord(): usize { return changetype<usize>(G()) + offsetof<Globals>("faulted"); }

/**
 * Tests only (no guest can call a k_* export: guests reach only the wasi_*
 * and sys_* names of abi/syscalls.ts): the next k_unblock of `pid` traps
 * while holding the process-table lock, as a kernel bug would. Wakes it so
 * that it comes to k_unblock soon.
 */
export function k_faultInject(pid: i32): i32 {
  const p = procByPid(pid);
  if (p == null) return -ESRCH;
  G().faultInject = pid;
  wakeTask(changetype<Task>(p.task));
  return 0;
}

/**
 * Tests only: the next fork of `pid` stalls in its host between k_fork and
 * the commit (host/fork.ts), so a test can terminate its worker there.
 */
export function k_faultInjectFork(pid: i32): i32 {
  if (procByPid(pid) == null) return -ESRCH;
  G().faultFork = pid;
  return 0;
}

/** Whether this fork is the one k_faultInjectFork asked to stall (once). */
export function k_forkStall(): i32 {
  const g = G();
  if (g.faultFork == 0 || g.faultFork != curProc().pid) return 0;
  g.faultFork = 0;
  return 1;
}

function injectedTrap(): void {
  G().faultInject = 0;
  acquire(ptableLock());
  unreachable();
}

/** The task of a pid (0 if none) — the runtime checks its kstate before terminating a worker. */
export function k_taskOf(pid: i32): usize {
  const p = procByPid(pid);
  return p == null ? 0 : p.task;
}

/** Which console streams are terminals (bit n = stream n: 0 in, 1 out, 2 err). */
export function k_consoleTty(mask: i32): void { G().consoleTty = mask; }

/**
 * The host feeds terminal input (from the runtime's user buffer). Returns
 * bytes taken. At a terminal (the host's stdin is one) the line discipline
 * turns ^C, ^\ and ^Z into SIGINT, SIGQUIT and SIGTSTP at the foreground
 * group and drops them from the input (tty.ts): the text up to the first
 * of them goes in first, then the character on the host's next call.
 */
export function k_consoleFeed(ubuf: u32, len: u32): i32 {
  let take = len;
  if ((G().consoleTty & 1) != 0 && len > 0) {
    const k = scratch(SCRATCH_PATH1);
    const look: u32 = len < <u32>PATH_MAX ? len : <u32>PATH_MAX;
    if (!copyin(k, ubuf, look)) return -EFAULT;
    let i: u32 = 0;
    while (i < look && ttySpecialSignal(load<u8>(k + i)) == 0) i++;
    if (i == 0) { ttyInterrupt(ttySpecialSignal(load<u8>(k))); return 1; }
    take = i;
  }
  const r = uioFromBuffer(ubuf, take);
  if (r < 0) return r;
  const n = pipeWrite(changetype<Pipe>(G().consoleIn), curUio(), true);
  return n == -6 ? 0 : n;   // EAGAIN: no room now
}

/** The host's own terminal was signalled (Ctrl-C reaches the CLI as SIGINT): the console's foreground group gets `sig`. */
export function k_consoleSignal(sig: i32): i32 {
  if (sig != SIGINT && sig != SIGQUIT && sig != SIGTSTP && sig != SIGHUP) return -EINVAL;
  if (sig == SIGHUP) ttySignalForeground(sig); else ttyInterrupt(sig);
  return 0;
}

/**
 * End of terminal input. `permanent` (the host's stdin is a pipe or file
 * that ended): every later read of the console sees EOF. Otherwise (^D at a
 * terminal): the next read that finds no data returns 0, once, as a tty does.
 */
export function k_consoleEof(permanent: i32): void {
  const p = changetype<Pipe>(G().consoleIn);
  if (permanent != 0) { consoleHangup(); return; }
  atomic.add<i32>(changetype<usize>(G()) + offsetof<Globals>("consoleEofs"), 1);
  pipeWakeReaders(p);
}

export function k_mount(upath: u32, plen: u32, uhost: u32, hlen: u32, ro: i32): i32 {
  const n = copyPath(upath, plen, SCRATCH_PATH1);
  if (n < 0) return n;
  const m = copyPath(uhost, hlen, SCRATCH_PATH2);
  if (m < 0) return m;
  return vfsMount(scratch(SCRATCH_PATH1), n, scratch(SCRATCH_PATH2), m, ro != 0);
}

/** Kernel heap blocks plus the pages files hold: leak checks. */
export function k_heapBlocks(): i32 { return G().heapBlocks + G().filePages; }

/** Tests only: the next `count` kallocs after `skip` more fail (error-path leak checks). */
export function k_faultAlloc(skip: i32, count: i32): void { faultAlloc(skip, count); }

/**
 * Test-only (the fuzzer's "no lock held" invariant): how many of the
 * machine-wide lock words are taken — Globals' locks, init's process and
 * wait-queue locks, the console pipe's and the root inode's. 0 when the
 * machine is at rest.
 */
export function k_lockWordsTaken(): i32 {
  const g = G();
  let n = 0;
  if (atomic.load<i32>(changetype<usize>(g) + offsetof<Globals>("heapLock")) != 0) n++;
  if (atomic.load<i32>(changetype<usize>(g) + offsetof<Globals>("ptableLock")) != 0) n++;
  if (atomic.load<i32>(changetype<usize>(g) + offsetof<Globals>("vfsLock")) != 0) n++;
  if (atomic.load<i32>(changetype<usize>(g) + offsetof<Globals>("runqLock")) != 0) n++;
  if (atomic.load<i32>(changetype<usize>(g) + offsetof<Globals>("schedLock")) != 0) n++;
  const init = g.init;
  if (init != 0) {
    if (atomic.load<i32>(init + offsetof<Proc>("lock")) != 0) n++;
    if (atomic.load<i32>(init + offsetof<Proc>("childLock")) != 0) n++;
  }
  const c = g.consoleIn;
  if (c != 0) {
    for (let o: usize = 0; o < 3; o++) if (atomic.load<i32>(c + o * 4) != 0) n++;   // lock, wlock, rlock
    if (atomic.load<i32>(c + offsetof<Pipe>("rqLock")) != 0) n++;
    if (atomic.load<i32>(c + offsetof<Pipe>("wqLock")) != 0) n++;
  }
  if (g.root != 0 && atomic.load<i32>(g.root + offsetof<Inode>("lock")) != 0) n++;
  return n;
}
