// Signals with handlers (#14): AssemblyScript guests (tests/helpers/guests/sig.ts)
// that install handlers through the guest library and its trampoline. Each
// case that needs a signal while it blocks has a helper process send it once
// ps shows it sleeping in the kernel: no case depends on timing.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { boot } from '../dist/index.js';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { guarded, installGuest, withTimeout, ROOT } from './helpers/index.mjs';

const t = suite('signals-handlers');
let m, sig;

t.before(async () => {
  m = await boot();
  sig = installGuest(m, 'sig');
});
t.after(async () => { await m?.shutdown(); });

async function run(...args) {
  const p = m.spawn(sig, [sig, ...args], { stdout: 'pipe', stderr: 'pipe' });
  const st = await withTimeout(p.wait(), 15000, `sig ${args.join(' ')}`);
  return { st, out: p.stdout, err: p.stderr, lines: Object.fromEntries(p.stdout.trim().split('\n').map((l) => {
    const i = l.indexOf(' ');
    return i < 0 ? [l, ''] : [l.slice(0, i), l.slice(i + 1)];
  })) };
}
const OK = { status: 0, code: 0, signal: null };

// [what it shows, the guest's arguments, the lines it must print ("label value")].
const CASES = [
  ['a handler interrupts a blocked pipe read: EINTR, the handler ran once', ['eintr'],
    { read: 'EINTR', log: 'h10' }],
  // The writer writes only after the handler has run and the read blocks again.
  ['with SA_RESTART the read is restarted after the handler and returns the bytes written later', ['restart'],
    { read: '5 hello', log: 'h10' }],
  ['a write that moved bytes returns the partial count (the pipe\'s capacity), SA_RESTART or not', ['partial'],
    { write: '65536', log: 'h10' }],
  // USR1 (10), USR2 (12), 35 and 40 pending while blocked; USR1 sent twice runs once, with the first value.
  ['real-time signals queue with their values, lowest number first, FIFO within one; standard ones coalesce', ['rt'],
    { pending: (2n ** 9n | 2n ** 11n | 2n ** 34n | 2n ** 39n).toString(16), before: '',
      after: '10:6 12:5 35:2 35:4 40:1 40:3', 'pending-after': '0' }],
  ['the real-time queue has a limit: one more is EAGAIN (sigqueue and kill)', ['limit'],
    { queued: '32', 'one-more': 'EAGAIN', 'kill-rt': 'EAGAIN' }],
  ['sa_mask holds a signal off during a handler; SA_NODEFER nests; without it the signal waits; SA_RESETHAND runs once', ['mask'],
    { masked: 'usr1-begin usr1-end h12', nodefer: 'in1 in2 out2 out1', defer: 'in1 out1 in2 out2',
      resethand: 'h12 now 0', 'mask-after': '0' }],
  ['sigsuspend: returns EINTR after the handler, the old mask back', ['suspend'],
    { sigsuspend: 'EINTR', log: 'h10', mask: (1 << 9).toString(16) }],
  // SI_QUEUE (-1), the value, the sender.
  ['sigtimedwait: EAGAIN on timeout and poll, the signal with its siginfo, EINTR for a handled one outside the set', ['timedwait'],
    { timeout: 'EAGAIN', poll: 'EAGAIN', got: '12', info: '12 -1 77 self', interrupted: 'EINTR', log: 'h10' }],
  ['nanosleep is interrupted (never restarted) and keeps the time it had left', ['sleep'],
    { nanosleep: 'EINTR', left: 'ok' }],
  ['poll_oneoff on a clock is interrupted, even with SA_RESTART (WASI EINTR 27)', ['poll'],
    { poll: '27', log: 'h10' }],
  ['waitpid is interrupted by a handler', ['waitpid'],
    { waitpid: 'EINTR', log: 'h10' }],
  ['an interrupted FIFO open gives its half-open end back (a reader sees no writer)', ['fifo'],
    { open: 'EINTR', read: '0' }],
  // Reported once each; SIGCHLD: CLD_STOPPED/19, CLD_CONTINUED/18, CLD_KILLED/15.
  ['SIGSTOP/SIGCONT: waitpid WUNTRACED and WCONTINUED statuses, ps T, SIGCHLD siginfo for each', ['stop'],
    { stopped: 'yes 19 137f', 'ps-T': '0', nohang: '0', continued: 'yes', ended: 'signal 15',
      sigchld: 'chld5/19 chld6/18 chld2/15' }],
  // {result, si_signo, si_code, si_pid, si_status}: CLD_STOPPED 5/SIGSTOP, nothing more, CLD_CONTINUED 6/SIGCONT, CLD_KILLED 2/9.
  ['waitid: WSTOPPED and WCONTINUED report a stop and a continue once, as siginfo', ['waitid'],
    { stopped: '0 17 5 child 19', again: '0 0 0 0 0', continued: '0 17 6 child 18', killed: '0 17 2 child 9' }],
  ['SIGCHLD ignored: children are reaped at exit, waitpid then ECHILD', ['autoreap', 'ign'],
    { waitpid: 'ECHILD', again: 'ECHILD', log: '' }],
  ['SA_NOCLDWAIT with a handler: reaped at exit, and the handler still runs', ['autoreap', 'wait'],
    { waitpid: 'ECHILD', log: 'h17' }],
  ['a spawned child (as exec): handled signals reset, ignored kept, the mask kept, nothing pending', ['inherit'],
    { usr1: '0', usr2: '1', mask: (1 << 14).toString(16), pending: '0' }],
  ['bad input: numbers EINVAL, SIGKILL/SIGSTOP EINVAL, bad how EINVAL, bad pointers EFAULT, ESRCH', ['bad'], {
    'sigaction-0': 'EINVAL', 'sigaction-65': 'EINVAL', 'sigaction-kill': 'EINVAL', 'sigaction-stop': 'EINVAL',
    'sigaction-kill-query': '0', 'sigaction-efault': 'EFAULT', 'sigaction-old-efault': 'EFAULT',
    'sigprocmask-how': 'EINVAL', 'sigprocmask-how-noset': '0', 'sigprocmask-efault': 'EFAULT',
    'sigprocmask-old-efault': 'EFAULT', 'unblockable-dropped': (1 << 9).toString(16),
    'sigpending-efault': 'EFAULT', 'sigsuspend-efault': 'EFAULT', 'sigtimedwait-efault': 'EFAULT',
    'sigtimedwait-info-efault': 'EFAULT', 'sigtimedwait-einval': 'EINVAL', 'sigreturn-efault': 'EFAULT',
    'sigtake-none': '0', 'sleepleft-efault': 'EFAULT', 'kill-esrch': 'ESRCH', 'kill-einval': 'EINVAL',
    'kill-neg': 'EINVAL', 'kill-exists': '0', 'kill-init': '0', 'sigqueue-esrch': 'ESRCH', 'sigqueue-einval': 'EINVAL',
  }],
  ['kill EPERM once a process gave up root (setuid): its uid may not signal root\'s processes; SIGCONT in the session may', ['perm'], {
    setuid: '0', uid: '1000', 'setuid-back': 'EPERM', 'setuid-neg': 'EINVAL', 'kill-root': 'EPERM',
    'probe-root': 'EPERM', 'kill-parent': 'EPERM', 'queue-root': 'EPERM', 'cont-root': '0', 'kill-self': '0',
    'kill-all': 'EPERM', 'kill-esrch': 'ESRCH', child: '0', 'root-reaped': '9',
  }],
];

