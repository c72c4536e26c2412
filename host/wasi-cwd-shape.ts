// Finding wasi-libc's cwd state in a module without a name section (a
// stripped `wasm-strip`-like build, #12), for host/wasi-cwd.ts. No names,
// so each piece is recognised by what it must be, and taken only when
// exactly one candidate fits:
//  - `__wasilibc_cwd`: a word of a data segment whose value is the address
//    of a "/\0" string in a data segment (`char *__wasilibc_cwd = "/"`),
//    and which some code loads (`i32.const C; i32.load offset=O`, C+O the
//    word: getcwd reads it);
//  - `__wasilibc_find_relpath` when chdir is not linked: the function of
//    type (i32 i32 i32 i32) -> i32 whose body starts as wasi-libc's does
//    with the weak `__wasilibc_find_relpath_alloc` resolved to null: a
//    16-byte stack frame storing its 4th argument, then `if (0 == 0)`
//    (`i32.const 0; i32.eqz; br_if`), the branch to find_abspath. With
//    chdir linked the test is of a nonzero table index, and nothing is
//    hooked (relative paths then go through __wasilibc_cwd already);
//  - where to put the cwd string (no malloc to call without its name): the
//    bytes below the lowest data segment (wasm-ld leaves the first 1024
//    unused, as a null-pointer guard), provided the stack is not placed
//    first (its pointer starts above the data).

import { Reader, type Section } from './wasm-binary.js';

const SEC_TYPE = 1, SEC_FUNC = 3, SEC_GLOBAL = 6, SEC_CODE = 10, SEC_DATA = 11;

interface Segment { at: number; bytes: Uint8Array }

/** The active data segments of memory 0 with a constant offset. */
function dataSegments(b: Uint8Array, list: Section[]): Segment[] {
  const s = list.find((x) => x.id === SEC_DATA);
  const out: Segment[] = [];
  if (!s) return out;
  const r = new Reader(b, s.payload, s.end);
  for (let n = r.u32(); n > 0; n--) {
    const flags = r.u32();
    let at = -1;
    if (flags === 0 || flags === 2) {
      if (flags === 2 && r.u32() !== 0) return [];   // another memory: not a layout this understands
      if (r.byte() !== 0x41) return [];
      at = r.s32() >>> 0;
      if (r.byte() !== 0x0b) return [];
    } else if (flags !== 1) return [];
    const len = r.u32();
    if (at >= 0) out.push({ at, bytes: b.subarray(r.pos, r.pos + len) });
    r.skip(len);
  }
  return out;
}

function byteAt(segs: Segment[], addr: number): number {
  for (const s of segs) if (addr >= s.at && addr < s.at + s.bytes.length) return s.bytes[addr - s.at];
  return -1;
}

/**
 * Whether the code section holds `i32.const C; i32.load align=2 offset=O`
 * with C + O = addr (LEB128s may be padded, as the linker leaves them).
 */
function codeLoads(b: Uint8Array, code: Section, addr: number): boolean {
  for (let i = code.payload; i + 4 <= code.end; i++) {
    if (b[i] !== 0x41) continue;
    try {
      const r = new Reader(b, i + 1, code.end);
      const c = r.s32();
      if (r.byte() !== 0x28 || r.u32() !== 2) continue;
      if (((c >>> 0) + r.u32()) === addr) return true;
    } catch {
      // Not an instruction here (a byte inside another immediate): go on.
    }
  }
  return false;
}

/** The address of `__wasilibc_cwd`, or null (none, or more than one candidate). */
export function cwdVarByShape(b: Uint8Array, list: Section[]): number | null {
  const segs = dataSegments(b, list);
  const code = list.find((x) => x.id === SEC_CODE);
  if (!code) return null;
  const found: number[] = [];
  for (const s of segs) {
    const dv = new DataView(s.bytes.buffer, s.bytes.byteOffset, s.bytes.length);
    for (let o = (4 - (s.at & 3)) & 3; o + 4 <= s.bytes.length; o += 4) {
      const v = dv.getUint32(o, true);
      if (v === 0 || byteAt(segs, v) !== 0x2f || byteAt(segs, v + 1) !== 0) continue;
      if (codeLoads(b, code, s.at + o)) found.push(s.at + o);
      if (found.length > 1) return null;
    }
  }
  return found.length === 1 ? found[0] : null;
}

