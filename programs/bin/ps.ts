// ps: list processes (pid, parent, state, name), from the kernel's snapshot
// (programs/lib/snapshot.ts: the one view the page and the embedding API read).
import {
  exit, stdout, complainErrno, snapshot, Snapshot, padLeft,
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

const snap = new Snapshot();
const err = snapshot(snap);
if (err < 0) {
  complainErrno(PROG, "snapshot", err);
  exit(1);
}
const processes = snap.procs;
stdout.line("  PID  PPID S NAME");
for (let i = 0; i < processes.length; i++) {
  const p = processes[i];
  stdout.line(padLeft(p.pid.toString(), 5) + " " + padLeft(p.ppid.toString(), 5) + " " + stateLetter(p.state) + " " + p.name);
}
exit(0);