for (const [what, args, want] of CASES) {
  t(what, guarded(async () => {
    const r = await run(...args);
    assert.equal(r.st, OK, r.err);
    for (const [k, v] of Object.entries(want)) assert.is(r.lines[k], v, k);
  }));
}

t('fork: the child has the handlers, ignored signals and mask, nothing pending; its handler runs', guarded(async () => {
  const g = installGuest(m, 'sigfork');
  const p = m.spawn(g, [g, 'fork'], { stdout: 'pipe', stderr: 'pipe' });
  assert.equal(await withTimeout(p.wait(), 30000), OK, p.stderr);
  const lines = p.stdout;
  assert.match(lines, /child-usr1 handler\nchild-usr2 1\nchild-mask 4000\nchild-pending 0\nchild-log h10\n/);
  assert.match(lines, /child-status 0\n/);
  assert.match(lines, /parent-usr1 handler\nparent-usr2 1\nparent-mask 4000\nparent-pending 4000\n/);
}));

t('exec: handled signals back to SIG_DFL, ignored ones, the mask and pending signals kept', guarded(async () => {
  const g = installGuest(m, 'sigfork');
  const p = m.spawn(g, [g, 'exec'], { stdout: 'pipe', stderr: 'pipe' });
  assert.equal(await withTimeout(p.wait(), 30000), OK, p.stderr);
  assert.is(p.stdout, 'exec-usr1 0\nexec-usr2 1\nexec-mask 4000\nexec-pending 4000\n');
}));

