// trap: commands the shell runs when a signal arrives. The shell has no
// signal handlers of its own: a trapped signal is blocked, so it stays
// pending, and at each statement boundary (and before each prompt) the shell
// takes the pending ones and runs their commands — as POSIX lets a shell
// delay a trap until the foreground command has finished.
import {
  stdout, signalNumber, signalName, signalDisposition, sigprocmask, sigpending, sigtimedwait,
  SIG_DFL, SIG_IGN, SIG_BLOCK, SIG_UNBLOCK, SIGKILL, SIGSTOP, NSIG,
} from "../lib";

function bit(sig: i32): u64 { return (<u64>1) << <u64>(sig - 1); }

export class Traps {
  /** Signal → command; 0 is EXIT. */
  actions: Map<i32, string> = new Map();
  /** The signals with a command (blocked in the shell). */
  trapped: u64 = 0;
  private running: bool = false;
  /** The signals `trap` has set an action for (the shell's own defaults no longer apply to them). */
  touched: u64 = 0;

  /** `trap [action] SIG...`; returns its status, writing complaints through `complain`. */
  set(action: string | null, sig: i32): i32 {
    if (sig == SIGKILL || sig == SIGSTOP) return 1;
    if (sig != 0) this.touched |= bit(sig);
    if (sig == 0) {
      if (action === null || action == "") this.actions.delete(0); else this.actions.set(0, action);
      return 0;
    }
    if (action === null) {                      // trap - SIG: the default action
      this.actions.delete(sig);
      this.trapped &= ~bit(sig);
      signalDisposition(sig, SIG_DFL);
      sigprocmask(SIG_UNBLOCK, bit(sig));
    } else if (action == "") {                  // trap '' SIG: ignored (and by the children, as POSIX says)
      this.actions.delete(sig);
      this.trapped &= ~bit(sig);
      signalDisposition(sig, SIG_IGN);
      sigprocmask(SIG_UNBLOCK, bit(sig));
    } else {
      this.actions.set(sig, action);
      this.trapped |= bit(sig);
      signalDisposition(sig, SIG_DFL);
      sigprocmask(SIG_BLOCK, bit(sig));
    }
    return 0;
  }

  /** `trap` alone: the commands set, as `trap -- 'cmd' SIGNAME` lines. */
  list(): void {
    for (let sig = 0; sig < NSIG; sig++) {
      if (!this.actions.has(sig)) continue;
      let name = sig == 0 ? "EXIT" : "SIG" + signalName(sig);
      stdout.line("trap -- '" + this.actions.get(sig) + "' " + name);
    }
  }

  /** The commands of the trapped signals that arrived, in signal order (nothing while one runs). */
  takePending(): string[] {
    let out = new Array<string>();
    if (this.running || this.trapped == 0) return out;
    let pending = sigpending() & this.trapped;
    for (let sig = 1; sig < NSIG && pending != 0; sig++) {
      if ((pending & bit(sig)) == 0) continue;
      pending &= ~bit(sig);
      if (sigtimedwait(bit(sig), null, 0) == sig && this.actions.has(sig)) out.push(this.actions.get(sig));
    }
    return out;
  }

  enter(): void { this.running = true; }
  leave(): void { this.running = false; }
}

/** The signal a trap operand names ("INT", "SIGINT", "2", "EXIT", "0"), or -1. */
export function trapSignal(spec: string): i32 {
  if (spec == "EXIT" || spec == "0") return 0;
  return signalNumber(spec);
}
