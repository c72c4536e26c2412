// The System V message queue row of `npm run bench` (bench/run.mjs imports
// sysvMsgRows and calls sysvMsgTeardown):
//   sysv_msg_pingpong  two processes, one queue, typed requests and replies:
//                      bench/native/sysv_msg_pingpong.c built natively (run.mjs
//                      builds every bench/native/*.c with cc -O2) and, the same
//                      source, with `wasmux cc -O2` (guest.mjs); goal <= 1.0x
// The sandbox side runs in a machine of its own.

import { nativeSourceGuest } from './guest.mjs';

const guest = nativeSourceGuest('sysv_msg_pingpong');

export const sysvMsgTeardown = () => guest.teardown();

/** The rows (bench/run.mjs's format); `runNative(prog, ...args)` runs a native baseline. */
export function sysvMsgRows(quick, runNative) {
  const rounds = quick ? 5000 : 20000;
  const timeoutMs = quick ? 60_000 : 180_000;
  return [
    {
      name: 'sysv_msg_pingpong',
      label: 'System V msg ping-pong round trip, 64 B typed replies (C, both sides)',
      unit: 'us', goal: { dir: '<=', ratio: 1.0, loaded: 1.5 },
      native: () => runNative('sysv_msg_pingpong', rounds),
      sandbox: () => guest.run([String(rounds)], timeoutMs),
    },
  ];
}
