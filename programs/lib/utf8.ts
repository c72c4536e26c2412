// UTF-8 conversion between AssemblyScript's UTF-16 strings and the byte
// buffers the kernel reads and writes.

/** The UTF-8 bytes of `s` (no terminating NUL). */
export function encode(s: string): Uint8Array {
  return Uint8Array.wrap(String.UTF8.encode(s));
}

/** Decodes `bytes[start, end)` as UTF-8. */
export function decode(bytes: Uint8Array, start: i32 = 0, end: i32 = -1): string {
  if (end < 0 || end > bytes.length) end = bytes.length;
  if (start >= end) return "";
  return String.UTF8.decodeUnsafe(bytes.dataStart + <usize>start, <usize>(end - start));
}

/** Decodes `len` bytes of UTF-8 at a raw address in linear memory. */
export function decodeAt(ptr: usize, len: usize): string {
  return String.UTF8.decodeUnsafe(ptr, len);
}

/** How many bytes `s` takes in UTF-8. */
export function byteLength(s: string): i32 {
  return String.UTF8.byteLength(s);
}
