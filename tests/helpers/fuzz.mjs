// The syscall fuzzer's host side: one round boots a machine, runs `procs`
// fuzz guests (tests/helpers/guests/fuzz.ts) at once, `calls` random calls
// each, and checks the invariants below. Used by tests/fuzz.test.mjs (a short
// run in `npm test`) and scripts/fuzz.mjs (`npm run fuzz`).
//
// A round is reproducible from its seed as far as each guest's sequence of
// calls goes; how the processes interleave is up to the host's scheduler.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { boot } from '../../dist/index.js';
import { installGuest, sh, waitFor, settledHeap } from './index.mjs';

export const INVARIANTS = [
  'every guest exits by itself with status 0 (no host exception, no trap, no kernel sentinel or out-of-table result)',
  'no "wasmux:" line (kernel fault, worker error) on the host\'s stderr or a guest\'s report',
  'no task parked for ever: every guest ends within the round timeout (else SIGKILL, and it must still end)',
  'only init left afterwards',
  'kernel heap blocks back to the count before the round (after removing the files the guests made)',
  'no machine-wide lock word held (k_lockWordsTaken() == 0)',
  'the machine still works (a pipeline gives its output)',
];

/** The count a guest's progress file holds (an i64), or null. */
function progressOf(m, i) {
  try {
    const b = m.readFile(`/tmp/fzprogress${i}`);
    return b.length >= 8 ? Number(new DataView(b.buffer, b.byteOffset, 8).getBigInt64(0, true)) : null;
  } catch { return null; }
}

const text = (m, path) => { try { return new TextDecoder().decode(m.readFile(path)); } catch { return ''; } };

/**
 * One round. Resolves to { calls, ms, failures: string[] }; a failure names
 * the seed and how to replay it.
 */
