// The working directory of a stock wasi-libc program (#12).
//
// wasi-libc keeps the cwd in the guest itself: `char *__wasilibc_cwd = "/"`
// (getcwd.c), which only its own chdir changes, and it never asks the
// runtime. So a program spawned in /w would see "/" from getcwd(), and
// resolve relative paths from "/":
//  - a program that links chdir (chdir.o: __wasilibc_find_relpath_alloc)
//    makes every relative path absolute with __wasilibc_cwd, then finds its
//    preopen: setting __wasilibc_cwd is enough;
//  - one that does not (most: getcwd and fopen do not pull chdir in) hands
//    a relative path to `__wasilibc_find_relpath`, which strips it to the
//    root preopen as if it were absolute: "data.txt" and "/data.txt" reach
//    the runtime as the same (fd 3, "data.txt").
//
// So, for a module whose name section shows wasi-libc's functions, at load
// (cwdTransform, cached with the compiled module):
//  - `__wasilibc_find_relpath` gets a prologue: a relative path resolves
//    from the directory descriptor in the new global CWDFD_EXPORT (the
//    process's cwd, opened by the host before the program starts), as
//    openat(AT_FDCWD) does; with the global at -1 (cwd "/") nothing changes;
//  - the address of `__wasilibc_cwd` (read from getcwd's code, whose first
//    load is of it) is exported as the constant global CWDVAR_EXPORT, and
//    `malloc` as MALLOC_EXPORT;
// and before `_start` (setGuestCwd), once the guest's memory is bound: if
// that variable holds the pointer to "/" the linker put there, it is
// pointed at a malloc'd copy of the cwd (as chdir would). A module without
// a name section (stripped) gets the same hooks where wasi-cwd-shape.ts
// recognises the pieces by their code and data; the cwd string then goes
// below the data (no malloc to call: ROOM_EXPORT). A module built otherwise
// (another libc, another getcwd) is left as it is and sees "/".

import { Reader, Writer, sections, section, type Section } from './wasm-binary.js';
import { cwdVarByShape, relpathByShape, lowRoom } from './wasi-cwd-shape.js';

export const CWDFD_EXPORT = '__wasmux_cwdfd';
export const CWDVAR_EXPORT = '__wasmux_cwd_var';
export const MALLOC_EXPORT = '__wasmux_malloc';
export const ROOM_EXPORT = '__wasmux_cwd_room';

const SEC_CUSTOM = 0, SEC_IMPORT = 2, SEC_GLOBAL = 6, SEC_EXPORT = 7, SEC_CODE = 10;
const KIND_FUNC = 0, KIND_GLOBAL = 3;
const I32 = 0x7f;
const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** The function names of the name section (subsection 1) that are in `wanted`. */
function functionNames(b: Uint8Array, list: Section[], wanted: Set<string>): Map<string, number> {
  const found = new Map<string, number>();
  for (const s of list) {
    if (s.id !== SEC_CUSTOM) continue;
    const r = new Reader(b, s.payload, s.end);
    if (decoder.decode(r.name()) !== 'name') continue;
    while (r.pos < s.end) {
      const id = r.byte();
      const size = r.u32();
      const end = r.pos + size;
      if (id === 1) {
        const sub = new Reader(b, r.pos, end);
        for (let n = sub.u32(); n > 0; n--) {
          const idx = sub.u32();
          const name = sub.name();
          // Cheap filter first: most of a large module's names are not wanted.
          if (name.length <= 24 && wanted.has(decoder.decode(name))) found.set(decoder.decode(name), idx);
        }
      }
      r.pos = end;
    }
  }
  return found;
}

/** How many functions and globals the module imports (their indices come first). */
function importCounts(b: Uint8Array, s: Section | undefined): { funcs: number; globals: number } {
  let funcs = 0, globals = 0;
  if (!s) return { funcs, globals };
  const r = new Reader(b, s.payload, s.end);
  for (let n = r.u32(); n > 0; n--) {
    r.name(); r.name();
    const kind = r.byte();
    if (kind === KIND_FUNC) { r.u32(); funcs++; }
    else if (kind === 1) { r.byte(); const f = r.byte(); r.u32(); if (f & 1) r.u32(); }
    else if (kind === 2) { const f = r.byte(); r.u32(); if (f & 1) r.u32(); }
    else if (kind === KIND_GLOBAL) { r.byte(); r.byte(); globals++; }
    else return { funcs, globals: -1 };   // a kind we do not know: leave the module alone
  }
  return { funcs, globals };
}

