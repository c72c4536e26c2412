// Running one process on this worker's thread: adopt the embryo the kernel
// made at spawn, load its program (rewritten by host/wasm-binary.ts, then
// compiled; compiled modules are cached by inode and version), bind its
// imports, bind its memory, run its start function and `_start`, and turn
// every way it can end — exit, a signal, a trap — into a kernel exit with the
// right wait status. The process's memory is bound before any of its code
// runs and unbound when it ends.

import { SIGILL, SIGSEGV, SIGFPE } from '../abi/constants.js';
import { Kernel } from './kernel.js';
import { Gate, isProcessExit, isExecUnwind, UnsupportedImport, buildImports, type SyscallHooks } from './syscalls.js';
import { ENOEXEC } from '../abi/errno.js';
import { WASMUX } from '../abi/syscalls.js';
import { formatTrace } from './trace.js';
import { ForkContext, forkImport, imagePages, restoreImage, runEntry } from './fork.js';
import { transformGuest } from './transform/pipeline.js';
import { dataExtent, importedMemory } from './transform/inspect.js';
import { MEMORY_IMPORT } from './transform/passes.js';
import { safepointImport } from './safepoint.js';
import { MemoryPool } from './memory-pool.js';
import { PAGE, START_EXPORT, prepareGuest } from './wasm-binary.js';
import { KDEAD } from '../abi/errno.js';
import { errnoName } from './trace.js';
import { checkKernelFault, isKernelFault } from './fault.js';
import { readImage } from './image.js';
import { setGuestCwd, CWDFD_EXPORT } from './wasi-cwd.js';
import { O_RDONLY, O_DIRECTORY, O_CLOEXEC } from '../abi/constants.js';
import type { HostPlatform } from './platform.js';

/** A program as the host runs it: compiled, and how far its data segments reach (host/fork.ts). */
interface Compiled {
  module: WebAssembly.Module;
  dataEnd: number;
  /** The limits of the memory the module imports (fork-memory), or null: it defines its own. */
  memory: { min: number; max: number } | null;
  /** The safepoint pass rewrote it: a fatal signal kills it at a safepoint, not by terminating its worker. */
  safepoints: boolean;
}
/**
 * Compiled programs by inode (the cwd hooks are in every wasi-libc program,
 * host/transform/passes.ts): a rewritten file (new version) replaces its entry.
 */
const moduleCache = new Map<string, { version: number; maxPages: number; compiled: Compiled }>();
const encoder = new TextEncoder();

/** Which signal a trap stands for, as a CPU fault would on Linux. */
export function trapSignal(e: unknown): number {
  const msg = e instanceof Error ? e.message : String(e);
  if (/divide by zero|integer overflow|remainder by zero/i.test(msg)) return SIGFPE;
  if (/unreachable/i.test(msg)) return SIGILL;
  return SIGSEGV;   // out of bounds, stack overflow, null or mistyped indirect call
}

/** What the host enforces on every process it runs. */
export interface ProcessLimits {
  /** Most linear memory a process may have, in bytes (a multiple of 64 KiB). */
  maxMemory: number;
  /** The transform cache's directory (undefined: the platform's default; null: memory only). */
  transformCache?: string | null;
  /**
   * false: modules load without the safepoint pass. For the CLI's inline
   * run (runtime/inline.ts) only: no signal can reach its one process
   * while it computes (no other process, no kill from outside the kernel:
   * Ctrl-C ends the whole command), so the pass would cost its start ~5 ms
   * for nothing.
   */
  safepoints?: boolean;
}

/**
 * A guest's bytes as the host runs them: through the transform pipeline
 * (host/transform/: asyncify for a module that can fork), then the editor
 * (host/wasm-binary.ts), compiled.
 */
function compileGuest(bytes: Uint8Array, maxPages: number, platform: HostPlatform,
                      cacheDir: string | null | undefined, safepoints: boolean): Compiled {
  const t = transformGuest(bytes, platform.transform, cacheDir, safepoints ? [] : ['safepoint']);
  if (t.error) platform.traceWrite(`wasmux: a load-time transform failed, the module runs without it: ${t.error}\n`);
  const prepared = prepareGuest(t.bytes, maxPages);
  const mem = importedMemory(prepared, MEMORY_IMPORT.module, MEMORY_IMPORT.name);
  return {
    module: new WebAssembly.Module(prepared as Uint8Array<ArrayBuffer>), dataEnd: dataExtent(prepared),
    memory: mem ? { min: mem.min, max: mem.max ?? maxPages } : null,
    safepoints: t.passes.some((p) => p.startsWith('safepoint@')),
  };
}

