// POSIX message queues (issue 15, assembly/mqueue.ts) from C with real
// processes: programs/c/posix/mqtest.c group by group (exact lines), its
// tools run as separate processes where a test must see one blocked
// (waitState: the kernel shows it sleeping), /dev/mqueue from the shell,
// the boot limits, the mq-producer / mq-consumer demos, and the kernel heap
// back where it was once every queue and process is gone.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { boot } from '../dist/index.js';
import { ROOT, guarded, run, sh, waitState, waitOnlyInit, settledHeap, installGuest, heapBase } from './helpers/index.mjs';

const BUILD = path.join(ROOT, 'programs', 'c', 'posix', 'build');
const SIGKILL = 9;

const t = suite('mqueue');
let m;
t.before(async () => {
  m = await boot();
  for (const f of ['mqtest', 'mqrules', 'mq-producer', 'mq-consumer']) m.writeFile(`/tmp/${f}`, fs.readFileSync(path.join(BUILD, `${f}.wasm`)), 0o755);
});
t.after(async () => { await m.shutdown(); });

const mq = (args, ms) => run(m, '/tmp/mqtest', ['/tmp/mqtest', ...args], { env: { PATH: '/bin' } }, ms);
const spawnMq = (args) => m.spawn('/tmp/mqtest', ['/tmp/mqtest', ...args], { stdout: 'pipe', stderr: 'pipe', stdin: 'null', env: { PATH: '/bin' } });

/** Runs a group that must succeed; its lines. */
async function group(args, ms = 30000) {
  const r = await mq(Array.isArray(args) ? args : [args], ms);
  assert.is(r.stderr, '', `${args}: stderr`);
  assert.is(r.code, 0, `${args}: exit status (output: ${r.stdout})`);
  return r.stdout.split('\n').filter(Boolean);
}

