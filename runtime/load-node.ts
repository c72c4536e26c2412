// Is the machine overloaded, more runnable threads than CPUs? The spin
// policy asks at every blocked call (host/spin.ts: a spin only takes the
// core from the thread that would wake us when there are not enough), so
// the answer is cached and refreshed at most every SAMPLE_MS. Linux only:
// the 4th field of /proc/loadavg is the number of runnable threads right
// now (the asking thread included), smoothed here over a few samples; with
// no /proc (another OS) the answer is always no and the policy is the
// spin budget alone.

import * as fs from 'node:fs';
import * as os from 'node:os';

const SAMPLE_MS = 10;
/** Samples further apart than this start the average afresh. */
const STALE_MS = 100;

let fd = -2;   // -2: not opened yet, -1: not available
let last = 0;
let avg = 0;
let over = false;
const cpus = os.availableParallelism();
const buf = new Uint8Array(128);

/** Runnable threads now, from /proc/loadavg ("0.50 0.40 0.30 3/250 1234"), or -1. */
function runnable(): number {
  if (fd === -2) {
    try { fd = fs.openSync('/proc/loadavg', 'r'); } catch { fd = -1; }
  }
  if (fd < 0) return -1;
  try {
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    const m = / (\d+)\//.exec(String.fromCharCode(...buf.subarray(0, n)));
    return m ? Number(m[1]) : -1;
  } catch {
    return -1;
  }
}

export function overloaded(): boolean {
  const now = Date.now();
  if (now - last < SAMPLE_MS && now >= last) return over;
  const r = runnable();
  if (r < 0) return (over = false);
  avg = now - last > STALE_MS ? r : avg + (r - avg) / 4;
  last = now;
  // Half a thread of slack: the asking thread counts itself, and a quiet
  // machine has a passing kernel thread now and then.
  over = avg > cpus + 0.5;
  return over;
}
