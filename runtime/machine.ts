// A booted wasmux machine: the shared kernel memory, the runtime thread's
// own kernel instance (it is pid 1, init), the worker pool, and the process
// handles of the embedding API.

import * as Comlink from 'comlink';
import { KBLOCK, ENOENT, E2BIG, EBUSY, ENOTRECOVERABLE, ECANCELED, ENOMEM, ENOSPC, EINVAL } from '../abi/errno.js';
import {
  O_RDONLY, O_WRONLY, O_CLOEXEC, SPAWN_DUP2, SPAWN_OPEN, SPAWN_ACTION_SIZE,
  SPAWN_SETSID, SETSID_CTTY,
  SIGKILL, SIGTERM,
} from '../abi/constants.js';
import { Kernel } from '../host/kernel.js';
import { describeFault, kernelFault } from '../host/fault.js';
import { errnoName } from '../host/trace.js';
import type { RuntimePlatform, TerminalInput } from './platform.js';
import { ConsoleFeed } from './console-feed.js';
import type { PoolWorker } from './pool-worker.js';
import { Termination } from './termination.js';
import { runHere } from './run-here.js';
import { encodeArgs, type Arena } from './arena.js';
import { InitCalls } from './init-calls.js';
import { WasmuxError } from './errors.js';
import { seedOption, listOption } from './options.js';
import { checkBootOptions, defaultProcessMemory, memoryLimits, msgLimits, type BootOptions, type Mount, type Options } from './boot-options.js';
import { ProcessHandle, type SpawnOptions } from './process-handle.js';
import { Pump } from './pump.js';
import { preopenList, preopenActions, type Action } from './preopens.js';
import { envList } from './spawn-env.js';
import { credActions } from './spawn-cred.js';
import type { Control, WorkerApi } from './worker.js';
import { WS_PID, WS_WORDS } from './worker-core.js';
import type { ConsoleSink } from './inline.js';
import { decodeSnapshot, snapshotSize, type MachineSnapshot } from './snapshot.js';

export interface ProcInfo { pid: number; ppid: number; state: string; name: string }

export { WasmuxError };
export { ProcessHandle, decodeStatus } from './process-handle.js';
export type { Stdio, SpawnOptions, ExitStatus } from './process-handle.js';
export type { Preopen, Preopens } from './preopens.js';
export type { BootOptions, Mount } from './boot-options.js';
export { DEFAULT_MAX_PROCESS_MEMORY, defaultProcessMemory } from './boot-options.js';

/** How long shutdown() waits for workers whose process has ended to finish with it. */
const FINISH_WAIT_MS = 500;

export class Machine {
  private workers = new Map<number, PoolWorker>();
  private nextWorkerId = 1;
  private starting = 0;
  private handles = new Map<number, ProcessHandle>();
  private sys: InitCalls;
  private arena: Arena;
  /** Where snapshot() has the kernel write its record (grown when it is short). */
  private snapBuf = new ArrayBuffer(64 * 1024);
  private pump: Pump;
  private closed = false;
  private tmpSeq = 0;
  private consoleFeed: ConsoleFeed | null = null;
  private control: Control;
  /** Set once the kernel is found broken: every later API call throws it. */
  private fault: WasmuxError | null = null;
  /** Handles whose wait() has no answer yet (an exited process's output may still be coming). */
  private unsettled = new Set<ProcessHandle>();
  private termination: Termination;
  /** A spawn for runHere: no worker is started for it. */
  private noPool = false;
  /** BootOptions.traceToggle: the word every worker's syscalls read (nonzero: trace). */
  private traceFlag: Int32Array | null = null;

  private constructor(
    readonly kernel: Kernel,
    private kmodule: WebAssembly.Module,
    private memory: WebAssembly.Memory,
    initTask: number,
    private platform: RuntimePlatform,
    private opts: Options,
  ) {
    this.sys = new InitCalls(kernel, initTask, (f) => this.kcall(f));
    this.arena = this.sys.arena;
    if (opts.traceToggle) {
      this.traceFlag = new Int32Array(new SharedArrayBuffer(4));
      this.traceFlag[0] = opts.trace ? 1 : 0;
    }
    this.pump = new Pump(kernel, initTask, opts.deterministic, (e) => { this.machineFault(e); });
    this.control = Comlink.proxy({
      poolCheck: () => { this.guard(() => this.poolCheck()); },
      nudge: (pid: number) => { this.guard(() => this.nudge(pid)); },
    });
    this.pump.add(() => this.reap());
    this.termination = new Termination({
      kernel, workers: this.workers,
      closed: () => this.closed,
      pids: () => this.ps().map((p) => p.pid),
      kcall: (f) => this.kcall(f),
      guard: (f) => this.guard(f),
      machineFault: (e) => this.machineFault(e),
      poolCheck: () => this.poolCheck(),
      poke: () => this.pump.poke(),
      traceWrite: (line) => this.platform.host.traceWrite(line),
    });
  }

