// What the transform pipeline and the fork loader need to know about a
// module, read straight from its bytes (no compile): its imports (which
// decide the passes) and where its active data segments end (what a fresh
// instance has written into its memory before a forked child's image is
// copied over it).

import { Reader, sections, GuestLoadError } from '../wasm-binary.js';

const SEC_IMPORT = 2, SEC_DATA = 11;
const KIND_FUNC = 0, KIND_TABLE = 1, KIND_MEMORY = 2, KIND_GLOBAL = 3, KIND_TAG = 4;

export interface ImportName { module: string; name: string; kind: number }

const decoder = new TextDecoder();

/** The module's imports, in order. Throws GuestLoadError for bytes it cannot read. */
export function importsOf(b: Uint8Array): ImportName[] {
  const s = sections(b).find((x) => x.id === SEC_IMPORT);
  if (!s) return [];
  const r = new Reader(b, s.payload, s.end);
  const out: ImportName[] = [];
  const count = r.u32();
  for (let i = 0; i < count; i++) {
    const module = decoder.decode(r.name());
    const name = decoder.decode(r.name());
    const kind = r.byte();
    if (kind === KIND_FUNC) r.u32();
    else if (kind === KIND_TABLE) { r.byte(); const f = r.byte(); r.u32(); if (f & 1) r.u32(); }
    else if (kind === KIND_MEMORY) { const f = r.byte(); r.u32(); if (f & 1) r.u32(); }
    else if (kind === KIND_GLOBAL) { r.byte(); r.byte(); }
    else if (kind === KIND_TAG) { r.byte(); r.u32(); }
    else throw new GuestLoadError(`invalid wasm: import kind ${kind}`);
    out.push({ module, name, kind });
  }
  return out;
}

/** Limits of the module's imported memory `module.name` (pages), or null if it imports none. */
export function importedMemory(b: Uint8Array, module: string, name: string): { min: number; max: number | null } | null {
  const s = sections(b).find((x) => x.id === SEC_IMPORT);
  if (!s) return null;
  const r = new Reader(b, s.payload, s.end);
  const count = r.u32();
  for (let i = 0; i < count; i++) {
    const mod = decoder.decode(r.name());
    const nm = decoder.decode(r.name());
    const kind = r.byte();
    if (kind === KIND_MEMORY) {
      const f = r.byte();
      const min = r.u32();
      const max = f & 1 ? r.u32() : null;
      if (mod === module && nm === name) return { min, max };
    } else if (kind === KIND_FUNC) r.u32();
    else if (kind === KIND_TABLE) { r.byte(); const f = r.byte(); r.u32(); if (f & 1) r.u32(); }
    else if (kind === KIND_GLOBAL) { r.byte(); r.byte(); }
    else if (kind === KIND_TAG) { r.byte(); r.u32(); }
    else throw new GuestLoadError(`invalid wasm: import kind ${kind}`);
  }
  return null;
}

/** A signed LEB128 of at most 32 bits, as an unsigned address. */
function s32(r: Reader): number {
  let result = 0, shift = 0, byte = 0;
  do {
    byte = r.byte();
    result |= (byte & 0x7f) << shift;
    shift += 7;
  } while (byte & 0x80 && shift < 35);
  if (shift < 32 && byte & 0x40) result |= -1 << shift;
  return result >>> 0;
}

/**
 * The end of the highest active data segment of memory 0 (bytes written by
 * instantiation), or Infinity when an offset is not a constant.
 */
export function dataExtent(b: Uint8Array): number {
  const s = sections(b).find((x) => x.id === SEC_DATA);
  if (!s) return 0;
  const r = new Reader(b, s.payload, s.end);
  let end = 0;
  const count = r.u32();
  for (let i = 0; i < count; i++) {
    const flags = r.u32();
    if (flags === 1) { r.skip(r.u32()); continue; }   // passive
    if (flags === 2 && r.u32() !== 0) { /* another memory */ }
    const op = r.byte();
    if (op !== 0x41) return Infinity;   // not i32.const (e.g. global.get of an imported base)
    const offset = s32(r);
    if (r.byte() !== 0x0b) return Infinity;
    const len = r.u32();
    r.skip(len);
    end = Math.max(end, offset + len);
  }
  return end;
}
