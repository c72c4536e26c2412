// Binds a guest's imports to kernel exports, as declared in abi/syscalls.ts.
// Every syscall goes through one wrapper: mark the task as in the kernel,
// call the export on this thread, park on the wake word and retry while the
// kernel says KBLOCK, let the kernel act on pending signals, trace, and
// unwind the guest on KDEAD. No message crosses threads on this path. A
// process that has exited never enters the kernel again, whatever its guest
// does with the unwinding.

import { KBLOCK, KDEAD, KSIGNAL, KSTOP, KRESTART, ENOSYS } from '../abi/errno.js';
import { WASI, WASMUX, type SyscallDecl } from '../abi/syscalls.js';
import { Kernel, TASK_ATTN, TASK_KSTATE, TASK_PARKED, TASK_WAKE } from './kernel.js';
import { formatTrace } from './trace.js';
import { AdaptiveSpin } from './spin.js';
import type { HostPlatform } from './platform.js';

/**
 * Thrown through the guest's frames when its process has exited or died.
 * It is a wasm trap's RuntimeError, made once per thread: an engine does not
 * let wasm exception handling (`try … catch_all`, as -fwasm-exceptions
 * cleanups use) catch a trap, so no guest code runs after its exit — as
 * exit(2) runs none. Rethrowing the one object costs no stack capture.
 */
function makeTrap(): unknown {
  // (module (func (export "t") unreachable))
  const trap = new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array([
    0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 7, 5, 1, 1, 0x74, 0, 0,
    10, 5, 1, 3, 0, 0, 0x0b]))).exports.t as () => void;
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try { trap(); } catch (e) { return e; } finally { Error.stackTraceLimit = limit; }
  throw new Error('wasmux: the exit trap did not trap');
}
const PROCESS_EXIT: unknown = makeTrap();
/**
 * Thrown through the guest's frames by a successful execve: the old program
 * is gone as an exited one is (no guest code of it runs again); the host
 * then starts the new one in the same process (host/process.ts).
 */
const EXEC_UNWIND: unknown = makeTrap();

/** True for the unwinding of an execve that succeeded. */
export function isExecUnwind(e: unknown): boolean { return e === EXEC_UNWIND; }

/** True for the unwinding of a process that has exited. */
export function isProcessExit(e: unknown): boolean { return e === PROCESS_EXIT; }

/** Unwinds the guest of a process that has exited (an import that saw KDEAD). */
export function throwProcessExit(): never { throw PROCESS_EXIT; }

export interface SyscallHooks {
  trace: boolean;
  /**
   * Without `trace`: the trace switched on and off while the machine runs
   * (BootOptions.traceToggle), asked at each call. Absent, a call costs
   * nothing for the trace.
   */
  traceOn?: () => boolean;
  /** Deterministic scheduling (see Gate). */
  deterministic: boolean;
  /** Spin iterations before parking a blocked call. */
  spin: number;
  /** A child was created and needs a worker. */
  onSpawn(pid: number): void;
  /** A signal was sent to `pid` (it may need terminating if it runs guest code). */
  onKill(pid: number): void;
  /** The safepoint import (host/safepoint.ts), for modules the safepoint pass rewrote. */
  safepoint?(): number;
  /** The fork import (host/fork.ts); without it fork is the kernel's ENOSYS. */
  fork?(): number;
  /**
   * execve's kernel half has staged the new program: load it and commit (0)
   * or abort (-errno). Called inside the call, in the kernel.
   */
  exec?(): number;
}

const declsByModule: Record<string, Map<string, SyscallDecl>> = {
  wasi_snapshot_preview1: new Map(WASI.map((d) => [d.name, d])),
  wasmux: new Map(WASMUX.map((d) => [d.name, d])),
};
const prefix: Record<string, string> = { wasi_snapshot_preview1: 'wasi_', wasmux: 'sys_' };

export class UnsupportedImport extends Error {}

