// The transform pipeline's backend in the browser (host/transform/pipeline.ts
// TransformBackend), so that fork works there too. binaryen loads with a
// top-level await, which a process worker (busy in guest code, answering
// only by blocking) cannot wait for, and there is no child process to run
// it in. So the page starts one transform worker per machine
// (runtime/transform-worker-browser.ts, binaryen inside) and hands every
// process worker a MessagePort to it; a process worker posts the module
// and blocks on a SharedArrayBuffer word until the result is written into
// a second one it provided (posting needs no event loop; only receiving
// would). A result larger than that buffer is answered with its size and
// asked for again (the transform worker keeps its last result for that).
// No disk here: results are cached in memory per thread (pipeline.ts).

import type { TransformBackend } from '../host/transform/pipeline.js';

/** The message a process worker gets first: its port to the transform worker. */
export const TRANSFORM_PORT_MESSAGE = 'transform-port';

/** ctl[0] states, written by the transform worker. */
export const T_WAITING = 0, T_DONE = 1, T_FAILED = 2, T_SHORT = 3;

/** One request: the module, the binaryen passes, the control words and the buffer for the answer. */
export interface TransformRequest {
  bytes: Uint8Array;
  passes: string[];
  ctl: Int32Array;
  out: SharedArrayBuffer;
}

/** A transform of a large module takes tens of seconds on a slow machine; past this it is given up. */
const RUN_TIMEOUT_MS = 600_000;

/**
 * A 64-bit content hash (two multiply-rotate lanes over 32-bit words, the
 * length mixed in), as hex: the in-memory cache's key. Not cryptographic:
 * it keys one thread's own cache of modules it was given.
 */
export function contentHash(bytes: Uint8Array): string {
  let h1 = 0x9e3779b9 ^ bytes.length, h2 = 0x85ebca6b ^ bytes.length;
  const words = bytes.length >> 2;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < words; i++) {
    const w = dv.getUint32(i * 4, true);
    h1 = Math.imul((h1 ^ w), 0xcc9e2d51); h1 = (h1 << 15) | (h1 >>> 17);
    h2 = Math.imul((h2 + w) | 0, 0x1b873593); h2 = (h2 << 13) | (h2 >>> 19);
  }
  for (let i = words * 4; i < bytes.length; i++) { h1 = Math.imul(h1 ^ bytes[i]!, 0xcc9e2d51); h2 = Math.imul(h2 + bytes[i]!, 0x1b873593); }
  h1 = Math.imul(h1 ^ (h2 >>> 16), 0x85ebca6b); h2 = Math.imul(h2 ^ (h1 >>> 13), 0xc2b2ae35);
  return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
}

/** Page side: the machine's transform worker, started with the first process worker that needs a port. */
export class TransformWorker {
  private worker: Worker | null = null;
  constructor(private readonly url: string | URL) {}

  /** A port to the transform worker for one more process worker. */
  connect(): MessagePort {
    this.worker ??= new Worker(this.url, { type: 'module', name: 'wasmux-transform' });
    const ch = new MessageChannel();
    this.worker.postMessage({ connect: ch.port1 }, [ch.port1]);
    return ch.port2;
  }
}

/** Process-worker side: runs binaryen's passes through the transform worker `port()` gives (null: none). */
export function browserTransformBackend(port: () => MessagePort | null): TransformBackend {
  return {
    hash: contentHash,
    read: () => null,
    write: () => { /* no disk: pipeline.ts keeps it in memory */ },
    run(bytes, passes) {
      const p = port();
      if (!p) throw new Error('no transform worker (the page did not start one)');
      let cap = Math.max(1 << 20, bytes.length * 3);
      for (let attempt = 0; attempt < 2; attempt++) {
        const ctl = new Int32Array(new SharedArrayBuffer(8));
        const out = new SharedArrayBuffer(cap);
        const req: TransformRequest = { bytes: bytes.slice(), passes: [...passes], ctl, out };
        p.postMessage(req);
        if (Atomics.wait(ctl, 0, T_WAITING, RUN_TIMEOUT_MS) === 'timed-out') {
          throw new Error(`transform worker: no answer in ${RUN_TIMEOUT_MS / 1000} s`);
        }
        const state = Atomics.load(ctl, 0), n = ctl[1]!;
        if (state === T_DONE) return new Uint8Array(out, 0, n).slice();
        if (state === T_FAILED) throw new Error(new TextDecoder().decode(new Uint8Array(out, 0, n).slice()));
        cap = n;   // T_SHORT: the size it needs
      }
      throw new Error('transform worker: the result did not fit its buffer');
    },
  };
}
