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

t('tcsetpgrp from a background group: stopped by SIGTTOU, or through when SIGTTOU is ignored', guarded(async () => {
  const p = m.spawn(tty, [tty, 'bgset'], { stdout: 'pipe', stderr: 'pipe', login: true });
  assert.equal(await withTimeout(p.wait(), 15000), { status: 0, code: 0, signal: null }, p.stderr);
  assert.equal(lines(p.stdout), { 'child-stopped-by': '22' });
  const q = m.spawn(tty, [tty, 'bgset', 'ign'], { stdout: 'pipe', stderr: 'pipe', login: true });
  assert.equal(await withTimeout(q.wait(), 15000), { status: 0, code: 0, signal: null }, q.stderr);
  assert.equal(lines(q.stdout), { tcsetpgrp: '0', foreground: '1', 'child-stopped-by': '0' });
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
  // SIGQUIT's default action dumps core: the status has the 0x80 core bit.
  assert.equal(await withTimeout(p.wait(), 15000), { status: 0x83, code: null, signal: 3 });
}));



const prompts = (p) => (p.stderr.match(/\$ /g) ?? []).length;
/** Waits for shell `sh`'s `n`th prompt. */
const prompted = (sh, n, what) => waitFor(() => prompts(sh) >= n, 15000, what, () => sh.stderr);

/** An interactive login shell on the console, at its first prompt; its stdout (and its jobs') is a pipe, its prompts on stderr. */
async function loginShell() {
  const sh = m.spawn('sh', ['sh'], { stdout: 'pipe', stderr: 'pipe', login: true, env: { PATH: '/bin' } });
  await prompted(sh, 1, 'the first prompt');
  return sh;
}
/** The shell waits for its foreground job (blocked in waitpid: it has handed the job the terminal before). */
const shellWaits = (sh) => m.ps().some((q) => q.pid === sh.pid && q.state === 'sleeping');

/** Ends shell `sh` with `exit`; asserts it exits 0. */
async function exitShell(sh, before = '') {
  term.type(`${before}exit\n`);
  assert.equal(await withTimeout(sh.wait(), 15000), { status: 0, code: 0, signal: null }, sh.stderr);
}
const running = (name) => m.ps().filter((q) => q.name === name && q.state !== 'zombie');
/** The live children of shell `sh` named `name`. */
const kids = (sh, name) => m.ps().filter((q) => q.ppid === sh.pid && q.name === name && q.state !== 'zombie');

t('Ctrl-C on a running pipeline: all its processes die, the shell lives and prompts again', guarded(async () => {
  const sh = await loginShell();
  term.type('sleep 100 | cat | cat\n');
  // Blocked, all three: each has run its spawn actions (the job's group takes the
  // terminal there), so ^C reaches them; an embryo would not have it yet.
  const blocked = (name) => running(name).filter((q) => q.state === 'sleeping').length;
  await waitFor(() => blocked('sleep') === 1 && blocked('cat') === 2 && shellWaits(sh), 15000, 'the pipeline runs', () => JSON.stringify(m.ps()));
  term.type('\x03');
  await prompted(sh, 2, 'the prompt after ^C');
  assert.is(running('sleep').length + running('cat').length, 0, JSON.stringify(m.ps()));
  await exitShell(sh, 'echo alive=$?\n');
  assert.is(sh.stdout, 'alive=130\n');
}));

t('background jobs: [N] pid, $!, jobs, kill %N, wait %N', guarded(async () => {
  const sh = await loginShell();
  term.type('sleep 100 &\n');
  await waitFor(() => /\[1\] \d+\n/.test(sh.stderr), 15000, 'the job line', () => sh.stderr);
  const pid = Number(/\[1\] (\d+)\n/.exec(sh.stderr)[1]);
  term.type('echo bang=$!; jobs; kill %1; wait %1; echo st=$?; jobs; echo end\n');
  await waitFor(() => sh.stdout.includes('end\n'), 15000, 'the commands ran', () => sh.stdout + sh.stderr);
  assert.is(sh.stdout, `bang=${pid}\n[1]+  Running                 sleep 100 &\nst=143\nend\n`);
  await exitShell(sh);
}));

