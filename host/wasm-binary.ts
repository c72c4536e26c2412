// A small editor of wasm binaries, for what the host must change in a guest
// module before compiling it (no dependency: it runs in every worker):
//  - the start section's function becomes an export (START_EXPORT), so that
//    no guest code runs inside `new WebAssembly.Instance`: the host binds the
//    process's memory first and then calls it (host/process.ts);
//  - every memory the module declares or imports gets a maximum of at most
//    the per-process cap, so `memory.grow` past it fails as wasm's grow does
//    (returns -1: malloc returns NULL); a minimum above the cap is refused.
// Only the sections it edits are decoded; the others are copied as they are.

/** The export the start function is moved to. */
export const START_EXPORT = '__wasmux_start';
export const PAGE = 65536;

/** The module cannot be loaded as it is (the message says why, for the user). */
export class GuestLoadError extends Error {}

const SEC_IMPORT = 2, SEC_MEMORY = 5, SEC_EXPORT = 7, SEC_START = 8;
const KIND_FUNC = 0, KIND_TABLE = 1, KIND_MEMORY = 2, KIND_GLOBAL = 3, KIND_TAG = 4;

export class Reader {
  constructor(readonly b: Uint8Array, public pos: number, readonly end: number) {}
  byte(): number {
    if (this.pos >= this.end) throw new GuestLoadError('invalid wasm: unexpected end of section');
    return this.b[this.pos++];
  }
  /** An unsigned LEB128 of at most 32 bits. */
  u32(): number {
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const byte = this.byte();
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) {
        if (result > 0xffffffff) break;
        return result;
      }
    }
    throw new GuestLoadError('invalid wasm: bad LEB128 integer');
  }
  /** A signed LEB128 of at most 32 bits (an i32.const's immediate). */
  s32(): number {
    let result = 0, shift = 0, byte;
    do {
      byte = this.byte();
      result |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80 && shift < 35);
    if (shift < 32 && (byte & 0x40)) result |= -1 << shift;
    return result;
  }
  skip(n: number): void {
    if (n > this.end - this.pos) throw new GuestLoadError('invalid wasm: unexpected end of section');
    this.pos += n;
  }
  name(): Uint8Array {
    const n = this.u32();
    const start = this.pos;
    this.skip(n);
    return this.b.subarray(start, this.pos);
  }
}

export class Writer {
  private parts: number[] = [];
  byte(v: number): void { this.parts.push(v & 0xff); }
  u32(v: number): void {
    do {
      let byte = v & 0x7f;
      v = Math.floor(v / 128);
      if (v !== 0) byte |= 0x80;
      this.parts.push(byte);
    } while (v !== 0);
  }
  bytes(b: Uint8Array): void { for (const x of b) this.parts.push(x); }
  get length(): number { return this.parts.length; }
  toBytes(): Uint8Array { return Uint8Array.from(this.parts); }
}

export interface Section { id: number; start: number; end: number; payload: number }

export function sections(b: Uint8Array): Section[] {
  if (b.length < 8 || b[0] !== 0 || b[1] !== 0x61 || b[2] !== 0x73 || b[3] !== 0x6d) {
    throw new GuestLoadError('invalid wasm: no wasm magic');
  }
  if (b[4] !== 1 || b[5] !== 0 || b[6] !== 0 || b[7] !== 0) throw new GuestLoadError('invalid wasm: unknown version');
  const out: Section[] = [];
  const r = new Reader(b, 8, b.length);
  while (r.pos < b.length) {
    const start = r.pos;
    const id = r.byte();
    const size = r.u32();
    const payload = r.pos;
    r.skip(size);
    out.push({ id, start, end: r.pos, payload });
  }
  return out;
}

