// ^C at the shell's prompt (issue 14), on a console with the line
// discipline on (tests/helpers/terminal.mjs): as Linux's ISIG, the input
// not yet read is discarded, and the shell drops what it had read of the
// line (and an unfinished command) and prompts afresh on a new line.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { guarded, waitFor, withTimeout } from './helpers/index.mjs';
import { TestTerminal, bootWithTerminal } from './helpers/terminal.mjs';

const t = suite('prompt ^C');
let m, term;
t.before(async () => {
  term = new TestTerminal();
  m = await bootWithTerminal(term, { warmWorkers: 1 });
});
t.after(async () => { await m?.shutdown(); });

const prompts = (p, mark = '$ ') => p.stderr.split(mark).length - 1;
/** What a timeout reports: the shell's output and its process (state, signals) as ps sees it. */
const shellState = (sh) => () => `${JSON.stringify(sh.stderr)} ${JSON.stringify(m.ps().find((q) => q.pid === sh.pid))}`;
const prompted = (sh, n, what, mark = '$ ') => waitFor(() => prompts(sh, mark) >= n, 15000, what, shellState(sh));
/** The shell is blocked (in its read of the console). */
const waiting = (sh) => waitFor(() => m.ps().some((q) => q.pid === sh.pid && q.state === 'sleeping'), 15000, 'the shell reads');

t('^C at the prompt discards the line being typed and an unfinished command; a fresh prompt on a new line', guarded(async () => {
  const sh = m.spawn('sh', ['sh'], { stdout: 'pipe', stderr: 'pipe', login: true, env: { PATH: '/bin' } });
  await prompted(sh, 1, 'the first prompt');
  term.type('echo half');
  await waiting(sh);
  term.type('\x03');
  await prompted(sh, 2, 'the prompt after ^C');
  assert.ok(sh.stderr.endsWith('$ \n$ '), JSON.stringify(sh.stderr));
  term.type('echo whole\n');
  await prompted(sh, 3, 'the prompt after echo whole');
  // An unfinished command (an open quote) is dropped too.
  term.type("echo 'open\n");
  await prompted(sh, 1, 'the continuation prompt', '> ');
  await waiting(sh);
  term.type('\x03');
  await prompted(sh, 4, 'the prompt after the second ^C');
  term.type('echo two\nexit\n');
  assert.equal(await withTimeout(sh.wait(), 15000), { status: 0, code: 0, signal: null }, sh.stderr);
  assert.is(sh.stdout, 'whole\ntwo\n');
}));

t.run();
