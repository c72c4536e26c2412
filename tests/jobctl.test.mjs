// Job control on the console: its session and foreground group
// (tcgetpgrp/tcsetpgrp and their errors), the signals ^C, ^\ and ^Z send
// to the foreground group, and a background read of the console.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { guarded, installGuest, waitFor, withTimeout } from './helpers/index.mjs';
import { TestTerminal, bootWithTerminal } from './helpers/terminal.mjs';

const t = suite('jobctl');
let m, term, tty;

t.before(async () => {
  term = new TestTerminal();
  m = await bootWithTerminal(term, { warmWorkers: 2 });
  tty = installGuest(m, 'tty');
});
t.after(async () => { await m?.shutdown(); });

const lines = (s) => Object.fromEntries(s.trim().split('\n').map((l) => l.split(' ')));

t('tcgetpgrp/tcsetpgrp: a login is in the foreground; EBADF, ENOTTY, EINVAL, ESRCH, EPERM', guarded(async () => {
  const p = m.spawn(tty, [tty, 'errors'], { stdout: 'pipe', stderr: 'pipe', login: true });
  assert.equal(await withTimeout(p.wait(), 15000), { status: 0, code: 0, signal: null }, p.stderr);
  assert.equal(lines(p.stdout), {
    pgrp: '1', 'get-badfd': 'EBADF', 'get-neg': 'EBADF', 'get-pipe': 'ENOTTY', 'set-pipe': 'ENOTTY',
    'set-badfd': 'EBADF', 'set-neg': 'EINVAL', 'set-none': 'ESRCH', 'set-other-session': 'EPERM', 'set-self': '0',
  });
  // Not a login: the runtime's session has the console back once the login ended,
  // so a process of another session (none here) would get ENOTTY; a plain spawn is in init's session.
  const q = m.spawn(tty, [tty, 'errors'], { stdout: 'pipe', stderr: 'pipe' });
  await withTimeout(q.wait(), 15000);
  assert.is(lines(q.stdout).pgrp, '0', 'the console has no session after its login session ended');
}));

t('a read of the console from an orphaned background group is EIO', guarded(async () => {
  const p = m.spawn(tty, [tty, 'orphan'], { stdout: 'pipe', stderr: 'pipe', login: true });
  assert.equal(await withTimeout(p.wait(), 15000), { status: 0, code: 0, signal: null }, p.stderr);
  assert.equal(lines(p.stdout), { spawn: '1', foreground: '0', read: 'EIO' });
}));

t('^C typed at the console: SIGINT to the foreground group', guarded(async () => {
  const p = m.spawn('yes', ['yes'], { stdout: 'pipe', login: true });
  await waitFor(() => p.stdout.length > 0, 15000, 'yes ran');
  term.type('\x03');
  assert.equal(await withTimeout(p.wait(), 15000), { status: 2, code: null, signal: 2 });
}));

t('^\\ and ^Z from the host terminal (Machine.terminalSignal) reach the foreground group too', guarded(async () => {
  const p = m.spawn('yes', ['yes'], { stdout: 'pipe', login: true });
  await waitFor(() => p.stdout.length > 0, 15000, 'yes ran');
  m.terminalSignal(3);
  assert.equal(await withTimeout(p.wait(), 15000), { status: 3, code: null, signal: 3 });
}));

t.run();
