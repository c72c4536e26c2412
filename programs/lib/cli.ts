// Helpers for command-line programs: option parsing, error messages in the
// usual "prog: path: message" form, and number parsing.
import { stderr, STDIN } from "./io";
import { open, close } from "./fs";
import { O_RDONLY } from "../../abi/constants";
import { strerror } from "./errors";

/**
 * Parsed command-line options. `spec` lists the option letters; a letter
 * followed by ":" takes a value ("n:" accepts "-n 5" and "-n5"). Flags may
 * be combined ("-lw"). "--" ends options; "-" alone is an operand.
 */
export class Options {
  private seen: string = "";
  private values: Map<string, string> = new Map();
  operands: string[] = [];
  /** A usage complaint ("invalid option -- 'x'"), or null if all was well. */
  error: string | null = null;

  constructor(argv: string[], spec: string, firstArg: i32 = 1) {
    let i = this.parseOptions(argv, spec, firstArg);
    for (; i < argv.length; i++) this.operands.push(argv[i]);
  }

  /** Whether flag `letter` was given. */
  has(letter: string): bool { return this.seen.includes(letter); }

  /** The value of option `letter`, or `fallback`. */
  value(letter: string, fallback: string = ""): string {
    return this.values.has(letter) ? this.values.get(letter) : fallback;
  }

  /** Parses the options from argv[i] on; returns the index of the first operand. */
  private parseOptions(argv: string[], spec: string, i: i32): i32 {
    for (; i < argv.length; i++) {
      let arg = argv[i];
      if (arg == "--") return i + 1;
      if (arg.length < 2 || arg.charAt(0) != "-") return i;
      i = this.parseCluster(argv, i, spec);
      if (this.error !== null) return argv.length;
    }
    return i;
  }

  /** Parses "-abc" at argv[i]; returns the index of the last argument consumed. */
  private parseCluster(argv: string[], i: i32, spec: string): i32 {
    let arg = argv[i];
    for (let j = 1; j < arg.length; j++) {
      let letter = arg.charAt(j);
      let at = spec.indexOf(letter);
      if (at < 0 || letter == ":") {
        this.error = "invalid option -- '" + letter + "'";
        return i;
      }
      this.seen += letter;
      let takesValue = at + 1 < spec.length && spec.charAt(at + 1) == ":";
      if (!takesValue) continue;
      if (j + 1 < arg.length) {
        this.values.set(letter, arg.substring(j + 1));
      } else if (i + 1 < argv.length) {
        this.values.set(letter, argv[++i]);
      } else {
        this.error = "option requires an argument -- '" + letter + "'";
      }
      return i;
    }
    return i;
  }
}

/** Prints "prog: message" to stderr. */
export function complain(prog: string, message: string): void {
  stderr.line(prog + ": " + message);
}

/** Prints "prog: subject: strerror(err)" to stderr. */
export function complainErrno(prog: string, subject: string, err: i32): void {
  stderr.line(prog + ": " + subject + ": " + strerror(err));
}

/** Whether `s` is an optionally signed run of decimal digits. */
export function isInteger(s: string): bool {
  let start = s.startsWith("-") || s.startsWith("+") ? 1 : 0;
  if (s.length == start) return false;
  for (let i = start; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/** `s` as an i64; only meaningful when isInteger(s). */
export function toInteger(s: string): i64 {
  return I64.parseInt(s.startsWith("+") ? s.substring(1) : s, 10);
}

/** Whether `s` is a plain decimal number such as "1", "0.5" or ".25". */
export function isDecimal(s: string): bool {
  let digits = 0, dots = 0;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c == 0x2e) dots++;
    else if (c >= 0x30 && c <= 0x39) digits++;
    else return false;
  }
  return digits > 0 && dots <= 1;
}

/** `s` right-aligned in `width` columns. */
export function padLeft(s: string, width: i32): string {
  return s.length >= width ? s : " ".repeat(width - s.length) + s;
}

/** `s` left-aligned in `width` columns. */
export function padRight(s: string, width: i32): string {
  return s.length >= width ? s : s + " ".repeat(width - s.length);
}

/** The operands, or ["-"] (standard input) when there are none. */
export function inputsOrStdin(operands: string[]): string[] {
  return operands.length > 0 ? operands : ["-"];
}

/**
 * Opens an input operand for reading: "-" is standard input. On failure
 * prints "prog: path: message" and returns -errno.
 */
export function openInput(prog: string, path: string): i32 {
  if (path == "-") return STDIN;
  let fd = open(path, O_RDONLY);
  if (fd < 0) complainErrno(prog, path, fd);
  return fd;
}

/** Closes what openInput() opened (leaves standard input alone). */
export function closeInput(fd: i32): void {
  if (fd > STDIN) close(fd);
}

/** `s` as an octal number (a file mode such as "755"); -1 if it is not one. */
export function parseOctal(s: string): i32 {
  if (s.length == 0 || s.length > 7) return -1;
  let value = 0;
  for (let i = 0; i < s.length; i++) {
    let digit = s.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 7) return -1;
    value = value * 8 + digit;
  }
  return value;
}
