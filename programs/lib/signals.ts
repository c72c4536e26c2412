// Signal names, for kill(1) and the shell.
import {
  SIGHUP, SIGINT, SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGKILL,
  SIGUSR1, SIGSEGV, SIGUSR2, SIGPIPE, SIGALRM, SIGTERM, SIGCHLD, SIGCONT,
  SIGSTOP, SIGTSTP, NSIG,
} from "../../abi/constants";

const SIGNAL_NUMBERS: i32[] = [
  SIGHUP, SIGINT, SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGKILL,
  SIGUSR1, SIGSEGV, SIGUSR2, SIGPIPE, SIGALRM, SIGTERM, SIGCHLD, SIGCONT,
  SIGSTOP, SIGTSTP,
];
const SIGNAL_NAMES: string[] = [
  "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL",
  "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "CHLD", "CONT",
  "STOP", "TSTP",
];

/** The signals we have names for, in numeric order. */
export function knownSignals(): i32[] {
  return SIGNAL_NUMBERS.slice(0);
}

/** "TERM" for 15; the number as a string for unnamed signals. */
export function signalName(sig: i32): string {
  let i = SIGNAL_NUMBERS.indexOf(sig);
  return i >= 0 ? SIGNAL_NAMES[i] : sig.toString();
}

/**
 * The number of a signal given as "TERM", "SIGTERM", "term" or "15";
 * -1 if there is no such signal.
 */
export function signalNumber(spec: string): i32 {
  if (spec.length > 0 && isDigits(spec)) {
    let n = I32.parseInt(spec, 10);
    return n >= 0 && n < NSIG ? n : -1;
  }
  let name = spec.toUpperCase();
  if (name.startsWith("SIG")) name = name.substring(3);
  let i = SIGNAL_NAMES.indexOf(name);
  return i >= 0 ? SIGNAL_NUMBERS[i] : -1;
}

/** A short description, as shells print for a process killed by `sig`. */
export function signalDescription(sig: i32): string {
  switch (sig) {
    case SIGHUP: return "Hangup";
    case SIGINT: return "Interrupt";
    case SIGQUIT: return "Quit";
    case SIGABRT: return "Aborted";
    case SIGKILL: return "Killed";
    case SIGSEGV: return "Segmentation fault";
    case SIGPIPE: return "Broken pipe";
    case SIGALRM: return "Alarm clock";
    case SIGTERM: return "Terminated";
  }
  return "Signal " + sig.toString();
}

function isDigits(s: string): bool {
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}