/** Builds the import object for a guest module; throws UnsupportedImport for foreign imports. */
export function buildImports(module: WebAssembly.Module, kernel: Kernel, gate: Gate,
                             platform: HostPlatform, hooks: SyscallHooks): WebAssembly.Imports {
  const imports: Record<string, Record<string, Function>> = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    // The memory the fork transform made an import: the host gives one per instance (host/process.ts).
    if (imp.kind === 'memory' && imp.module === 'wasmux' && imp.name === 'memory') continue;
    if (imp.kind === 'function' && imp.module === 'wasmux' && imp.name === 'safepoint' && hooks.safepoint) {
      (imports.wasmux ??= {}).safepoint = hooks.safepoint;
      continue;
    }
    const decls = declsByModule[imp.module];
    if (!decls || imp.kind !== 'function') {
      throw new UnsupportedImport(`unsupported import ${imp.module}.${imp.name}`);
    }
    const decl = decls.get(imp.name);
    const fn = kernel.exports[prefix[imp.module] + imp.name] as Function | undefined;
    (imports[imp.module] ??= {})[imp.name] = decl && fn
      ? makeSyscall(decl, fn, kernel, gate, platform, hooks, imp.module === 'wasi_snapshot_preview1')
      : notImplemented(imp.module === 'wasmux');
  }
  return imports;
}

function notImplemented(negative: boolean): Function {
  return () => (negative ? -ENOSYS : ENOSYS);
}

/**
 * The way into the kernel for one task: mark it in the kernel, call, park on
 * the wake word and retry while the kernel says KBLOCK, let the kernel act
 * on pending signals. Returns the result, or KDEAD.
 */
export class Gate {
  private wakeIdx = 0;
  private kstateIdx = 0;
  private attnIdx = 0;
  private task = 0;
  private tokenIdx: number;
  /** The current process has exited: the kernel is never entered for it again. */
  dead = false;
  /** The process this worker runs now (a Gate serves one process after another). */
  pid = 0;
  /**
   * Called instead of sleeping for good, if set (runtime/inline.ts: a
   * process on the main thread feeds the console itself): true if it
   * changed something, and the call is retried at once.
   */
  beforeSleep: (() => boolean) | null = null;

  /**
   * `deterministic`: one task at a time holds the CPU token and every call
   * is a scheduling point (assembly/sched.ts); blocked calls wait for the
   * token instead of parking with a timeout.
   */
  private spinner: AdaptiveSpin;
  // Resource usage (assembly/rusage.ts): the task's parkNs, stime and rss,
  // as indices of the kernel memory's f64 view. Only the slow paths are
  // timed (a clock read costs more than a syscall on some VMs); in
  // deterministic mode nothing is (real time would differ run to run).
  private timesOff: number;
  private parkIdx = 0;
  private parkedMs = 0;
  /** When the current call first blocked (performance.now), 0 if it has not: its kernel time (stime). */
  private blockedAt = 0;
  private rss = 0;

  constructor(private kernel: Kernel, platform: HostPlatform, spin: number,
              readonly deterministic = false) {
    this.tokenIdx = kernel.exports.k_schedToken() >> 2;
    this.spinner = new AdaptiveSpin(spin, () => platform.clock(1), platform.overloaded?.bind(platform));
    const off = kernel.exports.k_taskTimes();
    if (off < 0) throw new Error('assembly/task.ts: parkNs, stime, rss must be consecutive, 8-aligned f64s');
    this.timesOff = off;
  }

  /** Points the gate at the task of the process this worker now runs. */
  retarget(task: number, pid: number): void {
    this.task = task;
    this.pid = pid;
    this.dead = false;
    this.wakeIdx = (task + TASK_WAKE) >> 2;
    this.kstateIdx = (task + TASK_KSTATE) >> 2;
    this.attnIdx = (task + TASK_ATTN) >> 2;
    this.parkIdx = (task + this.timesOff) >> 3;
    this.parkedMs = 0;
    this.rss = 0;
  }

  /** The guest memory's size so far, for ru_maxrss (at getrusage, wait4, exec and exit: not per call). */
  noteMemory(): void {
    const size = this.kernel.user.bytes.length;
    if (size <= this.rss) return;
    this.rss = size;
    this.kernel.kmem.f64(this.parkIdx << 3)[this.parkIdx + 2] = size;
  }