interface Body { start: number; end: number; code: number }

/** The bodies of the code section: [start, end) with the size prefix, and where the locals start. */
function bodies(b: Uint8Array, s: Section): { list: Body[] } {
  const r = new Reader(b, s.payload, s.end);
  const count = r.u32();
  const list: Body[] = [];
  for (let i = 0; i < count; i++) {
    const start = r.pos;
    const size = r.u32();
    const code = r.pos;
    r.skip(size);
    list.push({ start, end: r.pos, code });
  }
  return { list };
}

/** Skips a body's locals declaration; returns where its instructions start. */
function instructionsAt(b: Uint8Array, body: Body): number {
  const r = new Reader(b, body.code, body.end);
  for (let n = r.u32(); n > 0; n--) { r.u32(); r.byte(); }
  return r.pos;
}

function sleb32(b: Uint8Array, pos: number): [number, number] {
  let result = 0, shift = 0, byte;
  do {
    byte = b[pos++];
    result |= (byte & 0x7f) << shift;
    shift += 7;
  } while (byte & 0x80 && shift < 35);
  if (shift < 32 && (byte & 0x40)) result |= -1 << shift;
  return [result, pos];
}

function uleb(b: Uint8Array, pos: number): [number, number] {
  let result = 0, shift = 0, byte;
  do {
    byte = b[pos++];
    result += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80 && shift < 35);
  return [result, pos];
}

/**
 * The address getcwd loads __wasilibc_cwd from: its first instructions are
 * `i32.const C; i32.load offset=O` (wasi-libc's getcwd.o, -O2), the address
 * being C + O; null if they are not.
 */
function cwdVarAddress(b: Uint8Array, body: Body): number | null {
  let p = instructionsAt(b, body);
  if (b[p++] !== 0x41) return null;   // i32.const
  let c; [c, p] = sleb32(b, p);
  if (b[p++] !== 0x28) return null;   // i32.load
  let offset; [, p] = uleb(b, p); [offset] = uleb(b, p);
  const addr = (c >>> 0) + offset;
  return addr > 0 && addr < 2 ** 32 - 4 ? addr : null;
}

/**
 * The prologue of __wasilibc_find_relpath(path, abs_prefix, relative_path,
 * relative_path_len): with the cwd global >= 0 and a path not starting with
 * '/', `*relative_path = path` and the result is that descriptor.
 */
function relpathPrologue(cwdGlobal: number): Uint8Array {
  const w = new Writer();
  const g = (): void => { w.byte(0x23); w.u32(cwdGlobal); };   // global.get
  w.byte(0x02); w.byte(0x40);                  // block
  g(); w.byte(0x41); w.byte(0); w.byte(0x48);  // cwdfd < 0
  w.byte(0x0d); w.u32(0);                      // br_if 0: the cwd is "/": as before
  w.byte(0x20); w.u32(0);                      // local.get path
  w.byte(0x2d); w.u32(0); w.u32(0);            // i32.load8_u
  w.byte(0x41); w.byte(47); w.byte(0x46);      // == '/'
  w.byte(0x0d); w.u32(0);                      // br_if 0: absolute: as before
  w.byte(0x20); w.u32(2);                      // local.get relative_path
  w.byte(0x20); w.u32(0);                      // local.get path
  w.byte(0x36); w.u32(2); w.u32(0);            // i32.store: *relative_path = path
  g(); w.byte(0x0f);                           // return cwdfd
  w.byte(0x0b);                                // end
  return w.toBytes();
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) { out.set(p, off); off += p.length; }
  return out;
}

function exportEntry(w: Writer, name: string, kind: number, index: number): void {
  const n = encoder.encode(name);
  w.u32(n.length); w.bytes(n); w.byte(kind); w.u32(index);
}

/**
 * The module with the cwd hooks described above, or the same bytes when it
 * is not a wasi-libc program this understands.
 */
