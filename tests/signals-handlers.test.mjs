// Signals with handlers (#14): AssemblyScript guests (tests/helpers/guests/sig.ts)
// that install handlers through the guest library and its trampoline. Each
// case that needs a signal while it blocks has a helper process send it once
// ps shows it sleeping in the kernel: no case depends on timing.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { boot } from '../dist/index.js';
import { spawnSync } from 'node:child_process';
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

t('a handler interrupts a blocked pipe read: EINTR, the handler ran once', guarded(async () => {
  const r = await run('eintr');
  assert.equal(r.st, OK, r.err);
  assert.is(r.lines.read, 'EINTR');
  assert.is(r.lines.log, 'h10');
}));

t('with SA_RESTART the read is restarted after the handler and returns the bytes written later', guarded(async () => {
  // The writer writes only after the handler has run and the read blocks again.
  const r = await run('restart');
  assert.equal(r.st, OK, r.err);
  assert.is(r.lines.read, '5 hello');
  assert.is(r.lines.log, 'h10');
}));

t('a write that moved bytes returns the partial count, SA_RESTART or not', guarded(async () => {
  const r = await run('partial');
  assert.equal(r.st, OK, r.err);
  assert.is(r.lines.write, '65536');   // the pipe's capacity
  assert.is(r.lines.log, 'h10');
}));

t('real-time signals queue with their values, lowest number first, FIFO within one; standard ones coalesce', guarded(async () => {
  const r = await run('rt');
  assert.equal(r.st, OK, r.err);
  // USR1 (10), USR2 (12), 35 and 40 pending while blocked.
  assert.is(r.lines.pending, (2n ** 9n | 2n ** 11n | 2n ** 34n | 2n ** 39n).toString(16));
  assert.is(r.lines.before, '');
  // USR1 sent twice ran once, with the first sender's value.
  assert.is(r.lines.after, '10:6 12:5 35:2 35:4 40:1 40:3');
  assert.is(r.lines['pending-after'], '0');
}));

t('the real-time queue has a limit: one more is EAGAIN (sigqueue and kill)', guarded(async () => {
  const r = await run('limit');
  assert.equal(r.st, OK, r.err);
  assert.is(r.lines.queued, '32');
  assert.is(r.lines['one-more'], 'EAGAIN');
  assert.is(r.lines['kill-rt'], 'EAGAIN');
}));

t('sa_mask holds a signal off during a handler; SA_NODEFER nests; without it the signal waits; SA_RESETHAND runs once', guarded(async () => {
  const r = await run('mask');
  assert.equal(r.st, OK, r.err);
  assert.is(r.lines.masked, 'usr1-begin usr1-end h12');
  assert.is(r.lines.nodefer, 'in1 in2 out2 out1');
  assert.is(r.lines.defer, 'in1 out1 in2 out2');
  assert.is(r.lines.resethand, 'h12 now 0');
  assert.is(r.lines['mask-after'], '0');
}));

t('sigsuspend: returns EINTR after the handler, the old mask back', guarded(async () => {
  const r = await run('suspend');
  assert.equal(r.st, OK, r.err);
  assert.is(r.lines.sigsuspend, 'EINTR');
  assert.is(r.lines.log, 'h10');
  assert.is(r.lines.mask, (1 << 9).toString(16));
}));

t('sigtimedwait: EAGAIN on timeout and poll, the signal with its siginfo, EINTR for a handled one outside the set', guarded(async () => {
  const r = await run('timedwait');
  assert.equal(r.st, OK, r.err);
  assert.is(r.lines.timeout, 'EAGAIN');
  assert.is(r.lines.poll, 'EAGAIN');
  assert.is(r.lines.got, '12');
  assert.is(r.lines.info, '12 -1 77 self');   // SI_QUEUE, the value, the sender
  assert.is(r.lines.interrupted, 'EINTR');
  assert.is(r.lines.log, 'h10');
}));

t('nanosleep is interrupted (never restarted) and keeps the time it had left', guarded(async () => {
  const r = await run('sleep');
  assert.equal(r.st, OK, r.err);
  assert.is(r.lines.nanosleep, 'EINTR');
  assert.is(r.lines.left, 'ok');
}));

t('waitpid is interrupted by a handler', guarded(async () => {
  const r = await run('waitpid');
  assert.equal(r.st, OK, r.err);
  assert.is(r.lines.waitpid, 'EINTR');
  assert.is(r.lines.log, 'h10');
}));

t('poll_oneoff on a clock is interrupted, even with SA_RESTART (WASI EINTR 27)', guarded(async () => {
  const r = await run('poll');
  assert.equal(r.st, OK, r.err);
  assert.is(r.lines.poll, '27');
  assert.is(r.lines.log, 'h10');
}));

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

