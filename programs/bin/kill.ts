// kill [-s SIG | -SIG | -N] pid...: send a signal (default TERM); a negative pid is a process group.
// kill -l [N]: list signal names, or name the signal of exit status N.
// (The shell's builtin kill also takes %job: programs/sh/builtins.ts.)
import { args, exit, complain, complainErrno, kill, isInteger, toInteger, parseKill, killList } from "../lib";

const PROG = "kill";

let a = parseKill(args());
if (a.list) exit(killList(PROG, a.targets));
if (a.error !== null) {
  complain(PROG, a.error!);
  exit(1);
}
let ok = true;
for (let i = 0; i < a.targets.length; i++) {
  let target = a.targets[i];
  if (!isInteger(target)) {
    complain(PROG, "invalid process id '" + target + "'");
    ok = false;
    continue;
  }
  let err = kill(<i32>toInteger(target), a.sig);
  if (err < 0) {
    complainErrno(PROG, target, err);
    ok = false;
  }
}
exit(ok ? 0 : 1);