t('kill: -s NAME, -NUM, -NAME, %job; kill -l lists the signal names, kill -l N names one', guarded(async () => {
  const p = m.spawn('sh', ['sh', '-c', 'kill -l; kill -l 130; kill -l 9 TSTP; kill -l 35'], { stdout: 'pipe', stderr: 'pipe' });
  await withTimeout(p.wait(), 15000);
  assert.is(p.stdout, 'HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV USR2 PIPE ALRM TERM STKFLT CHLD CONT STOP TSTP TTIN TTOU URG XCPU XFSZ VTALRM PROF WINCH IO PWR SYS\nINT\nKILL\n20\nRTMIN+1\n', p.stderr);
  const k = m.spawn('sh', ['sh', '-c', [
    'sleep 100 & kill -s USR1 $!; wait $!; echo usr1=$?',
    'sleep 100 & kill -9 $!; wait $!; echo nine=$?',
    'sleep 100 & /bin/kill -HUP $!; wait $!; echo hup=$?',
    'sleep 100 & /bin/kill -s SIGQUIT $!; wait $!; echo quit=$?',
    'kill %9; echo nojob=$?',
  ].join('\n')], { stdout: 'pipe', stderr: 'pipe', env: { PATH: '/bin' } });
  await withTimeout(k.wait(), 15000);
  assert.is(k.stdout, 'usr1=138\nnine=137\nhup=129\nquit=131\nnojob=1\n', k.stderr);
  assert.match(k.stderr, /kill: %9: no such job/);
  const q = m.spawn('kill', ['kill', '-l', '15'], { stdout: 'pipe' });
  await withTimeout(q.wait(), 15000);
  assert.is(q.stdout, 'TERM\n');
  const bad = m.spawn('kill', ['kill', '-NOPE', '1'], { stdout: 'pipe', stderr: 'pipe' });
  assert.is((await withTimeout(bad.wait(), 15000)).code, 1);
  assert.match(bad.stderr, /invalid signal specification 'NOPE'/);
}));
t('Ctrl-Z stops the foreground job ("[1]+  Stopped" as bash), fg resumes it with its output intact', guarded(async () => {
  const sh = await loginShell();
  term.type('cat\n');
  await waitFor(() => kids(sh, 'cat').length === 1, 15000, 'cat runs', () => JSON.stringify(m.ps()));
  term.type('hello\n');
  await waitFor(() => sh.stdout === 'hello\n', 15000, 'cat copied a line', () => sh.stdout);
  term.type('\x1a');
  await waitFor(() => sh.stderr.includes('[1]+  Stopped                 cat\n'), 15000, 'the Stopped line', () => sh.stderr);
  assert.is(kids(sh, 'cat')[0].state, 'stopped');
  await prompted(sh, 2, 'the prompt after ^Z');
  term.type('fg\n');
  await waitFor(() => /\$ cat\n$/.test(sh.stderr) && kids(sh, 'cat')[0]?.state !== 'stopped', 15000, 'fg names the job', () => sh.stderr);
  term.type('world\n');
  await waitFor(() => sh.stdout === 'hello\nworld\n', 15000, 'cat copies again', () => sh.stdout);
  term.eof();
  await prompted(sh, 3, 'the prompt after cat');
  await exitShell(sh, 'echo st=$?; jobs; ');
  assert.is(sh.stdout, 'hello\nworld\nst=0\n');
}));

