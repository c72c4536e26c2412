// cat [file...]: copy each file ("-" or none: standard input) to standard output.
import { args, exit, forEachInput, copyStream, Copied, STDOUT } from "../lib";

const PROG = "cat";

/** Copies `fd` to stdout. False after a read error (reported); exits on a write error. */
function copyToStdout(fd: i32, name: string, index: i32): bool {
  let copied = copyStream(PROG, fd, name, STDOUT, "write error");
  if (copied == Copied.WriteFailed) exit(1);
  return copied == Copied.All;
}

// No options, except that "-u" (unbuffered) is what we do anyway.
let operands = args().slice(1).filter((arg: string): bool => arg != "-u");
exit(forEachInput(PROG, operands, copyToStdout) ? 0 : 1);
