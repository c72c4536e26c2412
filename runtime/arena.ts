// The runtime's own "user memory": the runtime thread is pid 1 (init) and
// makes ordinary syscalls, passing pointers into this buffer.

const encoder = new TextEncoder();

export class Arena {
  readonly buffer: ArrayBuffer;
  private u8: Uint8Array;
  private dv: DataView;
  private top = 8;   // 0 stays an invalid pointer

  constructor(size = 1 << 20) {
    this.buffer = new ArrayBuffer(size);
    this.u8 = new Uint8Array(this.buffer);
    this.dv = new DataView(this.buffer);
  }

  reset(): void { this.top = 8; }

  alloc(n: number): number {
    const p = (this.top + 7) & ~7;
    if (p + n > this.u8.length) throw new RangeError('runtime arena exhausted');
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

  /** An array of {u32 ptr, u32 len} for strings. */
  strVec(list: string[]): number {
    const refs = list.map((s) => this.str(s));
    const v = this.alloc(refs.length * 8);
    refs.forEach(([p, n], i) => { this.setU32(v + i * 8, p); this.setU32(v + i * 8 + 4, n); });
    return v;
  }

  setU32(p: number, v: number): void { this.dv.setUint32(p, v, true); }
  setI32(p: number, v: number): void { this.dv.setInt32(p, v, true); }
  u32(p: number): number { return this.dv.getUint32(p, true); }
  i32(p: number): number { return this.dv.getInt32(p, true); }
  view(p: number, n: number): Uint8Array { return this.u8.subarray(p, p + n); }
}