  /**
   * One syscall. `wasi`: results are positive WASI errnos; `restartable`:
   * Linux restarts it under SA_RESTART (read, write, open, wait);
   * `deliver`: handlers may run after it (not for the trampoline's own
   * sigtake/sigreturn, which would nest them out of order).
   */
  call(fn: Function, args: unknown[], done?: (r: unknown) => void, wasi = false, restartable = false,
       deliver = true): unknown {
    if (this.dead) return KDEAD;
    const k = this.kernel.exports;
    // The kernel's own check at the way in: kstate 0 -> 1, or a zombie refused.
    const entry = k.k_enter();
    if (entry !== 0) return this.refused(entry);
    const parked0 = this.parkedMs;
    let r = this.run(fn, args, wasi, restartable);
    // A timer due by now fires on the way out (assembly/index.ts k_leave), so the attend below sees it.
    if (r !== KDEAD) k.k_leave();
    // Deaths and stops first, so the trace line comes before any handler's calls.
    if (r !== KDEAD && this.attend(false) === KDEAD) r = KDEAD;
    if (done) done(r);
    if (r !== KDEAD && deliver && this.attend(true) === KDEAD) r = KDEAD;
    // Every syscall is a scheduling point in deterministic mode.
    if (this.deterministic && k.k_schedYield(r === KDEAD ? 0 : 1)) {
      this.waitToken();
      // A fatal signal sent while it waited for the CPU acts here, at a seeded
      // point, not later from outside (Machine.nudge) at a time no seed decides.
      if (r !== KDEAD && this.attend(deliver) === KDEAD) { r = KDEAD; k.k_schedYield(0); }
    }
    if (r === KDEAD) this.dead = true;
    // A call that blocked is kernel time (less what it slept): timed on the slow path only (run).
    if (this.blockedAt !== 0) {
      this.kernel.kmem.f64(this.parkIdx << 3)[this.parkIdx + 1] += (performance.now() - this.blockedAt - (this.parkedMs - parked0)) * 1e6;
      this.blockedAt = 0;
    }
    Atomics.store(this.words(), this.kstateIdx, 0);
    return r;
  }

  /**
   * The guest's signal trampoline (its `__wasmux_sigtramp` export), or null:
   * the kernel then refuses handlers (sigaction EINVAL). Set for each
   * program the process runs (host/process.ts); the kernel learns it too.
   */
  bindTrampoline(tramp: unknown): void {
    this.sigtramp = typeof tramp === 'function' ? tramp as () => void : null;
    this.kernel.exports.k_sigTramp(this.sigtramp ? 1 : 0);
  }

  /**
   * For the safepoint import: the post-call path outside any call. Nothing
   * when no signal wants attention; otherwise deaths unwind the guest (the
   * exit trap), a stop parks here until SIGCONT, handlers run.
   */
  attention(): void {
    if (this.dead) throw PROCESS_EXIT;
    if (Atomics.load(this.words(), this.attnIdx) === 0) return;
    // Marked without safepoints (tests: Machine._withoutSafepoints): as a
    // program that has none, it does not act here. Asked only once there is
    // something to act on, so the usual slow path stays one load.
    if (this.kernel.exports.k_safepointsOn() === 0) return;
    const entry = this.kernel.exports.k_enter();
    if (entry !== 0) { this.refused(entry); throw PROCESS_EXIT; }
    if (this.attend(true) === KDEAD) { this.dead = true; throw PROCESS_EXIT; }
    Atomics.store(this.words(), this.kstateIdx, 0);
  }

  private sigtramp: (() => void) | null = null;
  /** Trampolines running now (nested handlers): fork is not possible below a host frame (host/fork.ts). */
  handlerDepth = 0;

  private words(): Int32Array<ArrayBufferLike> { return this.kernel.kmem.words(this.task); }

