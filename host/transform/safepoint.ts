// The `safepoint` pass (signals, #14): a guest that computes without making
// a syscall still reaches the host now and then, so a signal is delivered to
// it, it stops or dies without its worker being terminated, and in
// deterministic mode it gives up the CPU token. A streaming rewriter of the
// binary (no binaryen: a 30 MB module is one pass over its bytes, in the
// worker itself), adding:
//  - a mutable i32 global, the counter, starting at SAFEPOINT_INTERVAL;
//  - an import `wasmux.safepoint: () -> i32` (the last function import: the
//    module's own functions move up by one, renumbered everywhere: calls,
//    ref.func, exports, start, elements, the name section);
//  - at every loop header: decrement; at 0 leave the loop for a cold path that
//    calls the import, stores its result as the counter and re-enters the
//    loop at its header. The call must not sit in the loop (DESIGN.md: +37 %
//    on a CRC loop), so a loop without parameters
//        loop L (bt) … end
//    becomes
//        block $done (bt)
//          loop $again
//            block $slow
//              loop L (bt)  <l -= 1; br_if $slow (l == 0)>  …  end
//              br $done            ;; the loop's results
//            end
//            l = safepoint() + 1   ;; the header counts the re-entry
//            br $again
//          end
//          unreachable
//        end
//    (branches inside L to labels outside it skip three more labels). A loop
//    with parameters gets `if (--l == 0) l = safepoint()` at its header.
//    Loops count down `l`, a local copy of the counter in each function that
//    has a loop (the global itself costs a load and a store at every header:
//    +7-14 % on compute.c, against ~3 % for the local). `l` is live only
//    inside loops: copied from the global before an outermost loop and after
//    each call made inside one, and back before such a call and every way
//    out of the loops (a fall-through, a branch, a return; a `br_if` out
//    becomes `if { g = l; br }`, so a loop's exit test costs no store on
//    the iterations that stay), so the count
//    stays one count across calls, and code outside loops (a small call that
//    returns at once, a call made between two loops) touches neither;
//  - `if (--global == 0) global = safepoint()` at the entry of every
//    function in a call-graph cycle (call_indirect, return_call_indirect
//    and call_ref may reach any function put in a table or taken by
//    ref.func).
// An opcode it does not know makes it throw: the pipeline then loads the
// module untransformed (host/transform/pipeline.ts).

import { Reader, sections, section, type Section } from '../wasm-binary.js';
import {
  Cursor, Out, I32, SEC_CODE, SEC_CUSTOM, SEC_ELEM, SEC_EXPORT, SEC_FUNC, SEC_GLOBAL, SEC_IMPORT, SEC_START, SEC_TYPE,
  assemble, customName, elemSection, exportSection, fail, fnIndex, functionTypes, globalSection, importSection,
  lebSize, nameSection, typeParams, typeSection, valtype, type Shape,
} from './sections.js';

export const SAFEPOINT_IMPORT = { module: 'wasmux', name: 'safepoint' } as const;
/**
 * Loop headers and recursive entries between two calls of the import: the
 * counter's initial value, and what the host returns (a fixed constant, so
 * deterministic runs are the same for a seed). DESIGN.md: 10^4 polls gave
 * ~35 µs from flag to handler.
 */
export const SAFEPOINT_INTERVAL = 10000;

/** What the rewrite of the code section learns about calls. */
interface Calls {
  /** Direct callees (defined functions, old numbering minus imports), CSR by function. */
  edges: number[];
  start: Int32Array;
  /** Function makes an indirect call. */
  indirect: Uint8Array;
  /** Function is in a table or taken by ref.func (a possible indirect callee). */
  taken: Uint8Array;
}

/**
 * The instructions the pass adds to one function, with the counter global
 * `g`, the import `sp` and, in a function with loops, its counter local `l`.
 */
