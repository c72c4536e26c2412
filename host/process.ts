// Running one process on this worker's thread: adopt the embryo the kernel
// made at spawn, load its program (compiled modules are cached by inode and
// version), bind its imports, run `_start`, and turn every way it can end —
// exit, a signal, a trap — into a kernel exit with the right wait status.

import { SIGILL, SIGSEGV, SIGFPE } from '../abi/constants.js';
import { Kernel, TASK_KSTATE } from './kernel.js';
import { ProcessExit, UnsupportedImport, buildImports, type SyscallHooks } from './syscalls.js';
import type { HostPlatform } from './platform.js';

const moduleCache = new Map<string, WebAssembly.Module>();
const encoder = new TextEncoder();

/** Which signal a trap stands for, as a CPU fault would on Linux. */
export function trapSignal(e: unknown): number {
  const msg = e instanceof Error ? e.message : String(e);
  if (/divide by zero|integer overflow|remainder by zero/i.test(msg)) return SIGFPE;
  if (/unreachable/i.test(msg)) return SIGILL;
  return SIGSEGV;   // out of bounds, stack overflow, null or mistyped indirect call
}

function loadModule(kernel: Kernel): WebAssembly.Module {
  const info = kernel.exports.k_imageInfo();
  const km = kernel.kmem;
  const [data, size, ino, version] = [km.u32(info), km.u32(info + 4), km.u32(info + 8), km.u32(info + 12)];
  const key = `${ino}:${version}`;
  let module = moduleCache.get(key);
  if (!module) {
    module = new WebAssembly.Module(km.range(data, size).slice());
    moduleCache.set(key, module);
  }
  return module;
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

/** Reports a load failure on the process's own stderr and exits with `code`. */
function failStart(kernel: Kernel, message: string, code: number): void {
  const bytes = encoder.encode(`wasmux: ${argv0(kernel)}: ${message}\n`);
  kernel.user.attach({ buffer: bytes.buffer });
  const k = kernel.exports as Record<string, Function>;
  k.sys_write(2, 0, bytes.length);
  k.wasi_proc_exit(code);
}

export interface RunOptions {
  pid: number;
  platform: HostPlatform;
  hooks: Omit<SyscallHooks, 'pid'>;
}

/**
 * Runs `fn` marked as inside the kernel, so the runtime never terminates this
 * worker halfway through it (invariant 5).
 */
export function inKernel<T>(kernel: Kernel, task: number, fn: () => T): T {
  const i32 = kernel.kmem.i32;
  const idx = (task + TASK_KSTATE) >> 2;
  if (Atomics.compareExchange(i32, idx, 0, 1) !== 0) for (;;) Atomics.wait(i32, idx, 2);
  try { return fn(); } finally { Atomics.store(kernel.kmem.i32, idx, 0); }
}

/** Runs process `pid` to its end on this thread. */
export function runProcess(kernel: Kernel, opts: RunOptions): void {
  const k = kernel.exports;
  const task = k.k_attach(opts.pid);
  if (task < 0) throw new Error(`cannot adopt pid ${opts.pid}: ${task}`);
  const kstateIdx = (task + TASK_KSTATE) >> 2;
  let instance: WebAssembly.Instance;
  try {
    const module = loadModule(kernel);
    const imports = buildImports(module, kernel, task, opts.platform, { ...opts.hooks, pid: opts.pid });
    if (WebAssembly.Module.imports(module).some((i) => i.name === 'fd_prestat_get')) inKernel(kernel, task, () => k.k_preopen());
    instance = new WebAssembly.Instance(module, imports);
    const memory = instance.exports.memory;
    if (!(memory instanceof WebAssembly.Memory)) throw new UnsupportedImport('module exports no memory');
    kernel.user.attach(memory);
    if (typeof instance.exports._start !== 'function') throw new UnsupportedImport('module exports no _start');
  } catch (e) {
    const what = e instanceof WebAssembly.CompileError ? `invalid wasm: ${e.message}`
      : e instanceof Error ? e.message : String(e);
    inKernel(kernel, task, () => failStart(kernel, what, 126));
    return;
  }
  try {
    (instance.exports._start as () => void)();
    inKernel(kernel, task, () => (k.wasi_proc_exit as (c: number) => number)(0));
  } catch (e) {
    if (e instanceof ProcessExit) return;
    if (Atomics.load(kernel.kmem.i32, kstateIdx) === 1) {
      // A fault inside the kernel itself: it may hold a lock. Say so loudly.
      opts.platform.traceWrite(`wasmux: kernel fault in pid ${opts.pid}: ${String(e)}\n`);
      Atomics.store(kernel.kmem.i32, kstateIdx, 0);
    }
    inKernel(kernel, task, () => k.k_exitSignal(trapSignal(e)));
  }
}
