// The POSIX message queue rows of `npm run bench` (bench/run.mjs imports
// mqueueRows and calls mqueueTeardown):
//   mq_pingpong     two processes bounce a 1-byte message over two queues,
//                   N round trips; goal <= 1.0x native
//   mq_throughput   one-way 64-byte messages through a queue of 10, messages
//                   per second; goal >= 3x native
// Each is one C source in bench/native (built natively by run.mjs with
// cc -O2) built here with `wasmux cc -O2` too; the sandbox side runs in a
// machine of its own.

import { nativeSourceGuest } from './guest.mjs';

const pingpong = nativeSourceGuest('mq_pingpong');
const throughput = nativeSourceGuest('mq_throughput');

export async function mqueueTeardown() {
  await pingpong.teardown();
  await throughput.teardown();
}

/** The rows (bench/run.mjs's format); `runNative(prog, ...args)` runs a native baseline. */
export function mqueueRows(quick, runNative) {
  const rounds = quick ? 5000 : 20000;
  const messages = quick ? 50000 : 200000;
  const timeoutMs = quick ? 60_000 : 180_000;
  return [
    {
      name: 'mq_pingpong',
      label: 'POSIX mq 1-byte ping-pong round trip (C, both sides)',
      unit: 'us', goal: { dir: '<=', ratio: 1.0, loaded: 1.5 },
      native: () => runNative('mq_pingpong', rounds),
      sandbox: () => pingpong.run([String(rounds)], timeoutMs),
    },
    {
      name: 'mq_throughput',
      label: 'POSIX mq one-way throughput, 64-byte messages, queue of 10 (C, both sides)',
      unit: 'Mmsg/s', goal: { dir: '>=', ratio: 3.0, loaded: 3.0 },
      native: () => runNative('mq_throughput', messages),
      sandbox: () => throughput.run([String(messages)], timeoutMs),
    },
  ];
}