  /**
   * The call itself: park and retry while it blocks; a handled signal for a
   * blocked call (KSIGNAL, from the call or after a park) goes to the kernel
   * (k_sigInterrupt, assembly/sigwait.ts): restart it from scratch after the
   * handlers (KRESTART), or call it once more to finish it (EINTR, a partial
   * count: k_interrupted if it would block again). A stop parks here.
   */
  private run(fn: Function, args: unknown[], wasi: boolean, restartable: boolean): unknown {
    const k = this.kernel.exports;
    let intr = false;
    let w = Atomics.load(this.words(), this.wakeIdx);
    let r = fn(...args);
    for (;;) {
      let c: number;
      if (r === KBLOCK) {
        if (intr) { const e = k.k_interrupted(); return wasi ? -e : e; }
        if (this.blockedAt === 0 && !this.deterministic) this.blockedAt = performance.now();
        if (!this.deterministic) this.park(w);
        else if (k.k_schedYield(0)) this.waitToken();
        c = k.k_unblock();
      } else if (r === KSIGNAL) c = KSIGNAL;
      else return r;
      for (;;) {
        if (c === KSTOP) { this.whileStopped(); c = k.k_unblock(); continue; }
        if (c === KSIGNAL) { c = k.k_sigInterrupt(restartable ? 1 : 0); if (c === 1) { intr = true; c = 0; } continue; }
        break;
      }
      if (c === KDEAD) return KDEAD;
      // The handlers run (attend leaves the task in the kernel again), then the call anew.
      if (c === KRESTART) {
        if (this.attend(true) === KDEAD) return KDEAD;
        intr = false;
      }
      w = Atomics.load(this.words(), this.wakeIdx);
      r = fn(...args);
    }
  }

  /**
   * While the attention word is set: let the kernel act on signals
   * (k_attention). A stop parks until continued; handlers run in the
   * trampoline, as guest code (kstate 0: its calls enter the kernel
   * themselves), when `deliver`. Returns KDEAD or 0.
   */
  private attend(deliver: boolean): number {
    const k = this.kernel.exports;
    for (;;) {
      const i32 = this.words();
      if (Atomics.load(i32, this.attnIdx) === 0) return 0;
      const a = k.k_attention(0, deliver ? 1 : 0);
      if (a === KDEAD) return KDEAD;
      if (a === KSTOP) { this.whileStopped(); continue; }
      if (a !== KSIGNAL || !this.sigtramp) return 0;
      Atomics.store(i32, this.kstateIdx, 0);
      this.handlerDepth++;
      try { this.sigtramp(); } finally { this.handlerDepth--; }
      const e = k.k_enter();
      if (e !== 0) return this.refused(e) as number;
    }
  }

  /** Parks while the process is stopped (SIGSTOP & co) until SIGCONT or SIGKILL. */
  private whileStopped(): void {
    const k = this.kernel.exports;
    for (;;) {
      const i32 = this.words();
      const w = Atomics.load(i32, this.wakeIdx);
      if (k.k_stopped() === 0) return;
      if (this.deterministic) { if (k.k_schedYield(0)) this.waitToken(); }
      else this.sleep(i32, w, Infinity);
    }
  }

  /** k_enter said no: the process is a zombie (KDEAD), or the runtime is terminating this worker. */
  private refused(entry: number): unknown {
    if (entry === KDEAD) { this.dead = true; return KDEAD; }
    const i32 = this.kernel.kmem.words(this.task);
    for (;;) Atomics.wait(i32, this.kstateIdx, 2);
  }

  /** Deterministic mode: sleeps until this task holds the CPU token. */
  waitToken(): void {
    for (;;) {
      const i32 = this.kernel.kmem.words(this.task);
      const w = Atomics.load(i32, this.wakeIdx);
      if (Atomics.load(i32, this.tokenIdx) === this.task) return;
      this.sleep(i32, w, Infinity);
    }
  }

  /**
   * Atomics.wait on the wake word, flagged as parked so wakers notify (they
   * skip the notify for a task that spins). The flag is set before the wait
   * rechecks the word, so a wake between the two is never lost.
   */
  private sleep(i32: Int32Array<ArrayBufferLike>, w: number, ms: number): void {
    const parked = (this.task + TASK_PARKED) >> 2;
    Atomics.store(i32, parked, 1);
    const t = this.deterministic ? 0 : performance.now();
    Atomics.wait(i32, this.wakeIdx, w, ms);
    if (!this.deterministic) {
      const dt = performance.now() - t;
      this.parkedMs += dt;
      this.kernel.kmem.f64(this.parkIdx << 3)[this.parkIdx] += dt * 1e6;
    }
    Atomics.store(i32, parked, 0);
  }

