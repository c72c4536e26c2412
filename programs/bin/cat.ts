// cat [file...]: copy each file ("-" or none: standard input) to standard output.
import {
  args, exit, read, writeRange, complainErrno, inputsOrStdin, openInput, closeInput,
  STDOUT, IO_BUFFER_SIZE,
} from "../lib";

const PROG = "cat";
const buffer = new Uint8Array(IO_BUFFER_SIZE);

/** Copies `fd` to stdout. False after a read error (reported); exits on a write error. */
function copyToStdout(fd: i32, name: string): bool {
  while (true) {
    let n = read(fd, buffer);
    if (n == 0) return true;
    if (n < 0) {
      complainErrno(PROG, name, n);
      return false;
    }
    let written = writeRange(STDOUT, buffer, 0, n);
    if (written < 0) {
      complainErrno(PROG, "write error", written);
      exit(1);
    }
  }
}

let ok = true;
let argv = args();
// No options, except that "-u" (unbuffered) is what we do anyway.
let operands = argv.slice(1).filter((arg: string): bool => arg != "-u");
let inputs = inputsOrStdin(operands);
for (let i = 0; i < inputs.length; i++) {
  let fd = openInput(PROG, inputs[i]);
  if (fd < 0) { ok = false; continue; }
  if (!copyToStdout(fd, inputs[i])) ok = false;
  closeInput(fd);
}
exit(ok ? 0 : 1);
