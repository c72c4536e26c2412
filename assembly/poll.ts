// WASI poll_oneoff: clock timeouts and descriptor readiness (each file
// type's poll operation says when it is ready). A wait covers
// every subscribed descriptor at once: the task goes on each one's wait
// queue (one wake word serves them all, invariant 4) and, with a clock,
// keeps its deadline in task.wakeAt across retries.

import { EBADF, EFAULT, EINVAL } from "../abi/errno";
import { KBLOCK } from "../abi/errno";
import { cur, curProc } from "./task";
import { copyin, copyout, putU32, scratch, SCRATCH_TMP, SCRATCH_REC } from "./user";
import { dequeueAll } from "./wait";
import { fdGet, filePut, filePoll } from "./file";
import { restartBegin, restartKeep, RESTART_TIMED } from "./restart";
import { setSleeping } from "./proc";
import { now, CLOCK_MONOTONIC, CLOCK_REALTIME } from "./clock";

const EVENTTYPE_CLOCK: u8 = 0;
const EVENTTYPE_FD_READ: u8 = 1;
const EVENTTYPE_FD_WRITE: u8 = 2;
const SUB_SIZE: u32 = 48;
const EVENT_SIZE: u32 = 32;

/**
 * The most subscriptions one call takes: what wasi-libc's poll(2) makes for
 * every descriptor of the table, read and write, plus its timeout. Linux
 * refuses more pollfds than RLIMIT_NOFILE with EINVAL, and so do we. Each
 * not-ready descriptor costs a wait-queue entry for as long as the call waits.
 */
// @ts-ignore: decorator
@inline function maxSubs(): u32 { return 2 * <u32>curProc().maxFds + 1; }

export function pollOneoff(uin: u32, uout: u32, nsubs: u32, uevents: u32): i32 {
  if (nsubs == 0 || nsubs > maxSubs()) return EINVAL;
  // Neither array may wrap around the 4 GiB guest address space.
  if (<u64>uin + <u64>nsubs * SUB_SIZE > 0x1_0000_0000 || <u64>uout + <u64>nsubs * EVENT_SIZE > 0x1_0000_0000) return EFAULT;
  const t = cur();
  if (!restartBegin(t, RESTART_TIMED)) t.wakeAt = 0;   // a new poll: no deadline of an earlier call
  const sub = scratch(SCRATCH_TMP);
  const ev = scratch(SCRATCH_REC);
  const tnow = now(CLOCK_MONOTONIC);
  let deadline: i64 = 0;
  let clockIdx: i32 = -1;
  let nready: u32 = 0;
  let err = 0;
  for (let i: u32 = 0; i < nsubs && err == 0; i++) {
    if (!copyin(sub, uin + i * SUB_SIZE, SUB_SIZE)) { err = EFAULT; break; }
    const tag = load<u8>(sub + 8);
    if (tag == EVENTTYPE_CLOCK) {
      const id = load<u32>(sub + 16);
      if (id > 3) { err = EINVAL; break; }
      const abs = (load<u16>(sub + 40) & 1) != 0;
      const timeout = load<i64>(sub + 24);
      const d: i64 = abs ? timeout - now(id == 0 ? CLOCK_REALTIME : CLOCK_MONOTONIC) + tnow : tnow + timeout;
      if (clockIdx < 0 || d < deadline) { deadline = d; clockIdx = <i32>i; }
      continue;
    }
    if (tag != EVENTTYPE_FD_READ && tag != EVENTTYPE_FD_WRITE) { err = EINVAL; break; }
    memory.fill(ev, 0, EVENT_SIZE);
    store<u64>(ev, load<u64>(sub));
    store<u8>(ev + 10, tag);
    const f = fdGet(curProc(), load<i32>(sub + 16));
    let ready = true;
    if (f == null) store<u16>(ev + 8, <u16>EBADF);
    else { ready = filePoll(f, tag == EVENTTYPE_FD_WRITE, nready == 0, ev); filePut(f); }
    if (!ready) continue;
    if (!copyout(uout + nready * EVENT_SIZE, ev, EVENT_SIZE)) { err = EFAULT; break; }
    nready++;
  }
  if (err != 0 || nready > 0) {
    // Done: leave the queues of the descriptors that were not ready.
    dequeueAll(t);
    t.wakeAt = 0;
    if (err != 0) return err;
    return putU32(uevents, nready) < 0 ? EFAULT : 0;
  }
  if (clockIdx >= 0) {
    if (t.wakeAt == 0) t.wakeAt = deadline > 0 ? deadline : 1;
    if (tnow >= t.wakeAt) {
      dequeueAll(t);
      t.wakeAt = 0;
      if (!copyin(sub, uin + <u32>clockIdx * SUB_SIZE, SUB_SIZE)) return EFAULT;
      memory.fill(ev, 0, EVENT_SIZE);
      store<u64>(ev, load<u64>(sub));
      store<u8>(ev + 10, EVENTTYPE_CLOCK);
      if (!copyout(uout, ev, EVENT_SIZE)) return EFAULT;
      return putU32(uevents, 1) < 0 ? EFAULT : 0;
    }
  }
  // Nothing yet: the task is queued on every descriptor (and, with a clock,
  // the host parks until wakeAt at most).
  restartKeep(t, RESTART_TIMED);
  setSleeping(curProc(), true);
  return KBLOCK;
}
