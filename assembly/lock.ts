// Spinlocks on words in kernel memory. Critical sections are a few hundred
// instructions at most and never wait (invariant 4), so spinning is cheaper
// than parking; after a while we let the host give the CPU away, since on a
// 2-core machine the holder may be a descheduled worker.

@external("host", "relax") declare function hostRelax(): void;

// Per instance, so per thread (like currentTask): how many locks this thread
// holds. When a guest's deep stack runs out inside the kernel, the host asks
// (k_locksHeld): with none held the kernel is intact and only the process
// dies; with one held it is a kernel fault (host/fault.ts).
let held: i32 = 0;

export function acquire(addr: usize): void {
  let spins = 0;
  while (atomic.cmpxchg<i32>(addr, 0, 1) != 0) {
    if (++spins > 20000) { hostRelax(); spins = 0; }
  }
  held++;
}

export function release(addr: usize): void {
  atomic.store<i32>(addr, 0);
  held--;
}

export function locksHeld(): i32 { return held; }
