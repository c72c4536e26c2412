// The loops most programs are made of: over the operands (opening each
// input, or applying a path operation, and reporting failures as
// "prog: path: message"), and over the contents of a file, in chunks or
// copied to another descriptor.
import { read, writeRange, stdout, IO_BUFFER_SIZE } from "./io";
import { open, close } from "./fs";
import { complainErrno, inputsOrStdin, openInput, closeInput } from "./cli";
import { O_RDONLY, O_WRONLY, O_CREAT, O_TRUNC } from "../../abi/constants";

// --- loops over the operands ----------------------------------------------

/** Calls `action` on each operand (all of them); false if any call returned false. */
export function forEachOperand(operands: string[], action: (operand: string) => bool): bool {
  let ok = true;
  for (let i = 0; i < operands.length; i++) {
    if (!action(operands[i])) ok = false;
  }
  return ok;
}

/**
 * Calls `action` (returning 0 or -errno) on each path, reporting each
 * failure as "prog: path: message". False if any failed.
 */
export function forEachPath(prog: string, paths: string[], action: (path: string) => i32): bool {
  let ok = true;
  for (let i = 0; i < paths.length; i++) {
    let err = action(paths[i]);
    if (err < 0) {
      complainErrno(prog, paths[i], err);
      ok = false;
    }
  }
  return ok;
}

/**
 * Opens each input operand ("-" or none at all: standard input; a failure
 * to open is reported), passes it to `process` with its name and index in
 * the inputs, and closes it. With `headers` and more than one input, each
 * is preceded on stdout by "==> name <==" (as head and tail print them).
 * False if any input could not be opened or `process` returned false.
 */
export function forEachInput(
  prog: string, operands: string[], process: (fd: i32, name: string, index: i32) => bool,
  headers: bool = false,
): bool {
  let inputs = inputsOrStdin(operands);
  let ok = true;
  for (let i = 0; i < inputs.length; i++) {
    if (headers && inputs.length > 1) {
      stdout.line((i > 0 ? "\n" : "") + "==> " + (inputs[i] == "-" ? "standard input" : inputs[i]) + " <==");
    }
    let fd = openInput(prog, inputs[i]);
    if (fd < 0) { ok = false; continue; }
    if (!process(fd, inputs[i], i)) ok = false;
    closeInput(fd);
  }
  return ok;
}

// --- reading and copying ----------------------------------------------------

let sharedBuffer: Uint8Array | null = null;

/** One IO_BUFFER_SIZE buffer for the chunk readers (a program reads one file at a time). */
function ioBuffer(): Uint8Array {
  if (sharedBuffer === null) sharedBuffer = new Uint8Array(IO_BUFFER_SIZE);
  return sharedBuffer!;
}

/**
 * Reads a descriptor chunk by chunk into `buffer`; a read error is reported
 * as "prog: name: message".
 *
 *   let chunks = new ChunkReader(PROG, fd, name);
 *   while (chunks.next()) use(chunks.buffer, chunks.length);
 *   if (chunks.failed) ...
 */
export class ChunkReader {
  buffer: Uint8Array = ioBuffer();
  /** How many bytes of `buffer` the last next() read. */
  length: i32 = 0;
  /** The read error as -errno, 0 if none. */
  error: i32 = 0;

  constructor(public prog: string, public fd: i32, public name: string) {}

  get failed(): bool { return this.error != 0; }

  /** Reads the next chunk (at most `max` bytes; -1: a buffer full). False at end of input or after an error. */
  next(max: i64 = -1): bool {
    let len = max < 0 ? this.buffer.length : <i32>min(max, <i64>this.buffer.length);
    let n = read(this.fd, this.buffer, 0, len);
    if (n < 0) {
      complainErrno(this.prog, this.name, n);
      this.error = n;
    }
    this.length = n > 0 ? n : 0;
    return n > 0;
  }
}

/** How copyStream() ended. */
export enum Copied { All, ReadFailed, WriteFailed }

/**
 * Copies `input` to `output` until the end of input, reporting a failure as
 * "prog: inputName: message" or "prog: outputName: message".
 */
export function copyStream(prog: string, input: i32, inputName: string, output: i32, outputName: string): Copied {
  let chunks = new ChunkReader(prog, input, inputName);
  while (chunks.next()) {
    let err = writeRange(output, chunks.buffer, 0, chunks.length);
    if (err < 0) {
      complainErrno(prog, outputName, err);
      return Copied.WriteFailed;
    }
  }
  return chunks.failed ? Copied.ReadFailed : Copied.All;
}

/**
 * Copies file `source` to `target` (created or truncated, mode 0644).
 * False after reporting an error as "prog: path: message".
 */
export function copyFile(prog: string, source: string, target: string): bool {
  let input = open(source, O_RDONLY);
  if (input < 0) {
    complainErrno(prog, source, input);
    return false;
  }
  let output = open(target, O_WRONLY | O_CREAT | O_TRUNC);
  if (output < 0) {
    complainErrno(prog, target, output);
    close(input);
    return false;
  }
  let ok = copyStream(prog, input, source, output, target) == Copied.All;
  close(input);
  if (close(output) < 0) ok = false;
  return ok;
}