t('fork inside a handler is ENOSYS and the program goes on', guarded(async () => {
  const g = installGuest(m, 'sigfork');
  const p = m.spawn(g, [g, 'handler-fork'], { stdout: 'pipe', stderr: 'pipe' });
  assert.equal(await withTimeout(p.wait(), 30000), OK, p.stderr);
  assert.is(p.stdout, `after fork -52\n`);   // -ENOSYS
}));

t('a handler index that is no function of the right type: that process dies of SIGSEGV, another runs on', guarded(async () => {
  const other = m.spawn(sig, [sig, 'mask'], { stdout: 'pipe', stderr: 'pipe' });
  const r = await run('badhandler');
  assert.equal(r.st, { status: 11, code: null, signal: 11 });
  assert.is(r.lines.install, '0');
  assert.not.ok('survived' in r.lines);
  assert.equal(await withTimeout(other.wait(), 15000), OK);
  assert.match(other.stdout, /nodefer in1 in2 out2 out1/);
}));

t('ignored signals are dropped when sent; a blocked fatal one kills when unblocked', guarded(async () => {
  const r = await run('ignored');
  assert.equal(r.st, { status: 15, code: null, signal: 15 });
  assert.is(r.lines.alive, 'yes');
  assert.is(r.lines.blocked, (1 << 14).toString(16));
  assert.not.ok('unreached' in r.lines);
}));

t('a program without the trampoline cannot install handlers (EINVAL); SIG_IGN works', guarded(async () => {
  const g = installGuest(m, 'signotramp');
  const p = m.spawn(g, [g], { stdout: 'pipe', stderr: 'pipe' });
  assert.equal(await withTimeout(p.wait(), 15000), OK);
  assert.is(p.stdout, 'handler EINVAL\nignore 0\nraise 0\nalive 0\n');
}));

// Through the CLI, as tests/deterministic.test.mjs: output straight to the
// host's descriptors (an API run would add init's pipe reads, whose timing is real).
t('deterministic mode: handlers, restarts, stops and queues replay byte-identically for a seed', () => {
  const cases = ['restart', 'stop', 'rt', 'suspend', 'timedwait'].map((c) => `/mnt/sig.wasm ${c}`).join('; ');
  const run = () => spawnSync(process.execPath, ['bin/wasmux.js', '--seed', '11', '--trace', '--mount',
    `${path.join(ROOT, 'build', 'test-guests')}:/mnt`, 'sh', '-c', cases], { cwd: ROOT, input: '', encoding: 'utf8', timeout: 90000 });
  const a = run();
  const b = run();
  assert.is(a.status, 0, a.stderr.slice(-2000));
  assert.match(a.stdout, /read 5 hello/);
  assert.match(a.stdout, /sigchld chld5\/19 chld6\/18 chld2\/15/);
  assert.match(a.stdout, /after 10:6 12:5 35:2 35:4 40:1 40:3/);
  assert.match(a.stdout, /sigsuspend EINTR/);
  assert.match(a.stderr, /sigtake\(/);
  assert.is(a.stdout, b.stdout);
  assert.is(a.stderr, b.stderr);
});

t.run();