function loadModule(kernel: Kernel, platform: HostPlatform, maxPages: number,
                    cacheDir: string | null | undefined, safepoints: boolean): Compiled {
  const info = kernel.exports.k_imageInfo();
  const km = kernel.kmem;
  const [inTmpfs, ino, version] = [km.u32(info), km.u32(info + 8), km.u32(info + 12)];
  if (inTmpfs === 0) {
    // A program below a mount: read it from the host each time (it may change),
    // beneath the mount's directory (the path's first rootLen bytes), as every mount access.
    const bytes = km.range(km.u32(info + 16), km.u32(info + 20));
    const decoder = new TextDecoder();
    const root = decoder.decode(bytes.subarray(0, km.u32(info + 24)));
    if (!platform.readFile) throw new UnsupportedImport('no host files here');
    return compileGuest(platform.readFile(decoder.decode(bytes), root), maxPages, platform, cacheDir, safepoints);
  }
  const key = `${ino}${safepoints ? '' : '-nosp'}`;
  let cached = moduleCache.get(key);
  if (!cached || cached.version !== version || cached.maxPages !== maxPages) {
    // readImage copies: the rewrite must parse bytes no other thread changes meanwhile.
    cached = { version, maxPages, compiled: compileGuest(readImage(kernel, info), maxPages, platform, cacheDir, safepoints) };
    moduleCache.set(key, cached);
  }
  return cached.compiled;
}

/** argv[0] of the current process, read through the WASI args calls. */
function argv0(kernel: Kernel): string {
  const k = kernel.exports as Record<string, Function>;
  const sizes = new Uint8Array(8);
  kernel.user.attach({ buffer: sizes.buffer });
  k.wasi_args_sizes_get(0, 4);
  const [argc, bytes] = new Uint32Array(sizes.buffer);
  if (argc === 0) return '?';
  const mem = new Uint8Array(argc * 4 + bytes);
  kernel.user.attach({ buffer: mem.buffer });
  k.wasi_args_get(0, argc * 4);
  const s = mem.subarray(argc * 4);
  return new TextDecoder().decode(s.subarray(0, s.indexOf(0)));
}

/** The process's cwd; null when it is "/" (wasi-libc's own default: the cwd hooks have nothing to set). */
function processCwd(kernel: Kernel, kcall: (name: string, ...args: unknown[]) => unknown): string | null {
  const buf = new Uint8Array(4096);
  kernel.user.attach({ buffer: buf.buffer });
  const n = kcall('sys_getcwd', 0, 4096) as number;
  kernel.user.detach();
  if (n <= 0) return null;
  const path = new TextDecoder().decode(buf.subarray(0, buf[n - 1] === 0 ? n - 1 : n));
  return path === '/' || path === '' ? null : path;
}

/** A descriptor of the cwd for the guest's relative paths (host/wasi-cwd.ts), or -1 if it cannot be opened. */
function openCwdFd(kernel: Kernel, kcall: (name: string, ...args: unknown[]) => unknown): number {
  const dot = new Uint8Array([0x2e]);
  kernel.user.attach({ buffer: dot.buffer });
  const fd = kcall('sys_open', 0, 1, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0) as number;
  kernel.user.detach();
  return fd < 0 ? -1 : fd;
}

/** Reports a load failure on the process's own stderr and exits with `code`. */
function failStart(kernel: Kernel, message: string, code: number): void {
  const bytes = encoder.encode(`wasmux: ${argv0(kernel)}: ${message}\n`);
  kernel.user.attach({ buffer: bytes.buffer });
  const k = kernel.exports as Record<string, Function>;
  k.sys_write(2, 0, bytes.length);
  k.wasi_proc_exit(code);
}

/**
 * What a worker keeps between the processes it runs: one Gate, re-aimed at
 * each new task, and the import objects built over it for each program.
 */
export class Runner {
  readonly gate: Gate;
  // Weak: a program below a mount is compiled afresh each run.
  private imports = new WeakMap<WebAssembly.Module, WebAssembly.Imports>();

