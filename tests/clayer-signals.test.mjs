// Signals and timers from C (issue 14): programs/c/posix/csignal.c group by
// group (sets, timers and their errnos, alarm's default action on a blocked
// and on a busy process, the signal calls' errnos, EINTR and the time left,
// interval timers, an alarm reaching a computing loop) and the classic
// demos (sigqueue-pair, alarm-timeout, sigchld-reaper, sigread), each with
// exact output and status. The committed builds need no C toolchain.
//
// The handler paths need the kernel's signal calls (sigcore's part of the
// issue): while the built kernel does not export sys_sigaction, those tests
// check the clean failure instead (sigaction: ENOSYS, the alarm then kills),
// and say so.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { boot } from '../dist/index.js';
import { ROOT, guarded, run } from './helpers/index.mjs';

const BUILD = path.join(ROOT, 'programs', 'c', 'posix', 'build');
const kernel = new WebAssembly.Module(fs.readFileSync(path.join(ROOT, 'build', 'kernel.wasm')));
const haveSignals = WebAssembly.Module.exports(kernel).some((e) => e.name === 'sys_sigaction');
if (!haveSignals) console.log('clayer-signals: the kernel has no sys_sigaction yet: handler tests check the clean ENOSYS only');
const SIGALRM = 14;

const t = suite('clayer-signals');
let m;
t.before(async () => {
  m = await boot();
  for (const f of ['csignal', 'sigqueue-pair', 'alarm-timeout', 'sigchld-reaper', 'sigread']) {
    m.writeFile(`/tmp/${f}`, fs.readFileSync(path.join(BUILD, `${f}.wasm`)), 0o755);
  }
});
t.after(async () => { await m.shutdown(); });

const prog = (name, args = [], ms) => run(m, `/tmp/${name}`, [`/tmp/${name}`, ...args], { env: { PATH: '/bin' } }, ms);

/** Runs a csignal group that must succeed; returns its lines. */
async function group(name, ms) {
  const r = await prog('csignal', [name], ms);
  assert.is(r.stderr, '', `${name}: stderr`);
  assert.is(r.code, 0, `${name}: exit status (output: ${r.stdout})`);
  return r.stdout.split('\n').filter(Boolean);
}

/** A handler test: registered only when the kernel has its signal calls (the last test checks the clean failure otherwise). */
const handlerTest = (name, fn, ms = 30000) => { if (haveSignals) t(name, guarded(fn, ms)); };

t('sigset_t is the kernel\'s 64-bit set; the set operations, EINVAL outside 1..64; SIGRTMIN/MAX; strsignal', guarded(async () => {
  assert.equal(await group('sets'), [
    'empty-has-int 0', 'add-int 0', 'add-rtmax 0', 'has-int 1', 'has-rtmax 1', 'has-term 0', 'del-int 0',
    'has-int-after-del 0', 'add-0 EINVAL', 'add-65 EINVAL', 'has-65 EINVAL', 'full-has-1 1', 'full-has-64 1',
    'rtmin 34 rtmax 64 nsig 65', 'sizes sigset 8 siginfo 128',
    'strsignal Alarm clock|Killed', 'strsignal-rt Real-time signal 2', 'strsignal-unknown Unknown signal 99',
  ]);
}));

t('setitimer/getitimer: values back, old value, disarm; ITIMER_VIRTUAL/PROF and bad times EINVAL; EFAULT changes nothing; alarm returns the seconds left', guarded(async () => {
  assert.equal(await group('timers'), [
    'set 0', 'get 0', 'interval 0.250000 value-sec 30',
    'set-disarm 0', 'old interval 0.250000 value-sec 30',
    'get-disarmed 0', 'disarmed 0 0 0 0',
    'virtual EINVAL', 'prof EINVAL', 'which-neg EINVAL', 'usec-1e6 EINVAL', 'sec-neg EINVAL',
    'new-efault EFAULT', 'old-efault EFAULT', 'get-efault EFAULT', 'after-efault 0', 'still-disarmed 1',
    'alarm-first 0', 'alarm-again 100', 'alarm-cancel 50', 'alarm-none 0',
  ]);
}));

t('the kernel\'s own timer checks (raw calls past the layer): EFAULT for each pointer with nothing changed, EINVAL for other timers and negative times, alarm rounds', guarded(async () => {
  assert.equal(await group('raw'), [
    'raw-set-new-efault 1', 'raw-set-old-efault 1', 'raw-get-efault 1', 'raw-get-after 0 0', 'raw-which 1 1',
    'raw-negative 1 1', 'raw-set 0', 'raw-left-in-bounds 1', 'raw-alarm-rounds 5',
  ]);
}));

