// Signal names, for kill(1) and the shell.
import {
  SIGHUP, SIGINT, SIGQUIT, SIGABRT, SIGKILL, SIGSEGV, SIGPIPE, SIGALRM, SIGTERM, NSIG,
} from "../../abi/constants";

// Linux's standard signals 1..31 (kill -l order); 32..64 are real-time, named RTMIN+n / RTMAX-n.
const SIGNAL_NAMES: string[] = [
  "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2",
  "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG",
  "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
];
const RTMIN = 34;
const RTMAX = 64;
const SIGNAL_NUMBERS: i32[] = SIGNAL_NAMES.map<i32>((_: string, i: i32): i32 => i + 1);

/** The signals we have names for, in numeric order. */
export function knownSignals(): i32[] {
  return SIGNAL_NUMBERS.slice(0);
}

/** "TERM" for 15; the number as a string for unnamed signals. */
export function signalName(sig: i32): string {
  if (sig >= 1 && sig <= SIGNAL_NAMES.length) return SIGNAL_NAMES[sig - 1];
  if (sig >= RTMIN && sig <= RTMAX) {
    let off = sig - RTMIN;
    return off == 0 ? "RTMIN" : off <= 15 ? "RTMIN+" + off.toString() : RTMAX - sig == 0 ? "RTMAX" : "RTMAX-" + (RTMAX - sig).toString();
  }
  return sig.toString();
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
  if (i >= 0) return SIGNAL_NUMBERS[i];
  for (let sig = RTMIN; sig <= RTMAX; sig++) if (signalName(sig) == name) return sig;
  return -1;
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