async function tool(args) {
  const r = await mq(args);
  assert.is(r.code, 0, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
  return r.stdout.split('\n').filter(Boolean);
}

t('priority order under mixed priorities, FIFO within a priority, then EAGAIN', guarded(async () => {
  assert.equal(await group('order'), [
    'curmsgs 9', 'got i 32767', 'got d 9', 'got g 9', 'got b 5', 'got e 5', 'got a 1', 'got c 1', 'got f 0', 'got h 0',
    'drained EAGAIN',
  ]);
}));

t('O_NONBLOCK: EAGAIN empty and full; mq_setattr changes only O_NONBLOCK; a past deadline on a full queue is ETIMEDOUT', guarded(async () => {
  assert.equal(await group('nonblock'), [
    'recv-empty EAGAIN', 'send1 0', 'send2 0', 'send-full EAGAIN',
    'attr flags-nb 1 maxmsg 2 msgsize 16 curmsgs 2', 'setattr 0', 'old flags-nb 1', 'now flags-nb 0',
    'timedsend-full-past ETIMEDOUT', 'setattr-nb 0', 'maxmsg-unchanged 2',
  ]);
}));

t('timed receive: ETIMEDOUT at the absolute CLOCK_REALTIME deadline, EINVAL for a bad timespec, EFAULT for a bad pointer', guarded(async () => {
  assert.equal(await group('timed'), [
    'timedrecv ETIMEDOUT', 'waited-until-deadline 1', 'nsec-1e9 EINVAL', 'nsec-neg EINVAL', 'sec-neg EINVAL',
    'send-bad-ts EINVAL', 'timedrecv-bad-ptr EFAULT', 'bad-ts-with-message EINVAL', 'timedrecv-present-past 1', 'prio 3', 'timedrecv-empty-past ETIMEDOUT',
  ]);
}));

t('a handled signal: EINTR for a blocked receive and send without SA_RESTART; with it the receive goes on', guarded(async () => {
  assert.equal(await group('eintr'), ['recv-interrupted EINTR', 'send-interrupted-full EINTR', 'recv-restarted late']);
}));

t('a blocked receiver is woken by a sender in another process', guarded(async () => {
  assert.equal(await tool(['mk', '/wake', '4', '64']), ['mk 0']);
  const r = spawnMq(['recv', '/wake', '2']);
  await waitState(m, r.pid, 'sleeping');
  assert.equal(await tool(['send', '/wake', '3', 'hello']), ['sent hello r 0']);
  await waitState(m, r.pid, 'sleeping');   // woken, took it, blocked again for the second
  assert.equal(await tool(['send', '/wake', '1', 'again']), ['sent again r 0']);
  const st = await r.wait();
  assert.is(st.code, 0);
  assert.is(r.stdout, 'got hello 3\ngot again 1\n');
  assert.is((await sh(m, 'rm /dev/mqueue/wake')).code, 0);
}));

t('a blocked sender is woken when a receive frees room; nothing is lost or reordered', guarded(async () => {
  assert.equal(await tool(['mk', '/room', '2', '64']), ['mk 0']);
  assert.equal(await tool(['send', '/room', '1', 'a', 'b']), ['sent a r 0', 'sent b r 0']);
  const s = spawnMq(['send', '/room', '9', 'urgent']);
  await waitState(m, s.pid, 'sleeping');
  assert.equal(await tool(['recv', '/room', '1']), ['got a 1']);
  const st = await s.wait();
  assert.is(st.code, 0);
  assert.is(s.stdout, 'sent urgent r 0\n');
  assert.equal(await tool(['recv', '/room', '2']), ['got urgent 9', 'got b 1']);
  assert.is((await sh(m, 'rm /dev/mqueue/room')).code, 0);
}));

t('mq_notify: once, EBUSY for a second (any process), SI_MESGQ with the value and the sender\'s pid, then gone; SIGEV_NONE', guarded(async () => {
  assert.equal(await group('notify'), [
    'register 0', 'again-same-process EBUSY', 'child-register EBUSY',
    'fired 1 code -3 value 42 sender-is-child 1', 'reregister 0', 'unregister 0',
    'register-none 0', 'busy-none EBUSY', 'after-none 0', 'unregister-none 0', 'signals 1',
  ]);
}));

t('mq_notify does not fire while a receiver waits (it takes the message); the registration stays and /dev/mqueue shows it', guarded(async () => {
  assert.equal(await tool(['mk', '/nq', '4', '64']), ['mk 0']);
  assert.equal(await tool(['mk', '/nqdone', '1', '64']), ['mk 0']);
  const n = spawnMq(['notifywait', '/nq', '/nqdone']);
  await waitState(m, n.pid, 'sleeping');   // registered, then blocked on /nqdone
  const r = spawnMq(['recv', '/nq', '1']);
  await waitState(m, r.pid, 'sleeping');
  assert.equal(await tool(['send', '/nq', '2', 'taken']), ['sent taken r 0']);
  await r.wait();
  assert.is(r.stdout, 'got taken 2\n');
  const cat = await sh(m, 'cat /dev/mqueue/nq');
  assert.is(cat.stdout, `QSIZE:0          NOTIFY:0     SIGNO:10    NOTIFY_PID:${String(n.pid).padEnd(6)}\n`);
  // Now nobody waits: the next message fires it.
  assert.equal(await tool(['send', '/nq', '2', 'noticed']), ['sent noticed r 0']);
  assert.equal(await tool(['send', '/nqdone', '0', 'done']), ['sent done r 0']);
  await n.wait();
  assert.is(n.stdout, 'registered 0\nsignals 1 code -3 value 5\n');
  assert.is((await sh(m, 'cat /dev/mqueue/nq')).stdout, 'QSIZE:7          NOTIFY:0     SIGNO:0     NOTIFY_PID:0     \n');
  assert.is((await sh(m, 'rm /dev/mqueue/nq /dev/mqueue/nqdone')).code, 0);
}));

t('a process killed while blocked in mq_receive leaves no waiter (notify then fires) and loses no message', guarded(async () => {
  assert.equal(await tool(['mk', '/kq', '4', '64']), ['mk 0']);
  assert.equal(await tool(['mk', '/kqdone', '1', '64']), ['mk 0']);
  const victim = spawnMq(['recv', '/kq', '1']);
  await waitState(m, victim.pid, 'sleeping');
  m.kill(victim.pid, SIGKILL);
  const vs = await victim.wait();
  assert.is(vs.signal, SIGKILL);
  const n = spawnMq(['notifywait', '/kq', '/kqdone']);
  await waitState(m, n.pid, 'sleeping');
  assert.equal(await tool(['send', '/kq', '4', 'survives']), ['sent survives r 0']);
  assert.equal(await tool(['send', '/kqdone', '0', 'done']), ['sent done r 0']);
  await n.wait();
  assert.is(n.stdout, 'registered 0\nsignals 1 code -3 value 5\n', 'a dead waiter would have kept the notification from firing');
  assert.equal(await tool(['recv', '/kq', '1']), ['got survives 4']);
  assert.is((await sh(m, 'rm /dev/mqueue/kq /dev/mqueue/kqdone')).code, 0);
}));

t('a registration dies with its process: a later send to the empty queue signals nobody and the slot is free', guarded(async () => {
  assert.equal(await tool(['mk', '/dq', '4', '64']), ['mk 0']);
  assert.equal(await tool(['mk', '/dqdone', '1', '64']), ['mk 0']);
  const n = spawnMq(['notifywait', '/dq', '/dqdone']);
  await waitState(m, n.pid, 'sleeping');
  assert.match((await sh(m, 'cat /dev/mqueue/dq')).stdout, `NOTIFY_PID:${n.pid}`);
  m.kill(n.pid, SIGKILL);
  await n.wait();
  assert.is((await sh(m, 'cat /dev/mqueue/dq')).stdout, 'QSIZE:0          NOTIFY:0     SIGNO:0     NOTIFY_PID:0     \n');
  assert.is((await sh(m, 'rm /dev/mqueue/dq /dev/mqueue/dqdone')).code, 0);
}));

t('unlink: the name goes at once, the queue lives until its last descriptor closes; a new queue of that name is another', guarded(async () => {
  assert.equal(await group('unlink'), [
    'unlink 0', 'open-gone ENOENT', 'unlink-again ENOENT', 'still kept', 'new-queue 1', 'new-empty EAGAIN',
    'new-still-empty EAGAIN', 'unlink-new 0',
  ]);
}));

t('/dev/mqueue: ls lists the queues, cat shows QSIZE and NOTIFY as Linux, rm unlinks', guarded(async () => {
  assert.equal(await tool(['mk', '/shown', '8', '128']), ['mk 0']);
  assert.equal(await tool(['send', '/shown', '1', 'twelve-bytes', 'abc']), ['sent twelve-bytes r 0', 'sent abc r 0']);
  const ls = await sh(m, 'ls /dev/mqueue');
  assert.is(ls.stdout, 'shown\n');
  const cat = await sh(m, 'cat /dev/mqueue/shown');
  assert.is(cat.stdout, 'QSIZE:15         NOTIFY:0     SIGNO:0     NOTIFY_PID:0     \n');
  assert.is((await sh(m, 'rm /dev/mqueue/shown')).code, 0);
  assert.is((await sh(m, 'ls /dev/mqueue')).stdout, '');
  const gone = await mq(['recv', '/shown', '1']);
  assert.is(gone.stdout, 'open ENOENT\n');
}));

t('/dev/mqueue: a name made there by open(2) (touch) is a queue with the default attributes, as on Linux', guarded(async () => {
  const r = await sh(m, 'touch /dev/mqueue/made && cat /dev/mqueue/made && ls /dev/mqueue');
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout, 'QSIZE:0          NOTIFY:0     SIGNO:0     NOTIFY_PID:0     \nmade\n');
  assert.equal(await tool(['send', '/made', '2', 'via-touch']), ['sent via-touch r 0']);
  assert.equal(await tool(['recv', '/made', '1']), ['got via-touch 2']);
  assert.is((await sh(m, 'rm /dev/mqueue/made')).code, 0);
}));

