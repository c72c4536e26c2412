// Many shells at once, some of their processes killed at random moments:
// the kernel keeps working, nothing is left behind, no memory leaks.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { boot } from '../dist/index.js';
import { guarded, withTimeout, sleep, waitFor, waitOnlyInit, settledHeap } from './helpers/index.mjs';

const t = suite('stress');

// Each command with the output it must give when nothing of it is killed.
const COMMANDS = [
  ['seq 1 20000 | cat | cat | wc -l', '20000\n'],
  ['yes abc | head -n 5000 | tail -n 2', 'abc\nabc\n'],
  ['echo x > /tmp/a$$; cat /tmp/a$$ /tmp/a$$ | wc -c; rm /tmp/a$$', '4\n'],
  ['sleep 0.05; true', ''],
  ['cat /dev/zero | head -c 200000 | wc -c', '200000\n'],
];
// A FIFO whose reader is killed before it opens leaves the writer waiting
// for ever, as on Linux: that one runs, but is never killed.
const FIFO = 'mkfifo /tmp/f$$; cat /tmp/f$$ > /dev/null & seq 1 3000 > /tmp/f$$; wait; rm /tmp/f$$';

function lcg(seed) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

/** Every process with what it is blocked on (a hang's report). */
function machineState(m) {
  return JSON.stringify(m.snapshot().processes.map((q) => ({ pid: q.pid, ppid: q.ppid, name: q.name, state: q.state, blocked: q.blocked, on: q.blockedOn })));
}

t('random kills during concurrent pipelines: the machine survives, nothing leaks', guarded(async () => {
  const m = await boot({ maxProcs: 256 });
  try {
    const base = m.heapBlocks();
    const rnd = lcg(12345);
    // A fixed number of runs, not a time budget: a loaded machine does the same work, slower.
    let left = 100, runs = 0, kills = 0;
    const loop = async () => {
      while (left-- > 0) {
        const fifo = rnd() < 0.15;
        const [cmd, expected] = fifo ? [FIFO, ''] : COMMANDS[(rnd() * COMMANDS.length) | 0];
        const p = m.spawn('sh', ['sh', '-c', cmd], { stdout: 'pipe', stderr: 'pipe' });
        const kill = !fifo && rnd() < 0.3;
        let ended = false;
        const done = p.wait().finally(() => { ended = true; });
        if (kill) {
          const delay = rnd() * 30, pick = rnd(), sig = rnd() < 0.5 ? 9 : 15;
          const victims = () => m.ps().filter((q) => q.pid > 1 && q.state !== 'zombie' && (q.pid === p.pid || q.ppid === p.pid));
          // Once the shell has started its pipeline (or is gone), a random moment later.
          void waitFor(() => ended || victims().length > 1, 15000).then(() => sleep(delay)).then(() => {
            const vs = victims();
            const v = vs[Math.floor(pick * vs.length)];
            if (v) { try { m.kill(v.pid, sig); kills++; } catch { /* already gone */ } }
          }, () => {});
        }
        const st = await withTimeout(done, 15000, cmd).catch((e) => { throw new Error(`${e.message}; the machine: ${machineState(m)}`); });
        if (!kill) {
          assert.equal(st, { status: 0, code: 0, signal: null }, `${cmd}: ${p.stderr}`);
          assert.is(p.stdout, expected, cmd);
        }
        runs++;
      }
    };
    await Promise.all([loop(), loop(), loop(), loop()]);
    assert.is(runs, 100);
    assert.ok(kills > 5, `only ${kills} kills`);
    // Orphans of killed shells finish on their own; then only init is left.
    await waitOnlyInit(m, 20000);
    assert.equal(m.ps().map((q) => q.pid), [1]);
    // Files of killed shells stay, as on Linux; without them the heap is as it was.
    const ls = m.spawn('ls', ['ls', '/tmp'], { stdout: 'pipe' });
    await ls.wait();
    for (const f of ls.stdout.split('\n').filter(Boolean)) m.unlink(`/tmp/${f}`);
    // ls's worker frees its Proc/Task/scratch only after wait() resolved: wait for that.
    assert.is(await settledHeap(m, base), base, 'kernel heap blocks back to where they were');
    const after = m.spawn('sh', ['sh', '-c', 'echo still alive | cat'], { stdout: 'pipe' });
    await after.wait();
    assert.is(after.stdout, 'still alive\n');
  } finally {
    await m.shutdown();
  }
}, 180000));

t.run();
