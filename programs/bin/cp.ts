// cp source dest | cp source... dir: copy files (not directories).
import {
  args, exit, complain, complainErrno, open, close, read, writeRange, stat, Stat, joinPath,
  basename, O_RDONLY, O_WRONLY, O_CREAT, O_TRUNC, IO_BUFFER_SIZE,
} from "../lib";

const PROG = "cp";
const buffer = new Uint8Array(IO_BUFFER_SIZE);

function isDirectory(path: string): bool {
  let st = new Stat();
  return stat(path, st) >= 0 && st.isDir;
}

/** Copies one file; false after reporting an error. */
function copyFile(source: string, target: string): bool {
  if (isDirectory(source)) {
    complain(PROG, "-r not specified; omitting directory '" + source + "'");
    return false;
  }
  let input = open(source, O_RDONLY);
  if (input < 0) {
    complainErrno(PROG, source, input);
    return false;
  }
  let output = open(target, O_WRONLY | O_CREAT | O_TRUNC);
  if (output < 0) {
    complainErrno(PROG, target, output);
    close(input);
    return false;
  }
  let ok = copyData(input, output, source, target);
  close(input);
  if (close(output) < 0) ok = false;
  return ok;
}

function copyData(input: i32, output: i32, source: string, target: string): bool {
  while (true) {
    let n = read(input, buffer);
    if (n == 0) return true;
    if (n < 0) {
      complainErrno(PROG, source, n);
      return false;
    }
    let err = writeRange(output, buffer, 0, n);
    if (err < 0) {
      complainErrno(PROG, target, err);
      return false;
    }
  }
}

let operands = args().slice(1);
if (operands.length < 2) {
  complain(PROG, operands.length == 0 ? "missing file operand" : "missing destination file operand after '" + operands[0] + "'");
  exit(1);
}
let dest = operands[operands.length - 1];
let sources = operands.slice(0, operands.length - 1);
let intoDirectory = isDirectory(dest);
if (sources.length > 1 && !intoDirectory) {
  complain(PROG, "target '" + dest + "' is not a directory");
  exit(1);
}
let ok = true;
for (let i = 0; i < sources.length; i++) {
  let target = intoDirectory ? joinPath(dest, basename(sources[i])) : dest;
  if (!copyFile(sources[i], target)) ok = false;
}
exit(ok ? 0 : 1);