  readonly maxPages: number;
  readonly cacheDir: string | null | undefined;
  /** Whether modules get the safepoint pass (ProcessLimits.safepoints). */
  readonly safepoints: boolean;
  readonly hooks: SyscallHooks;
  /** The current process's task. */
  task = 0;
  /** The program the current process runs (its fork state). */
  current: Program | null = null;
  /** The program a committed execve loaded, to run once the old one has unwound. */
  execNext: Program | null = null;
  /** Memories of ended processes, for the next ones, some with their instance (host/memory-pool.ts). */
  readonly pool = new MemoryPool<KeptInstance>();

  constructor(readonly kernel: Kernel, readonly platform: HostPlatform, readonly worker: number,
              hooks: SyscallHooks, limits: ProcessLimits) {
    this.maxPages = Math.floor(limits.maxMemory / PAGE);
    this.cacheDir = limits.transformCache;
    this.safepoints = limits.safepoints ?? true;
    this.gate = new Gate(kernel, platform, hooks.spin, hooks.deterministic);
    this.hooks = {
      ...hooks,
      fork: () => forkImport(this.current?.fork ?? null, this.gate, kernel),
      safepoint: safepointImport(this.gate, kernel),
      exec: () => execLoad(this),
    };
  }

  /** `[pid] fork() = r` when tracing, as the parent's line is written by the Gate. */
  traceFork(): ((r: unknown) => void) | null {
    if (!this.hooks.trace && !this.hooks.traceOn?.()) return null;
    return (r) => this.platform.traceWrite(formatTrace(this.gate.pid, FORK_DECL, [], r, this.kernel, false));
  }

  importsFor(module: WebAssembly.Module): WebAssembly.Imports {
    let imports = this.imports.get(module);
    if (!imports) {
      imports = buildImports(module, this.kernel, this.gate, this.platform, this.hooks);
      this.imports.set(module, imports);
    }
    return imports;
  }
}

const FORK_DECL = WASMUX.find((d) => d.name === 'fork')!;

/** The guest's signal trampoline export (docs/abi.md "Signals"). */
const SIGTRAMP_EXPORT = '__wasmux_sigtramp';

/** One program instantiated for the current process. */
interface Program {
  module: WebAssembly.Module;
  instance: WebAssembly.Instance;
  memory: WebAssembly.Memory;
  fork: ForkContext;
  dataEnd: number;
  /** The maximum of the memory the host gave it (it goes back to the pool), or null. */
  pooled: number | null;
  /** The module has safepoints (Compiled.safepoints). */
  safepoints: boolean;
  /** The cwd to give the guest once its memory is bound (setGuestCwd), with its descriptor; null: none. */
  cwd: { path: string; fd: number } | null;
  /** A forked child's parent pid when it started (its family: see recycle), else 0. */
  family: number;
}

/** An ended forked child's instance, kept with its memory for the next child (MemoryPool.give). */
interface KeptInstance {
  module: WebAssembly.Module;
  instance: WebAssembly.Instance;
  fork: ForkContext;
  family: number;
}

/**
 * The memory of a program that has ended goes back to the worker's pool;
 * a forked child's goes with its instance, for the next child of the same
 * module and the same parent (instantiate). A forked child runs none of
 * the module's start code and the image sets all its memory and every
 * mutable global (fork-globals exports them), so nothing of the instance's
 * last process reaches the next but what wasm keeps outside both: a table
 * changed by table.set, a dropped data segment. Those the image does not
 * carry for a new instance either (fork copies memory and globals, not
 * tables); sharing them among children of one parent is no more than they
 * could do to each other anyway, and no other process's child gets them.
 * An instance left in the middle of an unwind or rewind (a trap there) is
 * not kept.
 */
function recycle(runner: Runner, prog: Program | null): void {
  if (prog?.pooled == null) return;
  const keep = prog.family !== 0 && prog.fork.idle()
    ? { module: prog.module, instance: prog.instance, fork: prog.fork, family: prog.family } : null;
  runner.pool.give(prog.memory, prog.pooled, keep);
}

/**
 * Loads, compiles (cached) and instantiates the current process's program.
 * `preopen`: open the WASI preopen for a module that wants one (not for a
 * forked child, which has its parent's). Throws for a module that cannot run.
 */