class Snippets {
  /** In a function with loops: the local's decrement and test at a loop header (leaves `l == 0`). */
  readonly dec: Uint8Array;
  /** The cold path of a wrapped loop, between `end $slow` and `br $again`: l = safepoint() + 1. */
  readonly slow: Uint8Array;
  /** A loop with parameters: `if (l == 0) l = safepoint()` after dec. */
  readonly ifCheck: Uint8Array;
  /** The local to the global (before a call and every way out), and back (after a call). */
  readonly syncOut: Uint8Array;
  readonly syncIn: Uint8Array;
  constructor(g: number, sp: number, l: number) {
    const o = new Out(16);
    const take = (): Uint8Array => { const r = o.result().slice(); o.len = 0; return r; };
    o.byte(0x20); o.u32(l); o.byte(0x41); o.byte(1); o.byte(0x6b); o.byte(0x22); o.u32(l); o.byte(0x45);
    this.dec = take();
    // + 1: re-entering at the header counts one (a result of 1 must not loop there).
    o.byte(0x10); o.u32(sp); o.byte(0x41); o.byte(1); o.byte(0x6a); o.byte(0x21); o.u32(l);
    this.slow = take();
    o.byte(0x04); o.byte(0x40); o.byte(0x10); o.u32(sp); o.byte(0x21); o.u32(l); o.byte(0x0b);
    this.ifCheck = take();
    o.byte(0x20); o.u32(l); o.byte(0x24); o.u32(g);
    this.syncOut = take();
    o.byte(0x23); o.u32(g); o.byte(0x21); o.u32(l);
    this.syncIn = take();
  }
}

/** The check at the entry of a function in a call-graph cycle, on the global: `if (--g == 0) g = safepoint()`. */
function entryCheck(g: number, sp: number): Uint8Array {
  const o = new Out(32);
  o.byte(0x23); o.u32(g); o.byte(0x41); o.byte(1); o.byte(0x6b); o.byte(0x24); o.u32(g);
  o.byte(0x23); o.u32(g); o.byte(0x45);
  o.byte(0x04); o.byte(0x40); o.byte(0x10); o.u32(sp); o.byte(0x24); o.u32(g); o.byte(0x0b);
  return o.result().slice();
}

/** The body has a loop, and was rewritten without a counter local: start again with one. */
class NeedsLocal extends Error {}

/**
 * Rewrites one function body's instructions. Loops count down a local copy
 * of the counter (a global costs a load and a store at every header: +7-14 %
 * on compute.c), live only inside loops: taken from the global before an
 * outermost loop, kept in step with it around every call made inside a loop
 * and given back on every way out of the loops, so the count stays exact
 * across calls (a throw out of a loop loses its share). A function without
 * loops (`sn` null) leaves the global to its callees.
 */
class BodyRewriter {
  /** Per open label (input), extra output labels opened outside it, summed from the outermost. */
  private cum: number[] = [];
  private wrapped: boolean[] = [];
  /** Per open label: the input loops enclosing it, itself included (0: outside every loop, where `l` is dead). */
  private loops: number[] = [];
  /** Per open label: a branch to it carries no values. */
  private bare: boolean[] = [];
  /** The result count of the last block type read. */
  private results = 0;
  private from = 0;
  constructor(private c: Cursor, private out: Out, private shape: Shape, private calls: Calls,
              private fn: number, private sn: Snippets | null, private fnResults: number) {}

