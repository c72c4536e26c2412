// The host's half of a safepoint (host/transform/safepoint.ts): the import
// `wasmux.safepoint: () -> i32` that guest code calls after every
// SAFEPOINT_INTERVAL loop headers and recursive entries, from a cold path
// outside its loops. Its result (>= 1) is how many loop headers and
// recursive entries run before the next call.
//
// It enters the kernel only when there is something to do. In deterministic
// mode, or when the process's timer is due (k_timerDue; k_enter fires it),
// it is an ordinary Gate call of
// k_safepoint: the task is marked in the kernel (kstate 1) for the call and
// in guest code again after it, the Gate's post-call path acts on signals,
// and it is a scheduling point (k_schedYield, then waitToken), so a guest
// that never makes a syscall cannot keep the CPU token and, the interval
// being a constant, a run stays the same for a seed. Otherwise it is the
// Gate's post-call path alone (Gate.attention), which costs one load when
// the attention word is clear: a death unwinds the guest with the exit trap
// (its worker goes on with the next process), a stop parks here until
// SIGCONT, handlers run in the guest's trampoline.

import { KDEAD } from '../abi/errno.js';
import { SAFEPOINT_INTERVAL } from './transform/safepoint.js';
import { throwProcessExit, type Gate } from './syscalls.js';
import type { Kernel } from './kernel.js';

/** The `wasmux.safepoint` import over this worker's Gate. */
export function safepointImport(gate: Gate, kernel: Kernel): () => number {
  const enter = kernel.exports.k_safepoint as unknown as Function;
  const k = kernel.exports;
  return (): number => {
    // k_timerDue: a read-only look at the process's timer (assembly/itimer.ts); k_enter fires it.
    if (gate.deterministic || k.k_timerDue() !== 0) {
      if (gate.call(enter, []) === KDEAD) throwProcessExit();
    } else gate.attention();
    return SAFEPOINT_INTERVAL;
  };
}
