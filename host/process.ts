// Running one process on this worker's thread: adopt the embryo the kernel
// made at spawn, load its program (rewritten by host/wasm-binary.ts, then
// compiled; compiled modules are cached by inode and version), bind its
// imports, bind its memory, run its start function and `_start`, and turn
// every way it can end — exit, a signal, a trap — into a kernel exit with the
// right wait status. The process's memory is bound before any of its code
// runs and unbound when it ends.

import { SIGILL, SIGSEGV, SIGFPE } from '../abi/constants.js';
import { Kernel } from './kernel.js';
import { Gate, isProcessExit, UnsupportedImport, buildImports, type SyscallHooks } from './syscalls.js';
import { PAGE, START_EXPORT, prepareGuest } from './wasm-binary.js';
import { KDEAD } from '../abi/errno.js';
import { errnoName } from './trace.js';
import { checkKernelFault } from './fault.js';
import { readImage } from './image.js';
import { cwdTransform, setGuestCwd, CWDFD_EXPORT } from './wasi-cwd.js';
import { O_RDONLY, O_DIRECTORY, O_CLOEXEC } from '../abi/constants.js';
import type { HostPlatform } from './platform.js';

/**
 * Compiled programs by inode, and whether they carry the cwd hooks (host/wasi-cwd.ts,
 * only for processes whose cwd is not "/"): a rewritten file (new version) replaces its entry.
 */
const moduleCache = new Map<string, { version: number; maxPages: number; module: WebAssembly.Module }>();
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
}

/** A guest's bytes as the host runs them (see host/wasm-binary.ts), compiled. */
function compileGuest(bytes: Uint8Array, maxPages: number, cwdHooks: boolean): WebAssembly.Module {
  return new WebAssembly.Module(prepareGuest(cwdHooks ? cwdTransform(bytes) : bytes, maxPages) as Uint8Array<ArrayBuffer>);
}

function loadModule(kernel: Kernel, platform: HostPlatform, maxPages: number, cwdHooks: boolean): WebAssembly.Module {
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
    return compileGuest(platform.readFile(decoder.decode(bytes), root), maxPages, cwdHooks);
  }
  const key = `${ino}${cwdHooks ? '+cwd' : ''}`;
  let cached = moduleCache.get(key);
  if (!cached || cached.version !== version || cached.maxPages !== maxPages) {
    // readImage copies: the rewrite must parse bytes no other thread changes meanwhile.
    cached = { version, maxPages, module: compileGuest(readImage(kernel, info), maxPages, cwdHooks) };
    moduleCache.set(key, cached);
  }
  return cached.module;
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

/** The process's cwd; null when it is "/" (wasi-libc's own default: no cwd hooks needed). */
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

  constructor(readonly kernel: Kernel, readonly platform: HostPlatform, readonly worker: number,
              readonly hooks: SyscallHooks, limits: ProcessLimits) {
    this.maxPages = Math.floor(limits.maxMemory / PAGE);
    this.gate = new Gate(kernel, platform, hooks.spin, hooks.deterministic);
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
  const { kernel, gate, platform } = runner;
  const k = kernel.exports as unknown as Record<string, Function>;
  const kcall = (name: string, ...args: unknown[]): unknown => gate.call(k[name], args);
  let instance: WebAssembly.Instance;
  try {
    // The file actions spawn left to the child (opening a FIFO waits here).
    const r = kcall('k_spawnResume');
    if (r === KDEAD) return;
    if ((r as number) < 0) {
      gate.call(() => failStart(kernel, `file action failed: ${errnoName(-(r as number))}`, 1), []);
      return;
    }
    const cwd = processCwd(kernel, kcall);
    const module = loadModule(kernel, platform, runner.maxPages, cwd !== null);
    const imports = runner.importsFor(module);
    if (WebAssembly.Module.imports(module).some((i) => i.name === 'fd_prestat_get')) kcall('k_preopen');
    // After the preopens, so that wasi-libc's scan of them ends at this descriptor.
    const cwdFd = cwd !== null && WebAssembly.Module.exports(module).some((e) => e.name === CWDFD_EXPORT) ? openCwdFd(kernel, kcall) : -1;
    // No guest code runs in here: the start function is an export now (wasm-binary.ts).
    instance = new WebAssembly.Instance(module, imports);
    const memory = instance.exports.memory;
    if (!(memory instanceof WebAssembly.Memory)) throw new UnsupportedImport('module exports no memory');
    if (typeof instance.exports._start !== 'function') throw new UnsupportedImport('module exports no _start');
    kernel.user.attach(memory);
    if (cwdFd >= 0) setGuestCwd(instance.exports, memory, cwd!, cwdFd);
  } catch (e) {
    checkKernelFault(kernel, task, pid, e);
    const what = e instanceof WebAssembly.CompileError ? `invalid wasm: ${e.message}`
      : e instanceof Error ? e.message : String(e);
    gate.call(() => failStart(kernel, what, 126), []);
    return;
  }
  try {
    // The module's own start function, now that its memory is the one bound.
    const start = instance.exports[START_EXPORT];
    if (typeof start === 'function') (start as () => void)();
    (instance.exports._start as () => void)();
    kcall('wasi_proc_exit', 0);
  } catch (e) {
    // The process has exited (or been killed): nothing of it enters the kernel again.
    if (isProcessExit(e) || gate.dead) return;
    // A fault inside the kernel itself stops the machine (host/fault.ts).
    checkKernelFault(kernel, task, pid, e);
    kcall('k_exitSignal', trapSignal(e));
  }
}