  /** Spin briefly (a wake-up usually comes within microseconds), then sleep. */
  private park(w: number): void {
    const kmem = this.kernel.kmem;
    const i32 = kmem.words(this.task);
    // The call's deadline or the process's timer (ITIMER_REAL), whichever is first;
    // one already past if a signal is pending (it may have moved the word before `w` was read).
    const wakeAt = this.kernel.exports.k_parkDeadline();
    if (wakeAt === 0n) {
      if (!this.spinner.spin(i32, this.wakeIdx, w) && !this.beforeSleep?.()) this.sleep(i32, w, Infinity);
    } else {
      // The deadline is on the kernel's clock (machine-wide, from boot).
      const ms = Number(wakeAt - this.kernel.exports.k_monotonic()) / 1e6;
      if (ms > 0) this.sleep(i32, w, ms);
    }
  }
}

function makeSyscall(decl: SyscallDecl, fn: Function, kernel: Kernel, gate: Gate,
                     platform: HostPlatform, hooks: SyscallHooks, wasi: boolean): Function {
  // What the runtime must hear of a successful call: a new child, a signal sent.
  const after = decl.name === 'spawn' ? (r: number) => hooks.onSpawn(r)
    : decl.name === 'kill' || decl.name === 'sigqueue' ? (_r: number, args: unknown[]) => {
      // A signal to itself acts on the way out of this very call: no nudge (a message to init).
      // Only a signal that may kill code running without syscalls needs the
      // runtime (a message to init, tens of microseconds): not one a handler catches.
      if (args[1] !== 0 && args[0] !== gate.pid && kernel.exports.k_nudgeWanted(args[0] as number) !== 0) {
        hooks.onKill(args[0] as number);
      }
    }
    : null;
  const traceLine = (args: unknown[]) => (r: unknown) => platform.traceWrite(formatTrace(gate.pid, decl, args, r, kernel, wasi));
  const tracing = hooks.trace ? () => true : hooks.traceOn ?? null;
  const user = kernel.user;
  if (decl.name === 'fork' && hooks.fork) {
    const fork = hooks.fork;
    return (): unknown => {
      if (!user.bound) throw new UnsupportedImport('fork called before the process\'s memory is bound');
      const r = fork();
      if (r === KDEAD) throw PROCESS_EXIT;
      return r;
    };
  }
  if (decl.name === 'execve' || decl.name === 'fexecve') {
    const exec = hooks.exec;
    // Loading the new program is part of the call: a module that does not
    // load is ENOEXEC for the caller, who goes on (k_execAbort).
    const kfn = fn;
    fn = (...args: unknown[]): unknown => {
      const r = kfn(...args);
      if (r !== 0) return r;
      if (exec) return exec();
      kernel.exports.k_execAbort();
      return -ENOSYS;
    };
  }
  // An exit never returns, and once it is in the kernel the parent may reap
  // and the machine shut down before the worker writes another byte: its
  // line goes out first, as strace's `exit_group(0) = ?`.
  const exits = decl.name === 'proc_exit';
  // What reports or ends the memory's peak (ru_maxrss) looks at it first.
  const notes = exits || decl.name === 'getrusage' || decl.name === 'wait4' || decl.name === 'execve' || decl.name === 'fexecve';
  const execs = decl.name === 'execve' || decl.name === 'fexecve';   // decided once here, not per call
  const restartable = decl.restartable === true;
  const deliver = decl.name !== 'sigtake' && decl.name !== 'sigreturn';
  return (...args: unknown[]): unknown => {
    // Guest code before its own memory is bound (host/process.ts prevents it): refuse.
    if (!user.bound) throw new UnsupportedImport(`${decl.name} called before the process's memory is bound`);
    if (notes) gate.noteMemory();
    const trace = tracing !== null && tracing();
    if (exits && trace) traceLine(args)(KDEAD);
    // The trace line is written before the scheduling point, so its order is the syscalls' order.
    const r = gate.call(fn, args, trace && !exits ? traceLine(args) : undefined, wasi, restartable, deliver);
    if (r === KDEAD) throw PROCESS_EXIT;
    if (after && (r as number) >= 0) after(r as number, args);
    if (execs && r === 0) throw EXEC_UNWIND;
    return r;
  };
}
