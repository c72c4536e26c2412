// The scheduler interface (invariant 6). In the default parallel mode every
// process runs on its own worker and the host OS schedules them; these
// functions do nothing. In deterministic mode one task at a time holds the
// CPU token; every syscall is a scheduling point where the holder passes the
// token to a runnable task chosen by a seeded PRNG, and time is virtual: it
// advances a quantum per scheduling point and jumps to the next timed wait
// when nothing is runnable. Same programs + same seed => same interleaving,
// same output, same trace.

import { G, Globals } from "./globals";
import { acquire, release } from "./lock";
import { Task, Proc, cur } from "./task";
import { bumpWake } from "./wait";
import { PSTATE_ZOMBIE, PSTATE_FREE } from "../abi/constants";

const QUANTUM: i64 = 1000;   // virtual ns per scheduling point

// @ts-ignore: decorator
@inline export function deterministic(): bool { return G().clockMode == 1; }
// @ts-ignore: decorator
@inline function schedLock(): usize { return changetype<usize>(G()) + offsetof<Globals>("schedLock"); }
// @ts-ignore: decorator
@inline export function tokenAddr(): usize { return changetype<usize>(G()) + offsetof<Globals>("schedToken"); }

/** xorshift64*: the seeded choice. The caller holds the scheduler lock. */
export function schedRandom(): u64 {
  const g = G();
  let x = g.schedRng;
  x ^= x >> 12; x ^= x << 25; x ^= x >> 27;
  g.schedRng = x;
  return x * 0x2545F4914F6CDD1D;
}

/** A PRNG draw outside the scheduling points (random_get in deterministic mode). */
export function schedRandomLocked(): u64 {
  acquire(schedLock());
  const r = schedRandom();
  release(schedLock());
  return r;
}

export function schedSeed(seed: u64): void {
  G().schedRng = seed == 0 ? 0x9E3779B97F4A7C15 : seed;
  G().schedSteps = -1;   // not paused
}

function give(t: Task): void {
  atomic.store<usize>(tokenAddr(), changetype<usize>(t));
  bumpWake(t);
}

// Pause and step (k_schedPause/k_schedStep/k_schedResume): a paused
// machine does not pass the CPU on. The task a scheduling point chose is
// kept in schedNext and the token holds SCHED_PARKED, which is no task's
// address and not 0 (idle), so nobody runs, a wake-up only marks its task
// runnable, and init's schedAcquire waits like anyone's. A step lets
// exactly one hand-off through: the chosen task runs to its next
// scheduling point (one syscall), whose choice is parked again. The choice
// itself is the same draw as without the pause, so a paused, stepped run
// follows the same schedule as a free one with the same seed.
export const SCHED_PARKED: usize = 1;

/** Passes the CPU to `t` (null: idle), or parks the choice while paused. Scheduler lock held. */
function handOff(t: Task | null): void {
  const g = G();
  if (t == null) { atomic.store<usize>(tokenAddr(), 0); return; }
  if (g.schedSteps == 0) {
    g.schedNext = changetype<usize>(t);
    atomic.store<usize>(tokenAddr(), SCHED_PARKED);
    return;
  }
  if (g.schedSteps > 0) g.schedSteps--;
  g.schedPoints++;
  give(t);
}

/** A wake-up: the task may be chosen at the next scheduling point (or now, if the CPU is idle). */
export function schedWake(t: Task): void {
  if (!deterministic()) return;
  acquire(schedLock());
  t.runnable = 1;
  if (atomic.load<usize>(tokenAddr()) == 0) handOff(t);
  release(schedLock());
}

/** Makes a new task runnable (a spawned process). */
export function schedNew(t: Task): void {
  if (deterministic()) t.runnable = 1;
}

/**
 * The time a blocked task must be looked at again: its call's deadline
 * (task.wakeAt) or its process's ITIMER_REAL expiry (itimer.ts), whichever
 * comes first; 0 = none.
 */
export function taskDeadline(t: Task): i64 {
  const w = t.wakeAt;
  const a = changetype<Proc>(t.proc).itimerAt;
  if (a == 0) return w;
  return w == 0 || a < w ? a : w;
}

function live(p: usize): bool {
  if (p == 0) return false;
  const s = changetype<Proc>(p).state;
  return s != PSTATE_ZOMBIE && s != PSTATE_FREE;
}

/**
 * The token holder's scheduling point: it stays runnable or not, time moves
 * on, and the token goes to a runnable task picked by the PRNG (perhaps the
 * same one). With none runnable, virtual time jumps to the earliest timed
 * wait; with no timed wait either, the CPU goes idle (token 0).
 */
export function schedYield(self: Task, runnable: bool): void {
  if (!deterministic()) return;
  acquire(schedLock());
  self.runnable = runnable ? 1 : 0;
  if (atomic.load<usize>(tokenAddr()) != changetype<usize>(self)) { release(schedLock()); return; }
  G().virtualNow += QUANTUM;
  handOff(schedPick());
  release(schedLock());
}