// A module's first fork waits for its load-time transform (binaryen), slow on a loaded machine.
t('timers across fork (the child has none) and exec (kept), as Linux', guarded(async () => {
  assert.equal(await group('forktimer', 120000), ['fork child: armed 0', 'after exec: armed 1', 'parent: armed 1, child status 0']);
}, 120000));

t('deterministic mode: the virtual clock jumps to the timer of a process blocked forever (SIGALRM ends it)', guarded(async () => {
  const d = await boot({ seed: 7 });
  let r;
  try {
    d.writeFile('/tmp/csignal', fs.readFileSync(path.join(BUILD, 'csignal.wasm')), 0o755);
    r = await run(d, '/tmp/csignal', ['/tmp/csignal', 'alarmdie']);
  } finally { await d.shutdown(); }
  assert.is(r.signal, SIGALRM, `status ${r.status}`);
}));

t('alarm\'s SIGALRM (default action) ends a process blocked in read: the park ends at the timer', guarded(async () => {
  const r = await prog('csignal', ['alarmdie']);
  assert.is(r.stdout, '');
  assert.is(r.signal, SIGALRM, `status ${r.status}`);
}));

t('alarm\'s SIGALRM ends a process that only makes calls that never block (checked at kernel entry)', guarded(async () => {
  const r = await prog('csignal', ['alarmbusy']);
  assert.is(r.signal, SIGALRM, `status ${r.status}`);
}));

t('errnos: sigaction EINVAL (0, 65, SIGKILL, SIGSTOP) and EFAULT; sigprocmask bad how EINVAL, EFAULT; kill/sigqueue EINVAL/ESRCH; bad timespecs EINVAL/EFAULT', guarded(async () => {
  const out = await group('errno');
  const common = [
    'nanosleep-nsec EINVAL', 'nanosleep-efault EFAULT', 'nanosleep-rem-efault EFAULT',
    'clock_nanosleep-clock EINVAL', 'clock_nanosleep-efault EFAULT', 'clock_nanosleep-abs-past 0',
  ];
  assert.equal(out.slice(-common.length), common);
  // The layer's own checks hold whatever the kernel has: a bad struct pointer is EFAULT before any call.
  assert.ok(out.includes('sigaction-act-efault EFAULT'));
  assert.ok(out.includes('sigaction-old-efault EFAULT'));
  assert.ok(out.includes('sigtimedwait-nsec EINVAL'));
  assert.ok(out.includes('sigtimedwait-ts-efault EFAULT'));
  assert.ok(out.includes('sigwait-efault EFAULT'));
  assert.ok(out.includes('killpg-neg EINVAL'));
  if (!haveSignals) { assert.ok(out.includes('sigaction-0 ENOSYS')); return; }
  assert.equal(out.slice(0, out.length - common.length), [
    'sigaction-0 EINVAL', 'sigaction-65 EINVAL', 'sigaction-kill EINVAL', 'sigaction-stop EINVAL',
    'sigaction-kill-query 0', 'sigaction-act-efault EFAULT', 'sigaction-old-efault EFAULT', 'signal-kill EINVAL',
    'sigprocmask-how EINVAL', 'sigprocmask-set-efault EFAULT', 'sigprocmask-old-efault EFAULT',
    'pthread_sigmask-how EINVAL', 'sigpending-efault EFAULT', 'sigsuspend-efault EFAULT',
    'kill-sig-65 EINVAL', 'kill-sig-neg EINVAL', 'kill-esrch ESRCH', 'kill-self-0 0', 'killpg-neg EINVAL',
    'sigqueue-65 EINVAL', 'sigqueue-esrch ESRCH', 'sigtimedwait-nsec EINVAL', 'sigtimedwait-ts-efault EFAULT',
    'sigtimedwait-timeout EAGAIN', 'sigwait-efault EFAULT',
  ]);
}));

handlerTest('posix_spawn: ignored signals stay ignored in the child, SETSIGMASK sets its mask (SIGKILL dropped), SETSIGDEF makes a set SIG_DFL', async () => {
  assert.equal(await group('spawnattr'), [
    'child: TERM blocked 0, USR2 ignored, INT ignored', 'plain 0',
    'child: TERM blocked 1, USR2 default, INT ignored', 'with-attrs 0', 'status 0',
  ]);
});