  /** Boots on `platform` (runtime/index.ts passes Node's). */
  static async boot(options: BootOptions, platform: RuntimePlatform): Promise<Machine> {
    const opts = checkBootOptions(options);
    const seed = seedOption('seed', options.seed);
    const mounts = listOption<Mount>('mounts', options.mounts);
    const { memPages, tmpfsPages } = memoryLimits(options);
    const msg = msgLimits(options);
    // The platform is asked only once every option has passed.
    if (options.maxProcessMemory === undefined) opts.maxProcessMemory = defaultProcessMemory(opts.maxProcs, platform.hostMemory?.());
    // A worker thread takes longer to start than all of the kernel's boot
    // (tens of ms): start the warm pool's threads first, so they boot while
    // this thread compiles and boots the kernel and fills /bin.
    const threads = Array.from({ length: opts.warmWorkers }, () => platform.newWorker());
    let m: Machine;
    try {
      const kmodule = new WebAssembly.Module(platform.readKernel());
      // 64 MiB up front (pages are committed only when touched), up to kernelMemory (2 GiB).
      const memory = new WebAssembly.Memory({ initial: Math.min(1024, memPages), maximum: memPages, shared: true });
      const kernel = new Kernel(kmodule, memory, platform.host);
      const task = kernel.exports.k_boot(opts.maxProcs, opts.maxFds, opts.pipeSize,
        opts.deterministic ? 1 : 0, BigInt.asIntN(64, seed ?? 0n), memPages, tmpfsPages);
      if (task === 0) throw new WasmuxError('boot: the kernel memory is too small for these options', ENOMEM);
      if (kernel.exports.k_msgLimits(msg.msgmax, msg.msgmnb, msg.msgmni) !== 0) throw new WasmuxError('boot: no memory for the message queue table', ENOMEM);
      kernel.exports.k_mqLimits(opts.mqueue.maxMsg, opts.mqueue.msgSizeMax, opts.mqueue.queuesMax, BigInt(opts.mqueue.bytesMax));
      m = new Machine(kernel, kmodule, memory, task, platform, opts);
      m.mkdirs('/run');
      for (const p of platform.listPrograms()) m.writeFile(`/bin/${p.name}`, p.bytes, 0o755);
      for (const mount of mounts) m.mount(mount);
    } catch (e) {
      for (const t of threads) void Promise.resolve(t.terminate()).catch(() => { /* gone */ });
      throw e;
    }
    // Terminal input arrives at times no seed decides: not in deterministic mode.
    if (opts.stdin && !opts.deterministic) m.feedConsole(platform.terminalInput());
    // The console is a terminal only where the host's stream is one.
    m.kernel.exports.k_consoleTty(platform.ttyMask());
    await Promise.all(threads.map((t) => m.newWorker(t)));
    return m;
  }

  // ---- the namespace, through init's own calls (runtime/init-calls.ts) ----

  /**
   * Creates a file in the namespace with the given bytes. Never waits: a
   * FIFO with no reader is ENXIO, one whose reader does not keep up EAGAIN.
   */
  writeFile(path: string, bytes: Uint8Array, mode = 0o644): void { this.sys.writeFile(path, bytes, mode); }
  /** Reads a whole file of the namespace. Never waits: a FIFO whose writer has not written yet is EAGAIN. */
  readFile(path: string): Uint8Array { return this.sys.readFile(path); }
  mkdirs(path: string): void { this.sys.mkdirs(path); }
  unlink(path: string): void { this.sys.unlink(path); }
  mount(m: Mount): void { this.sys.mount(m); }
  private call(name: string, ...args: unknown[]): number { return this.sys.call(name, ...args); }
  private check(r: number, what: string): number { return this.sys.check(r, what); }

  // ---- processes ----

