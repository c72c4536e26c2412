// File descriptor I/O: raw read/write wrappers, the buffered stdout/stderr
// writers, and a line reader. Errors are negative errno values.
import * as sys from "./sys";
import { EINTR } from "../../abi/errno";
import { encode } from "./utf8";

export const STDIN: i32 = 0;
export const STDOUT: i32 = 1;
export const STDERR: i32 = 2;

/** Big enough to move a whole pipe's worth (PIPE_SIZE) per syscall. */
export const IO_BUFFER_SIZE: i32 = 65536;

/** Reads up to `len` bytes (default: all of `buf`) into `buf` at `offset`. Returns the count, 0 at EOF, or -errno. */
export function read(fd: i32, buf: Uint8Array, offset: i32 = 0, len: i32 = -1): i32 {
  if (len < 0 || offset + len > buf.length) len = buf.length - offset;
  let n: i32;
  do {
    n = sys.read(fd, buf.dataStart + <usize>offset, <usize>len);
  } while (n == -EINTR);
  return n;
}

/** Writes all of `len` bytes at `ptr`, retrying partial writes. Returns the count or -errno. */
export function writeRaw(fd: i32, ptr: usize, len: i32): i32 {
  let done = 0;
  while (done < len) {
    let n = sys.write(fd, ptr + <usize>done, <usize>(len - done));
    if (n == -EINTR) continue;
    if (n < 0) return n;
    if (n == 0) break; // should not happen; avoid spinning forever
    done += n;
  }
  return done;
}

/** Writes all of `data` (bytes or a string, sent as UTF-8). Returns the byte count or -errno. */
export function write<T>(fd: i32, data: T): i32 {
  if (isString<T>()) {
    let bytes = encode(changetype<string>(data));
    return writeRaw(fd, bytes.dataStart, bytes.length);
  } else if (data instanceof Uint8Array) {
    let bytes = changetype<Uint8Array>(data);
    return writeRaw(fd, bytes.dataStart, bytes.length);
  }
  ERROR("write() takes a string or a Uint8Array");
  return 0;
}

/** Writes `bytes[start, end)`. Returns the count or -errno. */
export function writeRange(fd: i32, bytes: Uint8Array, start: i32, end: i32): i32 {
  return writeRaw(fd, bytes.dataStart + <usize>start, end - start);
}

/**
 * An output buffer in front of a file descriptor. Strings are encoded
 * straight into the buffer. With `autoFlush` every print call ends with a
 * flush (for stderr, so messages appear in order with other processes).
 */
export class Writer {
  private storage: Uint8Array | null = null;
  private used: i32 = 0;
  /** The first write error as -errno; 0 while all is well. Once set, output is dropped. */
  error: i32 = 0;

  constructor(public fd: i32, private capacity: i32, public autoFlush: bool) {}

  /** Allocated on first use: a program that prints nothing starts faster. */
  private get buffer(): Uint8Array {
    let b = this.storage;
    if (b === null) { b = new Uint8Array(this.capacity); this.storage = b; }
    return b;
  }

  get failed(): bool { return this.error != 0; }

  /** Queues `s` as UTF-8. */
  print(s: string): bool {
    let size = String.UTF8.byteLength(s);
    if (this.used + size > this.buffer.length) {
      if (!this.flush()) return false;
      if (size > this.buffer.length) return this.sendDirect(encode(s), 0, size);
    }
    this.used += <i32>String.UTF8.encodeUnsafe(
      changetype<usize>(s), s.length, this.buffer.dataStart + <usize>this.used);
    return this.autoFlush ? this.flush() : true;
  }

  /** Queues `s` and a newline. */
  line(s: string = ""): bool {
    return this.print(s + "\n");
  }

  /** Queues `bytes[start, end)`. */
  bytes(data: Uint8Array, start: i32 = 0, end: i32 = -1): bool {
    if (end < 0) end = data.length;
    let size = end - start;
    if (this.used + size > this.buffer.length) {
      if (!this.flush()) return false;
      if (size > this.buffer.length) return this.sendDirect(data, start, end);
    }
    memory.copy(this.buffer.dataStart + <usize>this.used, data.dataStart + <usize>start, <usize>size);
    this.used += size;
    return this.autoFlush ? this.flush() : true;
  }