t('sys/wait.h on real statuses: WIFSTOPPED/WSTOPSIG after SIGSTOP (WUNTRACED), WIFCONTINUED after SIGCONT (WCONTINUED), WCOREDUMP after SIGQUIT', guarded(async () => {
  assert.equal(await group('wait'), [
    'waitpid-stopped 0', 'stopped 1 sig 19 exited 0 signaled 0 continued 0',
    'waitpid-continued 0', 'continued 1 stopped 0',
    'waitpid-quit 0', 'signaled 1 termsig 3 core 1 stopped 0',
  ]);
}));

handlerTest('a SIGALRM handler interrupts nanosleep (EINTR, the time left within bounds), sleep (seconds left) and pause', async () => {
  assert.equal(await group('sleep'), [
    'sigaction 0', 'nanosleep EINTR', 'handler-ran 1', 'rem-in-bounds 1',
    'sleep-left-in-bounds 1', 'handler-ran 1', 'pause EINTR', 'handler-ran 1',
  ]);
});

// A loop without syscalls sees its alarm only through the safepoint pass
// (the safepoint helper's host/safepoint.ts), whose slow path must ask the
// kernel about the timer (k_timerDue). Registered once both are there.
const safepointPath = path.join(ROOT, 'host', 'safepoint.ts');
const safepointTimers = fs.existsSync(safepointPath) && fs.readFileSync(safepointPath, 'utf8').includes('k_timerDue');
if (!safepointTimers) console.log('clayer-signals: no safepoint slow path asking k_timerDue yet: the alarm-in-a-compute-loop test is not registered');
if (safepointTimers) handlerTest('an alarm reaches a loop that makes no syscall at all: its handler runs at a safepoint and the loop ends', async () => {
  assert.equal(await group('alarmcompute'), ['handler-ran-in-loop 1']);
});

handlerTest('deterministic mode: a handled interval timer fires on the virtual clock', async () => {
  const d = await boot({ seed: 3 });
  try {
    d.writeFile('/tmp/csignal', fs.readFileSync(path.join(BUILD, 'csignal.wasm')), 0o755);
    const r = await run(d, '/tmp/csignal', ['/tmp/csignal', 'interval']);
    assert.is(r.stdout, 'alarms 3, si_code SI_TIMER 1\ndisarmed 1\n');
    assert.is(r.code, 0);
  } finally { await d.shutdown(); }
});

handlerTest('an interval timer re-arms itself: three SIGALRMs with si_code SI_TIMER, then disarmed', async () => {
  assert.equal(await group('interval'), ['alarms 3, si_code SI_TIMER 1', 'disarmed 1']);
});

handlerTest('sigqueue-pair: values both ways with sigqueue, sigwaitinfo (SI_QUEUE, si_pid) and an SA_SIGINFO handler', async () => {
  const r = await prog('sigqueue-pair', ['4']);
  assert.is(r.stdout, [1, 2, 3, 4].map((i) => `receiver: value ${i}, SI_QUEUE, from the sender: yes\nsender: reply ${i * 10}\n`).join('') + 'sender exited 0\n');
  assert.is(r.code, 0);
});

handlerTest('alarm-timeout: a read given its data in time, then one ended by alarm with EINTR', async () => {
  const r = await prog('alarm-timeout', ['1']);
  assert.is(r.stdout, 'first read: in time\nsecond read: timed out after 1 s (EINTR)\n');
  assert.is(r.code, 0);
});

handlerTest('sigchld-reaper: a SIGCHLD handler reaps every child with a WNOHANG loop', async () => {
  const r = await prog('sigchld-reaper', ['6']);
  assert.is(r.stdout, 'reaped 6 children, exit codes add up to 21 (expected 21)\nno child left: ECHILD\n');
  assert.is(r.code, 0);
  assert.is(m.ps().filter((p) => p.pid !== 1 && p.state !== 'zombie').length, 0);
});

handlerTest('sigread: a handler interrupts a blocked read (EINTR), and under SA_RESTART the read goes on', async () => {
  const r = await prog('sigread');
  assert.is(r.stdout, 'without SA_RESTART: read -1, EINTR, handler ran: yes\n'
    + 'with SA_RESTART: read "data after the pokes", handler ran: yes\nchild exited 0\n');
  assert.is(r.code, 0);
});

t('without the kernel\'s signal calls a handler cannot be installed: ENOSYS, and the alarm\'s default action ends the demo', guarded(async () => {
  if (haveSignals) return;
  const r = await prog('alarm-timeout', ['1']);
  assert.is(r.stdout, 'first read: in time\n');
  assert.is(r.signal, SIGALRM);
}));

t.run();