  /** Spawns `path` (a namespace path, or a name in /bin) with argv (argv[0] included). */
  spawn(path: string, argv: string[] = [path], options: SpawnOptions = {}): ProcessHandle {
    if (this.closed) throw this.fault ? this.faultError() : new WasmuxError('machine is shut down', ECANCELED);
    return this.withCpu(() => this.spawnNow(path, argv, options));
  }

  /**
   * Runs an action of init's that changes what guests see. In deterministic
   * mode it needs the CPU token, which it has at once only while no guest
   * runs; afterwards the token passes on (to a new process, say).
   */
  private withCpu<T>(action: () => T, evenIfBusy = false): T {
    if (!this.opts.deterministic) return action();
    if (!this.kcall(() => this.kernel.exports.k_schedAcquire())) {
      // (init is now runnable: the Pump takes the token when it comes, and passes it on.)
      if (evenIfBusy) return action();
      throw new WasmuxError('deterministic mode: the API can act only while no process runs', EBUSY);
    }
    try { return action(); } finally { this.kcall(() => this.kernel.exports.k_schedYield(0)); }
  }

  private spawnNow(path: string, argv: string[], options: SpawnOptions): ProcessHandle {
    // E2BIG before anything is made (stdin file, pipes).
    const env = envList(options.env);
    const argBytes = encodeArgs(argv, 'argv', path);
    const envBytes = encodeArgs(env, 'env', path);
    const preopens = preopenList(options.preopens);
    // First, so that no later action runs with init's ids in the child.
    const actions: Action[] = credActions(options);
    const readers: [number, 'stdout' | 'stderr'][] = [];
    const closeAfter: number[] = [];
    const stdin = options.stdin ?? 'inherit';
    const stdinFile = stdin !== 'inherit' && stdin !== 'null' ? `/run/.stdin-${++this.tmpSeq}` : null;
    let pid: number;
    try {
      if (stdin === 'null') actions.push([SPAWN_OPEN, 0, 0, O_RDONLY, '/dev/null']);
      else if (stdinFile) {
        this.writeFile(stdinFile, typeof stdin === 'string' ? new TextEncoder().encode(stdin) : stdin as Uint8Array);
        actions.push([SPAWN_OPEN, 0, 0, O_RDONLY, stdinFile]);
      }
      for (const [fd, name] of [[1, 'stdout'], [2, 'stderr']] as const) {
        const how = options[name] ?? 'inherit';
        if (how === 'null') actions.push([SPAWN_OPEN, 0, fd, O_WRONLY, '/dev/null']);
        if (how === 'pipe') {
          const [r, w] = this.pipe();
          actions.push([SPAWN_DUP2, w, fd, 0, '']);
          readers.push([r, name]);
          closeAfter.push(w);
        }
      }
      if (options.login) actions.push([SPAWN_SETSID, SETSID_CTTY, 0, 0, '']);
      // Last: a preopen at fd 3 may replace the child's copy of a pipe fd a DUP2 above reads.
      if (preopens) actions.push(...preopenActions(preopens));
      pid = this.spawnCall(path, argBytes, envBytes, options.cwd, actions);
    } catch (e) {
      // Nothing of a spawn that failed half-way stays behind: pipes, the stdin file.
      for (const [fd] of readers) this.call('sys_close', fd);
      throw e;
    } finally {
      for (const fd of closeAfter) this.call('sys_close', fd);
      if (stdinFile) this.unlink(stdinFile);
    }
    if (pid < 0) {
      for (const [fd] of readers) this.call('sys_close', fd);
      const why = pid === -ENOENT ? 'program not found' : pid === -E2BIG ? 'argument list too long (E2BIG)' : errnoName(-pid);
      throw new WasmuxError(`${path}: ${why}`, -pid);
    }
    const handle = new ProcessHandle(pid, () => this.unsettled.delete(handle));
    this.handles.set(pid, handle);
    this.unsettled.add(handle);
    for (const [fd, stream] of readers) this.readInto(fd, handle, stream);
    if (!this.noPool) this.poolCheck();
    this.pump.poke();
    return handle;
  }

