// seq [-s SEP] LAST | FIRST LAST | FIRST STEP LAST: print a sequence of
// numbers. Decimal fractions are exact: all values are counted as integers
// scaled by a power of ten, and printed with as many decimals as the
// first and step arguments have (as GNU seq does).
import { args, exit, stdout, complain, isDecimal } from "../lib";

const PROG = "seq";

/** How many digits follow the decimal point in `s`. */
function decimals(s: string): i32 {
  let dot = s.indexOf(".");
  return dot < 0 ? 0 : s.length - dot - 1;
}

function isNumber(s: string): bool {
  let digits = s.startsWith("-") || s.startsWith("+") ? s.substring(1) : s;
  return isDecimal(digits);
}

/** `s` times 10^scale, as an integer ("1.5" at scale 2 -> 150). */
function scaled(s: string, scale: i32): i64 {
  let negative = s.startsWith("-");
  let digits = negative || s.startsWith("+") ? s.substring(1) : s;
  let value: i64 = 0;
  let fractionDigits = -1; // -1 until the dot is seen
  for (let i = 0; i < digits.length; i++) {
    let c = digits.charCodeAt(i);
    if (c == 0x2e) { fractionDigits = 0; continue; }
    if (fractionDigits >= scale) break; // beyond our precision
    value = value * 10 + (c - 0x30);
    if (fractionDigits >= 0) fractionDigits++;
  }
  for (let i = max(fractionDigits, 0); i < scale; i++) value *= 10;
  return negative ? -value : value;
}

function format(value: i64, scale: i32): string {
  if (scale == 0) return value.toString();
  let negative = value < 0;
  let digits = (negative ? -value : value).toString();
  while (digits.length <= scale) digits = "0" + digits;
  let point = digits.length - scale;
  return (negative ? "-" : "") + digits.substring(0, point) + "." + digits.substring(point);
}

let argv = args();
let separator = "\n";
let first = 1;
// Options must come first; "-1" is a number, not an option.
while (first < argv.length && argv[first].startsWith("-") && !isNumber(argv[first])) {
  if (argv[first] == "-s" && first + 1 < argv.length) {
    separator = argv[first + 1];
    first += 2;
  } else if (argv[first].startsWith("-s")) {
    separator = argv[first].substring(2);
    first++;
  } else {
    complain(PROG, "invalid option '" + argv[first] + "'");
    exit(1);
  }
}
let operands = argv.slice(first);
if (operands.length < 1 || operands.length > 3) {
  complain(PROG, operands.length == 0 ? "missing operand" : "extra operand '" + operands[3] + "'");
  exit(1);
}
for (let i = 0; i < operands.length; i++) {
  if (!isNumber(operands[i])) {
    complain(PROG, "invalid floating point argument: '" + operands[i] + "'");
    exit(1);
  }
}
let firstText = operands.length > 1 ? operands[0] : "1";
let stepText = operands.length == 3 ? operands[1] : "1";
let lastText = operands[operands.length - 1];
let scale = max(decimals(firstText), decimals(stepText));
let value = scaled(firstText, scale);
let step = scaled(stepText, scale);
let last = scaled(lastText, scale);
if (step == 0) {
  complain(PROG, "invalid Zero increment value: '" + stepText + "'");
  exit(1);
}

let count = 0;
while ((step > 0 ? value <= last : value >= last) && !stdout.failed) {
  if (count++ > 0) stdout.print(separator);
  stdout.print(format(value, scale));
  value += step;
}
if (count > 0) stdout.print("\n");
exit(0);