export function cwdTransform(b: Uint8Array): Uint8Array {
  const list = sections(b);
  const names = functionNames(b, list,
    new Set(['__wasilibc_find_relpath', '__wasilibc_find_relpath_alloc', 'getcwd', 'malloc']));
  // With chdir linked, relative paths already go through __wasilibc_cwd (and chdir may change it).
  const relpath = names.has('__wasilibc_find_relpath_alloc') ? undefined : names.get('__wasilibc_find_relpath');
  const getcwd = names.get('getcwd');
  const malloc = names.get('malloc');
  // No name section at all (stripped): the same pieces by their shape (wasi-cwd-shape.ts).
  const stripped = names.size === 0 && !hasNameSection(b, list);
  if (!stripped && relpath === undefined && getcwd === undefined) return b;
  const imports = importCounts(b, list.find((s) => s.id === SEC_IMPORT));
  const code = list.find((s) => s.id === SEC_CODE);
  const globals = list.find((s) => s.id === SEC_GLOBAL);
  const exports = list.find((s) => s.id === SEC_EXPORT);
  if (imports.globals < 0 || !code || !exports) return b;
  const all = bodies(b, code).list;
  const body = (f: number | undefined): Body | undefined => (f === undefined || f < imports.funcs ? undefined : all[f - imports.funcs]);
  let relBody = body(relpath);
  const getcwdBody = body(getcwd);
  let cwdVar = getcwdBody ? cwdVarAddress(b, getcwdBody) : null;
  // Where the cwd string goes: a malloc'd copy (malloc known by name), or room below the data.
  const viaMalloc = malloc !== undefined && malloc >= imports.funcs;
  let room: { at: number; size: number } | null = null;
  if (stripped) {
    const r = relpathByShape(b, list, all);
    relBody = r >= 0 ? all[r] : undefined;
    cwdVar = cwdVarByShape(b, list);
    room = cwdVar !== null ? lowRoom(b, list) : null;
  }
  const withVar = cwdVar !== null && (viaMalloc || room !== null);
  if (!relBody && !withVar) return b;

  // New globals: the cwd descriptor (mutable, -1) and the variable's address (constant).
  let globalCount = 0;
  let globalRest: Uint8Array = new Uint8Array(0);
  if (globals) {
    const r = new Reader(b, globals.payload, globals.end);
    globalCount = r.u32();
    globalRest = b.subarray(r.pos, globals.end);
  }
  const cwdGlobal = imports.globals + globalCount;
  const varGlobal = cwdGlobal + 1;
  const gw = new Writer();
  const roomGlobal = withVar && !viaMalloc;
  gw.u32(globalCount + (roomGlobal ? 3 : 2));
  gw.bytes(globalRest);
  gw.byte(I32); gw.byte(1); gw.byte(0x41); gw.bytes(sleb(-1)); gw.byte(0x0b);
  gw.byte(I32); gw.byte(0); gw.byte(0x41); gw.bytes(sleb(withVar ? cwdVar! | 0 : 0)); gw.byte(0x0b);
  // The room as one i64 constant: address in the low half, size in the high.
  if (roomGlobal) { gw.byte(0x7e); gw.byte(0); gw.byte(0x42); gw.bytes(sleb64(BigInt(room!.at) | (BigInt(room!.size) << 32n))); gw.byte(0x0b); }
  const newGlobals = section(SEC_GLOBAL, gw.toBytes());

  const er = new Reader(b, exports.payload, exports.end);
  const exportCount = er.u32();
  const ew = new Writer();
  ew.u32(exportCount + (withVar ? 3 : 1));
  ew.bytes(b.subarray(er.pos, exports.end));
  exportEntry(ew, CWDFD_EXPORT, KIND_GLOBAL, cwdGlobal);
  if (withVar) {
    exportEntry(ew, CWDVAR_EXPORT, KIND_GLOBAL, varGlobal);
    if (viaMalloc) exportEntry(ew, MALLOC_EXPORT, KIND_FUNC, malloc!);
    else exportEntry(ew, ROOM_EXPORT, KIND_GLOBAL, varGlobal + 1);
  }
  const newExports = section(SEC_EXPORT, ew.toBytes());

  let newCode: Uint8Array[] = [b.subarray(code.start, code.end)];
  if (relBody) {
    const at = instructionsAt(b, relBody);
    const prologue = relpathPrologue(cwdGlobal);
    const head = new Writer(); head.u32(relBody.end - relBody.code + prologue.length);
    // The pieces are copied once, into the result (a module may be tens of MB).
    const payload = [b.subarray(code.payload, relBody.start), head.toBytes(), b.subarray(relBody.code, at), prologue,
      b.subarray(at, code.end)];
    const sh = new Writer(); sh.byte(SEC_CODE); sh.u32(payload.reduce((n, p) => n + p.length, 0));
    newCode = [sh.toBytes(), ...payload];
  }

  const out: Uint8Array[] = [b.subarray(0, 8)];
  let globalsDone = false;
  for (const s of list) {
    if (s.id === SEC_GLOBAL) { out.push(newGlobals); globalsDone = true; }
    else if (s.id === SEC_EXPORT) {
      // No global section: its place is just before the exports (the section order).
      if (!globalsDone) { out.push(newGlobals); globalsDone = true; }
      out.push(newExports);
    } else if (s.id === SEC_CODE) out.push(...newCode);
    else out.push(b.subarray(s.start, s.end));
  }
  return concat(out);
}

