// Wait queues. A queue is two adjacent words {lock, head} inside the object
// it guards (a pipe's readers, a process's children...). A task that must
// block puts an entry on each queue it cares about, drops the object lock
// and returns KBLOCK; the host parks the thread on the task's wake word.
// Waking bumps that word and notifies, so one wait can cover many queues and
// a signal can interrupt any wait (invariant 4). Entries are removed by the
// task itself when it runs again (dequeueAll), never by the waker.

import { kalloc, kfree } from "./alloc";
import { acquire, release } from "./lock";
import { Task, Proc } from "./task";
import { schedWake } from "./sched";
import { PSTATE_RUNNING, PSTATE_SLEEPING } from "../abi/constants";

@unmanaged
class WaitEntry {
  task: usize;
  wq: usize;
  next: usize;
  prev: usize;
  tnext: usize;   // next entry of the same task
  slot: i32;      // which of the task's inline slots, or -1 if allocated
}

/**
 * Each task carries a few entries inline, right after its struct, so the
 * common wait (one queue) allocates nothing; poll-like waits on more queues
 * fall back to kalloc.
 */
export const INLINE_WAITS = 4;
export const TASK_ALLOC_SIZE: usize = offsetof<Task>() + INLINE_WAITS * offsetof<WaitEntry>();

function entryAlloc(task: Task): WaitEntry | null {
  const used = task.waitSlots;
  for (let i = 0; i < INLINE_WAITS; i++) {
    if ((used & (1 << i)) == 0) {
      task.waitSlots = used | (1 << i);
      const e = changetype<WaitEntry>(changetype<usize>(task) + offsetof<Task>() + <usize>i * offsetof<WaitEntry>());
      e.slot = i;
      return e;
    }
  }
  const e = changetype<WaitEntry>(kalloc(offsetof<WaitEntry>()));
  if (changetype<usize>(e) != 0) e.slot = -1;
  return e;
}

function entryFree(task: Task, e: WaitEntry): void {
  if (e.slot >= 0) task.waitSlots &= ~(1 << e.slot);
  else kfree(changetype<usize>(e));
}

// @ts-ignore: decorator
@inline function wqHead(wq: usize): usize { return load<usize>(wq + 4); }
// @ts-ignore: decorator
@inline function setWqHead(wq: usize, e: usize): void { store<usize>(wq + 4, e); }

/** Registers `task` on queue `wq` (the address of a {lock, head} pair). */
export function waitOn(wq: usize, task: Task): bool {
  const e = entryAlloc(task);
  if (e == null) return false;
  e.task = changetype<usize>(task);
  e.wq = wq;
  acquire(wq);
  e.next = wqHead(wq);
  e.prev = 0;
  if (e.next != 0) changetype<WaitEntry>(e.next).prev = changetype<usize>(e);
  setWqHead(wq, changetype<usize>(e));
  release(wq);
  e.tnext = task.waits;
  task.waits = changetype<usize>(e);
  atomic.store<i32>(changetype<usize>(task) + offsetof<Task>("attn"), 1);
  const p = changetype<Proc>(task.proc);
  if (p.state == PSTATE_RUNNING) p.state = PSTATE_SLEEPING;   // what ps shows
  return true;
}

/**
 * Moves the task's wake word so its host looks again. A spinning waiter sees
 * the word move by itself; notify (a call into the engine) only one that
 * sleeps. The host sets `parked` before it waits and its wait rechecks the
 * word, so with both sides seq-cst no wake-up is lost.
 */
export function bumpWake(task: Task): void {
  const w = changetype<usize>(task) + offsetof<Task>("wake");
  atomic.add<i32>(w, 1);
  if (atomic.load<i32>(changetype<usize>(task) + offsetof<Task>("parked")) != 0) atomic.notify(w, 1);
}

/** Makes a task runnable: its host sees the wake word move and retries. */
export function wakeTask(task: Task): void {
  schedWake(task);
  bumpWake(task);
}

/** Wakes every task waiting on `wq`. */
export function wakeAll(wq: usize): void {
  if (atomic.load<usize>(wq + 4) == 0) return;   // common case: nobody waits
  acquire(wq);
  let e = wqHead(wq);
  while (e != 0) {
    wakeTask(changetype<Task>(changetype<WaitEntry>(e).task));
    e = changetype<WaitEntry>(e).next;
  }
  release(wq);
}

/** Removes all of a task's entries; called when it runs again after a wait. */
export function dequeueAll(task: Task): void {
  let e = task.waits;
  while (e != 0) {
    const entry = changetype<WaitEntry>(e);
    const wq = entry.wq;
    acquire(wq);
    if (entry.prev != 0) changetype<WaitEntry>(entry.prev).next = entry.next;
    else setWqHead(wq, entry.next);
    if (entry.next != 0) changetype<WaitEntry>(entry.next).prev = entry.prev;
    release(wq);
    const next = entry.tnext;
    entryFree(task, entry);
    e = next;
  }
  task.waits = 0;
  const p = changetype<Proc>(task.proc);
  if (p.state == PSTATE_SLEEPING) p.state = PSTATE_RUNNING;
}

// ---- introspection (snapshot.ts) ----

/** How many tasks wait on queue `wq`, counted under its lock. */
export function queueLength(wq: usize): i32 {
  if (atomic.load<usize>(wq + 4) == 0) return 0;
  let n = 0;
  acquire(wq);
  for (let e = wqHead(wq); e != 0; e = changetype<WaitEntry>(e).next) n++;
  release(wq);
  return n;
}

/**
 * The queue of the task's inline wait entry `i`, or 0 when that slot is
 * free. Read without a lock (the slots are the task's own): a wait that
 * starts or ends meanwhile shows either way.
 */
export function taskQueue(task: Task, i: i32): usize {
  if ((atomic.load<i32>(changetype<usize>(task) + offsetof<Task>("waitSlots")) & (1 << i)) == 0) return 0;
  const e = changetype<WaitEntry>(changetype<usize>(task) + offsetof<Task>() + <usize>i * offsetof<WaitEntry>());
  return atomic.load<usize>(changetype<usize>(e) + offsetof<WaitEntry>("wq"));
}