  /** Writes out everything queued. False once a write has failed. */
  flush(): bool {
    if (this.error != 0) return false;
    if (this.used == 0) return true;
    let n = writeRaw(this.fd, this.buffer.dataStart, this.used);
    this.used = 0;
    if (n < 0) this.error = n;
    return n >= 0;
  }

  private sendDirect(data: Uint8Array, start: i32, end: i32): bool {
    let n = writeRange(this.fd, data, start, end);
    if (n < 0) this.error = n;
    return n >= 0;
  }
}

/** Buffered standard output; flushed when full, by exit(), and before spawn(). */
export const stdout = new Writer(STDOUT, IO_BUFFER_SIZE, false);
/** Standard error; every print is written at once. */
export const stderr = new Writer(STDERR, 4096, true);

/** Flushes stdout and stderr (exit() and spawn() do this for you). */
export function flushAll(): void {
  stdout.flush();
  stderr.flush();
}

/** Prints to stdout (no newline added). */
export function print(s: string): void { stdout.print(s); }
/** Prints a line to stdout. */
export function println(s: string = ""): void { stdout.line(s); }
/** Prints a line to stderr. */
export function eprintln(s: string): void { stderr.line(s); }

/**
 * Reads a file descriptor line by line through a large buffer. Lines are
 * returned as bytes including their "\n" (the last one may lack it).
 */
export class LineReader {
  private buffer: Uint8Array;
  private start: i32 = 0;
  private end: i32 = 0;
  private eof: bool = false;
  /** The read error as -errno, 0 if none. */
  error: i32 = 0;
  /** A read interrupted by a handled signal returns from next() (null, `interrupted` set) instead of retrying. */
  interruptible: bool = false;
  interrupted: bool = false;
  /**
   * Set by a signal handler: the next read is not made (a handler that ran
   * between two reads of one line, on the way out of the first, has no read
   * left to interrupt: the second would wait for input the user discarded).
   */
  interruptRequested: bool = false;

  constructor(public fd: i32, capacity: i32 = IO_BUFFER_SIZE) {
    this.buffer = new Uint8Array(capacity);
  }

  /** The next line, or null at end of input (or on error: see `error`). */
  next(): Uint8Array | null {
    // Bytes after `start` known to hold no newline; fill() may move `start`.
    let scanned = 0;
    while (true) {
      let newline = this.findNewline(this.start + scanned);
      if (newline >= 0) return this.take(newline + 1);
      if (this.eof) return this.end > this.start ? this.take(this.end) : null;
      scanned = this.end - this.start;
      this.fill();
      if (this.interrupted) return null;
    }
  }

  /** Drops what is buffered (a line half read) and the interruption. */
  discard(): void {
    this.start = 0;
    this.end = 0;
    this.interrupted = false;
    this.interruptRequested = false;
  }

  /** The next line as a string without its "\n", or null at end of input. */
  nextString(): string | null {
    let line = this.next();
    if (line === null) return null;
    let len = line.length;
    if (len > 0 && line[len - 1] == 0x0a) len--;
    return String.UTF8.decodeUnsafe(line.dataStart, <usize>len);
  }

  private findNewline(from: i32): i32 {
    let buffer = this.buffer;
    for (let i = from; i < this.end; i++) {
      if (unchecked(buffer[i]) == 0x0a) return i;
    }
    return -1;
  }

  private take(upTo: i32): Uint8Array {
    let line = this.buffer.slice(this.start, upTo);
    this.start = upTo;
    return line;
  }

  /** Reads more input, first making room by compacting or growing the buffer. */
  private fill(): void {
    if (this.start > 0) {
      let pending = this.end - this.start;
      this.buffer.copyWithin(0, this.start, this.end);
      this.start = 0;
      this.end = pending;
    }
    if (this.end == this.buffer.length) {
      let bigger = new Uint8Array(this.buffer.length * 2);
      bigger.set(this.buffer);
      this.buffer = bigger;
    }
    // Checked right before the call: no safepoint lies between, so a handler runs either before (seen here) or in the read (EINTR).
    if (this.interruptible && this.interruptRequested) { this.interrupted = true; return; }
    let n = this.interruptible
      ? sys.read(this.fd, this.buffer.dataStart + <usize>this.end, <usize>(this.buffer.length - this.end))
      : read(this.fd, this.buffer, this.end);
    if (n == -EINTR && this.interruptible) { this.interrupted = true; return; }
    if (n <= 0) {
      this.eof = true;
      if (n < 0) this.error = n;
      return;
    }
    this.end += n;
  }
}