t('bg and jobs: a stopped job runs on in the background', guarded(async () => {
  const sh = await loginShell();
  term.type('sleep 100\n');
  await waitFor(() => kids(sh, 'sleep').length === 1 && shellWaits(sh), 15000, 'sleep runs', () => JSON.stringify(m.ps()));
  term.type('\x1a');
  await prompted(sh, 2, 'the prompt after ^Z');
  term.type('echo st=$?; jobs\n');
  await waitFor(() => sh.stdout.includes('sleep 100\n'), 15000, 'jobs ran', () => sh.stdout + sh.stderr);
  assert.is(sh.stdout, 'st=148\n[1]+  Stopped                 sleep 100\n');
  term.type('bg\n');
  await waitFor(() => sh.stderr.includes('[1]+ sleep 100 &\n'), 15000, 'bg names the job', () => sh.stderr);
  await waitFor(() => kids(sh, 'sleep')[0]?.state === 'sleeping', 15000, 'sleep runs again', () => JSON.stringify(m.ps()));
  await exitShell(sh, 'jobs; kill %1; wait %1; echo st=$?; ');
  assert.is(sh.stdout, 'st=148\n[1]+  Stopped                 sleep 100\n[1]+  Running                 sleep 100 &\nst=143\n');
}));

t('a background read of the console stops the job with SIGTTIN; ^C at the prompt leaves the shell alone', guarded(async () => {
  const sh = await loginShell();
  term.type('cat &\n');
  await waitFor(() => kids(sh, 'cat')[0]?.state === 'stopped', 15000, 'cat stopped', () => JSON.stringify(m.ps()));
  term.type('\x03');          // to the shell's group: it ignores SIGINT
  term.type('jobs\n');
  await waitFor(() => sh.stdout.includes('cat'), 15000, 'jobs ran', () => sh.stdout + sh.stderr);
  assert.is(sh.stdout, '[1]+  Stopped (tty input)     cat\n');
  await exitShell(sh, 'kill -KILL %1; wait %1; echo st=$?; ');
  assert.match(sh.stdout, /st=137\n$/);
}));

t('a shell that exits leaves no job stopped: the orphaned group gets SIGHUP and SIGCONT', guarded(async () => {
  const sh = await loginShell();
  term.type('sleep 100\n');
  await waitFor(() => kids(sh, 'sleep').length === 1 && shellWaits(sh), 15000, 'sleep runs', () => JSON.stringify(m.ps()));
  const pid = kids(sh, 'sleep')[0].pid;
  term.type('\x1a');
  await waitFor(() => m.ps().some((q) => q.pid === pid && q.state === 'stopped'), 15000, 'sleep stopped', () => JSON.stringify(m.ps()));
  term.type('exit 0\n');   // (plain exit would be 148, the stopped job's $?)
  assert.equal(await withTimeout(sh.wait(), 15000), { status: 0, code: 0, signal: null }, sh.stderr);
  await waitFor(() => !m.ps().some((q) => q.pid === pid && q.state !== 'zombie'), 15000, 'the stopped sleep ended', () => JSON.stringify(m.ps()));
}));

t('a pipeline whose last stage did not start has that stage\'s status, not its writer\'s SIGPIPE', guarded(async () => {
  const p = m.spawn('sh', ['sh', '-c', 'echo abc | /nope; echo st=$?; seq 1 3 | true; echo st=$?'], { stdout: 'pipe', stderr: 'pipe', env: { PATH: '/bin' } });
  await withTimeout(p.wait(), 15000);
  assert.is(p.stdout, 'st=127\nst=0\n', p.stderr);
}));

t('trap: a command at the next statement, ignore with \'\', reset with -, the list', guarded(async () => {
  const p = m.spawn('sh', ['sh', '-c', [
    'trap "echo caught USR1" USR1; kill -USR1 $$; echo after',
    "trap '' INT; kill -INT $$; echo survived-int",
    'trap', 'trap - USR1; trap', "trap 'echo bye' EXIT; echo last",
  ].join('\n')], { stdout: 'pipe', stderr: 'pipe' });
  assert.equal(await withTimeout(p.wait(), 15000), { status: 0, code: 0, signal: null }, p.stderr);
  assert.is(p.stdout, "caught USR1\nafter\nsurvived-int\ntrap -- 'echo caught USR1' SIGUSR1\nlast\nbye\n");
  const q = m.spawn('sh', ['sh', '-c', 'trap "echo no" USR1; trap - USR1; kill -USR1 $$; echo not-reached'], { stdout: 'pipe' });
  assert.equal((await withTimeout(q.wait(), 15000)).signal, 10);
  assert.is(q.stdout, '');
}));

t.run();
