// Resource usage: getrusage and wait4 (issue 13). What is affordable to
// measure: a clock read costs ~250 ns on this kind of VM (no vDSO), more
// than a whole syscall, so calls are not timed one by one. A task's CPU
// time is its time on a worker, from adoption (k_attach) to now or to its
// exit, less what it spent parked in Atomics.wait (the host's Gate adds
// that around each sleep, a path that costs microseconds anyway). Of it,
// stime is the time of the calls that had to wait (spinning for a wake-up,
// retries: the Gate times those, again only on that slow path), utime the
// rest: guest code and the short calls. Both are on the kernel's clock, so
// deterministic mode (virtual time) gives the same figures every run. The
// peak memory is the guest memory's size (it only grows), as the Gate sees
// it at getrusage, wait4, exec and exit. A reaped child's totals, its own
// and its reaped children's, join its parent's children's totals, as
// Linux's.

import { EFAULT, EINVAL } from "../abi/errno";
import { WNOHANG } from "../abi/constants";
import { Proc, Task, cur, curProc } from "./task";
import { copyout, scratch, SCRATCH_TMP } from "./user";
import { procWait } from "./proc";
import { now, CLOCK_MONOTONIC } from "./clock";

export const RUSAGE_SELF = 0;
export const RUSAGE_CHILDREN = -1;
export const RUSAGE_THREAD = 1;
/** The record written: u64 utime ns, u64 stime ns, u64 peak memory bytes. */
export const RUSAGE_REC: u32 = 24;

/** A worker adopts the task: its time starts. */
export function rusageStart(t: Task): void {
  t.startNs = now(CLOCK_MONOTONIC);
}

/** The task's utime (from the time on its worker less parked time and stime), frozen once it exited. */
function utimeOf(t: Task): f64 {
  if (t.frozen != 0 || t.startNs == 0) return t.utime;
  const total = <f64>(now(CLOCK_MONOTONIC) - t.startNs) - t.parkNs;
  return max(0, total - t.stime);
}

/** At exit: the times stop. */
export function rusageFreeze(t: Task): void {
  if (t.frozen != 0) return;
  t.utime = utimeOf(t);
  t.frozen = 1;
}

function put(k: usize, u: f64, s: f64, rss: f64): void {
  store<u64>(k, <u64>u);
  store<u64>(k + 8, <u64>s);
  store<u64>(k + 16, <u64>rss);
}

/** A reaped child's usage (its own and its reaped children's, Linux's RUSAGE_BOTH) to guest `uru`. */
export function rusageOut(c: Proc, uru: u32): bool {
  const t = changetype<Task>(c.task);
  const k = scratch(SCRATCH_TMP);
  put(k, utimeOf(t) + c.cutime, t.stime + c.cstime, max(t.rss, c.cmaxrss));
  return copyout(uru, k, RUSAGE_REC);
}

/** At reap (table lock held): the child's totals join the parent's children's. */
export function rusageReap(parent: Proc, c: Proc): void {
  const t = changetype<Task>(c.task);
  parent.cutime += utimeOf(t) + c.cutime;
  parent.cstime += t.stime + c.cstime;
  parent.cmaxrss = max(parent.cmaxrss, max(t.rss, c.cmaxrss));
}

/** getrusage(who, rec): RUSAGE_SELF (= RUSAGE_THREAD: one task), RUSAGE_CHILDREN; else EINVAL. */
export function sys_getrusage(who: i32, uru: u32): i32 {
  const k = scratch(SCRATCH_TMP);
  if (who == RUSAGE_SELF || who == RUSAGE_THREAD) { const t = cur(); put(k, utimeOf(t), t.stime, t.rss); }
  else if (who == RUSAGE_CHILDREN) { const p = curProc(); put(k, p.cutime, p.cstime, p.cmaxrss); }
  else return -EINVAL;
  return copyout(uru, k, RUSAGE_REC) ? 0 : -EFAULT;
}

/** wait4: waitpid that also writes the reaped child's usage (EFAULT leaves it unreaped). */
export function sys_wait4(pid: i32, status: u32, options: i32, uru: u32): i32 {
  // WUNTRACED (2) and WCONTINUED (8) as waitpid.
  if (options & ~(WNOHANG | 2 | 8)) return -EINVAL;
  return procWait(pid, status, options, uru);
}

/** The Task offset of parkNs (stime and rss follow): the host's Gate adds to them. */
export function k_taskTimes(): i32 {
  const u = offsetof<Task>("parkNs");
  return offsetof<Task>("stime") == u + 8 && offsetof<Task>("rss") == u + 16 && (u & 7) == 0 ? <i32>u : -1;
}
