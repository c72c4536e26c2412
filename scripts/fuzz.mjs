#!/usr/bin/env node
// The syscall fuzzer: `npm run fuzz -- [--calls N] [--procs P] [--round R] [--seed S]`.
// `--keep-going` runs every round even after one failed (to count them).
// Runs N random syscalls in all (default 200 000) in rounds of R calls
// (default 100 000), each round a fresh machine with P fuzz guests at once
// (default 4), seeds S, S+1, ... (default: from the clock, printed). After
// each round the invariants of tests/helpers/fuzz.mjs are checked; a failure
// prints its seed and the command that replays it, and the exit status is 1.
import { fuzzRoundIsolated, INVARIANTS } from '../tests/helpers/fuzz.mjs';

function option(name, dflt) {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return dflt;
  const v = Number(process.argv[i + 1]);
  if (!Number.isSafeInteger(v) || v < 0) { console.error(`fuzz: --${name} wants a whole number`); process.exit(2); }
  return v;
}
const total = option('calls', 200000);
const procs = Math.max(1, option('procs', 4));
const round = Math.max(procs, option('round', 100000));
const seed0 = option('seed', Date.now() % 1000000007);
const keepGoing = process.argv.includes('--keep-going');

const t0 = Date.now();
let done = 0, rounds = 0;
const failures = [];
console.log(`fuzz: ${total} calls, ${procs} processes at once, rounds of ${round}, seeds from ${seed0}`);
for (let seed = seed0; done < total; seed++) {
  const per = Math.max(1, Math.ceil(Math.min(round, total - done) / procs));
  const r = await fuzzRoundIsolated({ seed, procs, calls: per, timeoutMs: 60000 + per * 2 });
  done += r.calls; rounds++;
  console.log(`  round seed ${seed}: ${r.calls} calls in ${r.ms} ms, ${r.sigpipes ?? 0} SIGPIPE deaths followed up`
    + `${r.failures.length ? ` — ${r.failures.length} FAILURE(S)` : ', invariants hold'}`);
  failures.push(...r.failures);
  if (keepGoing) for (const f of r.failures) console.log(`    ${f}`);
  if (r.failures.length && !keepGoing) break;
}
const s = (Date.now() - t0) / 1000;
const failed = new Set(failures.map((f) => f.split(':')[0])).size;
console.log(`fuzz: ${done} calls in ${rounds} round(s), ${s.toFixed(1)} s (${Math.round(done / s)} calls/s)${failed ? `, ${failed} round(s) failed` : ''}`);
console.log(`invariants checked after each round (${INVARIANTS.length} x ${rounds}):`);
for (const inv of INVARIANTS) console.log(`  - ${inv}`);
if (failures.length) {
  console.log('\nFAILURES:');
  for (const f of failures) console.log(`  ${f}`);
  process.exit(1);
}
console.log('all invariants held');