t('poll: POLLOUT with room, POLLIN with a message, a blocked poll wakes on a send', guarded(async () => {
  assert.equal(await group('poll'), ['empty 1 in 0 out 1', 'full 1 in 1 out 0', 'woken 1 in 1']);
}));

t('fork inherits queue descriptors; exec closes them (always close-on-exec, as Linux) unless FD_CLOEXEC is cleared', guarded(async () => {
  assert.equal(await group('fork'), [
    'inherited from-child 4', 'cloexec 1', 'cloexec-asked 1', 'closed-fd EBADF', 'kept-fd across-exec', 'exec-status 0',
  ]);
}));

t('another uid is refused by the mode bits (EACCES), cannot unlink another\'s queue, cannot read its file', guarded(async () => {
  assert.equal(await group('perm'), [
    'setuid 0', 'open-0600-rd EACCES', 'open-0600-wr EACCES', 'open-0644-rd 0', 'open-0644-wr EACCES',
    'unlink-other EACCES', 'cat-0600 EACCES', 'create-own 0', 'unlink-own 0', 'inherited-still-works 0',
  ]);
}));

// recv-bad-buf / recv-bad-prio then not-lost: a deliberate difference from
// Linux, which takes the message off before it copies it out and loses it
// on EFAULT (seen on Linux 6.18; docs/architecture.md "Blocking and deadlines").
t('bad input (Linux\'s errnos, checked against Linux 6.18): names, descriptors, directions, sizes, priorities, pointers (a bad buffer loses nothing), notify and attr', guarded(async () => {
  assert.equal(await group('errors'), [
    'name-noslash EINVAL', 'name-inner-slash EACCES', 'name-slash-only ENOENT', 'name-dot EACCES',
    'name-256 ENAMETOOLONG', 'name-255 0', 'unlink-255 0', 'name-bad-ptr EFAULT', 'missing ENOENT', 'excl EEXIST',
    'attr-bad-ptr EFAULT', 'attr-maxmsg-0 EINVAL', 'attr-msgsize-neg EINVAL', 'attr-maxmsg-over EINVAL',
    'attr-256x8192 0', 'default 10 x 8192',
    'send-rdonly EBADF', 'recv-wronly EBADF', 'send-badfd EBADF', 'send-closedfd EBADF', 'send-pipe EBADF',
    'recv-pipe EBADF', 'getattr-pipe EBADF', 'notify-pipe EBADF',
    'send-too-long EMSGSIZE', 'send-len-neg EMSGSIZE', 'send-len-2g EMSGSIZE', 'send-prio-max EINVAL',
    'send-bad-msg EFAULT', 'recv-small-buf EMSGSIZE', 'recv-bad-buf EFAULT', 'recv-bad-prio EFAULT',
    'not-lost precious 7',
    'notify-bad-ptr EFAULT', 'notify-bad-kind EINVAL', 'notify-thread EINVAL', 'notify-signo-65 EINVAL',
    'notify-signo-0 0', 'setattr-bad-flags EINVAL', 'setattr-bad-ptr EFAULT', 'getattr-bad-ptr EFAULT',
    'unlink-missing ENOENT', 'unlink-bad-ptr EFAULT', 'unlink-noslash EINVAL', 'write-queue-file EINVAL',
    'child-register 0', 'emfile EMFILE', 'still-registered EBUSY',
    'close 0', 'send-after-close EBADF',
  ]);
}));

