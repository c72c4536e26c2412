// tee [-a] [file...]: copy standard input to standard output and to each file.
import {
  exit, writeRange, complainErrno, open, close, parseOptions, ChunkReader,
  STDIN, STDOUT, O_WRONLY, O_CREAT, O_TRUNC, O_APPEND,
} from "../lib";

const PROG = "tee";

let options = parseOptions(PROG, "ai");
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

let input = new ChunkReader(PROG, STDIN, "read error");
while (outputs.length > 0 && input.next()) {
  for (let i = outputs.length - 1; i >= 0; i--) {
    let err = writeRange(outputs[i], input.buffer, 0, input.length);
    if (err >= 0) continue;
    complainErrno(PROG, names[i], err);
    ok = false;
    if (outputs[i] != STDOUT) close(outputs[i]);
    outputs.splice(i, 1);
    names.splice(i, 1);
  }
}
if (input.failed) ok = false;
for (let i = 0; i < outputs.length; i++) {
  if (outputs[i] != STDOUT && close(outputs[i]) < 0) ok = false;
}
exit(ok ? 0 : 1);
