// The module around the code, for the safepoint pass (safepoint.ts): reading
// the sections it changes and writing them back with the function indices
// moved up by one (the import it adds comes before the module's own
// functions), and putting the module together again.

import { Reader, section, type Section } from '../wasm-binary.js';
import { importsOf } from './inspect.js';

export const SEC_CUSTOM = 0, SEC_TYPE = 1, SEC_IMPORT = 2, SEC_FUNC = 3, SEC_GLOBAL = 6, SEC_EXPORT = 7, SEC_START = 8,
  SEC_ELEM = 9, SEC_CODE = 10;
/** Where each known section goes in a module (the binary format's order); custom sections have none. */
const RANK: Record<number, number> = { 1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 13: 6, 6: 7, 7: 8, 8: 9, 9: 10, 12: 11, 10: 12, 11: 13 };
const KIND_FUNC = 0, KIND_GLOBAL = 3;
export const I32 = 0x7f;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

class SafepointError extends Error {}
export function fail(why: string): never { throw new SafepointError(`safepoint: ${why}`); }

/** A growable output buffer (a module may be tens of MB: no per-byte array pushes). */
export class Out {
  buf: Uint8Array;
  len = 0;
  constructor(size = 1024) { this.buf = new Uint8Array(size); }
  private grow(n: number): void {
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const b = new Uint8Array(size);
    b.set(this.buf.subarray(0, this.len));
    this.buf = b;
  }
  byte(v: number): void {
    if (this.len === this.buf.length) this.grow(1);
    this.buf[this.len++] = v;
  }
  u32(v: number): void {
    do {
      let byte = v & 0x7f;
      v = Math.floor(v / 128);
      if (v !== 0) byte |= 0x80;
      this.byte(byte);
    } while (v !== 0);
  }
  s32(v: number): void {
    for (;;) {
      const byte = v & 0x7f;
      v >>= 7;
      if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) { this.byte(byte); return; }
      this.byte(byte | 0x80);
    }
  }
  bytes(src: Uint8Array, from = 0, to = src.length): void {
    if (this.len + (to - from) > this.buf.length) this.grow(to - from);
    this.buf.set(src.subarray(from, to), this.len);
    this.len += to - from;
  }
  name(s: string): void { const b = encoder.encode(s); this.u32(b.length); this.bytes(b); }
  result(): Uint8Array { return this.buf.subarray(0, this.len); }
}

