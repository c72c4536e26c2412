// grep [-vcinqlF] pattern [file...]: print the lines that contain `pattern`
// (a fixed string). Exit status 0 if a line was selected, 1 if none, 2 on
// error.
import {
  exit, stdout, complainErrno, inputsOrStdin, parseOptions, forEachInput, LineReader,
} from "../lib";

const PROG = "grep";

let options = parseOptions(PROG, "vcinqlFh", "usage: grep [-vcinqlF] pattern [file...]", 2);
let invert = options.has("v");
let countOnly = options.has("c");
let ignoreCase = options.has("i");
let numberLines = options.has("n");
let quiet = options.has("q");
let namesOnly = options.has("l");
let pattern = options.operands[0];
if (ignoreCase) pattern = pattern.toLowerCase();
let inputs = inputsOrStdin(options.operands.slice(1));
let showNames = inputs.length > 1 && !options.has("h");

function matches(line: string): bool {
  let found = (ignoreCase ? line.toLowerCase() : line).includes(pattern);
  return found != invert;
}

function displayName(input: string): string {
  return input == "-" ? "(standard input)" : input;
}

/** Scans one input; returns how many lines were selected. */
function scan(reader: LineReader, input: string): i32 {
  let selected = 0;
  let number = 0;
  while (true) {
    let line = reader.nextString();
    if (line === null) break;
    number++;
    if (!matches(line)) continue;
    selected++;
    if (quiet) exit(0); // the answer is known
    if (countOnly || namesOnly) continue;
    let prefix = showNames ? displayName(input) + ":" : "";
    if (numberLines) prefix += number.toString() + ":";
    stdout.line(prefix + line);
    if (stdout.failed) exit(2);
  }
  return selected;
}

let anySelected = false;

/** Scans one input and prints its count or name if asked; false after a read error. */
function grepOne(fd: i32, input: string, index: i32): bool {
  let reader = new LineReader(fd);
  let selected = scan(reader, input);
  let ok = reader.error >= 0;
  if (!ok) complainErrno(PROG, input, reader.error);
  if (selected > 0) anySelected = true;
  if (countOnly) stdout.line((showNames ? displayName(input) + ":" : "") + selected.toString());
  else if (namesOnly && selected > 0) stdout.line(displayName(input));
  return ok;
}

let ok = forEachInput(PROG, inputs, grepOne);
exit(!ok ? 2 : anySelected ? 0 : 1);
