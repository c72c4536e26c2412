// tail [-n N | -n +N] [file...]: print the last N (default 10) lines of
// each file, or everything from line N on with "+N".
import {
  args, exit, stdout, complain, inputsOrStdin, openInput, closeInput, complainErrno,
  Options, LineReader, isInteger, toInteger,
} from "../lib";

const PROG = "tail";

/** Prints the last `count` lines, keeping only that many in memory. */
function printLastLines(reader: LineReader, count: i64): void {
  if (count == 0) {
    while (reader.next() !== null) {}
    return;
  }
  let ring = new Array<Uint8Array>(<i32>min(count, 1 << 20));
  let seen: i64 = 0;
  while (true) {
    let line = reader.next();
    if (line === null) break;
    ring[<i32>(seen % ring.length)] = line;
    seen++;
  }
  let kept = min(seen, <i64>ring.length);
  for (let i = seen - kept; i < seen; i++) stdout.bytes(ring[<i32>(i % ring.length)]);
}

/** Prints everything from line `first` (1-based) on. */
function printFromLine(reader: LineReader, first: i64): void {
  let number: i64 = 1;
  while (true) {
    let line = reader.next();
    if (line === null) break;
    if (number >= first) stdout.bytes(line);
    number++;
  }
}

let options = new Options(args(), "n:");
if (options.error !== null) {
  complain(PROG, options.error!);
  exit(1);
}
let countText = options.value("n", "10");
let fromStart = countText.startsWith("+");
if (!isInteger(countText) || (!fromStart && toInteger(countText) < 0)) {
  complain(PROG, "invalid number of lines: '" + countText + "'");
  exit(1);
}
let count = toInteger(countText);
if (count < 0) count = -count; // "-n -5" means the last 5, as in GNU tail

let ok = true;
let inputs = inputsOrStdin(options.operands);
for (let i = 0; i < inputs.length; i++) {
  if (inputs.length > 1) {
    stdout.line((i > 0 ? "\n" : "") + "==> " + (inputs[i] == "-" ? "standard input" : inputs[i]) + " <==");
  }
  let fd = openInput(PROG, inputs[i]);
  if (fd < 0) { ok = false; continue; }
  let reader = new LineReader(fd);
  if (fromStart) printFromLine(reader, count);
  else printLastLines(reader, count);
  if (reader.error < 0) {
    complainErrno(PROG, inputs[i], reader.error);
    ok = false;
  }
  closeInput(fd);
}
exit(ok && !stdout.failed ? 0 : 1);