  private flush(to: number): void { this.out.bytes(this.c.b, this.from, to); }
  /** Emits `bytes` before the instruction at `at` (copied later, or re-emitted from `at`). */
  private before(at: number, bytes: Uint8Array): void {
    this.flush(at);
    this.out.bytes(bytes);
    this.from = at;
  }
  private push(extra: number, wrapped: boolean, loop = false, bare = false): void {
    const n = this.cum.length;
    this.cum.push((n ? this.cum[n - 1] : 0) + extra);
    this.wrapped.push(wrapped);
    this.loops.push((n ? this.loops[n - 1] : 0) + (loop ? 1 : 0));
    this.bare.push(bare);
  }
  private pop(): boolean {
    this.cum.pop();
    this.loops.pop();
    this.bare.pop();
    return this.wrapped.pop()!;
  }
  /** Inside a loop of the input: `l` holds the count. */
  private inLoop(): boolean { return this.loops[this.loops.length - 1] > 0; }
  /** A branch of input depth `d` leaves every loop (a return is one to the function's label). */
  private leavesLoops(d: number): boolean { return this.inLoop() && this.loops[this.loops.length - 1 - d] === 0; }
  /** The output depth of input branch depth `d`. */
  private depth(d: number): number {
    const n = this.cum.length - 1;
    if (d > n) fail('branch depth out of range');
    return d + this.cum[n] - this.cum[n - d];
  }
  /** A branch-like instruction `op d` at `at`: re-emitted only if its depth changes. */
  private branch(op: number, at: number): void {
    const d = this.c.u32();
    const leaving = this.sn !== null && d < this.cum.length && this.leavesLoops(d);
    const m = this.depth(d);
    if (leaving && op === 0x0d && this.bare[this.bare.length - 1 - d]) {
      // A loop's conditional exit, tested on every iteration: the count goes
      // back to the global on the taken side only, `if (c) { g = l; br }`
      // (a store on every iteration cost the merge loop of compute.c ~10 %).
      this.flush(at);
      this.out.byte(0x04); this.out.byte(0x40); this.out.bytes(this.sn!.syncOut);
      this.out.byte(0x0c); this.out.u32(m + 1); this.out.byte(0x0b);
      this.from = this.c.pos;
      return;
    }
    if (leaving) this.before(at, this.sn!.syncOut);
    if (m === d) return;
    this.flush(at);
    this.out.byte(op); this.out.u32(m);
    this.from = this.c.pos;
  }
  private call(f: number): void {
    if (f >= this.shape.funcImports) this.calls.edges.push(f - this.shape.funcImports);
  }
  /** Around a call: the local to the global before it (at `at`), back after it (`tail`: a return_call has no after). */
  private aroundCall(at: number, tail: boolean): void {
    if (!this.sn || !this.inLoop()) return;
    this.before(at, this.sn.syncOut);
    if (tail) return;
    this.flush(this.c.pos);
    this.out.bytes(this.sn.syncIn);
    this.from = this.c.pos;
  }
  /** Reads a block type: whether it has parameters; its result count in `results`. */
  private blockType(): boolean {
    const t = this.c.s33();
    if (t === -29 || t === -28) this.c.s33();   // (ref null ht), (ref ht)
    this.results = t === -64 ? 0 : 1;            // empty, or one value type
    if (t < 0) return false;
    const np = this.shape.params[t];
    if (np === undefined) fail('block type index out of range');
    this.results = this.shape.results[t];
    return np > 0;
  }

  /** Rewrites the instructions from the cursor to the function's final end. */
  run(): void {
    const { c, out } = this;
    this.from = c.pos;
    this.push(0, false, false, this.fnResults === 0);   // the function's own label
    while (this.cum.length > 0) {
      const at = c.pos;
      const op = c.byte();
      switch (op) {
        case 0x02: case 0x04: case 0x06: this.blockType(); this.push(0, false, false, this.results === 0); break;
        case 0x03: {
          const sn = this.sn;
          if (!sn) throw new NeedsLocal();
          const btStart = c.pos;
          const params = this.blockType();
          const bt = c.b.subarray(btStart, c.pos);
          this.flush(at);
          if (!this.inLoop()) out.bytes(sn.syncIn);   // into the loops: the local starts as the global
          if (params) {
            out.byte(0x03); out.bytes(bt); out.bytes(sn.dec); out.bytes(sn.ifCheck);
            this.push(0, false, true);
          } else {
            out.byte(0x02); out.bytes(bt); out.byte(0x03); out.byte(0x40); out.byte(0x02); out.byte(0x40);
            out.byte(0x03); out.bytes(bt); out.bytes(sn.dec); out.byte(0x0d); out.byte(1);   // br_if $slow
            this.push(3, true, true);
          }
          this.from = c.pos;
          break;
        }
        case 0x0b: {
          const wasIn = this.inLoop();
          if (this.pop()) {
            this.flush(c.pos);
            out.byte(0x0c); out.byte(2); out.byte(0x0b);                           // br $done; end $slow
            out.bytes(this.sn!.slow);
            out.byte(0x0c); out.byte(0); out.byte(0x0b); out.byte(0x00); out.byte(0x0b);   // br $again; end; unreachable; end
            this.from = c.pos;
          }
          // Out of the outermost loop by its end: the count back to the global.
          if (wasIn && this.cum.length > 0 && !this.inLoop()) { this.flush(c.pos); out.bytes(this.sn!.syncOut); this.from = c.pos; }
          break;
        }
        case 0x0f: if (this.sn && this.inLoop()) this.before(at, this.sn.syncOut); break;   // return
        case 0x05: case 0x19: case 0x00: case 0x01: case 0x1a: case 0x1b: case 0x0a: case 0xd1: case 0xd3: case 0xd4: break;
        case 0x07: case 0x08: c.u32(); break;   // catch, throw: a tag
        case 0x09: case 0x0c: case 0x0d: case 0xd5: case 0xd6: this.branch(op, at); break;
        case 0x18: this.pop(); this.branch(op, at); break;   // delegate: from outside the try
        case 0x0e: this.brTable(at); break;
        case 0x1f: this.tryTable(at); break;
        case 0x10: case 0x12: {
          const f = c.u32();
          this.call(f);
          const end = c.pos;
          const sync = this.sn !== null && this.inLoop();
          if (sync) this.before(at, this.sn!.syncOut);
          if (f >= this.shape.funcImports) {
            this.flush(at); out.byte(op); out.u32(f + 1); this.from = end;
          }
          if (sync && op === 0x10) { this.flush(end); out.bytes(this.sn!.syncIn); this.from = end; }
          break;
        }
        case 0xd2: {
          const f = c.u32();
          if (f >= this.shape.funcImports) this.calls.taken[f - this.shape.funcImports] = 1;
          this.flush(at); out.byte(op); out.u32(fnIndex(this.shape, f)); this.from = c.pos;
          break;
        }
        case 0x11: case 0x13: c.u32(); c.u32(); this.calls.indirect[this.fn] = 1; this.aroundCall(at, op === 0x13); break;
        case 0x14: case 0x15: c.u32(); this.calls.indirect[this.fn] = 1; this.aroundCall(at, op === 0x15); break;
        case 0x1c: for (let n = c.u32(); n > 0; n--) valtype(c); break;
        case 0x20: case 0x21: case 0x22: case 0x23: case 0x24: case 0x25: case 0x26: c.u32(); break;
        case 0x3f: case 0x40: c.u32(); break;
        case 0x41: case 0x42: c.leb(); break;
        case 0x43: c.skip(4); break;
        case 0x44: c.skip(8); break;
        case 0xd0: c.s33(); break;
        case 0xfc: this.prefixFC(); break;
        case 0xfd: this.prefixFD(); break;
        case 0xfe: this.prefixFE(); break;
        default:
          if (op >= 0x28 && op <= 0x3e) this.memarg();
          else if (!(op >= 0x45 && op <= 0xc4)) fail(`opcode 0x${op.toString(16)}`);
      }
    }
    this.flush(c.pos);
  }

