// Signals, as far as the foundation needs them: raising, default actions
// (terminate or ignore) and SIG_IGN. Handlers, masks and queued real-time
// signals come with the signals work; the state they need is already in Task
// and Proc.

import { SIGCHLD, SIGCONT, SIGKILL, SIGSTOP, SIGTSTP, NSIG } from "../abi/constants";
import { EINVAL, ESRCH } from "../abi/errno";
import { Task, Proc } from "./task";
import { wakeTask } from "./wait";
import { procSlot } from "./proc";
import { curProc } from "./task";
import { PSTATE_ZOMBIE } from "../abi/constants";
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

/**
 * Makes `sig` pending on `t` and wakes it. init (pid 1, the runtime) is
 * immune to every signal, whatever raises it — kill, or the SIGPIPE of its
 * own write to a pipe with no reader: it has no default actions to take, and
 * its death would take the machine with it. It is still woken (SIGCHLD).
 */
export function sigRaise(t: Task, sig: i32): void {
  if (changetype<Proc>(t.proc).pid == 1) { wakeTask(t); return; }
  atomic.or<u64>(changetype<usize>(t) + offsetof<Task>("sigpending"), bit(sig));
  atomic.store<i32>(changetype<usize>(t) + offsetof<Task>("attn"), 1);
  wakeTask(t);
}

/**
 * kill(2): pid > 0 one process, 0 the caller's process group, -1 every
 * process but init and the caller, < -1 the group -pid. Signal 0 only checks
 * that a target exists. Returns 0 or -errno.
 */
export function sigSend(pid: i32, sig: i32): i32 {
  if (sig < 0 || sig >= NSIG) return -EINVAL;
  const me = curProc();
  const g = G();
  acquire(changetype<usize>(g) + offsetof<Globals>("ptableLock"));
  let found = 0;
  for (let i = 0; i < g.maxProcs; i++) {
    const p = procSlot(i);
    if (p == null || p.state == PSTATE_ZOMBIE) continue;
    let match: bool;
    if (pid > 0) match = p.pid == pid;
    else if (pid == -1) match = p.pid != 1 && p != me;
    else if (pid == 0) match = p.pgid == me.pgid && p.pid != 1;
    else match = p.pgid == -pid && p.pid != 1;
    if (!match) continue;
    found++;
    if (sig != 0) sigRaise(changetype<Task>(p.task), sig);
  }
  release(changetype<usize>(g) + offsetof<Globals>("ptableLock"));
  return found > 0 ? 0 : -ESRCH;
}

/** The deliverable pending signals whose action is to be ignored. */
function ignoredIn(pending: u64, p: Proc): u64 {
  let m: u64 = 0;
  for (let sig = 1; sig < NSIG; sig++) {
    if ((pending & bit(sig)) != 0 && ((p.sigignore & bit(sig)) != 0 || ignoredByDefault(sig))) m |= bit(sig);
  }
  return m;
}

/** The pending signal that will kill the process when it is next acted on, or 0 (nothing consumed). */
export function sigPeekFatal(t: Task, p: Proc): i32 {
  const pending = atomic.load<u64>(changetype<usize>(t) + offsetof<Task>("sigpending")) & ~t.sigmask;
  if (pending == 0) return 0;
  if (pending & bit(SIGKILL)) return SIGKILL;
  const fatal = pending & ~ignoredIn(pending, p);
  return fatal == 0 ? 0 : <i32>ctz(fatal) + 1;
}

/**
 * Acts on the deliverable pending signals: ignored ones are discarded, and
 * the one that must kill the process (as sigPeekFatal) is taken and returned.
 */
export function sigTakeFatal(t: Task, p: Proc): i32 {
  const addr = changetype<usize>(t) + offsetof<Task>("sigpending");
  const pending = atomic.load<u64>(addr) & ~t.sigmask;
  if (pending == 0) return 0;
  const sig = sigPeekFatal(t, p);
  atomic.and<u64>(addr, ~(ignoredIn(pending, p) | (sig != 0 ? bit(sig) : 0)));
  return sig;
}