/** Fast reads at a position, for the instruction stream. */
export class Cursor {
  constructor(readonly b: Uint8Array, public pos: number, readonly end: number) {}
  byte(): number {
    if (this.pos >= this.end) fail('unexpected end of code');
    return this.b[this.pos++];
  }
  u32(): number { return this.leb128(false); }
  /** A signed LEB128 of up to 33 bits (block types, heap types). */
  s33(): number { return this.leb128(true); }
  private leb128(signed: boolean): number {
    let result = 0, shift = 0, byte;
    do {
      byte = this.byte();
      result += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return signed && byte & 0x40 ? result - 2 ** shift : result;
  }
  /** Any LEB128 whose value is not needed. */
  leb(): void { while (this.byte() & 0x80) { /* continuation */ } }
  skip(n: number): void {
    if (n > this.end - this.pos) fail('unexpected end of code');
    this.pos += n;
  }
}

/** A value type (reference types carry a heap type). */
export function valtype(c: Cursor): void {
  const t = c.byte();
  if (t === 0x63 || t === 0x64) c.s33();
  else if (t < 0x60 && t !== 0x40) fail(`value type 0x${t.toString(16)}`);
}

/** Per type index: how many parameters (-1: not a function type). */
export function typeParams(b: Uint8Array, s: Section | undefined): { params: number[]; results: number[]; spType: number } {
  const params: number[] = [], results: number[] = [];
  let spType = -1;
  if (!s) return { params, results, spType };
  const c = new Cursor(b, s.payload, s.end);
  for (let n = c.u32(), i = 0; i < n; i++) {
    if (c.byte() !== 0x60) fail('type section with GC types');
    const np = c.u32();
    for (let k = 0; k < np; k++) valtype(c);
    const nr = c.u32();
    const r0 = c.pos;
    for (let k = 0; k < nr; k++) valtype(c);
    if (spType < 0 && np === 0 && nr === 1 && b[r0] === I32) spType = i;
    params.push(np);
    results.push(nr);
  }
  return { params, results, spType };
}

export interface Shape {
  funcImports: number;
  globals: number;   // imported + defined
  params: number[];
  results: number[];
  spType: number;    // the () -> i32 type, or -1 until added
}

/** A function index after the import is added. */
export function fnIndex(shape: Shape, f: number): number { return f >= shape.funcImports ? f + 1 : f; }

/** Copies a constant expression, renumbering ref.func; notes the functions it takes. */
export function constExpr(c: Cursor, out: Out, shape: Shape, taken: (f: number) => void): void {
  let from = c.pos;
  for (;;) {
    const at = c.pos;
    const op = c.byte();
    if (op === 0x0b) { out.bytes(c.b, from, c.pos); return; }
    if (op === 0xd2) {
      out.bytes(c.b, from, at);
      const f = c.u32();
      taken(f);
      out.byte(0xd2); out.u32(fnIndex(shape, f));
      from = c.pos;
    } else if (op === 0x41 || op === 0x42 || op === 0x23 || op === 0xd0) c.leb();
    else if (op === 0x43) c.skip(4);
    else if (op === 0x44) c.skip(8);
    else if (op === 0xfd) { if (c.u32() !== 12) fail('constant expression'); c.skip(16); }
    else if (!(op >= 0x6a && op <= 0x6c) && !(op >= 0x7c && op <= 0x7e)) fail(`constant expression opcode 0x${op.toString(16)}`);
  }
}


/** The import section with the function import `imp` (of type `spType`) last. */
export function importSection(b: Uint8Array, s: Section | undefined, imp: { module: string; name: string }, spType: number): { bytes: Uint8Array; funcs: number; globals: number } {
  // A module that imports it already keeps its own import as well (a
  // module may import one name twice; both get the host's function).
  const imports = importsOf(b);
  const out = new Out();
  out.u32(imports.length + 1);
  if (s) { const r = new Reader(b, s.payload, s.end); r.u32(); out.bytes(b, r.pos, s.end); }
  out.name(imp.module); out.name(imp.name); out.byte(KIND_FUNC); out.u32(spType);
  return {
    bytes: section(SEC_IMPORT, out.result()),
    funcs: imports.filter((i) => i.kind === KIND_FUNC).length,
    globals: imports.filter((i) => i.kind === KIND_GLOBAL).length,
  };
}

/** The type section, with () -> i32 added when it has none. */
export function typeSection(b: Uint8Array, s: Section | undefined, params: number[]): { bytes: Uint8Array | null; spType: number } {
  const out = new Out();
  out.u32(params.length + 1);
  if (s) { const r = new Reader(b, s.payload, s.end); r.u32(); out.bytes(b, r.pos, s.end); }
  out.byte(0x60); out.u32(0); out.u32(1); out.byte(I32);
  params.push(0);
  return { bytes: section(SEC_TYPE, out.result()), spType: params.length - 1 };
}

/** Defined globals with a mutable i32 (the counter, at `init`) appended; ref.func in initializers renumbered. */
export function globalSection(b: Uint8Array, s: Section | undefined, shape: Shape, taken: (f: number) => void, init: number): { bytes: Uint8Array; counter: number } {
  const out = new Out();
  let count = 0;
  const entries = new Out();
  if (s) {
    const c = new Cursor(b, s.payload, s.end);
    count = c.u32();
    for (let i = 0; i < count; i++) {
      const t = c.pos;
      valtype(c); c.byte();
      entries.bytes(b, t, c.pos);
      constExpr(c, entries, shape, taken);
    }
  }
  out.u32(count + 1);
  out.bytes(entries.result());
  out.byte(I32); out.byte(1); out.byte(0x41); out.s32(init); out.byte(0x0b);
  return { bytes: section(SEC_GLOBAL, out.result()), counter: shape.globals + count };
}

export function exportSection(b: Uint8Array, s: Section, shape: Shape): Uint8Array {
  const r = new Reader(b, s.payload, s.end);
  const out = new Out();
  const n = r.u32();
  out.u32(n);
  for (let i = 0; i < n; i++) {
    const name = r.name();
    const kind = r.byte();
    const idx = r.u32();
    out.u32(name.length); out.bytes(name); out.byte(kind); out.u32(kind === KIND_FUNC ? fnIndex(shape, idx) : idx);
  }
  return section(SEC_EXPORT, out.result());
}

/** Element segments (flags 0-7), function indices renumbered; every function in them is taken. */
export function elemSection(b: Uint8Array, s: Section, shape: Shape, taken: (f: number) => void): Uint8Array {
  const c = new Cursor(b, s.payload, s.end);
  const out = new Out();
  const n = c.u32();
  out.u32(n);
  for (let i = 0; i < n; i++) {
    const flags = c.u32();
    out.u32(flags);
    if (flags > 7) fail(`element segment flags ${flags}`);
    if (flags === 2 || flags === 6) out.u32(c.u32());          // table index
    if ((flags & 1) === 0) constExpr(c, out, shape, taken);     // active: the offset
    const exprs = (flags & 4) !== 0;
    if (flags & 3) {                                            // elemkind or reftype
      const t = c.pos;
      if (exprs) valtype(c); else c.byte();
      out.bytes(b, t, c.pos);
    }
    const count = c.u32();
    out.u32(count);
    for (let k = 0; k < count; k++) {
      if (exprs) constExpr(c, out, shape, taken);
      else { const f = c.u32(); taken(f); out.u32(fnIndex(shape, f)); }
    }
  }
  return section(SEC_ELEM, out.result());
}

/** The name section, its function-indexed subsections renumbered (1 functions, 2 locals, 3 labels). */
export function nameSection(b: Uint8Array, s: Section, shape: Shape): Uint8Array {
  const r = new Reader(b, s.payload, s.end);
  const out = new Out();
  out.bytes(b, s.payload, (r.name(), r.pos));
  while (r.pos < s.end) {
    const id = r.byte();
    const size = r.u32();
    const end = r.pos + size;
    if (id < 1 || id > 3) { out.byte(id); out.u32(size); out.bytes(b, r.pos, end); r.pos = end; continue; }
    const sub = new Out();
    const sr = new Reader(b, r.pos, end);
    const n = sr.u32();
    sub.u32(n);
    for (let i = 0; i < n; i++) {
      sub.u32(fnIndex(shape, sr.u32()));
      if (id === 1) { const nm = sr.name(); sub.u32(nm.length); sub.bytes(nm); continue; }
      const m = sr.u32();
      sub.u32(m);
      for (let k = 0; k < m; k++) { sub.u32(sr.u32()); const nm = sr.name(); sub.u32(nm.length); sub.bytes(nm); }
    }
    out.byte(id); out.u32(sub.len); out.bytes(sub.result());
    r.pos = end;
  }
  return section(SEC_CUSTOM, out.result());
}

export function customName(b: Uint8Array, s: Section): string {
  try { return decoder.decode(new Reader(b, s.payload, s.end).name()); } catch { return ''; }
}

/** The type index of each defined function (the function section). */
export function functionTypes(b: Uint8Array, s: Section | undefined): number[] {
  const out: number[] = [];
  if (!s) return out;
  const r = new Reader(b, s.payload, s.end);
  for (let n = r.u32(); n > 0; n--) out.push(r.u32());
  return out;
}

/** Bytes of the LEB128 at `pos`. */
export function lebSize(b: Uint8Array, pos: number): number {
  let n = 1;
  while (b[pos + n - 1] & 0x80) n++;
  return n;
}


/** The sections in order, replaced ones swapped in and new ones (keyed by id) at their place. */
export function assemble(b: Uint8Array, list: Section[], replaced: Map<Section | number, Uint8Array | null>): Uint8Array {
  const added = [...replaced.keys()].filter((k): k is number => typeof k === 'number').sort((x, y) => RANK[x] - RANK[y]);
  const parts: Uint8Array[] = [b.subarray(0, 8)];
  const addBefore = (rank: number): void => {
    while (added.length > 0 && RANK[added[0]] < rank) parts.push(replaced.get(added.shift()!)!);
  };
  for (const s of list) {
    if (s.id !== SEC_CUSTOM) addBefore(RANK[s.id] ?? 0);
    const r = replaced.get(s);
    parts.push(r ?? b.subarray(s.start, s.end));
  }
  addBefore(Infinity);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) { out.set(p, off); off += p.length; }
  return out;
}
