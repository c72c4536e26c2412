// The signal calls that change dispositions and masks, and the two the
// trampoline makes (sigtake, sigreturn). Structures are abi/constants.ts's
// ksigaction (16 bytes) and ksiginfo (128); sets are 8 bytes. Each guest
// structure is copied in once and validated in the kernel's copy.

import {
  NSIG, SIGKILL, SIGSTOP, SIG_IGN, SIG_BLOCK, SIG_UNBLOCK, SIG_SETMASK, SA_NODEFER, SA_RESETHAND,
  SA_SIGINFO, SIG_DFL, SI_QUEUE, KSA_HANDLER, KSA_FLAGS, KSA_MASK, KSIGACTION_SIZE, KSIGINFO_SIZE,
} from "../abi/constants";
import { EINVAL, EFAULT, ESRCH } from "../abi/errno";
import { Task, cur, curProc } from "./task";
import { copyin, copyout, scratch, SCRATCH_TMP, SCRATCH_REC } from "./user";
import {
  bit, UNBLOCKABLE, sigHandler, sigFlags, sigActMask, sigSetAction, sigChangeAction, sigDequeue,
  sigHandledReady, sigSend, deliverable,
} from "./signal";
import { actionStallBegin, actionStallEnd } from "./sigstall";

/** Something became deliverable (a mask lowered): the host looks after this call. */
function recheck(t: Task): void {
  if (deliverable(t) != 0) atomic.store<i32>(changetype<usize>(t) + offsetof<Task>("attn"), 1);
}

/**
 * sigaction(sig, act|0, oldact|0): EINVAL for a bad number, for SIGKILL or
 * SIGSTOP with an act, and for a handler in a program without the
 * trampoline (nothing could run it); EFAULT before anything changes.
 * Making a signal ignored drops its pending instances (POSIX).
 */
export function sys_sigaction(sig: i32, uact: u32, uold: u32): i32 {
  if (sig < 1 || sig >= NSIG) return -EINVAL;
  const p = curProc();
  const k = scratch(SCRATCH_TMP);
  if (uact != 0) {
    if (!copyin(k, uact, KSIGACTION_SIZE)) return -EFAULT;
    if (sig == SIGKILL || sig == SIGSTOP) return -EINVAL;
    if (load<u32>(k + KSA_HANDLER) > <u32>SIG_IGN && p.sigTramp == 0) return -EINVAL;
  }
  if (uold != 0) {
    const o = scratch(SCRATCH_REC);
    store<u32>(o + KSA_HANDLER, sigHandler(p, sig));
    store<u32>(o + KSA_FLAGS, sigFlags(p, sig));
    store<u64>(o + KSA_MASK, sigActMask(p, sig));
    if (!copyout(uold, o, KSIGACTION_SIZE)) return -EFAULT;
  }
  if (uact == 0) return 0;
  const handler = load<u32>(k + KSA_HANDLER);
  const raced = actionStallBegin(sig, handler == <u32>SIG_IGN);   // tests only (sigstall.ts)
  sigChangeAction(cur(), p, sig, handler, load<u32>(k + KSA_FLAGS), load<u64>(k + KSA_MASK));
  if (raced) actionStallEnd();
  return 0;
}

/** sigprocmask(how, set|0, oldset|0): SIGKILL and SIGSTOP are silently kept out, as Linux. */
export function sys_sigprocmask(how: i32, uset: u32, uold: u32): i32 {
  const t = cur();
  const k = scratch(SCRATCH_TMP);
  if (uset != 0) {
    if (!copyin(k, uset, 8)) return -EFAULT;
    if (how != SIG_BLOCK && how != SIG_UNBLOCK && how != SIG_SETMASK) return -EINVAL;
  }
  if (uold != 0) {
    store<u64>(k + 8, t.sigmask);
    if (!copyout(uold, k + 8, 8)) return -EFAULT;
  }
  if (uset == 0) return 0;
  const set = load<u64>(k);
  let m = t.sigmask;
  if (how == SIG_BLOCK) m |= set;
  else if (how == SIG_UNBLOCK) m &= ~set;
  else m = set;
  t.sigmask = m & ~UNBLOCKABLE;
  recheck(t);
  return 0;
}

