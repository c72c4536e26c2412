// Helpers for command-line programs: option parsing, error messages in the
// usual "prog: path: message" form, and number parsing.
import { stderr, STDIN } from "./io";
import { open, close, isDirectory, joinPath, basename } from "./fs";
import { args, exit } from "./proc";
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

/**
 * Parses the command line (`argv`, by default args()) against `spec` (see
 * Options). On a usage error prints "prog: error" and exits with
 * `usageStatus`; so does a missing operand when `missingOperand` (the
 * message, e.g. "missing operand") is given and there are no operands.
 */
export function parseOptions(
  prog: string, spec: string, missingOperand: string | null = null, usageStatus: i32 = 1,
  argv: string[] | null = null,
): Options {
  let options = new Options(argv !== null ? argv : args(), spec);
  if (options.error !== null) {
    complain(prog, options.error!);
    exit(usageStatus);
  }
  if (missingOperand !== null) requireOperands(prog, options.operands, missingOperand, usageStatus);
  return options;
}

/** Exits with `status` after "prog: message" when there are no operands. */
export function requireOperands(prog: string, operands: string[], message: string = "missing operand", status: i32 = 1): void {
  if (operands.length > 0) return;
  complain(prog, message);
  exit(status);
}

/** The -m option as an octal file mode, or `fallback`; exits (1) with "prog: invalid mode 'x'". */
export function modeOption(prog: string, options: Options, fallback: i32): i32 {
  if (!options.has("m")) return fallback;
  let mode = parseOctal(options.value("m"));
  if (mode < 0) {
    complain(prog, "invalid mode '" + options.value("m") + "'");
    exit(1);
  }
  return mode;
}

/**
 * `text` (a count such as head's or tail's "-n 10"; "+N" is allowed) as a
 * non-negative integer. Otherwise prints "prog: invalid number of <what>:
 * 'text'" and exits with 1.
 */
export function parseCount(prog: string, text: string, what: string): i64 {
  if (!isInteger(text) || toInteger(text) < 0) {
    complain(prog, "invalid number of " + what + ": '" + text + "'");
    exit(1);
  }
  return toInteger(text);
}

/**
 * The operands of "prog source dest" and "prog source... dir" (cp, mv):
 * with a directory as the last operand, each source goes into it under its
 * own name.
 */
export class SourcesAndDest {
  sources: string[];
  dest: string;
  intoDirectory: bool;

  /**
   * Splits `operands`. With fewer than two, or several sources and a dest
   * that is not a directory, prints the usual complaint and exits with 1.
   */
  constructor(prog: string, operands: string[]) {
    if (operands.length < 2) {
      complain(prog, operands.length == 0 ? "missing file operand" : "missing destination file operand after '" + operands[0] + "'");
      exit(1);
    }
    this.dest = operands[operands.length - 1];
    this.sources = operands.slice(0, operands.length - 1);
    this.intoDirectory = isDirectory(this.dest);
    if (this.sources.length > 1 && !this.intoDirectory) {
      complain(prog, "target '" + this.dest + "' is not a directory");
      exit(1);
    }
  }

  /** Where `source` goes. */
  targetFor(source: string): string {
    return this.intoDirectory ? joinPath(this.dest, basename(source)) : this.dest;
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
