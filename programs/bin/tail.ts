// tail [-n N | -n +N] [file...]: print the last N (default 10) lines of
// each file, or everything from line N on with "+N".
import { exit, stdout, complainErrno, parseOptions, parseCount, forEachInput, LineReader } from "../lib";

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

let options = parseOptions(PROG, "n:");
let countText = options.value("n", "10");
let fromStart = countText.startsWith("+");
let count = parseCount(PROG, countText, "lines");

function tailOne(fd: i32, name: string, index: i32): bool {
  let reader = new LineReader(fd);
  if (fromStart) printFromLine(reader, count);
  else printLastLines(reader, count);
  if (reader.error < 0) {
    complainErrno(PROG, name, reader.error);
    return false;
  }
  return true;
}

let ok = forEachInput(PROG, options.operands, tailOne, true);
exit(ok && !stdout.failed ? 0 : 1);
