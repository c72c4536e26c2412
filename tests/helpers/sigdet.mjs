// Runs signal cases of the sig guest in deterministic mode with tracing
// (tests/signals-handlers.test.mjs): `node sigdet.mjs <seed>`; cases'
// output on stdout, the trace on stderr.
import { boot } from '../../dist/index.js';
import { installGuest } from './index.mjs';

const m = await boot({ seed: Number(process.argv[2]), trace: true });
const g = installGuest(m, 'sig');
for (const c of ['restart', 'stop', 'rt', 'suspend', 'timedwait']) {
  const p = m.spawn(g, [g, c], { stdout: 'pipe', stderr: 'pipe' });
  const st = await p.wait();
  process.stdout.write(`== ${c} ${JSON.stringify(st)}\n${p.stdout}`);
}
await m.shutdown();
