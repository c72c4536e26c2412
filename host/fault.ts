// A kernel fault: a trap (a RuntimeError) out of a kernel export while a
// thread was inside the kernel. The kernel's state may be half-changed and a
// lock may be held for good, so the machine must stop: the thread that finds
// it sets the machine's fault word in kernel memory, after which every
// thread of that machine that waits for a lock gives up (host/kernel.ts
// relax throws KernelFault) instead of spinning forever, and the runtime
// ends every process (runtime/machine.ts machineFault). Other machines have
// their own kernel memory and are not affected.

import type { Kernel } from './kernel.js';

export class KernelFault extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KernelFault';
  }
}

/** True for what a broken kernel throws: a trap out of a kernel export, or a lock wait given up. */
export function isKernelFault(e: unknown): boolean {
  return e instanceof KernelFault || e instanceof WebAssembly.RuntimeError;
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
