// The target of `--use abort=...` (see scripts/build-programs.mjs): a failed
// assertion, out-of-bounds access or out-of-memory in any program prints
// where it happened and exits with 134, like a C program's abort().
//
// Like C's abort() it does not flush stdout: it must not touch the library's
// globals, whose initializers may themselves be what is aborting (and the
// compiler cannot type such a cycle).
import * as sys from "./sys";

export function abortProgram(message: string | null, file: string | null, line: u32, column: u32): void {
  let text = "abort: " + (message !== null ? message : "(no message)");
  if (file !== null) text += " at " + file + ":" + line.toString() + ":" + column.toString();
  let bytes = String.UTF8.encode(text + "\n");
  sys.write(2, changetype<usize>(bytes), <usize>bytes.byteLength);
  sys.proc_exit(134);
  unreachable();
}