  private memarg(): void {
    const align = this.c.u32();
    if (align & 0x40) this.c.u32();   // a memory index (multi-memory)
    this.c.leb();
  }

  private brTable(at: number): void {
    const c = this.c;
    const n = c.u32();
    const ds: number[] = [];
    let changed = false, out = false;
    for (let i = 0; i <= n; i++) {
      const d = c.u32();
      if (d < this.cum.length && this.leavesLoops(d)) out = true;
      const m = this.depth(d);
      if (m !== d) changed = true;
      ds.push(m);
    }
    if (out && this.sn) this.before(at, this.sn.syncOut);   // a way out of the loops
    if (!changed) return;
    this.flush(at);
    this.out.byte(0x0e); this.out.u32(n);
    for (const m of ds) this.out.u32(m);
    this.from = c.pos;
  }

  /** try_table: its catch clauses branch from outside it. */
  private tryTable(at: number): void {
    const c = this.c;
    const btStart = c.pos;
    this.blockType();
    const btEnd = c.pos;
    const n = c.u32();
    const clauses: [number, number, number][] = [];
    let changed = false;
    for (let i = 0; i < n; i++) {
      const kind = c.byte();
      const tag = kind < 2 ? c.u32() : -1;
      const d = c.u32();
      const m = this.depth(d);
      if (m !== d) changed = true;
      clauses.push([kind, tag, m]);
    }
    if (changed) {
      this.flush(at);
      this.out.byte(0x1f); this.out.bytes(c.b, btStart, btEnd); this.out.u32(n);
      for (const [kind, tag, m] of clauses) { this.out.byte(kind); if (tag >= 0) this.out.u32(tag); this.out.u32(m); }
      this.from = c.pos;
    }
    this.push(0, false, false, this.results === 0);
  }

  private prefixFC(): void {
    const c = this.c;
    const sub = c.u32();
    if (sub <= 7) return;
    if (sub === 8 || sub === 10 || sub === 12 || sub === 14) { c.u32(); c.u32(); return; }
    if (sub === 9 || sub === 11 || sub === 13 || (sub >= 15 && sub <= 17)) { c.u32(); return; }
    fail(`opcode 0xfc ${sub}`);
  }