  /**
   * @internal The CLI's fast path (runtime/run-here.ts, runtime/inline.ts):
   * spawns and runs the process to its end on this thread, before
   * returning; only for a program runsInline accepts. Null when it cannot:
   * spawn it as usual.
   */
  runHere(path: string, argv: string[], options: SpawnOptions = {},
          syncConsole?: (sink: ConsoleSink) => () => boolean): ProcessHandle | null {
    return runHere({
      kernel: this.kernel, kmodule: this.kmodule, memory: this.memory, platform: this.platform, opts: this.opts, arena: this.arena,
      poolEmpty: () => this.workers.size + this.starting === 0,
      closed: () => this.closed,
      spawnWithoutPool: () => {
        this.noPool = true;
        try { return this.spawnNow(path, argv, options); } finally { this.noPool = false; }
      },
      kcall: (f) => this.kcall(f),
      machineFault: (e) => this.machineFault(e),
      poke: () => this.pump.poke(),
    }, syncConsole);
  }

  /** pipe2(O_CLOEXEC) for init: [read fd, write fd]. */
  private pipe(): [number, number] {
    const a = this.arena;
    a.reset();
    const fds = a.alloc(8);
    this.check(this.call('sys_pipe2', fds, O_CLOEXEC), 'pipe');
    return [a.i32(fds), a.i32(fds + 4)];
  }

  /** The spawn syscall itself: the child's pid or -errno. */
  private spawnCall(path: string, argBytes: Uint8Array[], envBytes: Uint8Array[], cwd: string | undefined,
                    actions: Action[]): number {
    const prog = path.includes('/') ? path : `/bin/${path}`;
    const a = this.arena;
    a.reset();
    const [pp, pn] = a.str(prog);
    const av = a.strVec(argBytes);
    const ev = a.strVec(envBytes);
    const act = a.alloc(actions.length * SPAWN_ACTION_SIZE);
    actions.forEach(([kind, fd, newfd, oflags, p], i) => {
      const base = act + i * SPAWN_ACTION_SIZE;
      a.setU32(base, kind); a.setI32(base + 4, fd); a.setI32(base + 8, newfd); a.setU32(base + 12, oflags);
      if (p) { const [sp, sn] = a.str(p); a.setU32(base + 16, sp); a.setU32(base + 20, sn); }
    });
    const [cp, cn] = cwd ? a.str(cwd) : [0, 0];
    return this.call('sys_spawn', pp, pn, av, argBytes.length, ev, envBytes.length, act, actions.length, cp, cn);
  }

  /** Collects a pipe's bytes until EOF, on the pump. */
  private readInto(fd: number, handle: ProcessHandle, stream: 'stdout' | 'stderr'): void {
    handle._reader();
    this.pump.add(() => {
      for (;;) {
        this.arena.reset();
        const buf = this.arena.alloc(65536);
        const r = this.call('sys_read', fd, buf, 65536);
        if (r === KBLOCK) return false;
        if (r <= 0) { this.call('sys_close', fd); handle._readerDone(); return true; }
        handle._chunk(stream, this.arena.view(buf, r).slice());
      }
    });
  }

  /**
   * init's wait loop, always on the pump: reaps every child of pid 1 (the
   * API's and the orphans it inherits) and hands statuses to their handles.
   */
  private reap(): boolean {
    for (;;) {
      this.arena.reset();
      const st = this.arena.alloc(4);
      const r = this.call('sys_waitpid', -1, st, 0);
      if (r <= 0) return false;   // KBLOCK: registered; ECHILD: a poke brings us back
      const h = this.handles.get(r);
      if (h) { this.handles.delete(r); h._exited(this.arena.i32(st)); }
    }
  }

  /** Keeps enough idle workers for what is queued plus the warm reserve. */
  private poolCheck(): void {
    if (this.closed) return;
    const k = this.kernel.exports;
    const need = k.k_runqLength() + this.opts.warmWorkers - k.k_idleWorkers(0) - this.starting;
    for (let i = 0; i < need; i++) void this.newWorker();
  }

