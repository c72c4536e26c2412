// Signal handlers for AssemblyScript programs (docs/abi.md "Signals").
//
// A program that installs handlers re-exports the trampoline from its entry
// file (AssemblyScript exports only what the entry file exports):
//
//   export { __wasmux_sigtramp } from "../lib";
//
// Without it the kernel refuses handlers (sigaction EINVAL). A handler is a
// top-level function `(sig: i32) => void`, or with SA_SIGINFO
// `(sig: i32, info: usize, ctx: usize) => void` (info: a ksiginfo, read it
// with SigInfo.from), passed by its table index (`fn.index`, as signal()
// and handle() do). Table indices 0 and 1 mean SIG_DFL and SIG_IGN, so
// programs are built with their table starting at 2 (asconfig tableBase).

import * as sys from "./sys";
import {
  SIG_BLOCK, SIG_SETMASK, SIGSEGV, SA_SIGINFO, KSA_HANDLER, KSA_FLAGS, KSA_MASK, KSIGACTION_SIZE, KSIGINFO_SIZE,
  KSI_SIGNO, KSI_CODE, KSI_PID, KSI_UID, KSI_VALUE,
} from "../../abi/constants";
import { EINVAL } from "../../abi/errno";

/** Frames for nested handlers: each trampoline level has its own ksiginfo and ksigaction. */
const FRAME: usize = KSIGINFO_SIZE + KSIGACTION_SIZE;
const MAX_DEPTH: i32 = 8;
const frames = memory.data(<i32>(FRAME * <usize>MAX_DEPTH), 16);
let depth = 0;

/**
 * The host calls this after a syscall (or at a safepoint) when a handled
 * signal is deliverable: take each, run its handler with the mask the
 * kernel set, give the old mask back. Each nesting level has a frame of its
 * own; a handler nested deeper than MAX_DEPTH has none left (the frames are
 * static: a handler may interrupt the allocator, so none can be allocated),
 * and the process dies of SIGSEGV, as on Linux when a signal frame does not
 * fit on the signal stack (force_sigsegv): nothing is overwritten.
 */
export function __wasmux_sigtramp(): void {
  if (depth >= MAX_DEPTH) { noFrameLeft(); return; }
  const f = frames + FRAME * <usize>depth;
  const info = f, act = f + KSIGINFO_SIZE;
  depth++;
  let sig: i32;
  while ((sig = sys.sigtake(info, act)) > 0) {
    const handler = load<u32>(act + KSA_HANDLER);
    const old = load<u64>(act + KSA_MASK);
    if ((load<u32>(act + KSA_FLAGS) & <u32>SA_SIGINFO) != 0) call_indirect<void>(handler, sig, info, <usize>0);
    else call_indirect<void>(handler, sig);
    store<u64>(act + KSA_MASK, old);   // as the kernel gave it (the handler may have written the frame)
    sys.sigreturn(act + KSA_MASK);
  }
  depth--;
}

const segvAct = memory.data(KSIGACTION_SIZE, 8);   // zeros: SIG_DFL, no flags, no mask
const segvSet = memory.data(8, 8);

/**
 * Every signal but SIGSEGV blocked first (each of these calls would
 * otherwise run the pending handler again at its return, and come back
 * here), SIGSEGV's default action, then SIGSEGV to itself: the death is
 * acted on as kill returns.
 */
function noFrameLeft(): void {
  store<u64>(segvSet, ~sigbit(SIGSEGV));
  sys.sigprocmask(SIG_SETMASK, segvSet, 0);
  store<u32>(segvAct + KSA_HANDLER, 0);
  sys.sigaction(SIGSEGV, segvAct, 0);
  sys.kill(sys.getpid(), SIGSEGV);
}

/** The bit of `sig` in a signal set. */
export function sigbit(sig: i32): u64 { return (<u64>1) << <u64>(sig - 1); }

/** A ksigaction: handler (SIG_DFL, SIG_IGN or a function index), SA_* flags, the mask during the handler. */
export class SigAction {
  constructor(public handler: u32 = 0, public flags: u32 = 0, public mask: u64 = 0) {}
}

const kact = memory.data(KSIGACTION_SIZE, 8);
const kold = memory.data(KSIGACTION_SIZE, 8);

/** sigaction(2): 0 or -errno; `old` (if given) receives the previous action. */
export function sigaction(sig: i32, act: SigAction | null, old: SigAction | null = null): i32 {
  if (act != null) {
    store<u32>(kact + KSA_HANDLER, act.handler);
    store<u32>(kact + KSA_FLAGS, act.flags);
    store<u64>(kact + KSA_MASK, act.mask);
  }
  const r = sys.sigaction(sig, act != null ? kact : 0, old != null ? kold : 0);
  if (r == 0 && old != null) {
    old.handler = load<u32>(kold + KSA_HANDLER);
    old.flags = load<u32>(kold + KSA_FLAGS);
    old.mask = load<u64>(kold + KSA_MASK);
  }
  return r;
}

/**
 * A function's table index as a handler. Indices 0 and 1 are SIG_DFL and
 * SIG_IGN: programs are built with the table starting at 2
 * (programs/asconfig.json tableBase), so no function has them; -EINVAL if
 * one did (a program built otherwise).
 */
