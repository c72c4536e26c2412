// grep [-vcinqlF] pattern [file...]: print the lines that contain `pattern`
// (a fixed string). Exit status 0 if a line was selected, 1 if none, 2 on
// error.
import {
  args, exit, stdout, complain, complainErrno, inputsOrStdin, openInput, closeInput,
  Options, LineReader,
} from "../lib";

const PROG = "grep";

let options = new Options(args(), "vcinqlFh");
if (options.error !== null || options.operands.length == 0) {
  complain(PROG, options.error !== null ? options.error! : "usage: grep [-vcinqlF] pattern [file...]");
  exit(2);
}
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
let failed = false;
for (let i = 0; i < inputs.length; i++) {
  let fd = openInput(PROG, inputs[i]);
  if (fd < 0) { failed = true; continue; }
  let reader = new LineReader(fd);
  let selected = scan(reader, inputs[i]);
  if (reader.error < 0) {
    complainErrno(PROG, inputs[i], reader.error);
    failed = true;
  }
  closeInput(fd);
  if (selected > 0) anySelected = true;
  if (countOnly) stdout.line((showNames ? displayName(inputs[i]) + ":" : "") + selected.toString());
  else if (namesOnly && selected > 0) stdout.line(displayName(inputs[i]));
}
exit(failed ? 2 : anySelected ? 0 : 1);
