// The browser's transform worker (runtime/transform-browser.ts): binaryen
// (loaded here, where its top-level await is fine) applies the pipeline's
// passes for every process worker of the machine, one request at a time,
// each answered through the requester's SharedArrayBuffers; binaryen is
// loaded at the first request. Its last
// result is kept, for a requester whose buffer was too small and asks again.

import { applyPasses, type Binaryen } from '../host/transform/binaryen.js';
import { contentHash, T_DONE, T_FAILED, T_SHORT, type TransformRequest } from './transform-browser.js';

let last: { key: string; bytes: Uint8Array } | null = null;
// binaryen (13 MB) is loaded at the first request, not when the page starts this worker.
let binaryen: Promise<Binaryen> | null = null;
// One request at a time, in the order they came.
let queue: Promise<void> = Promise.resolve();

function answer(req: TransformRequest, state: number, bytes: Uint8Array): void {
  const out = new Uint8Array(req.out);
  if (bytes.length > out.length && state === T_DONE) {
    req.ctl[1] = bytes.length;
    state = T_SHORT;
  } else {
    const n = Math.min(bytes.length, out.length);
    out.set(bytes.subarray(0, n));
    req.ctl[1] = n;
  }
  Atomics.store(req.ctl, 0, state);
  Atomics.notify(req.ctl, 0);
}

async function handle(req: TransformRequest): Promise<void> {
  const key = `${contentHash(req.bytes)}/${req.passes.join(',')}`;
  try {
    binaryen ??= import('binaryen').then((m) => m.default as unknown as Binaryen);
    const b = await binaryen;
    if (last?.key !== key) last = { key, bytes: applyPasses(b, req.bytes, req.passes) };
    answer(req, T_DONE, last.bytes);
  } catch (e) {
    answer(req, T_FAILED, new TextEncoder().encode(e instanceof Error ? e.message : String(e)));
  }
}

// Typed locally: the project compiles with the DOM lib, not WebWorker.
const scope = self as unknown as { onmessage: ((ev: MessageEvent) => void) | null };
scope.onmessage = (ev: MessageEvent) => {
  const port = (ev.data as { connect?: MessagePort }).connect;
  if (port) port.onmessage = (m: MessageEvent) => { queue = queue.then(() => handle(m.data as TransformRequest)); };
};