  private prefixFD(): void {
    const c = this.c;
    const sub = c.u32();
    if (sub <= 11 || sub === 92 || sub === 93) this.memarg();
    else if (sub === 12 || sub === 13) c.skip(16);   // v128.const, i8x16.shuffle
    else if (sub >= 21 && sub <= 34) c.skip(1);      // extract/replace lane
    else if (sub >= 84 && sub <= 91) { this.memarg(); c.skip(1); }   // load/store lane
    else if (sub > 0x113) fail(`opcode 0xfd ${sub}`);
    // every other SIMD opcode (relaxed SIMD included) has no immediate
  }

  private prefixFE(): void {
    const c = this.c;
    const sub = c.u32();
    if (sub === 3) { c.skip(1); return; }   // atomic.fence
    if (sub <= 2 || (sub >= 0x10 && sub <= 0x4e)) { this.memarg(); return; }
    fail(`opcode 0xfe ${sub}`);
  }
}

/**
 * Tarjan's strongly connected components, iterative (call chains in a large
 * module are deep): which of the `n` nodes are in a cycle. `succ(v)` lists v's
 * successors.
 */
function inCycle(n: number, succ: (v: number) => ArrayLike<number>): Uint8Array {
  const index = new Int32Array(n).fill(-1), low = new Int32Array(n);
  const onStack = new Uint8Array(n), result = new Uint8Array(n);
  const stack: number[] = [];
  const fv: number[] = [], fi: number[] = [], fs: ArrayLike<number>[] = [];   // the DFS frames
  let next = 0;
  const enter = (v: number): void => {
    index[v] = low[v] = next++;
    stack.push(v); onStack[v] = 1;
    fv.push(v); fi.push(0); fs.push(succ(v));
  };
  for (let root = 0; root < n; root++) {
    if (index[root] >= 0) continue;
    enter(root);
    while (fv.length > 0) {
      const top = fv.length - 1, v = fv[top], s = fs[top];
      if (fi[top] < s.length) {
        const w = s[fi[top]++];
        if (w === v) result[v] = 1;   // calls itself
        if (index[w] < 0) enter(w);
        else if (onStack[w]) low[v] = Math.min(low[v], index[w]);
        continue;
      }
      fv.pop(); fi.pop(); fs.pop();
      if (fv.length > 0) { const p = fv[fv.length - 1]; low[p] = Math.min(low[p], low[v]); }
      if (low[v] !== index[v]) continue;
      // v is the root of a component: the stack above it, v included.
      const first = stack.lastIndexOf(v);
      if (stack.length - first > 1) for (let k = first; k < stack.length; k++) result[stack[k]] = 1;
      for (let k = first; k < stack.length; k++) onStack[stack[k]] = 0;
      stack.length = first;
    }
  }
  return result;
}