function instantiate(runner: Runner, preopen: boolean, kcall: (name: string, ...args: unknown[]) => unknown,
                     pages = 0, forked = false): Program {
  const { kernel, platform } = runner;
  // A forked child has its parent's guest-side cwd state in memory: no setup.
  const cwd = forked ? null : processCwd(kernel, kcall);
  // The process's RLIMIT_AS (k_memLimit) caps its memory below the host's limit; a forked
  // child's memory has its parent's size, even if the limit was lowered below it since.
  const maxPages = Math.max(Math.min(runner.maxPages, kernel.exports.k_memLimit()), pages);
  const { module, dataEnd, memory: own, safepoints } = loadModule(kernel, platform, maxPages, runner.cacheDir, runner.safepoints);
  let imports = runner.importsFor(module);
  const family = forked ? kcall('sys_getppid') as number : 0;
  if (own && forked) {
    // An ended sibling's instance, its memory zeroed (recycle): no instantiation.
    const hit = runner.pool.takeKept(Math.max(own.min, pages), own.max, (x) => x.module === module && x.family === family);
    if (hit) {
      hit.kept.fork.reset();
      return {
        module, instance: hit.kept.instance, memory: hit.memory, fork: hit.kept.fork, dataEnd: 0,
        pooled: own.max, safepoints, cwd: null, family,
      };
    }
  }
  if (own) {
    // A forked child's memory has its parent's size from the start.
    const given = runner.pool.take(Math.max(own.min, pages), own.max);
    imports = { ...imports, wasmux: { ...(imports.wasmux ?? {}), memory: given } };
  }
  if (preopen && WebAssembly.Module.imports(module).some((i) => i.name === 'fd_prestat_get')) kcall('k_preopen');
  // After the preopens, so that wasi-libc's scan of them ends at this descriptor.
  const cwdFd = cwd !== null && WebAssembly.Module.exports(module).some((e) => e.name === CWDFD_EXPORT) ? openCwdFd(kernel, kcall) : -1;
  // No guest code runs in here: the start function is an export now (wasm-binary.ts).
  const instance = new WebAssembly.Instance(module, imports);
  const memory = instance.exports.memory;
  if (!(memory instanceof WebAssembly.Memory)) throw new UnsupportedImport('module exports no memory');
  if (typeof instance.exports._start !== 'function') throw new UnsupportedImport('module exports no _start');
  return {
    module, instance, memory, fork: new ForkContext(memory, instance.exports), dataEnd,
    pooled: own ? own.max : null, safepoints, cwd: cwdFd >= 0 ? { path: cwd!, fd: cwdFd } : null, family,
  };
}

/**
 * execve's host half, inside the call (in the kernel, after sys_execve
 * staged the new image): load the new program; commit (0) or put the old
 * image back (-ENOEXEC, the caller goes on).
 */
function execLoad(runner: Runner): number {
  const k = runner.kernel.exports as unknown as Record<string, Function>;
  // Inside the call already: kernel calls are direct, not through the Gate.
  const direct = (name: string, ...args: unknown[]): unknown => k[name](...args);
  const old = runner.current;
  let prog: Program;
  try {
    prog = instantiate(runner, false, direct);
  } catch (e) {
    // A module that does not load (invalid, refused, foreign imports, a
    // failed transform) is the caller's ENOEXEC; a broken kernel is not.
    if (old) runner.kernel.user.attach(old.memory);
    if (isKernelFault(e)) throw e;
    runner.kernel.exports.k_execAbort();
    return -ENOEXEC;
  }
  runner.kernel.exports.k_execCommit();
  // The preopen of the old program was FD_CLOEXEC: the new one gets its own.
  if (WebAssembly.Module.imports(prog.module).some((i) => i.name === 'fd_prestat_get')) runner.kernel.exports.k_preopen();
  // The cwd's descriptor was opened before the commit closed FD_CLOEXEC ones: open it again after.
  if (prog.cwd) {
    const fd = openCwdFd(runner.kernel, direct);
    prog.cwd = fd >= 0 ? { path: prog.cwd.path, fd } : null;
  }
  // The caller's memory stays bound until its frames have unwound (its trace line reads it).
  if (old) runner.kernel.user.attach(old.memory);
  runner.execNext = prog;
  return 0;
}

