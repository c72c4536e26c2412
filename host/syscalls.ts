// Binds a guest's imports to kernel exports, as declared in abi/syscalls.ts.
// Every syscall goes through one wrapper: mark the task as in the kernel,
// call the export on this thread, park on the wake word and retry while the
// kernel says KBLOCK, let the kernel act on pending signals, trace, and
// unwind the guest on KDEAD. No message crosses threads on this path.

import { KBLOCK, KDEAD, ENOSYS } from '../abi/errno.js';
import { WASI, WASMUX, type SyscallDecl } from '../abi/syscalls.js';
import { Kernel, TASK_ATTN, TASK_KSTATE, TASK_WAKE, TASK_WAKE_AT } from './kernel.js';
import { formatTrace } from './trace.js';
import type { HostPlatform } from './platform.js';

/** Thrown through the guest's frames when its process has exited or died. */
export class ProcessExit extends Error {
  constructor() { super('process exited'); }
}

export interface SyscallHooks {
  pid: number;
  trace: boolean;
  /** Spin iterations before parking a blocked call. */
  spin: number;
  /** A child was created and needs a worker. */
  onSpawn(pid: number): void;
  /** A signal was sent to `pid` (it may need terminating if it runs guest code). */
  onKill(pid: number): void;
}

const declsByModule: Record<string, Map<string, SyscallDecl>> = {
  wasi_snapshot_preview1: new Map(WASI.map((d) => [d.name, d])),
  wasmux: new Map(WASMUX.map((d) => [d.name, d])),
};
const prefix: Record<string, string> = { wasi_snapshot_preview1: 'wasi_', wasmux: 'sys_' };

export class UnsupportedImport extends Error {}

/** Builds the import object for a guest module; throws UnsupportedImport for foreign imports. */
export function buildImports(module: WebAssembly.Module, kernel: Kernel, task: number,
                             platform: HostPlatform, hooks: SyscallHooks): WebAssembly.Imports {
  const imports: Record<string, Record<string, Function>> = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    const decls = declsByModule[imp.module];
    if (!decls || imp.kind !== 'function') {
      throw new UnsupportedImport(`unsupported import ${imp.module}.${imp.name}`);
    }
    const decl = decls.get(imp.name);
    const fn = kernel.exports[prefix[imp.module] + imp.name] as Function | undefined;
    (imports[imp.module] ??= {})[imp.name] = decl && fn
      ? makeSyscall(decl, fn, kernel, task, platform, hooks, imp.module === 'wasi_snapshot_preview1')
      : notImplemented(imp.module === 'wasmux');
  }
  return imports;
}

function notImplemented(negative: boolean): Function {
  return () => (negative ? -ENOSYS : ENOSYS);
}

function makeSyscall(decl: SyscallDecl, fn: Function, kernel: Kernel, task: number,
                     platform: HostPlatform, hooks: SyscallHooks, wasi: boolean): Function {
  const k = kernel.exports;
  const kmem = kernel.kmem;
  const wakeIdx = (task + TASK_WAKE) >> 2;
  const kstateIdx = (task + TASK_KSTATE) >> 2;
  const attnIdx = (task + TASK_ATTN) >> 2;
  const name = decl.name;
  const after = name === 'spawn' ? hooks.onSpawn : name === 'kill' ? null : undefined;

  const park = (w: number): void => {
    const i32 = kmem.i32;
    const wakeAt = kmem.i64(task + TASK_WAKE_AT);
    if (wakeAt === 0n) {
      for (let s = hooks.spin; s > 0; s--) if (Atomics.load(i32, wakeIdx) !== w) return;
      Atomics.wait(i32, wakeIdx, w);
    } else {
      const ms = Number(wakeAt - platform.clock(1)) / 1e6;
      if (ms > 0) Atomics.wait(i32, wakeIdx, w, ms);
    }
  };

  return (...args: unknown[]): unknown => {
    let i32 = kmem.i32;
    if (Atomics.compareExchange(i32, kstateIdx, 0, 1) !== 0) {
      // The runtime is terminating this worker: never enter the kernel again.
      for (;;) Atomics.wait(i32, kstateIdx, 2);
    }
    let w = Atomics.load(i32, wakeIdx);
    let r = fn(...args);
    while (r === KBLOCK) {
      park(w);
      r = k.k_unblock();
      if (r === KDEAD) break;
      i32 = kmem.i32;
      w = Atomics.load(i32, wakeIdx);
      r = fn(...args);
    }
    i32 = kmem.i32;
    if (r !== KDEAD && Atomics.load(i32, attnIdx) !== 0 && k.k_attention(0) === KDEAD) r = KDEAD;
    Atomics.store(i32, kstateIdx, 0);
    if (hooks.trace) platform.traceWrite(formatTrace(hooks.pid, decl, args, r, kernel, wasi));
    if (r === KDEAD) throw new ProcessExit();
    if (after !== undefined && typeof r === 'number' && r >= 0) {
      if (after) after(r as number);
      else if ((args[0] as number) !== 0) hooks.onKill(args[0] as number);
    }
    return r;
  };
}