/** The code section rewritten (loops, renumbered calls, entry checks for functions in a cycle). */
function codeSection(b: Uint8Array, s: Section, shape: Shape, calls: Calls, counter: number, ftypes: number[]): Uint8Array {
  const sp = shape.funcImports;   // the import's index
  const entry = entryCheck(counter, sp);
  const c = new Cursor(b, s.payload, s.end);
  const n = c.u32();
  if (n !== ftypes.length) fail('function and code sections disagree');
  const bodies = new Out(Math.ceil((s.end - s.payload) * 1.2) + 64);
  const at = new Int32Array(n + 1), code = new Int32Array(n);
  calls.start = new Int32Array(n + 1);
  calls.indirect = new Uint8Array(n);
  if (calls.taken.length < n) { const t = new Uint8Array(n); t.set(calls.taken.subarray(0, n)); calls.taken = t; }
  for (let f = 0; f < n; f++) {
    const size = c.u32();
    const end = c.pos + size;
    at[f] = bodies.len;
    calls.start[f] = calls.edges.length;
    const bc = new Cursor(b, c.pos, end);
    const groups = bc.u32();
    let locals = shape.params[ftypes[f]] ?? fail('function type out of range');
    for (let g = 0; g < groups; g++) { locals += bc.u32(); valtype(bc); }
    const instrs = bc.pos;
    // Without a counter local first (most functions have no loop); again with one at the first loop.
    for (const withLocal of [false, true]) {
      bodies.len = at[f];
      calls.edges.length = calls.start[f];
      if (withLocal) {
        bodies.u32(groups + 1);
        bodies.bytes(b, c.pos + lebSize(b, c.pos), instrs);   // the groups, after their count
        bodies.u32(1); bodies.byte(I32);
      } else bodies.bytes(b, c.pos, instrs);
      code[f] = bodies.len;
      bc.pos = instrs;
      try {
        new BodyRewriter(bc, bodies, shape, calls, f, withLocal ? new Snippets(counter, sp, locals) : null, shape.results[ftypes[f]]).run();
        break;
      } catch (e) {
        if (!(e instanceof NeedsLocal)) throw e;
      }
    }
    if (bc.pos !== end) fail(`function ${f}: code after its end`);
    c.pos = end;
  }
  at[n] = bodies.len;
  calls.start[n] = calls.edges.length;
  if (c.pos !== s.end) fail('code section size mismatch');
  // A virtual node n stands for "any indirect callee".
  const takenList: number[] = [];
  for (let f = 0; f < n; f++) if (calls.taken[f]) takenList.push(f);
  const cyclic = inCycle(n + 1, (v) => {
    if (v === n) return takenList;
    const list = calls.edges.slice(calls.start[v], calls.start[v + 1]);
    if (calls.indirect[v]) list.push(n);
    return list;
  });
  const out = new Out(bodies.len + n * (entry.length + 5) + 16);
  out.u32(n);
  const buf = bodies.buf;
  for (let f = 0; f < n; f++) {
    const extra = cyclic[f] ? entry.length : 0;
    out.u32(at[f + 1] - at[f] + extra);
    out.bytes(buf, at[f], code[f]);
    if (extra) out.bytes(entry);
    out.bytes(buf, code[f], at[f + 1]);
  }
  return section(SEC_CODE, out.result());
}

/**
 * The module with safepoints (see the top of this file). Throws for a
 * module it cannot rewrite (an unknown opcode or section layout).
 */
export function safepointPass(b: Uint8Array): Uint8Array {
  const list = sections(b);
  const find = (id: number): Section | undefined => list.find((x) => x.id === id);
  const types = typeParams(b, find(SEC_TYPE));
  const replaced = new Map<Section | number, Uint8Array | null>();
  let spType = types.spType;
  if (spType < 0) {
    const t = typeSection(b, find(SEC_TYPE), types.params);
    spType = t.spType;
    replaced.set(find(SEC_TYPE) ?? SEC_TYPE, t.bytes);
  }
  const imp = importSection(b, find(SEC_IMPORT), SAFEPOINT_IMPORT, spType);
  replaced.set(find(SEC_IMPORT) ?? SEC_IMPORT, imp.bytes);
  const shape: Shape = { funcImports: imp.funcs, globals: imp.globals, params: types.params, results: types.results, spType };
  const calls: Calls = { edges: [], start: new Int32Array(0), indirect: new Uint8Array(0), taken: new Uint8Array(1024) };
  const taken = (f: number): void => {
    if (f < shape.funcImports) return;
    const i = f - shape.funcImports;
    if (i >= calls.taken.length) { const t = new Uint8Array(Math.max(i + 1, calls.taken.length * 2)); t.set(calls.taken); calls.taken = t; }
    calls.taken[i] = 1;
  };
  const glob = globalSection(b, find(SEC_GLOBAL), shape, taken, SAFEPOINT_INTERVAL);
  replaced.set(find(SEC_GLOBAL) ?? SEC_GLOBAL, glob.bytes);
  for (const s of list) {
    if (s.id === SEC_EXPORT) replaced.set(s, exportSection(b, s, shape));
    else if (s.id === SEC_START) {
      const o = new Out(); o.u32(fnIndex(shape, new Reader(b, s.payload, s.end).u32()));
      replaced.set(s, section(SEC_START, o.result()));
    } else if (s.id === SEC_ELEM) replaced.set(s, elemSection(b, s, shape, taken));
    else if (s.id === SEC_CUSTOM && customName(b, s) === 'name') replaced.set(s, nameSection(b, s, shape));
  }
  // After the elements and globals: the code's ref.func adds to what they took.
  const code = find(SEC_CODE);
  if (code) replaced.set(code, codeSection(b, code, shape, calls, glob.counter, functionTypes(b, find(SEC_FUNC))));
  return assemble(b, list, replaced);
}

