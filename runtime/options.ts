// Checks for boot options, shared by every option of BootOptions: each value
// is checked before anything of the machine starts, and a bad one is a
// WasmuxError (EINVAL) that names the option, the value and the rule in one
// line, e.g.
//
//   boot option pipeSize = 1024: must be a power of two from 4096 (PIPE_BUF) to 1048576
//
// Use: `intOption('tmpfsSize', options.tmpfsSize, 256 << 20, { min: 1 << 20, max: 2 ** 40 })`.

import { EINVAL } from '../abi/errno.js';
import { WasmuxError } from './errors.js';

export interface IntRule {
  min: number;
  max: number;
  /** The value must also be a power of two. */
  powerOfTwo?: boolean;
  /** Why the bounds are what they are, shown after them, e.g. '(PIPE_BUF)'. */
  note?: string;
}

/** How a bad value is shown: strings quoted, bigints and numbers as digits. */
export function showValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' || v == null) return String(v);
  try { return JSON.stringify(v) ?? typeof v; } catch { return typeof v; }
}

/** The error for option `name` holding `value`, which breaks `rule` ("an integer from 0 to 8"). */
export function optionError(name: string, value: unknown, rule: string): WasmuxError {
  return new WasmuxError(`boot option ${name} = ${showValue(value)}: must be ${rule}`, EINVAL);
}

function describe(r: IntRule): string {
  const what = r.powerOfTwo ? 'a power of two' : 'an integer';
  const note = r.note ? ` ${r.note}` : '';
  return `${what} from ${r.min} to ${r.max}${note}`;
}

/** A whole-number option: `dflt` when absent, else `value` if it keeps `rule`. */
export function intOption(name: string, value: unknown, dflt: number, rule: IntRule): number {
  if (value === undefined) return dflt;
  const ok = typeof value === 'number' && Number.isSafeInteger(value)
    && value >= rule.min && value <= rule.max
    && (!rule.powerOfTwo || (value > 0 && 2 ** Math.round(Math.log2(value)) === value));
  if (!ok) throw optionError(name, value, describe(rule));
  return value as number;
}

/** A flag: `dflt` when absent, else true or false. */
export function boolOption(name: string, value: unknown, dflt: boolean): boolean {
  if (value === undefined) return dflt;
  if (typeof value !== 'boolean') throw optionError(name, value, 'true or false');
  return value;
}

const INT64_MIN = -(2n ** 63n);
const UINT64_END = 2n ** 64n;

/**
 * A 64-bit seed: a safe-integer number or a bigint from -2^63 to 2^64-1
 * (the kernel takes its 64 bits; a wider value would alias another seed).
 */
export function seedOption(name: string, value: unknown): bigint | undefined {
  if (value === undefined) return undefined;
  const big = typeof value === 'bigint' ? value
    : typeof value === 'number' && Number.isSafeInteger(value) ? BigInt(value) : null;
  if (big === null || big < INT64_MIN || big >= UINT64_END) {
    throw optionError(name, value, `an integer from ${INT64_MIN} to ${UINT64_END - 1n}`);
  }
  return big;
}

/** A list option: absent is empty. */
export function listOption<T>(name: string, value: unknown): T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw optionError(name, value, 'an array');
  return value as T[];
}
