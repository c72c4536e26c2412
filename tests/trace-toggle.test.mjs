// The trace switched while the machine runs (BootOptions.traceToggle,
// Machine.setTrace): only the calls made while it is on are traced. The
// machine runs in a child node process whose stderr (the Node host's trace
// output) the test reads.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { ROOT } from './helpers/index.mjs';

const script = `
import { boot } from ${JSON.stringify(`${ROOT}/dist/index.js`)};
const m = await boot({ traceToggle: true });
const run = async (word) => { const p = m.spawn('echo', ['echo', word], { stdout: 'pipe' }); await p.wait(); return p.pid; };
const a = await run('untraced1');
const was = m.tracing;
m.setTrace(true);
const b = await run('traced');
m.setTrace(false);
const c = await run('untraced2');
let refused = '';
const plain = await boot({});
try { plain.setTrace(true); } catch (e) { refused = e.message; }
await plain.shutdown();
await m.shutdown();
console.log(JSON.stringify({ a, b, c, was, now: m.tracing, refused }));
`;

test('setTrace: a call is traced exactly while the toggle is on; a machine booted without traceToggle refuses it', () => {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60000 });
  assert.is(r.status, 0, r.stderr);
  const { a, b, c, was, now, refused } = JSON.parse(r.stdout.trim().split('\n').pop());
  assert.is(was, false, 'off at boot');
  assert.is(now, false);
  const lines = r.stderr.split('\n').filter((l) => /^\[\d+\] /.test(l));
  const of = (pid) => lines.filter((l) => l.startsWith(`[${pid}] `));
  assert.equal(of(a), [], 'nothing before setTrace(true)');
  assert.equal(of(c), [], 'nothing after setTrace(false)');
  assert.ok(of(b).some((l) => /^\[\d+\] write\(1, 0x[0-9a-f]+, 7\) = 7$/.test(l)), of(b).join('\n'));
  assert.ok(of(b).some((l) => l.startsWith(`[${b}] proc_exit(0)`)), 'its exit too');
  assert.match(refused, /traceToggle/);
});

test.run();
