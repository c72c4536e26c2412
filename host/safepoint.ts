// The host's half of a safepoint (host/transform/safepoint.ts): the import
// `wasmux.safepoint: () -> i32` that guest code calls after every
// SAFEPOINT_INTERVAL loop headers and recursive entries, from a cold path
// outside its loops. Its result (>= 1) is how many loop headers and
// recursive entries run before the next call.
//
// It enters the kernel only when there is something to do: the task's
// attention word is set (a signal), a timer may be due, or the run is
// deterministic. Then it is an ordinary Gate call of k_safepoint: the task
// is marked in the kernel (kstate 1) for the call and in guest code again
// after it, and the Gate's post-syscall path acts on pending signals (KDEAD:
// the process died, the exit trap unwinds the guest and its worker goes on
// with the next process) and, in deterministic mode, makes it a scheduling
// point (k_schedYield, then waitToken), so a guest that never makes a
// syscall cannot keep the CPU token, and, the interval being a constant, a
// run stays the same for a seed.

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
    if ((gate.dead || gate.deterministic || gate.attnPending() || timerDue(gate)) && gate.call(enter, []) === KDEAD) throwProcessExit();
    return SAFEPOINT_INTERVAL;
  };
}
