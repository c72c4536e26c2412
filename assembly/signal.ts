// Signals, as far as the foundation needs them: raising, default actions
// (terminate or ignore) and SIG_IGN. Handlers, masks and queued real-time
// signals come with the signals work; the state they need is already in Task
// and Proc.

import { SIGCHLD, SIGCONT, SIGKILL, SIGSTOP, SIGTSTP, NSIG } from "../abi/constants";
import { EINVAL, ESRCH } from "../abi/errno";
import { Task, Proc } from "./task";
import { wakeTask } from "./wait";
import { findProc } from "./proc";
import { acquire, release } from "./lock";
import { G, Globals } from "./globals";

const SIGURG = 23;
const SIGWINCH = 28;

function bit(sig: i32): u64 { return (<u64>1) << <u64>(sig - 1); }

/** Default action is "ignore" for these. Stop signals are ignored until job control exists. */
function ignoredByDefault(sig: i32): bool {
  return sig == SIGCHLD || sig == SIGCONT || sig == SIGURG || sig == SIGWINCH ||
    sig == SIGSTOP || sig == SIGTSTP || sig == 21 || sig == 22;
}

export function sigRaise(t: Task, sig: i32): void {
  atomic.or<u64>(changetype<usize>(t) + offsetof<Task>("sigpending"), bit(sig));
  atomic.store<i32>(changetype<usize>(t) + offsetof<Task>("attn"), 1);
  wakeTask(t);
}

/** kill(2) for one pid. Returns 0 or -errno. */
export function sigSend(pid: i32, sig: i32): i32 {
  if (sig < 0 || sig >= NSIG) return -EINVAL;
  const g = G();
  acquire(changetype<usize>(g) + offsetof<Globals>("ptableLock"));
  const p = findProc(pid);
  if (p == null || p.state == 4 /* zombie */ || p.task == 0) {
    release(changetype<usize>(g) + offsetof<Globals>("ptableLock"));
    return -ESRCH;
  }
  if (sig != 0) sigRaise(changetype<Task>(p.task), sig);
  release(changetype<usize>(g) + offsetof<Globals>("ptableLock"));
  return 0;
}

/**
 * Takes the pending signals that are not blocked and acts on them. Returns
 * the signal that must kill the process, or 0.
 */
export function sigTakeFatal(t: Task, p: Proc): i32 {
  const addr = changetype<usize>(t) + offsetof<Task>("sigpending");
  const pending = atomic.load<u64>(addr) & ~t.sigmask;
  if (pending == 0) return 0;
  if (pending & bit(SIGKILL)) return SIGKILL;
  for (let sig = 1; sig < NSIG; sig++) {
    if ((pending & bit(sig)) == 0) continue;
    atomic.and<u64>(addr, ~bit(sig));
    if ((p.sigignore & bit(sig)) != 0 || ignoredByDefault(sig)) continue;
    return sig;
  }
  return 0;
}

/** The pending signal that will kill the process when it is next acted on, or 0 (nothing consumed). */
export function sigPeekFatal(t: Task, p: Proc): i32 {
  const pending = atomic.load<u64>(changetype<usize>(t) + offsetof<Task>("sigpending")) & ~t.sigmask;
  if (pending == 0) return 0;
  if (pending & bit(SIGKILL)) return SIGKILL;
  for (let sig = 1; sig < NSIG; sig++) {
    if ((pending & bit(sig)) == 0 || (p.sigignore & bit(sig)) != 0 || ignoredByDefault(sig)) continue;
    return sig;
  }
  return 0;
}