const MiB = 1024 * 1024;
function size(bytes: number): string {
  if (bytes % MiB === 0 || bytes >= 10 * MiB) return `${+(bytes / MiB).toFixed(1)} MiB`;
  return bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} bytes`;
}

/** Reads one memory type's limits and writes them back with max <= maxPages. */
function capLimits(r: Reader, w: Writer, maxPages: number): void {
  const flags = r.byte();
  // 0: min; 1: min, max; 3: shared, min, max (threads). Others: memory64, custom page sizes.
  if (flags !== 0 && flags !== 1 && flags !== 3) throw new GuestLoadError(`unsupported memory type (limits flags 0x${flags.toString(16)})`);
  const min = r.u32();
  const max = flags & 1 ? r.u32() : maxPages;
  if (min > maxPages) {
    throw new GuestLoadError(`needs ${size(min * PAGE)} of memory at start, more than the per-process limit of ${size(maxPages * PAGE)}`);
  }
  w.byte(flags | 1);
  w.u32(min);
  w.u32(Math.min(max, maxPages));
}

function editMemory(b: Uint8Array, s: Section, maxPages: number): Uint8Array {
  const r = new Reader(b, s.payload, s.end);
  const w = new Writer();
  const count = r.u32();
  w.u32(count);
  for (let i = 0; i < count; i++) capLimits(r, w, maxPages);
  if (r.pos !== s.end) throw new GuestLoadError('invalid wasm: memory section size mismatch');
  return w.toBytes();
}

/** Null when the section imports no memory (it is then copied as it is). */
function editImports(b: Uint8Array, s: Section, maxPages: number): Uint8Array | null {
  const r = new Reader(b, s.payload, s.end);
  const w = new Writer();
  const count = r.u32();
  w.u32(count);
  let memories = 0;
  for (let i = 0; i < count; i++) {
    const start = r.pos;
    r.name(); r.name();
    const kind = r.byte();
    if (kind === KIND_MEMORY) {
      w.bytes(b.subarray(start, r.pos));
      capLimits(r, w, maxPages);
      memories++;
      continue;
    }
    if (kind === KIND_FUNC) r.u32();
    else if (kind === KIND_TABLE) { r.byte(); const f = r.byte(); r.u32(); if (f & 1) r.u32(); }
    else if (kind === KIND_GLOBAL) { r.byte(); r.byte(); }
    else if (kind === KIND_TAG) { r.byte(); r.u32(); }
    else throw new GuestLoadError(`invalid wasm: import kind ${kind}`);
    w.bytes(b.subarray(start, r.pos));
  }
  if (r.pos !== s.end) throw new GuestLoadError('invalid wasm: import section size mismatch');
  return memories > 0 ? w.toBytes() : null;
}

const startName = new TextEncoder().encode(START_EXPORT);

/** The export section with START_EXPORT added (an empty section if there was none). */
function editExports(b: Uint8Array, s: Section | null, startFunc: number): Uint8Array {
  const w = new Writer();
  let count = 0;
  let rest: Uint8Array = new Uint8Array(0);
  if (s) {
    const r = new Reader(b, s.payload, s.end);
    count = r.u32();
    const first = r.pos;
    for (let i = 0; i < count; i++) {
      const name = r.name();
      r.byte(); r.u32();
      if (name.length === startName.length && name.every((x, j) => x === startName[j])) {
        throw new GuestLoadError(`the module exports ${START_EXPORT}, a name wasmux reserves`);
      }
    }
    if (r.pos !== s.end) throw new GuestLoadError('invalid wasm: export section size mismatch');
    rest = b.subarray(first, s.end);
  }
  w.u32(count + 1);
  w.bytes(rest);
  w.u32(startName.length);
  w.bytes(startName);
  w.byte(KIND_FUNC);
  w.u32(startFunc);
  return w.toBytes();
}

export function section(id: number, payload: Uint8Array): Uint8Array {
  const head = new Writer();
  head.byte(id);
  head.u32(payload.length);
  const out = new Uint8Array(head.length + payload.length);
  out.set(head.toBytes());
  out.set(payload, head.length);
  return out;
}

/**
 * The guest module as the host loads it: start function moved to the
 * START_EXPORT export, memories capped at `maxPages` (64 KiB pages).
 * Throws GuestLoadError for a module it refuses or cannot read.
 */
export function prepareGuest(b: Uint8Array, maxPages: number): Uint8Array {
  const list = sections(b);
  const start = list.find((s) => s.id === SEC_START);
  const startFunc = start ? new Reader(b, start.payload, start.end).u32() : -1;
  const exports = list.find((s) => s.id === SEC_EXPORT) ?? null;
  const out: Uint8Array[] = [b.subarray(0, 8)];
  for (const s of list) {
    if (s.id === SEC_MEMORY) out.push(section(SEC_MEMORY, editMemory(b, s, maxPages)));
    else if (s.id === SEC_IMPORT) {
      const edited = editImports(b, s, maxPages);
      out.push(edited ? section(SEC_IMPORT, edited) : b.subarray(s.start, s.end));
    } else if (s.id === SEC_EXPORT && start) out.push(section(SEC_EXPORT, editExports(b, s, startFunc)));
    else if (s.id === SEC_START) {
      // Export and start sections are adjacent in the section order, so a
      // module without exports gets its new export section right here.
      if (!exports) out.push(section(SEC_EXPORT, editExports(b, null, startFunc)));
    } else out.push(b.subarray(s.start, s.end));
  }
  const total = out.reduce((n, p) => n + p.length, 0);
  const result = new Uint8Array(total);
  let off = 0;
  for (const p of out) { result.set(p, off); off += p.length; }
  return result;
}
