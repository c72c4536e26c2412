// A kernel fault: a trap (a RuntimeError) out of a kernel export while a
// thread was inside the kernel. The kernel's state may be half-changed and a
// lock may be held for good, so the machine must stop: the thread that finds
// it sets the machine's fault word in kernel memory, after which every
// thread of that machine that waits for a lock gives up (host/kernel.ts
// relax throws KernelFault) instead of spinning forever, and the runtime
// ends every process (runtime/machine.ts machineFault). Other machines have
// their own kernel memory and are not affected.

import { TASK_KSTATE, type Kernel } from './kernel.js';

export class KernelFault extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KernelFault';
  }
}

/**
 * What a throw out of the kernel was, with where in the kernel: the error
 * and the kernel functions on its stack, innermost first
 * ("RuntimeError: memory access out of bounds [in assembly/proc/procExit
 * < assembly/index/k_exitOther]"). The kernel is built with a name section
 * (asconfig.json `debug`); functions inlined into their caller do not show.
 * The kernel's frames are those of the module of the innermost wasm frame
 * (a trap inside the kernel, or a KernelFault thrown by its host.relax),
 * so the guest's frames below the syscall do not show either.
 */
export function describeFault(e: unknown): string {
  const what = String(e);
  const stack = e instanceof Error && typeof e.stack === 'string' ? e.stack : '';
  const frames: string[] = [];
  let module = '';
  for (const line of stack.split('\n')) {
    const m = /^\s*at (?:(\S+) )?\(?(wasm:\/\/wasm\/[0-9a-f]+):wasm-function\[(\d+)\]:(0x[0-9a-f]+)\)?/.exec(line);
    if (!m) continue;
    if (module === '') module = m[2]!;
    if (m[2] === module) frames.push(m[1] ?? `wasm-function[${m[3]}]@${m[4]}`);
  }
  return frames.length > 0 ? `${what} [in ${frames.join(' < ')}]` : what;
}

/** True for what a broken kernel throws: a trap out of a kernel export, or a lock wait given up. */
export function isKernelFault(e: unknown): boolean {
  return e instanceof KernelFault || e instanceof WebAssembly.RuntimeError;
}

/**
 * A guest's own deep stack ran out while this thread was in the kernel
 * holding no lock: the kernel's shared state is intact, only the process
 * dies (SIGSEGV). Anything else thrown inside the kernel is a kernel fault.
 */
export function guestStackOverflow(kernel: Kernel, e: unknown): boolean {
  return e instanceof RangeError && /call stack/i.test(e.message) && kernel.exports.k_locksHeld() === 0;
}

/** Whether `task` is inside the kernel (kstate 1): a throw seen then came out of the kernel. */
export function inKernel(kernel: Kernel, task: number): boolean {
  return Atomics.load(kernel.kmem.words(task), (task + TASK_KSTATE) >> 2) === 1;
}

/**
 * After a throw caught around guest code: if it came out of the kernel
 * (kstate 1), either the kernel is broken (throws the KernelFault) or the
 * guest's deep stack ran out there with no lock held (the task is put back
 * in guest state, and the caller kills the process).
 */
export function checkKernelFault(kernel: Kernel, task: number, pid: number, e: unknown): void {
  if (!inKernel(kernel, task)) return;
  if (!guestStackOverflow(kernel, e)) throw kernelFault(kernel, `pid ${pid}: ${describeFault(e)}`);
  Atomics.store(kernel.kmem.words(task), (task + TASK_KSTATE) >> 2, 0);
}

/** Whether this machine's kernel has been declared broken. */
export function faulted(kernel: Kernel): boolean {
  return Atomics.load(kernel.kmem.words(kernel.faultAddr), kernel.faultAddr >> 2) !== 0;
}

/** Declares the kernel broken (every thread sees it) and returns the error to throw. */
export function kernelFault(kernel: Kernel, what: string): KernelFault {
  Atomics.store(kernel.kmem.words(kernel.faultAddr), kernel.faultAddr >> 2, 1);
  return new KernelFault(`kernel fault: ${what}`);
}