t('an interrupted FIFO open gives its half-open end back (a reader sees no writer)', guarded(async () => {
  const r = await run('fifo');
  assert.equal(r.st, OK, r.err);
  assert.is(r.lines.open, 'EINTR');
  assert.is(r.lines.read, '0');
}));

t('SIGSTOP/SIGCONT: waitpid WUNTRACED and WCONTINUED statuses, ps T, SIGCHLD siginfo for each', guarded(async () => {
  const r = await run('stop');
  assert.equal(r.st, OK, r.err);
  assert.is(r.lines.stopped, 'yes 19 137f');
  assert.is(r.lines['ps-T'], '0');
  assert.is(r.lines.nohang, '0');   // reported once
  assert.is(r.lines.continued, 'yes');
  assert.is(r.lines.ended, 'signal 15');
  // CLD_STOPPED/19, CLD_CONTINUED/18, CLD_KILLED/15.
  assert.is(r.lines.sigchld, 'chld5/19 chld6/18 chld2/15');
}));

t('SIGCHLD ignored: children are reaped at exit, waitpid then ECHILD', guarded(async () => {
  const r = await run('autoreap', 'ign');
  assert.equal(r.st, OK, r.err);
  assert.is(r.lines.waitpid, 'ECHILD');
  assert.is(r.lines.again, 'ECHILD');
  assert.is(r.lines.log, '');
}));

t('SA_NOCLDWAIT with a handler: reaped at exit, and the handler still runs', guarded(async () => {
  const r = await run('autoreap', 'wait');
  assert.equal(r.st, OK, r.err);
  assert.is(r.lines.waitpid, 'ECHILD');
  assert.is(r.lines.log, 'h17');
}));

t('a spawned child (as exec): handled signals reset, ignored kept, the mask kept, nothing pending', guarded(async () => {
  const r = await run('inherit');
  assert.equal(r.st, OK, r.err);
  assert.is(r.lines.usr1, '0');
  assert.is(r.lines.usr2, '1');
  assert.is(r.lines.mask, (1 << 14).toString(16));
  assert.is(r.lines.pending, '0');
}));

t('bad input: numbers EINVAL, SIGKILL/SIGSTOP EINVAL, bad how EINVAL, bad pointers EFAULT, ESRCH', guarded(async () => {
  const r = await run('bad');
  assert.equal(r.st, OK, r.err);
  const want = {
    'sigaction-0': 'EINVAL', 'sigaction-65': 'EINVAL', 'sigaction-kill': 'EINVAL', 'sigaction-stop': 'EINVAL',
    'sigaction-kill-query': '0', 'sigaction-efault': 'EFAULT', 'sigaction-old-efault': 'EFAULT',
    'sigprocmask-how': 'EINVAL', 'sigprocmask-how-noset': '0', 'sigprocmask-efault': 'EFAULT',
    'sigprocmask-old-efault': 'EFAULT', 'unblockable-dropped': (1 << 9).toString(16),
    'sigpending-efault': 'EFAULT', 'sigsuspend-efault': 'EFAULT', 'sigtimedwait-efault': 'EFAULT',
    'sigtimedwait-info-efault': 'EFAULT', 'sigtimedwait-einval': 'EINVAL', 'sigreturn-efault': 'EFAULT',
    'sigtake-none': '0', 'sleepleft-efault': 'EFAULT', 'kill-esrch': 'ESRCH', 'kill-einval': 'EINVAL',
    'kill-neg': 'EINVAL', 'kill-exists': '0', 'kill-init': '0', 'sigqueue-esrch': 'ESRCH', 'sigqueue-einval': 'EINVAL',
  };
  for (const [k, v] of Object.entries(want)) assert.is(r.lines[k], v, k);
}));

t('kill EPERM once a process gave up root (setuid): its uid may not signal root\'s processes; SIGCONT in the session may', guarded(async () => {
  const r = await run('perm');
  assert.equal(r.st, OK, r.err);
  const want = {
    setuid: '0', uid: '1000', 'setuid-back': 'EPERM', 'setuid-neg': 'EINVAL', 'kill-root': 'EPERM',
    'probe-root': 'EPERM', 'kill-parent': 'EPERM', 'queue-root': 'EPERM', 'cont-root': '0', 'kill-self': '0',
    'kill-all': 'EPERM', 'kill-esrch': 'ESRCH', child: '0', 'root-reaped': '9',
  };
  for (const [k, v] of Object.entries(want)) assert.is(r.lines[k], v, k);
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

t('deterministic mode: handlers, restarts, stops and queues replay byte-identically for a seed', () => {
  const run = () => spawnSync(process.execPath, ['tests/helpers/sigdet.mjs', '11'], { cwd: ROOT, encoding: 'utf8', timeout: 90000 });
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
