// The signal row of `npm run bench` (bench/run.mjs imports signalRows and
// calls signalTeardown):
//   sig_roundtrip   two processes, kill -> handler -> kill back, N rounds:
//                   bench/native/sig_roundtrip.c built natively (run.mjs
//                   builds every bench/native/*.c with cc -O2) and, the same
//                   source, with `wasmux cc -O2` (guest.mjs); goal <= 1.0x
// The sandbox side runs in a machine of its own.

import { nativeSourceGuest } from './guest.mjs';

const guest = nativeSourceGuest('sig_roundtrip');

export const signalTeardown = () => guest.teardown();

/** The rows (bench/run.mjs's format); `runNative(prog, ...args)` runs a native baseline. */
export function signalRows(quick, runNative) {
  const rounds = quick ? 2000 : 10000;
  const timeoutMs = quick ? 60_000 : 180_000;
  return [
    {
      name: 'sig_roundtrip',
      label: 'signal round trip: kill -> handler -> kill back (C, both sides)',
      unit: 'us', goal: { dir: '<=', ratio: 1.0, loaded: 1.5 },
      native: () => runNative('sig_roundtrip', rounds),
      sandbox: () => guest.run([String(rounds)], timeoutMs),
    },
  ];
}