function sleb64(v: bigint): Uint8Array {
  const out: number[] = [];
  for (;;) {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    if ((v === 0n && (byte & 0x40) === 0) || (v === -1n && (byte & 0x40) !== 0)) { out.push(byte); break; }
    out.push(byte | 0x80);
  }
  return Uint8Array.from(out);
}

/** Whether the module has a name section (even one without the names looked for). */
function hasNameSection(b: Uint8Array, list: Section[]): boolean {
  return list.some((s) => s.id === SEC_CUSTOM && decoder.decode(new Reader(b, s.payload, s.end).name()) === 'name');
}

function sleb(v: number): Uint8Array {
  const out: number[] = [];
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) { out.push(byte); break; }
    out.push(byte | 0x80);
  }
  return Uint8Array.from(out);
}

/**
 * Before `_start`: tells an instance of a transformed module its cwd
 * (`cwd`, absolute, not "/") and the descriptor `fd` open on it.
 * Returns false if the module has no such hooks (it then sees "/").
 */
export function setGuestCwd(exports: WebAssembly.Exports, memory: WebAssembly.Memory, cwd: string, fd: number): boolean {
  const fdGlobal = exports[CWDFD_EXPORT];
  if (!(fdGlobal instanceof WebAssembly.Global)) return false;
  fdGlobal.value = fd;
  const varGlobal = exports[CWDVAR_EXPORT];
  const malloc = exports[MALLOC_EXPORT];
  const room = exports[ROOM_EXPORT];
  if (!(varGlobal instanceof WebAssembly.Global) || (typeof malloc !== 'function' && !(room instanceof WebAssembly.Global))) return true;
  const addr = (varGlobal.value as number) >>> 0;
  const mem = (): Uint8Array => new Uint8Array(memory.buffer);
  if (addr + 4 > mem().length) return true;
  // Only the linker's initial "/" is replaced: anything else means this is not wasi-libc's variable.
  const ptr = new DataView(memory.buffer).getUint32(addr, true);
  if (ptr + 2 > mem().length || mem()[ptr] !== 0x2f || mem()[ptr + 1] !== 0) return true;
  const bytes = encoder.encode(cwd);
  let p: number;
  if (typeof malloc === 'function') p = (malloc as (n: number) => number)(bytes.length + 1) >>> 0;
  else {
    const r = (room as WebAssembly.Global).value as bigint;
    const at = Number(r & 0xffffffffn), size = Number(r >> 32n);
    // Too long for the room: the guest keeps its "/" (as a module this does not understand).
    p = bytes.length + 1 <= size ? at : 0;
  }
  if (p === 0) return true;
  // (malloc may have grown the memory: views are taken afresh.)
  mem().set(bytes, p);
  mem()[p + bytes.length] = 0;
  new DataView(memory.buffer).setUint32(addr, p, true);
  return true;
}
