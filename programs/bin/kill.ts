// kill [-s SIG | -SIG | -N] pid...: send a signal (default TERM).
// kill -l [N]: list signal names, or name the signal of exit status N.
import {
  args, exit, stdout, complain, complainErrno, kill, isInteger, toInteger,
  signalName, signalNumber, knownSignals, SIGTERM,
} from "../lib";

const PROG = "kill";

function listSignals(operands: string[]): i32 {
  if (operands.length == 0) {
    let names = knownSignals().map<string>((sig: i32): string => signalName(sig));
    stdout.line(names.join(" "));
    return 0;
  }
  let status = 0;
  for (let i = 0; i < operands.length; i++) {
    let arg = operands[i];
    if (isInteger(arg)) {
      // An exit status of 128+N names signal N, as a shell reports it.
      let n = <i32>toInteger(arg);
      stdout.line(signalName(n > 128 ? n - 128 : n));
    } else if (signalNumber(arg) >= 0) {
      stdout.line(signalNumber(arg).toString());
    } else {
      complain(PROG, "unknown signal '" + arg + "'");
      status = 1;
    }
  }
  return status;
}

function badSignal(spec: string): void {
  complain(PROG, "invalid signal specification '" + spec + "'");
  exit(1);
}

let argv = args();
let sig = SIGTERM;
let next = 1;
if (next < argv.length && (argv[next] == "-l" || argv[next] == "-L")) {
  exit(listSignals(argv.slice(next + 1)));
}
if (next < argv.length && argv[next] == "-s") {
  if (next + 1 >= argv.length) badSignal("");
  sig = signalNumber(argv[next + 1]);
  if (sig < 0) badSignal(argv[next + 1]);
  next += 2;
} else if (next < argv.length && argv[next].startsWith("-") && argv[next] != "--" && argv[next].length > 1) {
  sig = signalNumber(argv[next].substring(1));
  if (sig < 0) badSignal(argv[next].substring(1));
  next++;
}
if (next < argv.length && argv[next] == "--") next++;
if (next >= argv.length) {
  complain(PROG, "usage: kill [-s SIG | -SIG] pid... | kill -l [N]");
  exit(1);
}

let ok = true;
for (let i = next; i < argv.length; i++) {
  let target = argv[i];
  if (!isInteger(target)) {
    complain(PROG, "invalid process id '" + target + "'");
    ok = false;
    continue;
  }
  let err = kill(<i32>toInteger(target), sig);
  if (err < 0) {
    complainErrno(PROG, target, err);
    ok = false;
  }
}
exit(ok ? 0 : 1);