function handlerIndex(index: u32): u32 { return index > 1 ? index : 0xffffffff; }

/** Installs `fn` for `sig` with `flags` and `mask`; 0 or -errno. */
export function handle(sig: i32, fn: (sig: i32) => void, flags: u32 = 0, mask: u64 = 0): i32 {
  const h = handlerIndex(<u32>fn.index);
  if (h == 0xffffffff) return -EINVAL;
  return sigaction(sig, new SigAction(h, flags & ~<u32>SA_SIGINFO, mask));
}

/** Installs an SA_SIGINFO handler `fn(sig, info, ctx)` for `sig`. */
export function handleInfo(sig: i32, fn: (sig: i32, info: usize, ctx: usize) => void, flags: u32 = 0, mask: u64 = 0): i32 {
  const h = handlerIndex(<u32>fn.index);
  if (h == 0xffffffff) return -EINVAL;
  return sigaction(sig, new SigAction(h, flags | <u32>SA_SIGINFO, mask));
}

/** signal(2) with a handler function (BSD semantics as glibc's: SA_RESTART). */
export function signal(sig: i32, fn: (sig: i32) => void): i32 {
  return handle(sig, fn, <u32>0x10000000);
}

/** signal(sig, SIG_DFL or SIG_IGN). */
export function signalDisposition(sig: i32, disposition: u32): i32 {
  return sigaction(sig, new SigAction(disposition));
}

const kset = memory.data(8, 8);
const koldset = memory.data(8, 8);

/** sigprocmask(2) with a set; 0 or -errno. */
export function sigprocmask(how: i32, set: u64): i32 {
  store<u64>(kset, set);
  return sys.sigprocmask(how, kset, 0);
}

/** The current signal mask. */
export function sigmask(): u64 {
  sys.sigprocmask(SIG_BLOCK, 0, koldset);
  return load<u64>(koldset);
}

/** The pending signals that are blocked. */
export function sigpending(): u64 {
  sys.sigpending(kset);
  return load<u64>(kset);
}

/** Waits with `mask` until a handler has run: always -EINTR (or the process ends). */
export function sigsuspend(mask: u64): i32 {
  store<u64>(kset, mask);
  return sys.sigsuspend(kset);
}

/** pause(2): waits for a handler with the current mask. */
export function pause(): i32 { return sigsuspend(sigmask()); }

/** What a ksiginfo says. */
export class SigInfo {
  signo: i32 = 0;
  code: i32 = 0;
  pid: i32 = 0;
  uid: i32 = 0;
  /** si_value for queued signals, si_status for SIGCHLD (the same word). */
  value: i32 = 0;

  /** Reads a ksiginfo at `p` (a handler's `info`). */
  static from(p: usize): SigInfo {
    const s = new SigInfo();
    s.signo = load<i32>(p + KSI_SIGNO); s.code = load<i32>(p + KSI_CODE);
    s.pid = load<i32>(p + KSI_PID); s.uid = load<i32>(p + KSI_UID); s.value = load<i32>(p + KSI_VALUE);
    return s;
  }
}

const kinfo = memory.data(KSIGINFO_SIZE, 8);

/** sigtimedwait(2): a signal of `set`, or -EAGAIN after `timeoutNs` (-1: forever), -EINTR. */
export function sigtimedwait(set: u64, info: SigInfo | null, timeoutNs: i64): i32 {
  store<u64>(kset, set);
  const r = sys.sigtimedwait(kset, kinfo, timeoutNs);
  if (r > 0 && info != null) {
    const s = SigInfo.from(kinfo);
    info.signo = s.signo; info.code = s.code; info.pid = s.pid; info.uid = s.uid; info.value = s.value;
  }
  return r;
}

/** sigwaitinfo(2): sigtimedwait without a timeout. */
export function sigwaitinfo(set: u64, info: SigInfo | null): i32 { return sigtimedwait(set, info, -1); }

/** sigwait(3): the signal taken, or -errno. */
export function sigwait(set: u64): i32 { return sigtimedwait(set, null, -1); }

/** sigqueue(3): `sig` with `value` to `pid`. */
export function sigqueue(pid: i32, sig: i32, value: i32): i32 { return sys.sigqueue(pid, sig, value); }

/** raise(3): `sig` to this process. */
export function raise(sig: i32): i32 { return sys.kill(sys.getpid(), sig); }

/** The time an interrupted nanosleep had left, in ns. */
export function sleepLeft(): i64 {
  sys.sleepleft(kset);
  return load<i64>(kset);
}

/** Replaces the whole mask. */
export function setSigmask(mask: u64): i32 { return sigprocmask(SIG_SETMASK, mask); }

// Wait statuses of stopped and continued children (waitpid WUNTRACED, WCONTINUED).
export function WIFSTOPPED(status: i32): bool { return (status & 0xff) == 0x7f; }
export function WSTOPSIG(status: i32): i32 { return (status >> 8) & 0xff; }
export function WIFCONTINUED(status: i32): bool { return status == 0xffff; }