  /** Adds a worker to the pool: `worker` if its thread was started already, else a new one. */
  private async newWorker(worker = this.platform.newWorker()): Promise<void> {
    this.starting++;
    const api = Comlink.wrap<WorkerApi>(worker.endpoint);
    const id = this.nextWorkerId++;
    const k = this.kernel.exports;
    // A thread that dies before or after it is ready must not leave anything waiting.
    const exited = new Promise<string>((r) => worker.onExit?.(r));
    try {
      const ready = await Promise.race([api.init(this.kmodule, this.memory).then(() => true, () => false),
        exited.then(() => false)]);
      if (!ready || this.closed) { void worker.terminate(); return; }
      const pw: PoolWorker = { id, worker, api, status: new Int32Array(new SharedArrayBuffer(WS_WORDS * 4)) };
      this.workers.set(id, pw);
      k.k_idleWorkers(1);   // counted idle from now: it parks on the run queue at once
      void exited.then((why) => this.guard(() => this.termination.workerLost(pw, why)));
      const { spin, idleSpin, deterministic, maxProcessMemory, warmWorkers, idleWorkerMs, transformCache } = this.opts;
      // With the toggle the shared word decides (setTrace), else `trace` once.
      const trace = this.traceFlag === null && this.opts.trace;
      const traceFlag = this.traceFlag ?? undefined;
      // Comlink proxies `control` (marked by Comlink.proxy) into a Remote on the worker's side.
      api.serve({ id, trace, traceFlag, spin, idleSpin, deterministic, maxProcessMemory, warmWorkers, idleWorkerMs, transformCache, status: pw.status },
        this.control as unknown as Comlink.Remote<Control>)
        .then(() => this.retired(id),
          (e) => this.guard(() => this.termination.workerLost(pw, `it stopped serving: ${String(e)}`)));
    } finally {
      this.starting--;
    }
  }

  /** A worker left the pool (idle beyond the warm reserve, runtime/worker-core.ts): end its thread. */
  private retired(id: number): void {
    const w = this.workers.get(id);
    if (!w) return;
    this.workers.delete(id);
    void w.worker.terminate();
  }

  /** Worker threads alive now (those being started included). */
  workerCount(): number { return this.workers.size + this.starting; }

  // ---- faults: signals to guest code, dead workers, a broken kernel ----

  /** A signal was sent to `pid`: it may have to be ended from outside (runtime/termination.ts). */
  private nudge(pid: number, retry = 1): void { this.termination.nudge(pid, retry); }

  /**
   * The kernel is broken (a trap in it, a thread dead inside it): stop this
   * machine. Every worker is terminated, every wait() rejects, every later
   * API call throws; the fault word makes any thread still waiting for a
   * lock give up (host/fault.ts). The host and other machines go on.
   */
  private machineFault(cause: unknown): WasmuxError {
    if (!this.fault) {
      const what = (cause instanceof WebAssembly.RuntimeError ? describeFault(cause) : cause instanceof Error ? cause.message : String(cause)).replace(/^kernel fault: /, '');
      this.fault = new WasmuxError(`kernel fault: ${what}`, ENOTRECOVERABLE);
      kernelFault(this.kernel, what);
      this.platform.host.traceWrite(`wasmux: kernel fault: ${what}; the machine has stopped\n`);
      for (const w of this.stopAll()) void Promise.resolve(w.worker.terminate()).catch(() => { /* gone */ });
      for (const h of this.unsettled) h._abandon(this.faultError());
      this.handles.clear();
    }
    return this.faultError();
  }

  private faultError(): WasmuxError { return new WasmuxError(this.fault!.message, this.fault!.errno); }

  /** A kernel call of init's: once faulted, none; a throw out of the kernel is a kernel fault. */
  private kcall<T>(f: () => T): T {
    if (this.fault) throw this.faultError();
    try {
      return f();
    } catch (e) {
      throw this.machineFault(e);
    }
  }

  /** For callbacks (events, timers, the control plane): a fault stops the machine, never the host. */
  private guard(f: () => void): void {
    try { f(); } catch (e) { if (!(e instanceof WasmuxError)) this.machineFault(e); }
  }

  /**
   * @internal Tests only: the worker running `pid` (0: an idle one) dies as
   * a crashed thread does, through workerLost; resolves once it is dead.
   */
  async _crashWorkerOf(pid: number): Promise<boolean> {
    for (const w of this.workers.values()) {
      if (Atomics.load(w.status, WS_PID) === pid) { await w.worker.terminate(); return true; }
    }
    return false;
  }

  /** @internal Tests only: the id of the worker running `pid` now, or 0. */
  _workerOf(pid: number): number {
    for (const w of this.workers.values()) if (Atomics.load(w.status, WS_PID) === pid) return w.id;
    return 0;
  }

  /**
   * @internal Tests only: `pid` counts as a program without safepoints, so a
   * fatal signal terminates its worker (the path such programs take).
   */
  _withoutSafepoints(pid: number): void {
    this.check(this.kcall(() => this.kernel.exports.k_setSafepoints(pid, 0)), `safepoints ${pid}`);
  }