/** A group of programs/c/posix/mqrules.c (its lines are what Linux 6.18 printed for it). */
async function rules(g) {
  const r = await run(m, '/tmp/mqrules', ['/tmp/mqrules', g], { env: { PATH: '/bin' } });
  assert.is(r.stderr, '', `${g}: stderr`);
  assert.is(r.code, 0, `${g}: exit status (output: ${r.stdout})`);
  return r.stdout.split('\n').filter(Boolean);
}

// Linux's mqueue_flush_file: every close of a descriptor of the queue by
// the registered process ends its registration (owner-* 0: none, 1: the
// caller). Before, only the last close of the registering descriptor did:
// a closed dup left it (owner 1, the child's EBUSY, the send signalled).
t('mq_notify: any close by the registered process ends its registration (a dup, another mq_open, dup2 over it, fd_renumber of a dup); a child\'s close does not', guarded(async () => {
  assert.equal(await rules('flush'), [
    'register 0', 'close-dup 0', 'owner-after-dup-close 0', 'other-process-register 0', 'owner-after-child-exit 0',
    'send 0', 'signals 0',
    'register-again 0', 'close-other-open 0', 'owner-after-other-close 0',
    'register-dup2 0', 'dup2-over 0', 'owner-after-dup2 0',
    'register-renumber 0', 'renumber 0', 'owner-after-renumber 0',
    'register-fork 0', 'owner-after-child-close 1', 'send-fires 0', 'signals 1',
  ]);
}));

