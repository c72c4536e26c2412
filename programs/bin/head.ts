// head [-n N | -c N] [file...]: print the first N (default 10) lines, or
// the first N bytes, of each file.
import {
  args, exit, read, stdout, complain, complainErrno, inputsOrStdin, openInput, closeInput,
  Options, isInteger, toInteger, IO_BUFFER_SIZE,
} from "../lib";

const PROG = "head";
const buffer = new Uint8Array(IO_BUFFER_SIZE);

/** Copies the first `limit` lines of `fd` to stdout; false after a read error. */
function copyLines(fd: i32, name: string, limit: i64): bool {
  let remaining = limit;
  while (remaining > 0) {
    let n = read(fd, buffer);
    if (n == 0) break;
    if (n < 0) {
      complainErrno(PROG, name, n);
      return false;
    }
    let end = 0;
    while (end < n && remaining > 0) {
      if (unchecked(buffer[end]) == 0x0a) remaining--;
      end++;
    }
    if (!stdout.bytes(buffer, 0, end)) break;
  }
  return true;
}

/** Copies the first `limit` bytes of `fd` to stdout; false after a read error. */
function copyBytes(fd: i32, name: string, limit: i64): bool {
  let remaining = limit;
  while (remaining > 0) {
    let n = read(fd, buffer, 0, <i32>min(remaining, <i64>buffer.length));
    if (n == 0) break;
    if (n < 0) {
      complainErrno(PROG, name, n);
      return false;
    }
    remaining -= n;
    if (!stdout.bytes(buffer, 0, n)) break;
  }
  return true;
}

/** Accepts the historical "-5" for "-n 5". */
function withHistoricalCount(argv: string[]): string[] {
  if (argv.length > 1 && argv[1].length > 1 && argv[1].startsWith("-") && isInteger(argv[1].substring(1))) {
    return [argv[0], "-n", argv[1].substring(1)].concat(argv.slice(2));
  }
  return argv;
}

let options = new Options(withHistoricalCount(args()), "n:c:");
if (options.error !== null) {
  complain(PROG, options.error!);
  exit(1);
}
let countBytes = options.has("c");
let countText = countBytes ? options.value("c") : options.value("n", "10");
if (!isInteger(countText) || toInteger(countText) < 0) {
  complain(PROG, "invalid number of " + (countBytes ? "bytes" : "lines") + ": '" + countText + "'");
  exit(1);
}
let limit = toInteger(countText);

let ok = true;
let inputs = inputsOrStdin(options.operands);
for (let i = 0; i < inputs.length; i++) {
  if (inputs.length > 1) {
    stdout.line((i > 0 ? "\n" : "") + "==> " + (inputs[i] == "-" ? "standard input" : inputs[i]) + " <==");
  }
  let fd = openInput(PROG, inputs[i]);
  if (fd < 0) { ok = false; continue; }
  let copied = countBytes ? copyBytes(fd, inputs[i], limit) : copyLines(fd, inputs[i], limit);
  if (!copied) ok = false;
  closeInput(fd);
}
exit(ok && !stdout.failed ? 0 : 1);