  /** @internal Tests only: the ids of the pool's workers. */
  _workerIds(): number[] { return [...this.workers.keys()]; }

  /** @internal Tests only: workers that hold a process (0 once every reaped process's worker has let go of it: k_taskDone). */
  _busyWorkers(): number {
    let n = 0;
    for (const w of this.workers.values()) if (Atomics.load(w.status, WS_PID) !== 0) n++;
    return n;
  }

  /** @internal Tests only: `pid`'s next k_unblock traps holding the process-table lock (a kernel bug). */
  _injectKernelFault(pid: number): void {
    this.check(this.call('k_faultInject', pid), `fault ${pid}`);
  }

  /** @internal Tests only: `pid`'s next fork stops between making the child and committing it, until its worker dies. */
  _stallNextFork(pid: number): void {
    this.check(this.call('k_faultInjectFork', pid), `fault fork ${pid}`);
  }

  /**
   * @internal Tests only: the next raise of `sig` parks between deciding and
   * queueing until its target's sigaction(sig, SIG_IGN) has run as far as it
   * can (assembly/sigstall.ts).
   */
  _stallNextRaise(sig: number): void {
    this.check(this.call('k_faultInjectRaise', sig), `stall raise ${sig}`);
  }

  /** @internal Tests only: whether the raise _stallNextRaise armed has parked and been let go. */
  _raiseStalled(): boolean { return this.call('k_raiseStalled') === 1; }

  /** @internal Tests only: the next FIFO reader's open that meets a writer parks until the writer has closed (assembly/fifostall.ts). */
  _stallNextFifoOpen(): void { this.call('k_faultInjectFifo'); }

  /** @internal Tests only: whether that open parked and its writer left. */
  _fifoStalled(): boolean { return this.call('k_fifoStalled') === 1; }

  /** kill(2) from outside the machine. */
  kill(pid: number, sig = SIGTERM): void {
    // In deterministic mode a signal from outside (whose timing no seed
    // decides anyway) goes in without the token: a guest computing without
    // syscalls dies at its next safepoint (or, without safepoints, holds the
    // CPU for good and nudge ends it).
    this.withCpu(() => this.check(this.call('sys_kill', pid, sig), `kill ${pid}`), true);
    this.nudge(pid);
  }

  /**
   * The host's terminal was signalled — Ctrl-C, Ctrl-\\ or Ctrl-Z at a
   * terminal in cooked mode reach the CLI as SIGINT, SIGQUIT or SIGTSTP
   * rather than as bytes: the console's foreground group gets the signal,
   * as the typed character would give it (assembly/tty.ts).
   */
  terminalSignal(sig: number): void {
    this.withCpu(() => this.check(this.kcall(() => this.kernel.exports.k_consoleSignal(sig)), `terminal signal ${sig}`), true);
    this.nudge(0);   // a member computing without syscalls
  }

  /**
   * Switches the syscall trace (one line per call to the trace output, or
   * onTrace in a browser) on or off while the machine runs, for every
   * process at its next call. Needs BootOptions.traceToggle.
   */
  setTrace(on: boolean): void {
    if (this.traceFlag === null) throw new WasmuxError('setTrace: boot with traceToggle: true', EINVAL);
    Atomics.store(this.traceFlag, 0, on ? 1 : 0);
  }

  /** Whether syscalls are traced now (BootOptions.trace, or the last setTrace). */
  get tracing(): boolean { return this.traceFlag !== null ? Atomics.load(this.traceFlag, 0) !== 0 : this.opts.trace; }

  /** The process table, as ps shows it: the processes of snapshot(), the one view of the kernel. */
  ps(): ProcInfo[] {
    return this.snapshot().processes.map((p) => ({ pid: p.pid, ppid: p.ppid, state: p.state, name: p.name }));
  }

  /**
   * A consistent view of the kernel's processes, descriptors, pipes and
   * signals (assembly/snapshot.ts), taken without stopping the guests.
   */
  snapshot(): MachineSnapshot {
    for (let tries = 0; ; tries++) {
      const buf = new Uint8Array(this.snapBuf);
      // The record goes into its own buffer, bound as init's memory for the call.
      this.kernel.user.attach({ buffer: this.snapBuf });
      let r: number;
      try { r = this.call('k_snapshot', 0, buf.length); } finally { this.kernel.user.attach({ buffer: this.arena.buffer }); }
      if (r === -ENOSPC && tries < 4) { this.snapBuf = new ArrayBuffer(Math.max(snapshotSize(buf) * 2, buf.length * 2)); continue; }
      this.check(r, 'snapshot');
      return decodeSnapshot(buf.subarray(0, r));
    }
  }

