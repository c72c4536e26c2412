// The runtime's own "user memory": the runtime thread is pid 1 (init) and
// makes ordinary syscalls, passing pointers into this buffer. It holds the
// largest spawn the kernel accepts (argv and env each up to ARG_MAX bytes
// in up to ARG_COUNT_MAX strings); argument lists past that are E2BIG here
// by the kernel's own rule, before anything is copied.

import { ARG_COUNT_MAX, ARG_MAX, PATH_MAX, SPAWN_ACTION_SIZE } from '../abi/constants.js';
import { MAX_PREOPENS } from './preopens.js';
import { E2BIG, ENOMEM } from '../abi/errno.js';
import { WasmuxError } from './errors.js';

const encoder = new TextEncoder();

/** argv + env at their limits with their {ptr, len} vectors, paths, a few file actions and the preopens. */
const ARENA_SIZE = 2 * (ARG_MAX + ARG_COUNT_MAX * 8) + 8 * PATH_MAX + (16 + MAX_PREOPENS) * SPAWN_ACTION_SIZE
  + MAX_PREOPENS * PATH_MAX + 4096;

/**
 * Encodes an argv or env list, E2BIG past the kernel's limits (assembly/spawn.ts
 * copyStrings counts the same: each string's bytes and its NUL).
 */
export function encodeArgs(list: string[], what: 'argv' | 'env', prog: string): Uint8Array[] {
  const tooBig = (detail: string) =>
    new WasmuxError(`${prog}: argument list too long (E2BIG): ${what} ${detail}`, E2BIG);
  if (list.length > ARG_COUNT_MAX) throw tooBig(`has ${list.length} strings, the limit is ${ARG_COUNT_MAX}`);
  const out: Uint8Array[] = [];
  let total = 0;
  for (const s of list) {
    // UTF-8 never has fewer bytes than UTF-16 units: a huge string fails without encoding.
    if (total + s.length + 1 > ARG_MAX) { total += s.length + 1; break; }
    const b = encoder.encode(s);
    total += b.length + 1;
    if (total > ARG_MAX) break;
    out.push(b);
  }
  if (total > ARG_MAX) throw tooBig(`takes more than ${ARG_MAX} bytes with its NULs`);
  return out;
}

export class Arena {
  readonly buffer: ArrayBuffer;
  private u8: Uint8Array;
  private dv: DataView;
  private top = 8;   // 0 stays an invalid pointer

  constructor(size = ARENA_SIZE) {
    this.buffer = new ArrayBuffer(size);
    this.u8 = new Uint8Array(this.buffer);
    this.dv = new DataView(this.buffer);
  }

  reset(): void { this.top = 8; }

  alloc(n: number): number {
    const p = (this.top + 7) & ~7;
    // Only a string past every kernel limit (a path of megabytes) gets here.
    if (p + n > this.u8.length) throw new WasmuxError(`runtime arena exhausted (${n} bytes wanted)`, ENOMEM);
    this.top = p + n;
    this.u8.fill(0, p, p + n);
    return p;
  }

  bytes(b: Uint8Array): number {
    const p = this.alloc(b.length);
    this.u8.set(b, p);
    return p;
  }

  /** A string as (ptr, len). */
  str(s: string): [number, number] {
    const b = encoder.encode(s);
    return [this.bytes(b), b.length];
  }

  /**
   * An array of {u32 ptr, u32 len} for strings (or their encodings), the
   * strings packed unaligned in one block: argv at ARG_MAX always fits.
   */
  strVec(list: (string | Uint8Array)[]): number {
    const bytes = list.map((s) => typeof s === 'string' ? encoder.encode(s) : s);
    let p = this.alloc(bytes.reduce((n, b) => n + b.length, 0));
    const v = this.alloc(bytes.length * 8);
    bytes.forEach((b, i) => {
      this.u8.set(b, p);
      this.setU32(v + i * 8, p); this.setU32(v + i * 8 + 4, b.length);
      p += b.length;
    });
    return v;
  }

  setU32(p: number, v: number): void { this.dv.setUint32(p, v, true); }
  setI32(p: number, v: number): void { this.dv.setInt32(p, v, true); }
  u32(p: number): number { return this.dv.getUint32(p, true); }
  i32(p: number): number { return this.dv.getInt32(p, true); }
  view(p: number, n: number): Uint8Array { return this.u8.subarray(p, p + n); }
}
