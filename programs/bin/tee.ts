// tee [-a] [file...]: copy standard input to standard output and to each file.
import {
  args, exit, read, writeRange, complain, complainErrno, open, close, Options,
  STDIN, STDOUT, O_WRONLY, O_CREAT, O_TRUNC, O_APPEND, IO_BUFFER_SIZE,
} from "../lib";

const PROG = "tee";

let options = new Options(args(), "ai");
if (options.error !== null) {
  complain(PROG, options.error!);
  exit(1);
}
let ok = true;
let flags = O_WRONLY | O_CREAT | (options.has("a") ? O_APPEND : O_TRUNC);

// Outputs and their names; a failed output is dropped (reported once).
let outputs: i32[] = [STDOUT];
let names: string[] = ["standard output"];
for (let i = 0; i < options.operands.length; i++) {
  let fd = open(options.operands[i], flags);
  if (fd < 0) {
    complainErrno(PROG, options.operands[i], fd);
    ok = false;
    continue;
  }
  outputs.push(fd);
  names.push(options.operands[i]);
}

let buffer = new Uint8Array(IO_BUFFER_SIZE);
while (outputs.length > 0) {
  let n = read(STDIN, buffer);
  if (n == 0) break;
  if (n < 0) {
    complainErrno(PROG, "read error", n);
    ok = false;
    break;
  }
  for (let i = outputs.length - 1; i >= 0; i--) {
    let err = writeRange(outputs[i], buffer, 0, n);
    if (err >= 0) continue;
    complainErrno(PROG, names[i], err);
    ok = false;
    if (outputs[i] != STDOUT) close(outputs[i]);
    outputs.splice(i, 1);
    names.splice(i, 1);
  }
}
for (let i = 0; i < outputs.length; i++) {
  if (outputs[i] != STDOUT && close(outputs[i]) < 0) ok = false;
}
exit(ok ? 0 : 1);
