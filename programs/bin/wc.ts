// wc [-lwc] [file...]: count lines, words and bytes.
import {
  exit, stdout, parseOptions, inputsOrStdin, forEachInput, ChunkReader, padLeft, fstat, Stat,
} from "../lib";

const PROG = "wc";

class Counts {
  lines: i64 = 0;
  words: i64 = 0;
  bytes: i64 = 0;

  add(other: Counts): void {
    this.lines += other.lines;
    this.words += other.words;
    this.bytes += other.bytes;
  }
}

function isSpace(c: u8): bool {
  return c == 0x20 || (c >= 0x09 && c <= 0x0d);
}

/** Counts `fd` to its end; null after a read error (reported). */
function count(fd: i32, name: string): Counts | null {
  let counts = new Counts();
  let inWord = false;
  let chunks = new ChunkReader(PROG, fd, name);
  while (chunks.next()) {
    let buffer = chunks.buffer, n = chunks.length;
    counts.bytes += n;
    for (let i = 0; i < n; i++) {
      let c = unchecked(buffer[i]);
      if (c == 0x0a) counts.lines++;
      if (isSpace(c)) {
        inWord = false;
      } else if (!inWord) {
        inWord = true;
        counts.words++;
      }
    }
  }
  return chunks.failed ? null : counts;
}

let options = parseOptions(PROG, "lwc");
// With no selection, all three.
let showLines = options.has("l"), showWords = options.has("w"), showBytes = options.has("c");
if (!showLines && !showWords && !showBytes) showLines = showWords = showBytes = true;
let columns = (showLines ? 1 : 0) + (showWords ? 1 : 0) + (showBytes ? 1 : 0);

let inputs = inputsOrStdin(options.operands);
/** Per input; null where it could not be opened or read. */
let results = new Array<Counts | null>(inputs.length);
let total = new Counts();
let allRegularFiles = true;

function countOne(fd: i32, name: string, index: i32): bool {
  let st = new Stat();
  if (fstat(fd, st) < 0 || !st.isFile) allRegularFiles = false;
  let counts = count(fd, name);
  results[index] = counts;
  if (counts === null) return false;
  total.add(counts);
  return true;
}

let ok = forEachInput(PROG, inputs, countOne);

// Like GNU wc: a lone number is unpadded; otherwise columns are as wide as
// the largest total (at least 7 when reading pipes, whose size is unknown).
let width = total.bytes.toString().length;
if (!allRegularFiles && width < 7) width = 7;
if (columns == 1 && inputs.length == 1) width = 1;

function printCounts(counts: Counts, name: string): void {
  let fields = new Array<string>();
  if (showLines) fields.push(padLeft(counts.lines.toString(), width));
  if (showWords) fields.push(padLeft(counts.words.toString(), width));
  if (showBytes) fields.push(padLeft(counts.bytes.toString(), width));
  if (name != "-") fields.push(name);
  stdout.line(fields.join(" "));
}

for (let i = 0; i < inputs.length; i++) {
  let counts = results[i];
  if (counts !== null) printCounts(counts, inputs[i]);
}
if (inputs.length > 1) printCounts(total, "total");
exit(ok ? 0 : 1);
