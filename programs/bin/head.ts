// head [-n N | -c N] [file...]: print the first N (default 10) lines, or
// the first N bytes, of each file.
import {
  args, exit, stdout, parseOptions, parseCount, forEachInput, ChunkReader, isInteger,
} from "../lib";

const PROG = "head";

/** Copies the first `limit` lines of `fd` to stdout; false after a read error. */
function copyLines(fd: i32, name: string, limit: i64): bool {
  let remaining = limit;
  let chunks = new ChunkReader(PROG, fd, name);
  while (remaining > 0 && chunks.next()) {
    let buffer = chunks.buffer;
    let end = 0;
    while (end < chunks.length && remaining > 0) {
      if (unchecked(buffer[end]) == 0x0a) remaining--;
      end++;
    }
    if (!stdout.bytes(buffer, 0, end)) break;
  }
  return !chunks.failed;
}

/** Copies the first `limit` bytes of `fd` to stdout; false after a read error. */
function copyBytes(fd: i32, name: string, limit: i64): bool {
  let remaining = limit;
  let chunks = new ChunkReader(PROG, fd, name);
  while (remaining > 0 && chunks.next(remaining)) {
    remaining -= chunks.length;
    if (!stdout.bytes(chunks.buffer, 0, chunks.length)) break;
  }
  return !chunks.failed;
}

/** Accepts the historical "-5" for "-n 5". */
function withHistoricalCount(argv: string[]): string[] {
  if (argv.length > 1 && argv[1].length > 1 && argv[1].startsWith("-") && isInteger(argv[1].substring(1))) {
    return [argv[0], "-n", argv[1].substring(1)].concat(argv.slice(2));
  }
  return argv;
}

let options = parseOptions(PROG, "n:c:", null, 1, withHistoricalCount(args()));
let countBytes = options.has("c");
let limit = countBytes
  ? parseCount(PROG, options.value("c"), "bytes")
  : parseCount(PROG, options.value("n", "10"), "lines");

function headOne(fd: i32, name: string, index: i32): bool {
  return countBytes ? copyBytes(fd, name, limit) : copyLines(fd, name, limit);
}

let ok = forEachInput(PROG, options.operands, headOne, true);
exit(ok && !stdout.failed ? 0 : 1);