  /**
   * Deterministic mode (a `seed`): stops passing the CPU on. The process the
   * next scheduling point chooses waits for step() or resume(); the choice
   * is the seed's, so a paused, stepped run follows the free run's schedule.
   */
  pause(): void { this.check(this.call('k_schedPause'), 'pause'); }

  /** Lets exactly `n` scheduling points through while paused (each: one process runs one syscall). */
  step(n = 1): void {
    if (!Number.isInteger(n) || n < 1) throw new WasmuxError(`step: n must be a positive integer, not ${n}`, EINVAL);
    this.check(this.call('k_schedStep', n), 'step');
  }

  /** Runs freely again after pause(). */
  resume(): void { this.check(this.call('k_schedStep', -1), 'resume'); }

  /**
   * The deterministic scheduler's state: paused or not, whether a chosen
   * process waits for a step (`parked`: the machine is still at a
   * scheduling point), the hand-offs so far, and the pid that holds the CPU
   * or runs at the next step (0: idle).
   */
  scheduler(): { paused: boolean; parked: boolean; points: number; next: number } {
    const s = this.call('k_schedState');
    return { paused: (s & 1) !== 0, parked: (s & 2) !== 0, points: s >>> 2, next: this.call('k_schedCurrent') };
  }

  /** Kernel heap blocks in use plus the pages tmpfs files hold (leak checks). */
  heapBlocks(): number { return this.kcall(() => this.kernel.exports.k_heapBlocks()); }

  /** Terminal input → the console (runtime/console-feed.ts). */
  private feedConsole(input: TerminalInput): void {
    this.consoleFeed = new ConsoleFeed({
      kernel: this.kernel, arena: this.arena,
      closed: () => this.closed,
      kcall: (f) => this.kcall(f),
      guard: (f) => this.guard(f),
      nudgeAll: () => this.nudge(0),
    }, input);
  }

  /**
   * Stops the machine: every worker is terminated, and the wait() of a
   * process still running resolves as killed by SIGKILL (the machine's end
   * killed it, as a halt does). Safe to call more than once, and after a
   * kernel fault.
   */
  async shutdown(): Promise<void> {
    // A worker whose process has ended may still be on its way out (its
    // last trace line, k_taskDone): it gets a moment to finish.
    if (!this.fault && !this.closed) {
      try { await this.finishingWorkers(); } catch { /* the kernel broke meanwhile: stop all the same */ }
    }
    const all = this.stopAll();
    await Promise.allSettled(all.map((w) => w.worker.terminate()));
    for (const h of this.unsettled) h._abandon(SIGKILL);
    this.handles.clear();
  }

  /**
   * Waits, FINISH_WAIT_MS at most, for the workers that still hold a
   * process that no longer runs (a zombie, or reaped already) to let go of
   * it: each clears its WS_PID word and notifies it when done
   * (runtime/worker-core.ts). A worker whose process still runs is not
   * waited for: shutdown kills it.
   */
  private async finishingWorkers(): Promise<void> {
    const deadline = Date.now() + FINISH_WAIT_MS;
    for (;;) {
      const running = new Set(this.ps().filter((p) => p.state !== 'zombie').map((p) => p.pid));
      const w = [...this.workers.values()].find((x) => {
        const pid = Atomics.load(x.status, WS_PID);
        return pid !== 0 && !running.has(pid);
      });
      const left = deadline - Date.now();
      if (!w || left <= 0) return;
      const r = Atomics.waitAsync(w.status, WS_PID, Atomics.load(w.status, WS_PID), left);
      if (r.async) await r.value;
    }
  }

  /** Ends the machine's activity: no more input, pool, pump or kernel calls from here. Returns the workers it was running. */
  private stopAll(): PoolWorker[] {
    this.closed = true;
    this.consoleFeed?.stop();
    this.consoleFeed = null;
    this.pump.stop();
    const all = [...this.workers.values()];
    this.workers.clear();
    return all;
  }
}

export { SIGKILL };