export async function fuzzRound({ seed, procs = 4, calls = 2000, timeoutMs = 60000, maxProcs = 128, trace = false, only = '' }) {
  const failures = [];
  let madeCalls = 0, sigpipes = 0, orphansKilled = 0;
  const replay = `npm run fuzz -- --seed ${seed} --procs ${procs} --round ${procs * calls} --calls ${procs * calls}`;
  const fail = (what) => failures.push(`seed ${seed}: ${what}\n  replay: ${replay}`);
  const t0 = Date.now();
  await (async () => {
    const m = await boot({ maxProcs, trace });
    try {
      const guest = installGuest(m, 'fuzz');
      const base = m.heapBlocks();   // no process has run yet: nothing in flight
      // What the namespace holds before: afterwards everything else goes.
      const DIRS = ['/', '/tmp', '/dev', '/home', '/run', '/dev/shm', '/dev/mqueue', '/bin'];
      const before = new Map();
      for (const d of DIRS) before.set(d, (await sh(m, `ls ${d}`)).stdout.split('\n').filter(Boolean));
      await waitFor(() => m.ps().length === 1, 20000, 'only init left');
      const locks0 = m.kernel.exports.k_lockWordsTaken();
      if (locks0 !== 0) fail(`${locks0} lock(s) held before the round`);
      // One slot per guest: a guest killed by SIGPIPE (a write to a pipe
      // nobody reads: Linux's answer too) is followed by the next generation
      // for the calls it had left; its progress file says how many it made.
      const deadline = Date.now() + timeoutMs;
      const slot = async (i) => {
        let left = calls, gen = 0;
        while (left > 0) {
          const h = m.spawn(guest, [guest, 'run', String(seed), String(i), String(left), '1024', String(procs), String(gen), only],
            // No pipes: a child orphaned in a FIFO open would hold one, and wait()
            // settles only at the end of the output. Reports go to files.
            { stdin: 'null', stdout: 'null', stderr: 'null' });
          const st = await Promise.race([h.wait(), new Promise((r) => setTimeout(r, Math.max(0, deadline - Date.now()), null))]);
          if (st === null) { stuck.push(h); return; }
          const made = progressOf(m, i);
          if (st.code === 0) {
            if (made !== left) fail(`guest ${i}.${gen} exited 0 after ${made} of ${left} calls`);
            madeCalls += left;
            return;
          }
          if (st.signal === 13 && made !== null && made < left) {
            sigpipes++; madeCalls += made + 1; left -= made + 1; gen++;
            continue;
          }
          fail(`guest ${i}.${gen} (pid ${h.pid}) ended ${JSON.stringify(st)} after ${made} calls: ${text(m, `/tmp/fzreport${i}`).trim()}`);
          return;
        }
      };
      const stuck = [];
      await Promise.all(Array.from({ length: procs }, (_, i) => slot(i)));
      if (stuck.length) {
        fail(`guests still running after ${timeoutMs} ms: ${JSON.stringify(m.ps())}`);
        for (const h of stuck) { try { m.kill(h.pid, 9); } catch { /* gone */ } }
        const ended = await Promise.race([Promise.all(stuck.map((h) => h.wait())).then(() => true), new Promise((r) => setTimeout(r, 15000, false))]);
        if (!ended) { fail(`guests survived SIGKILL for 15 s: ${JSON.stringify(m.ps())}`); return; }
      }
      // Children of guests killed by SIGPIPE may wait for ever in a FIFO open
      // (as on Linux): told to stop with SIGKILL, they must end.
      for (const p of m.ps()) if (p.pid > 1 && p.state !== 'zombie') { orphansKilled++; try { m.kill(p.pid, 9); } catch { /* gone */ } }
      try {
        await waitFor(() => m.ps().length === 1, 20000, 'only init left');
      } catch { fail(`processes left: ${JSON.stringify(m.ps())}`); return; }
      for (const d of DIRS) {
        const clean = m.spawn(guest, [guest, 'clean-except', d, ...before.get(d)], { stdin: 'null', stdout: 'pipe', stderr: 'pipe' });
        const cst = await clean.wait();
        if (cst.code !== 0) fail(`could not remove what the guests made in ${d} (${JSON.stringify(cst)}): ${clean.stdout}${clean.stderr}`);
      }
      // System V message queues outlive their processes: the guests' go too.
      const ipc = m.spawn(guest, [guest, 'clean-ipc'], { stdin: 'null', stdout: 'null', stderr: 'null' });
      const ist = await ipc.wait();
      if (ist.code !== 0) fail(`could not remove the guests' message queues (${JSON.stringify(ist)})`);
      await waitFor(() => m.ps().length === 1, 20000, 'only init left');
      const heap = await settledHeap(m, base);
      if (heap !== base) {
        fail(`kernel heap blocks ${base} before, ${heap} after`);
        if (process.env.FUZZ_DEBUG) {
          const ls = await sh(m, ['/', '/tmp', '/dev', '/home', '/run', '/dev/shm', '/dev/mqueue'].map((d) => `echo "== ${d}"; ls ${d}`).join('; '));
          process.stderr.write(ls.stdout + ls.stderr);
        }
      }
      const locks = m.kernel.exports.k_lockWordsTaken();
      if (locks !== 0) fail(`${locks} lock word(s) still held`);
      const alive = await sh(m, 'echo alive | cat', {}, 20000);
      if (alive.stdout !== 'alive\n') fail(`machine broken afterwards: ${JSON.stringify(alive)}`);
    } finally {
      await m.shutdown();
    }
  })();
  return { calls: madeCalls, ms: Date.now() - t0, sigpipes, orphansKilled, failures };
}

/**
 * A round in a child Node process, so that what workers write straight to
 * fd 2 (kernel faults, worker errors: fs.writeSync(2)) is seen too.
 */
export function fuzzRoundIsolated(opts) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), JSON.stringify(opts)],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    const guard = setTimeout(() => child.kill('SIGKILL'), (opts.timeoutMs ?? 60000) + 60000);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      let r;
      try { r = JSON.parse(out.trim().split('\n').pop()); } catch {
        r = { calls: 0, ms: 0, failures: [`seed ${opts.seed}: the round's process ended ${code ?? signal} without a result`] };
      }
      for (const l of err.split('\n')) {
        if (/wasmux:|Error\b/.test(l)) r.failures.push(`seed ${opts.seed}: host stderr: ${l}`);
      }
      resolve(r);
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await fuzzRound(JSON.parse(process.argv[2]));
  process.stdout.write(`${JSON.stringify(r)}\n`);
  process.exit(0);
}
