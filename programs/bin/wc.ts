// wc [-lwc] [file...]: count lines, words and bytes.
import {
  args, exit, read, stdout, complain, complainErrno, inputsOrStdin, openInput, closeInput,
  Options, padLeft, fstat, Stat, IO_BUFFER_SIZE,
} from "../lib";

const PROG = "wc";
const buffer = new Uint8Array(IO_BUFFER_SIZE);

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
  while (true) {
    let n = read(fd, buffer);
    if (n == 0) return counts;
    if (n < 0) {
      complainErrno(PROG, name, n);
      return null;
    }
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
}

let options = new Options(args(), "lwc");
if (options.error !== null) {
  complain(PROG, options.error!);
  exit(1);
}
// With no selection, all three.
let showLines = options.has("l"), showWords = options.has("w"), showBytes = options.has("c");
if (!showLines && !showWords && !showBytes) showLines = showWords = showBytes = true;
let columns = (showLines ? 1 : 0) + (showWords ? 1 : 0) + (showBytes ? 1 : 0);

let inputs = inputsOrStdin(options.operands);
let results = new Array<Counts | null>(inputs.length);
let total = new Counts();
let allRegularFiles = true;
for (let i = 0; i < inputs.length; i++) {
  let fd = openInput(PROG, inputs[i]);
  if (fd < 0) continue;
  let st = new Stat();
  if (fstat(fd, st) < 0 || !st.isFile) allRegularFiles = false;
  let counts = count(fd, inputs[i]);
  closeInput(fd);
  results[i] = counts;
  if (counts !== null) total.add(counts);
}

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

let ok = true;
for (let i = 0; i < inputs.length; i++) {
  let counts = results[i];
  if (counts === null) { ok = false; continue; }
  printCounts(counts, inputs[i]);
}
if (inputs.length > 1) printCounts(total, "total");
exit(ok ? 0 : 1);