/** sigpending(set): the pending signals that are blocked. */
export function sys_sigpending(uset: u32): i32 {
  const t = cur();
  const k = scratch(SCRATCH_TMP);
  store<u64>(k, atomic.load<u64>(changetype<usize>(t) + offsetof<Task>("sigpending")) & t.sigmask);
  return copyout(uset, k, 8) ? 0 : -EFAULT;
}

/** sigqueue(pid, sig, value): one process (pid > 0), si_code SI_QUEUE, the value in si_value. */
export function sys_sigqueue(pid: i32, sig: i32, value: i32): i32 {
  if (sig < 0 || sig >= NSIG) return -EINVAL;
  if (pid <= 0) return -ESRCH;
  return sigSend(pid, sig, SI_QUEUE, value);
}

/**
 * The trampoline's: takes the next deliverable signal that has a handler
 * (lowest number first; real-time ones in their order), writes its
 * ksiginfo at `uinfo` and {handler, flags, mask to restore} at `uact`, and
 * sets the handler's mask: the old one | sa_mask | the signal (unless
 * SA_NODEFER). SA_RESETHAND puts SIG_DFL back. Returns the signal, 0 when
 * none is left, -EFAULT with the signal still pending (both records are
 * written, as zeros, before anything is taken: guest memory never
 * shrinks, so the copy after the dequeue cannot fail).
 */
export function sys_sigtake(uinfo: u32, uact: u32): i32 {
  const t = cur();
  const p = curProc();
  const ready = sigHandledReady(t, p);
  if (ready == 0) return 0;
  const k = scratch(SCRATCH_TMP);   // 128: the ksiginfo
  const a = scratch(SCRATCH_REC);   // 16: the ksigaction
  memory.fill(k, 0, KSIGINFO_SIZE);
  memory.fill(a, 0, KSIGACTION_SIZE);
  if (!copyout(uinfo, k, KSIGINFO_SIZE) || !copyout(uact, a, KSIGACTION_SIZE)) return -EFAULT;
  const sig = sigDequeue(t, p, ready, k);
  if (sig == 0) return 0;
  const handler = sigHandler(p, sig), flags = sigFlags(p, sig);
  // sigsuspend: the frame restores the mask it replaced, not its temporary one.
  const old = t.restoreMask != 0 ? t.savedMask : t.sigmask;
  t.restoreMask = 0;
  store<u32>(a + KSA_HANDLER, handler);
  store<u32>(a + KSA_FLAGS, flags);
  store<u64>(a + KSA_MASK, old);
  if (!copyout(uinfo, k, KSIGINFO_SIZE) || !copyout(uact, a, KSIGACTION_SIZE)) { t.sigmask = old; return -EFAULT; }
  t.sigmask = (t.sigmask | sigActMask(p, sig) | ((flags & SA_NODEFER) != 0 ? 0 : bit(sig))) & ~UNBLOCKABLE;
  if ((flags & SA_RESETHAND) != 0) sigSetAction(p, sig, SIG_DFL, flags & ~(SA_RESETHAND | SA_SIGINFO), sigActMask(p, sig));
  return sig;
}

/** The trampoline's, after a handler: the mask `sigtake` gave goes back (without SIGKILL/SIGSTOP). */
export function sys_sigreturn(umask: u32): i32 {
  const t = cur();
  const k = scratch(SCRATCH_TMP);
  if (!copyin(k, umask, 8)) return -EFAULT;
  t.sigmask = load<u64>(k) & ~UNBLOCKABLE;
  recheck(t);
  return 0;
}