/** Function index -> its type's encoding (params, results), defined functions only. */
function definedTypes(b: Uint8Array, list: Section[]): string[] {
  const ts = list.find((x) => x.id === SEC_TYPE), fs = list.find((x) => x.id === SEC_FUNC);
  if (!ts || !fs) return [];
  const types: string[] = [];
  const r = new Reader(b, ts.payload, ts.end);
  for (let n = r.u32(); n > 0; n--) {
    if (r.byte() !== 0x60) return [];
    const p = r.u32(); const params = Array.from(b.subarray(r.pos, r.pos + p)); r.skip(p);
    const q = r.u32(); const results = Array.from(b.subarray(r.pos, r.pos + q)); r.skip(q);
    types.push(`${params.join(',')}>${results.join(',')}`);
  }
  const f = new Reader(b, fs.payload, fs.end);
  const out: string[] = [];
  for (let n = f.u32(); n > 0; n--) out.push(types[f.u32()] ?? '');
  return out;
}

const RELPATH_TYPE = '127,127,127,127>127';

/**
 * The defined function (index among the defined ones) that is wasi-libc's
 * __wasilibc_find_relpath without chdir, or -1. `bodies`: [code start,
 * end) of each defined function's locals and instructions.
 */
export function relpathByShape(b: Uint8Array, list: Section[], bodies: { code: number; end: number }[]): number {
  const types = definedTypes(b, list);
  let found = -1;
  for (let i = 0; i < bodies.length; i++) {
    if (types[i] !== RELPATH_TYPE) continue;
    let match = false;
    try { match = relpathBody(new Reader(b, bodies[i].code, bodies[i].end)); } catch { /* a body too short */ }
    if (!match) continue;
    if (found >= 0) return -1;
    found = i;
  }
  return found;
}

/** Whether a body starts as __wasilibc_find_relpath's with chdir unlinked (see the top). */
function relpathBody(r: Reader): boolean {
  // One local, an i32 (the frame pointer).
  if (r.u32() !== 1 || r.u32() !== 1 || r.byte() !== 0x7f) return false;
  if (r.byte() !== 0x23) return false;   // global.get __stack_pointer
  const g = r.u32();
  const want = [0x41, 0x10, 0x6b, 0x22, 0x04, 0x24];
  if (!want.every((x) => r.byte() === x) || r.u32() !== g) return false;
  const frame = [0x20, 0x04, 0x20, 0x03, 0x36, 0x02, 0x0c, 0x02, 0x40, 0x02, 0x40, 0x41];
  if (!frame.every((x) => r.byte() === x)) return false;
  // The weak function's table index (a padded LEB128: relocated), 0: not linked.
  return r.s32() === 0 && r.byte() === 0x45 && r.byte() === 0x0d && r.u32() === 0;
}

/**
 * Room for the cwd string below the lowest data segment: [16, lowest), or
 * null when there is none or the stack may be there (its pointer, the
 * module's first mutable i32 global, starts below the data).
 */
export function lowRoom(b: Uint8Array, list: Section[]): { at: number; size: number } | null {
  const segs = dataSegments(b, list);
  if (segs.length === 0) return null;
  const lowest = Math.min(...segs.map((s) => s.at));
  const gs = list.find((x) => x.id === SEC_GLOBAL);
  if (!gs) return null;
  const r = new Reader(b, gs.payload, gs.end);
  let sp = -1;
  for (let n = r.u32(); n > 0 && sp < 0; n--) {
    const type = r.byte(), mut = r.byte();
    if (r.byte() !== 0x41) return null;   // an init this does not read: leave it
    const v = r.s32();
    if (r.byte() !== 0x0b) return null;
    if (type === 0x7f && mut === 1) sp = v >>> 0;
  }
  if (sp < 0 || sp < lowest || lowest < 16 + 2) return null;
  return { at: 16, size: lowest - 16 };
}