// A small queue's messages live in buffers of its full size, reused (the
// queue keeps the ones received); a large one's in their own allocations.
t('messages of every length come out byte for byte through 50 rounds of a full queue, small and large; a bad pointer on a full queue is EFAULT', guarded(async () => {
  assert.equal(await rules('sizes'), [
    'small sent 200 received 200 wrong 0', 'full-bad-pointer EFAULT', 'full EAGAIN',
    'large sent 200 received 200 wrong 0', 'full-bad-pointer EFAULT', 'full EAGAIN',
  ]);
}));

// Linux's mqueue inode takes simple_setattr: ftruncate on a writable
// descriptor sets the size stat shows (80 at first) up to MAX_NON_LFS.
t('ftruncate of a queue descriptor: the size stat shows changes, the messages stay; read-only, negative or past 2^31-1 is EINVAL', guarded(async () => {
  assert.equal(await rules('trunc'), [
    'size-new 80', 'send 0', 'ftruncate 0', 'size 100', 'curmsgs 1', 'ftruncate-max 0', 'ftruncate-past-max EINVAL',
    'ftruncate-negative EINVAL', 'ftruncate-rdonly EINVAL', 'receive 3',
  ]);
}));

// Before, the registration went only with the File's last reference: the
// dup kept across the exec kept it (owner 1, EBUSY for the same pid).
t('mq_notify: exec\'s close of the close-on-exec descriptor ends the registration though a dup of it stays open (the same pid registers again); a queue whose FD_CLOEXEC was cleared keeps its own', guarded(async () => {
  assert.equal(await rules('exec'), [
    'register 0', 'register-kept 0', 'dup-still-open 0', 'owner-after-exec 0', 'owner-kept 1', 'register-after-exec 0',
  ]);
}));

// Linux's mqueue file system has create, lookup and unlink only: vfs_mkdir,
// vfs_mknod, vfs_symlink, vfs_link and vfs_rename say EPERM without the
// operation; a link or rename across its boundary is EXDEV; its mount point
// cannot be removed or moved (EBUSY). setattr is the generic one.
t('/dev/mqueue refuses what Linux\'s mqueue file system refuses: mkdir, mkfifo, link, symlink, rename (EPERM, EXDEV across it), rmdir of it (EBUSY); chmod and chown work', guarded(async () => {
  assert.equal(await rules('fs'), [
    'mkdir EPERM', 'mkdir-existing EEXIST', 'mkdir-below-queue ENOTDIR', 'mkfifo EPERM',
    'rmdir-queue ENOTDIR', 'rmdir-missing ENOENT', 'rmdir-dir EBUSY', 'unlink-dir EISDIR', 'rename-dir EBUSY',
    'link-inside EPERM', 'link-onto-itself EEXIST', 'link-missing ENOENT', 'link-out EXDEV', 'link-in EXDEV',
    'symlink EPERM', 'symlink-existing EEXIST',
    'rename-inside EPERM', 'rename-onto-itself 0', 'rename-missing ENOENT', 'rename-out EXDEV',
    'rename-out-missing EXDEV', 'rename-in EXDEV', 'rename-in-missing EXDEV',
    'still-there 0', 'nothing-made ENOENT', 'plain-stays 0',
    'chmod 0', 'chown 0', 'mode 100640 uid 5 gid 6', 'unlink-queue 0', 'gone ENOENT',
  ]);
  const ls = await sh(m, 'ls /dev/mqueue; mkdir /dev/mqueue/sub; echo mkdir $?');
  assert.is(ls.stdout, 'mkdir 1\n');
}));

t('many producers and consumers on one small queue: every message delivered exactly once', guarded(async () => {
  assert.equal(await group(['many', '4', '4', '250'], 60000), ['many delivered 1000 dup 0 missing 0 failed 0', 'left 0']);
}, 90000));