/**
 * The seeded choice among the runnable tasks, in process-table order (itself
 * deterministic). With none runnable, virtual time jumps to the earliest
 * timed wait; with no timed wait either, null (the CPU goes idle).
 * Scheduler lock held.
 */
function schedPick(): Task | null {
  const g = G();
  let n = 0;
  let earliest: Task | null = null;
  let earliestAt: i64 = 0;
  for (let i = 0; i < g.maxProcs; i++) {
    const p = load<usize>(g.procs + (<usize>i << 2));
    if (!live(p)) continue;
    const t = changetype<Task>(changetype<Proc>(p).task);
    // Its wake-up time: the call's deadline or the process's timer (itimer.ts).
    const at = taskDeadline(t);
    if (t.runnable == 0 && at != 0 && at <= g.virtualNow) t.runnable = 1;   // its time has come
    if (t.runnable != 0) n++;
    else if (at != 0 && (earliest == null || at < earliestAt)) { earliest = t; earliestAt = at; }
  }
  if (n == 0 && earliest != null) {
    if (earliestAt > g.virtualNow) g.virtualNow = earliestAt;
    earliest.runnable = 1;
    n = 1;
  }
  if (n == 0) return null;
  let pick = <i32>(schedRandom() % <u64>n);
  for (let i = 0; i < g.maxProcs; i++) {
    const p = load<usize>(g.procs + (<usize>i << 2));
    if (!live(p)) continue;
    const t = changetype<Task>(changetype<Proc>(p).task);
    if (t.runnable == 0) continue;
    if (pick-- == 0) return t;
  }
  return null;
}

/** Stops passing the CPU on (deterministic mode): the next scheduling point's choice waits for a step. */
export function schedPause(): void {
  acquire(schedLock());
  G().schedSteps = 0;
  release(schedLock());
}

/**
 * Lets `n` more hand-offs through (n >= 1), or all of them (n < 0: resume).
 * A choice parked while paused goes first; if its task has died meanwhile,
 * the choice is made again.
 */
export function schedStep(n: i32): void {
  const g = G();
  acquire(schedLock());
  g.schedSteps = n < 0 ? -1 : n;
  if (atomic.load<usize>(tokenAddr()) == SCHED_PARKED) {
    const t = g.schedNext;
    g.schedNext = 0;
    handOff(t != 0 && live(changetype<Task>(t).proc) ? changetype<Task>(t) : schedPick());
  }
  release(schedLock());
}

/** Scheduler state for the runtime: bit 0 paused, bit 1 a choice is parked; hand-offs so far in the upper bits. */
export function schedState(): i32 {
  const g = G();
  acquire(schedLock());
  const r = (g.schedSteps == 0 ? 1 : 0) | (atomic.load<usize>(tokenAddr()) == SCHED_PARKED ? 2 : 0) | (g.schedPoints << 2);
  release(schedLock());
  return r;
}

/** The pid of the process that holds the CPU or, while paused, of the one chosen to run next; 0 when idle. */
export function schedCurrentPid(): i32 {
  const g = G();
  acquire(schedLock());
  let t = atomic.load<usize>(tokenAddr());
  if (t == SCHED_PARKED) t = g.schedNext;
  const pid = t == 0 ? 0 : changetype<Proc>(changetype<Task>(t).proc).pid;
  release(schedLock());
  return pid;
}

/**
 * A task has exited. When it exits by itself, its host passes the token on
 * after tracing the exit (k_schedYield); when it is exited by another thread
 * (the runtime terminating a worker), the token passes on here.
 */
export function schedExit(t: Task): void {
  if (!deterministic()) return;
  t.runnable = 0;
  acquire(schedLock());
  if (G().schedNext == changetype<usize>(t)) G().schedNext = 0;   // paused on it: the next step chooses again
  release(schedLock());
  if (changetype<usize>(t) != changetype<usize>(cur()) && atomic.load<usize>(tokenAddr()) == changetype<usize>(t)) {
    schedYield(t, false);
  }
}

/**
 * The runtime thread (init) wants the CPU: it gets the token at once when
 * the CPU is idle or already its own; otherwise it becomes runnable and
 * waits to be chosen. Returns 1 when it holds the token.
 */
export function schedAcquire(self: Task): i32 {
  if (!deterministic()) return 1;
  acquire(schedLock());
  const cur = atomic.load<usize>(tokenAddr());
  let got = 0;
  // An idle CPU goes to init even while paused, as it would in a free run
  // (its action then ends in a scheduling point whose choice is parked).
  if (cur == 0 || cur == changetype<usize>(self)) {
    atomic.store<usize>(tokenAddr(), changetype<usize>(self));
    got = 1;
  } else {
    self.runnable = 1;
  }
  release(schedLock());
  return got;
}
