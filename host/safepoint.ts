// The host's half of a safepoint (host/transform/safepoint.ts): the import
// `wasmux.safepoint: () -> i32` that guest code calls after every
// SAFEPOINT_INTERVAL loop headers and recursive entries, from a cold path
// outside its loops. Its result (>= 1) is how many loop headers and
// recursive entries run before the next call.
//
// It enters the kernel only when there is something to do. In deterministic
// mode (or with a timer that may be due) it is an ordinary Gate call of
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

/**
 * The timers' hook (csig): whether a timer of the task may be due, so the
 * slow path enters the kernel (k_safepoint fires it). None yet.
 */
function timerDue(_gate: Gate): boolean { return false; }

/** The `wasmux.safepoint` import over this worker's Gate. */
export function safepointImport(gate: Gate, kernel: Kernel): () => number {
  const enter = kernel.exports.k_safepoint as unknown as Function;
  return (): number => {
    if (gate.deterministic || timerDue(gate)) {
      if (gate.call(enter, []) === KDEAD) throwProcessExit();
    } else gate.attention();
    return SAFEPOINT_INTERVAL;
  };
}
