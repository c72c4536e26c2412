// sleep duration...: pause for the sum of the durations, each a decimal
// number of seconds with an optional suffix s, m, h or d.
import { args, exit, complain, isDecimal, nanosleep, EINTR } from "../lib";

const PROG = "sleep";
const NS_PER_SECOND: i64 = 1_000_000_000;

function unitNs(suffix: string): i64 {
  if (suffix == "" || suffix == "s") return NS_PER_SECOND;
  if (suffix == "m") return 60 * NS_PER_SECOND;
  if (suffix == "h") return 3600 * NS_PER_SECOND;
  if (suffix == "d") return 86400 * NS_PER_SECOND;
  return -1;
}

/** "1.5m" -> nanoseconds; -1 if malformed. Exact: no floating point. */
function parseDuration(text: string): i64 {
  let numberEnd = text.length;
  if (numberEnd > 0 && !isDigitOrDot(text.charCodeAt(numberEnd - 1))) numberEnd--;
  let number = text.substring(0, numberEnd);
  let unit = unitNs(text.substring(numberEnd));
  if (unit < 0 || !isDecimal(number)) return -1;
  let dot = number.indexOf(".");
  let whole = dot < 0 ? number : number.substring(0, dot);
  let fraction = dot < 0 ? "" : number.substring(dot + 1);
  let ns = (whole.length > 0 ? I64.parseInt(whole, 10) : 0) * unit;
  // Each fractional digit is worth a tenth of the previous one.
  let scale = unit;
  for (let i = 0; i < fraction.length && scale > 0; i++) {
    scale /= 10;
    ns += <i64>(fraction.charCodeAt(i) - 0x30) * scale;
  }
  return ns;
}

function isDigitOrDot(c: i32): bool {
  return c == 0x2e || (c >= 0x30 && c <= 0x39);
}

let argv = args();
if (argv.length < 2) {
  complain(PROG, "missing operand");
  exit(1);
}
let total: i64 = 0;
for (let i = 1; i < argv.length; i++) {
  let ns = parseDuration(argv[i]);
  if (ns < 0) {
    complain(PROG, "invalid time interval '" + argv[i] + "'");
    exit(1);
  }
  total += ns;
}
// An interrupted sleep (EINTR) is not an error.
let result = nanosleep(total);
exit(result < 0 && result != -EINTR ? 1 : 0);
