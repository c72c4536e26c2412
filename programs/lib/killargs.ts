// kill's operands, for /bin/kill and the shell's builtin kill (which adds %job):
//   kill [-s SIG | -SIG | -N] target...      kill -l [N|NAME...]
import { SIGTERM } from "../../abi/constants";
import { stdout } from "./io";
import { complain, isInteger, toInteger } from "./cli";
import { signalName, signalNumber, knownSignals } from "./signals";

export class KillArgs {
  sig: i32 = SIGTERM;
  /** `kill -l`: list, with these operands. */
  list: bool = false;
  targets: string[] = [];
  /** What is wrong with the arguments, if anything. */
  error: string | null = null;
}

export function parseKill(argv: string[]): KillArgs {
  let a = new KillArgs();
  let next = 1;
  if (next < argv.length && (argv[next] == "-l" || argv[next] == "-L")) {
    a.list = true;
    a.targets = argv.slice(next + 1);
    return a;
  }
  if (next < argv.length && argv[next] == "-s") {
    let spec = next + 1 < argv.length ? argv[next + 1] : "";
    a.sig = signalNumber(spec);
    if (a.sig < 0) { a.error = "invalid signal specification '" + spec + "'"; return a; }
    next += 2;
  } else if (next < argv.length && argv[next].startsWith("-") && argv[next] != "--" && argv[next].length > 1) {
    let spec = argv[next].substring(1);
    a.sig = signalNumber(spec);
    if (a.sig < 0) { a.error = "invalid signal specification '" + spec + "'"; return a; }
    next++;
  }
  if (next < argv.length && argv[next] == "--") next++;
  a.targets = argv.slice(next);
  if (a.targets.length == 0) a.error = "usage: kill [-s SIG | -SIG] pid... | kill -l [N]";
  return a;
}

/** `kill -l`: every name on one line; `kill -l N...`: the name of signal N (or of exit status 128+N), `kill -l NAME`: its number. */
export function killList(prog: string, operands: string[]): i32 {
  if (operands.length == 0) {
    let names = knownSignals().map<string>((sig: i32): string => signalName(sig));
    stdout.line(names.join(" "));
    return 0;
  }
  let status = 0;
  for (let i = 0; i < operands.length; i++) {
    let arg = operands[i];
    if (isInteger(arg)) {
      let n = <i32>toInteger(arg);
      if (n > 128) n -= 128;
      if (n >= 1 && n <= 64) stdout.line(signalName(n));
      else { complain(prog, arg + ": invalid signal specification"); status = 1; }
    } else if (signalNumber(arg) > 0) {
      stdout.line(signalNumber(arg).toString());
    } else {
      complain(prog, "unknown signal '" + arg + "'");
      status = 1;
    }
  }
  return status;
}