/** Runs process `pid` to its end on this thread. */
export function runProcess(runner: Runner, pid: number): void {
  const task = adopt(runner, pid);
  try {
    runAdopted(runner, pid, task);
  } finally {
    // Nothing may reach this process's memory any more: the next process on
    // this worker must not see it, even before its own is bound.
    runner.kernel.user.detach();
    // Only now may the kernel free the process's memory (it may be reaped already).
    runner.kernel.exports.k_taskDone(task);
    // Its parent knows of the exit already: preparing the memory for the next costs it nothing.
    recycle(runner, runner.current);
    recycle(runner, runner.execNext);
    runner.current = runner.execNext = null;
  }
}

function adopt(runner: Runner, pid: number): number {
  const { kernel, gate } = runner;
  if (gate.deterministic) {
    // Nothing of the process may happen before the scheduler picks it.
    gate.retarget(kernel.exports.k_taskOf(pid), pid);
    gate.waitToken();
  }
  const task = kernel.exports.k_attach(pid, runner.worker);
  if (task < 0) throw new Error(`cannot adopt pid ${pid}: ${task}`);
  gate.retarget(task, pid);
  return task;
}

function runAdopted(runner: Runner, pid: number, task: number): void {
  const { kernel, gate } = runner;
  const k = kernel.exports as unknown as Record<string, Function>;
  const kcall = (name: string, ...args: unknown[]): unknown => gate.call(k[name], args);
  runner.task = task;
  runner.current = runner.execNext = null;
  let prog: Program;
  // A forked child's memory image, until it is copied (host/fork.ts).
  const image = kernel.exports.k_forkImage(0);
  try {
    // The file actions spawn left to the child (opening a FIFO waits here).
    const r = kcall('k_spawnResume');
    if (r === KDEAD) return;
    if ((r as number) < 0) {
      gate.call(() => failStart(kernel, `file action failed: ${errnoName(-(r as number))}`, 1), []);
      return;
    }
    prog = image === 0 ? instantiate(runner, true, kcall)
      : instantiate(runner, false, kcall, imagePages(kernel, image), true);
    if (image !== 0) {
      restoreImage(kernel, image, kernel.exports.k_forkImageSize(0), prog.fork, prog.dataEnd);
      kernel.exports.k_forkImageDone();
    }
  } catch (e) {
    checkKernelFault(kernel, task, pid, e);
    const what = e instanceof WebAssembly.CompileError ? `invalid wasm: ${e.message}`
      : e instanceof Error ? e.message : String(e);
    gate.call(() => failStart(kernel, what, 126), []);
    return;
  }
  let forked = image !== 0;
  for (;;) {
    runner.current = prog;
    // Before any of its code runs: how a fatal signal reaches it (k_claimForTermination).
    kernel.exports.k_setSafepoints(pid, prog.safepoints ? 1 : 0);
    kernel.user.attach(prog.memory);
    gate.bindTrampoline(prog.instance.exports[SIGTRAMP_EXPORT]);
    if (prog.cwd) setGuestCwd(prog.instance.exports, prog.memory, prog.cwd.path, prog.cwd.fd);
    try {
      if (forked) runner.traceFork()?.(0);
      else {
        // The module's own start function, now that its memory is the one bound.
        const start = prog.instance.exports[START_EXPORT];
        if (typeof start === 'function') (start as () => void)();
      }
      const alive = runEntry(prog.fork, prog.instance.exports._start as () => void, gate, kernel,
        (child) => runner.hooks.onSpawn(child), runner.traceFork(), forked);
      gate.noteMemory();
      if (alive) kcall('wasi_proc_exit', 0);
      return;
    } catch (e) {
      if (isExecUnwind(e) && runner.execNext) {
        // execve: the same process goes on with the program it loaded.
        recycle(runner, prog);
        prog = runner.execNext;
        runner.execNext = null;
        forked = false;
        continue;
      }
      // The process has exited (or been killed): nothing of it enters the kernel again.
      if (isProcessExit(e) || gate.dead) return;
      // A fault inside the kernel itself stops the machine (host/fault.ts).
      checkKernelFault(kernel, task, pid, e);
      gate.noteMemory();
      kcall('k_exitSignal', trapSignal(e));
      return;
    }
  }
}
