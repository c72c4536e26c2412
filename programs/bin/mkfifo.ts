// mkfifo [-m mode] name...: create named pipes.
import { args, exit, complain, complainErrno, mkfifo, Options, parseOctal } from "../lib";

const PROG = "mkfifo";

let options = new Options(args(), "m:");
if (options.error !== null || options.operands.length == 0) {
  complain(PROG, options.error !== null ? options.error! : "missing operand");
  exit(1);
}
let mode = 0o644;
if (options.has("m")) {
  mode = parseOctal(options.value("m"));
  if (mode < 0) {
    complain(PROG, "invalid mode '" + options.value("m") + "'");
    exit(1);
  }
}
let ok = true;
for (let i = 0; i < options.operands.length; i++) {
  let path = options.operands[i];
  let err = mkfifo(path, mode);
  if (err < 0) {
    complainErrno(PROG, path, err);
    ok = false;
  }
}
exit(ok ? 0 : 1);