t('the demos: the producer sends with priorities, the consumer prints them highest first (from sh)', guarded(async () => {
  const r = await sh(m, '/tmp/mq-producer /demo && /tmp/mq-consumer /demo');
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout, [
    'producer: sent 6 messages to /demo',
    'consumer: [prio 9] disk full',
    'consumer: [prio 9] power low',
    'consumer: [prio 5] job 17 failed',
    'consumer: [prio 1] job 17 started',
    'consumer: [prio 1] job 18 started',
    'consumer: [prio 0] heartbeat',
    'consumer: queue empty, removed /demo',
    '',
  ].join('\n'));
}));

t('the AssemblyScript library (programs/lib/mqueue.ts): open, priorities, attrs, EMSGSIZE, a deadline, notify, EBADF, unlink', guarded(async () => {
  const g = installGuest(m, 'mq');
  const r = await run(m, g, [g, 'basic']);
  assert.is(r.code, 0, r.stderr);
  assert.equal(r.stdout.split('\n').filter(Boolean), [
    'open 0', 'send-low 0', 'send-high 0', 'send-mid 0', 'getattr 0', 'attr 4x64 cur 3 nb 1',
    'got high 7', 'got mid 3', 'got low 1', 'empty EAGAIN', 'small-buf EMSGSIZE', 'blocking 0', 'timed-out ETIMEDOUT',
    'notify 0', 'notify-busy EBUSY', 'cancel 0', 'notify-none 0', 'rdonly-send EBADF', 'unlink 0', 'close 0', 'missing ENOENT',
  ]);
}));

t('no queue, message or waiter outlives its users: the kernel heap settles back', guarded(async () => {
  const base = await heapBase(m);
  await group('order');
  await group('notify');
  await group(['many', '2', '2', '50']);
  await waitOnlyInit(m);
  assert.is(await settledHeap(m, base), base);
}, 60000));

t.run();

const lim = suite('mqueue-limits');
let ml;
lim.before(async () => {
  ml = await boot({ mqueue: { maxMsg: 4, msgSizeMax: 256, queuesMax: 3 } });
  ml.writeFile('/tmp/mqtest', fs.readFileSync(path.join(BUILD, 'mqtest.wasm')), 0o755);
});
lim.after(async () => { await ml.shutdown(); });

lim('boot limits: the attr ceilings (EINVAL), the default attr within them, queues per machine (ENOSPC) counted until the last close', guarded(async () => {
  const r = await run(ml, '/tmp/mqtest', ['/tmp/mqtest', 'limits']);
  assert.is(r.code, 0, r.stderr);
  assert.equal(r.stdout.split('\n').filter(Boolean), [
    'maxmsg-over EINVAL', 'msgsize-over EINVAL', 'at-ceiling 0', 'default-within 4 x 256', 'third 0', 'fourth ENOSPC',
    'unlinked-but-open ENOSPC', 'after-close 0',
  ]);
}));

lim('the bytes all queues may hold (bytesMax): a creation past them is EMFILE, the bytes come back when a queue goes', guarded(async () => {
  const mb = await boot({ mqueue: { bytesMax: 1500 } });
  try {
    mb.writeFile('/tmp/mqtest', fs.readFileSync(path.join(BUILD, 'mqtest.wasm')), 0o755);
    const r = await run(mb, '/tmp/mqtest', ['/tmp/mqtest', 'bytes']);
    assert.is(r.code, 0, r.stderr);
    assert.equal(r.stdout.split('\n').filter(Boolean), ['first 0', 'second EMFILE', 'small-fits 0', 'after-free 0']);
  } finally { await mb.shutdown(); }
}));

lim('bad limits are refused before boot, naming the option', async () => {
  for (const bad of [{ maxMsg: 0 }, { msgSizeMax: 1 << 30 }, { queuesMax: -1 }, { maxMsg: 1.5 }, { bytesMax: -1 }]) {
    try { await boot({ mqueue: bad }); assert.unreachable(`${JSON.stringify(bad)} accepted`); } catch (e) {
      assert.match(String(e.message), /mqueue\./, JSON.stringify(bad));
    }
  }
  try { await boot({ mqueue: 5 }); assert.unreachable('a number accepted'); } catch (e) { assert.match(String(e.message), /mqueue/); }
});

lim.run();
