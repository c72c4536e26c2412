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



/** An interactive login shell on the console; its stdout (and its jobs') is a pipe, its prompts on stderr. */
function loginShell() {
  return m.spawn('sh', ['sh'], { stdout: 'pipe', stderr: 'pipe', login: true, env: { PATH: '/bin' } });
}
const prompts = (p) => (p.stderr.match(/\$ /g) ?? []).length;
const running = (name) => m.ps().filter((q) => q.name === name && q.state !== 'zombie');

t('Ctrl-C on a running pipeline: all its processes die, the shell lives and prompts again', guarded(async () => {
  const sh = loginShell();
  await waitFor(() => prompts(sh) >= 1, 15000, 'the first prompt', () => sh.stderr);
  term.type('sleep 100 | cat | cat\n');
  await waitFor(() => running('sleep').length === 1 && running('cat').length === 2, 15000, 'the pipeline runs', () => JSON.stringify(m.ps()));
  term.type('\x03');
  await waitFor(() => prompts(sh) >= 2, 15000, 'the prompt after ^C', () => sh.stderr);
  assert.is(running('sleep').length + running('cat').length, 0, JSON.stringify(m.ps()));
  term.type('echo alive=$?\nexit\n');
  assert.equal(await withTimeout(sh.wait(), 15000), { status: 0, code: 0, signal: null }, sh.stderr);
  assert.is(sh.stdout, 'alive=130\n');
}));

t('background jobs: [N] pid, $!, jobs, kill %N, wait %N', guarded(async () => {
  const sh = loginShell();
  await waitFor(() => prompts(sh) >= 1, 15000, 'the first prompt', () => sh.stderr);
  term.type('sleep 100 &\n');
  await waitFor(() => /\[1\] \d+\n/.test(sh.stderr), 15000, 'the job line', () => sh.stderr);
  const pid = Number(/\[1\] (\d+)\n/.exec(sh.stderr)[1]);
  term.type('echo bang=$!; jobs; kill %1; wait %1; echo st=$?; jobs; echo end\n');
  await waitFor(() => sh.stdout.includes('end\n'), 15000, 'the commands ran', () => sh.stdout + sh.stderr);
  assert.is(sh.stdout, `bang=${pid}\n[1]+  Running                 sleep 100 &\nst=143\nend\n`);
  term.type('exit\n');
  await withTimeout(sh.wait(), 15000);
}));

t('kill -l lists the signal names; kill -l N names one', guarded(async () => {
  const p = m.spawn('sh', ['sh', '-c', 'kill -l; kill -l 130; kill -l 9 TSTP; kill -l 35'], { stdout: 'pipe', stderr: 'pipe' });
  await withTimeout(p.wait(), 15000);
  assert.is(p.stdout, 'HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV USR2 PIPE ALRM TERM STKFLT CHLD CONT STOP TSTP TTIN TTOU URG XCPU XFSZ VTALRM PROF WINCH IO PWR SYS\nINT\nKILL\n20\nRTMIN+1\n', p.stderr);
  const q = m.spawn('kill', ['kill', '-l', '15'], { stdout: 'pipe' });
  await withTimeout(q.wait(), 15000);
  assert.is(q.stdout, 'TERM\n');
  const bad = m.spawn('kill', ['kill', '-NOPE', '1'], { stdout: 'pipe', stderr: 'pipe' });
  assert.is((await withTimeout(bad.wait(), 15000)).code, 1);
  assert.match(bad.stderr, /invalid signal specification 'NOPE'/);
}));
t.run();
