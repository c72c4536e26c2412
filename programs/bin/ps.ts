// ps: list processes (pid, parent, state, name).
import {
  exit, stdout, complainErrno, proclist, ProcInfo, padLeft,
  PSTATE_EMBRYO, PSTATE_RUNNING, PSTATE_SLEEPING, PSTATE_ZOMBIE, PSTATE_STOPPED,
} from "../lib";

const PROG = "ps";

/** The one-letter state ps traditionally shows. */
function stateLetter(state: i32): string {
  switch (state) {
    case PSTATE_RUNNING: return "R";
    case PSTATE_SLEEPING: return "S";
    case PSTATE_ZOMBIE: return "Z";
    case PSTATE_EMBRYO: return "N";
    case PSTATE_STOPPED: return "T";
  }
  return "?";
}

let processes = new Array<ProcInfo>();
let err = proclist(processes);
if (err < 0) {
  complainErrno(PROG, "proclist", err);
  exit(1);
}
stdout.line("  PID  PPID S NAME");
for (let i = 0; i < processes.length; i++) {
  let p = processes[i];
  stdout.line(padLeft(p.pid.toString(), 5) + " " + padLeft(p.ppid.toString(), 5) + " " + stateLetter(p.state) + " " + p.name);
}
exit(0);
