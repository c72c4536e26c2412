// Node built-in modules loaded when first used, not when the bundle loads.
// A few cost 7-18 ms each to load (node:crypto, node:child_process with the
// node:net and node:dgram it pulls in, node:tty), which is a tenth of a
// cold start each, on the main thread and in every worker, for things most
// runs never do (transform a module for fork, read a terminal). Works in the
// ESM bundle and in the CommonJS worker bundle alike: a require made for
// built-ins only (no path is ever looked up from '/').

import { createRequire } from 'node:module';

const load = createRequire('/');

/** A getter for built-in `name` (e.g. 'node:crypto'), loaded at the first call. */
export function builtin<T>(name: string): () => T {
  let mod: T | undefined;
  return () => (mod ??= load(name) as T);
}
