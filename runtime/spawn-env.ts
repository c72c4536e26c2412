// A spawn's environment (SpawnOptions.env), exactly as given: nothing is
// added or taken away, only checked. `{ K: 'v' }` gives "K=v" in insertion
// order; a list is taken string by string.

import { EINVAL } from '../abi/errno.js';
import { WasmuxError } from './errors.js';

function bad(why: string): never {
  throw new WasmuxError(`spawn option env: ${why}`, EINVAL);
}

/** The environment as K=V strings; a WasmuxError (EINVAL) for one a C program could not read back. */
export function envList(value: unknown): string[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) {
    return value.map((s) => {
      if (typeof s !== 'string') bad(`${String(s)} is not a string`);
      if (s.includes('\0')) bad(`${JSON.stringify(s)} has a NUL`);
      return s;
    });
  }
  if (value === null || typeof value !== 'object') bad(`want an object of K: value or a list of K=value strings, not ${String(value)}`);
  return Object.entries(value as Record<string, unknown>).map(([k, v]) => {
    if (k === '' || k.includes('=') || k.includes('\0')) bad(`name ${JSON.stringify(k)}: want a non-empty name without = or NUL`);
    if (typeof v !== 'string' || v.includes('\0')) bad(`${k}: want a string without NUL`);
    return `${k}=${v}`;
  });
}
