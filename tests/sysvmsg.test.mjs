// System V message queues (issue 15) from C: programs/c/posix/sysvmsg.c group
// by group, each with real processes (fork), exact output and status.
// Waits are for conditions: a child is known blocked when ps shows it
// asleep (the fixture polls the snapshot syscall), never after a delay.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { boot } from '../dist/index.js';
import { ROOT, guarded, run, sh, settledHeap, waitFor, installGuest, heapBase } from './helpers/index.mjs';

const BUILD = path.join(ROOT, 'programs', 'c', 'posix', 'build');
const t = suite('sysvmsg');
let m;
t.before(async () => {
  m = await boot();
  for (const f of ['sysvmsg', 'msg-server', 'msg-client']) m.writeFile(`/tmp/${f}`, fs.readFileSync(path.join(BUILD, `${f}.wasm`)), 0o755);
});
t.after(async () => { await m.shutdown(); });

/** Asserts that booting with `opts` fails with a message matching `re`. */
async function bootFails(opts, re) {
  let err = null;
  try { const x = await boot(opts); await x.shutdown(); } catch (e) { err = e; }
  assert.ok(err && re.test(err.message), `${JSON.stringify(opts)}: ${err ? err.message : 'booted'}`);
}

async function group(machine, name, ms = 60000) {
  const r = await run(machine, '/tmp/sysvmsg', ['/tmp/sysvmsg', name], { env: { PATH: '/bin' } }, ms);
  assert.is(r.stderr, '', `${name}: stderr`);
  assert.is(r.code, 0, `${name}: exit status (output: ${r.stdout})`);
  return r.stdout.split('\n').filter(Boolean);
}

t('msgrcv: msgtyp 0 (first), > 0 (first of that type), < 0 (lowest type <= |msgtyp|, oldest of it), MSG_EXCEPT (ignored for 0), IPC_NOWAIT ENOMSG', guarded(async () => {
  assert.equal(await group(m, 'types'), [
    'any 3 a', 'le4 1 b', 'eq2 2 c', 'except1 3 d', 'le4-again 1 f', 'le0-none ENOMSG', 'eq7-none ENOMSG',
    'except5-none ENOMSG', 'any-except 5 e', 'empty ENOMSG', 'lowest-of-many 4 h', 'except9 4 i', 'eq9 9 g', 'rmid 0',
  ]);
}, 60000));

t('msgsnd: mtype < 1, size past msgmax and negative sizes EINVAL; msgmax and 0 bytes fit; E2BIG leaves the message queued, MSG_NOERROR truncates; MSG_COPY ENOSYS', guarded(async () => {
  assert.equal(await group(m, 'sizes'), [
    'mtype0 EINVAL', 'mtype-neg EINVAL', 'size-over-msgmax EINVAL', 'size-neg EINVAL', 'size-msgmax 0', 'rcv-msgmax 8192',
    'size0 0', 'rcv-size0 0', 'small-buf E2BIG', 'still-queued 1', 'noerror 5 2 hello', 'gone 0', 'rcv-size-neg EINVAL',
    'copy ENOSYS',
  ]);
}));

t('a full queue: IPC_NOWAIT EAGAIN; a blocked sender wakes when a receive frees room; a blocked receiver wakes for its type only', guarded(async () => {
  assert.equal(await group(m, 'block'), [
    'fill1 0', 'fill2 0', 'full-nowait EAGAIN', 'while-blocked qnum 2 cbytes 16384', 'receive-frees 8192',
    'sender-status 0', 'after qnum 2 cbytes 8202', 'sent-by-child 7 ', 'receiver-status 0', 'left 41 not',
  ]);
}, 60000));

t('a handled signal makes a blocked msgrcv and msgsnd EINTR, with SA_RESTART too (never restarted, signal(7))', guarded(async () => {
  assert.equal(await group(m, 'eintr'), [
    'msgrcv EINTR handler 10', 'msgsnd EINTR handler 10', 'msgrcv-restart EINTR handler 10', 'msgsnd-restart EINTR handler 10',
    'qnum 0',
  ]);
}, 60000));

t('IPC_RMID wakes a blocked sender and receiver with EIDRM; the removed id is EINVAL, also once its slot holds a new queue', guarded(async () => {
  assert.equal(await group(m, 'rmid'), [
    'rmid-full 0', 'rmid-empty 0', 'sender-eidrm 1 receiver-eidrm 1', 'stale-snd EINVAL', 'stale-rcv EINVAL',
    'stale-stat EINVAL', 'stale-rmid EINVAL', 'new-id-differs 1 1', 'stale-after-reuse EINVAL', 'stale-after-reuse2 EINVAL',
    'new-works 0',
  ]);
}, 60000));

t('IPC_STAT: key, mode, owner and creator, qnum, cbytes, qbytes, lspid, lrpid and the three times', guarded(async () => {
  assert.equal(await group(m, 'stat'), [
    'new: key 0x5157 mode 640 uid 0 gid 0 cuid 0 cgid 0 qnum 0 cbytes 0 qbytes 16384 lspid 0 lrpid 0 stime 0 rtime 0 ctime-now 1',
    'sent: qnum 2 cbytes 12 lspid-me 1 lrpid 0 stime-now 1 rtime 0',
    'received: child 0 qnum 1 cbytes 5 lspid-me 1 lrpid-child 1 rtime-now 1',
  ]);
}, 60000));

t('IPC_SET and msg_qbytes (root may raise past msgmnb, others EPERM); uid 1000 refused: EACCES without the mode bits, EPERM for IPC_SET/IPC_RMID of root\'s queue', guarded(async () => {
  assert.equal(await group(m, 'perm'), [
    'set 0', 'after-set mode 640 qbytes 100', 'over-new-qbytes EAGAIN', 'root-raises-past-msgmnb 0', 'qbytes 1048576', 'set-uid-invalid EINVAL',
    'setuid 0', 'euid 1000', 'get-0600-is-q 1', 'get-0600-rw EACCES', 'get-0600-none-asked 0', 'snd-0600 EACCES',
    'rcv-0600 EACCES', 'stat-0600 EACCES', 'set-roots EPERM', 'rmid-roots EPERM', 'snd-0666 0', 'rcv-0666 1',
    'rmid-0666-roots EPERM', 'mine uid 1000 cuid 1000', 'mine-raise-past-msgmnb EPERM', 'mine-lower-ok 0',
    'mine-back-to-msgmnb 0', 'give-to-root 0', 'creator-still-may-rmid 0', 'child 0', 'root-rmid 0', 'root-rmid-open 0',
  ]);
}, 60000));

t('keys: IPC_PRIVATE always new, IPC_CREAT|IPC_EXCL EEXIST, ENOENT; ftok from the real inode and device, distinct per file and proj', guarded(async () => {
  assert.equal(await group(m, 'keys'), [
    'private-distinct 1', 'same-key-same-id 1', 'excl EEXIST', 'enoent ENOENT', 'enoent-excl-only ENOENT',
    'ftok files-differ 1 projs-differ 1 stable 1', 'ftok proj-byte 1 ino-bits 1 dev-bits 1', 'ftok-missing ENOENT',
    'ftok-queues-distinct 1',
  ]);
}));

t('bad pointers EFAULT (a bad receive buffer loses no message), bad ids, commands and sizes EINVAL', guarded(async () => {
  assert.equal(await group(m, 'fault'), [
    'snd-bad EFAULT', 'snd-bad-nowait EFAULT', 'rcv-bad EFAULT', 'rcv-bad-raw EFAULT', 'kept 1', 'still-there 3 keep',
    'stat-bad EFAULT', 'set-bad EFAULT', 'info-bad EFAULT', 'cmd-bad EINVAL', 'id-bad EINVAL', 'id-neg-snd EINVAL',
    'id-neg-rcv EINVAL', 'raw-size-neg 0', 'after-rmid EINVAL',
  ]);
}));

t('a process killed while blocked in msgrcv or msgsnd takes nothing and leaves no waiter; the kernel heap is back where it was', guarded(async () => {
  await group(m, 'killed');   // once first, so what a first run allocates for good is not counted
  const base = await heapBase(m, 20000);
  assert.equal(await group(m, 'killed'), [
    'receiver 137', 'qnum 1', 'nothing-lost 1 after', 'sender 137', 'after qnum 1 cbytes 8192',
  ]);
  await waitFor(() => m.ps().length === 1, 20000, 'only init left');
  assert.is(await settledHeap(m, base), base, 'kernel heap blocks after the killed waiters and the removed queue');
}, 60000));

t('IPC_INFO, MSG_INFO (the highest index in use) and MSG_STAT (index to id): what ipcs walks', guarded(async () => {
  assert.equal(await group(m, 'info'), [
    'ipc-info hi 2 msgmax 8192 msgmnb 16384 msgmni 1024', 'msg-info hi 2 queues 2 msgs 3 bytes 6', 'index 0 EINVAL',
    'index 1 is-b 1 is-c 0 qnum 2', 'index 2 is-b 0 is-c 1 qnum 1', 'index-past EINVAL', 'empty hi 0 queues 0',
  ]);
}));

t('many producers and consumers on one small queue: every message exactly once', guarded(async () => {
  assert.equal(await group(m, 'many', 120000), ['many got 1200 of 1200 dup 0 out 0 bad-children 0 left 0']);
}, 120000));

t('limits at boot: msgmax (EINVAL), msgmnb (a new queue\'s qbytes; a sender blocks at it), msgmni (ENOSPC); bad limits refused', guarded(async () => {
  const lm = await boot({ msg: { msgmax: 100, msgmnb: 300, msgmni: 4 } });
  try {
    lm.writeFile('/tmp/sysvmsg', fs.readFileSync(path.join(BUILD, 'sysvmsg.wasm')), 0o755);
    assert.equal(await group(lm, 'limits'), [
      'limits msgmax 100 msgmnb 300 msgmni 4', 'qbytes 300', 'over-msgmax EINVAL', 'msgmax 0', 'second 0', 'third 0',
      'full EAGAIN', 'free-room 100', 'blocked-sender 0', 'queues 4 then ENOSPC',
    ]);
  } finally { await lm.shutdown(); }
  for (const msg of [{ msgmni: 0 }, { msgmni: 40000 }, { msgmax: -1 }, { msgmnb: 1.5 }, 7]) {
    await bootFails({ msg }, /boot option msg/);
  }
  await bootFails({ kernelMemory: 16 << 20, msg: { msgmni: 32768, msgmnb: 1 << 20 } }, /quarter of the kernel memory/);
  // The default msgmni fits a small kernel memory: 16 MiB / 4 / 16384 = 256 queues.
  const small = await boot({ kernelMemory: 16 << 20 });
  try {
    small.writeFile('/tmp/sysvmsg', fs.readFileSync(path.join(BUILD, 'sysvmsg.wasm')), 0o755);
    assert.ok((await group(small, 'info')).includes('ipc-info hi 2 msgmax 8192 msgmnb 16384 msgmni 256'));
  } finally { await small.shutdown(); }
}, 60000));

t('demo: msg-server answers typed requests from three clients at once on one queue, each reply typed with its client\'s pid', guarded(async () => {
  m.mkdirs('/tmp/msgdemo');
  const env = { env: { PATH: '/bin' } };
  const server = run(m, '/tmp/msg-server', ['msg-server', '3', '/tmp/msgdemo'], env, 60000);
  const names = ['ann', 'bob', 'cy'];
  const clients = await Promise.all(names.map((n) => run(m, '/tmp/msg-client', ['msg-client', n, '4', '/tmp/msgdemo'], env, 60000)));
  const s = await server;
  assert.equal({ code: s.code, out: s.stdout, err: s.stderr }, { code: 0, out: 'msg-server: served 12 requests from 3 clients\n', err: '' });
  clients.forEach((c, i) => {
    const n = names[i];
    const want = [1, 2, 3, 4].map((k) => `${n}: ${n} ${k} -> ${n.toUpperCase()} ${k}`).concat(`${n}: 4 of 4 replies were mine`);
    assert.equal({ code: c.code, out: c.stdout.split('\n').filter(Boolean), err: c.stderr }, { code: 0, out: want, err: '' });
  });
  const after = await sh(m, 'ipcs -q');
  assert.is(after.stdout.split('\n').length, 5, `the server removed its queue: ${after.stdout}`);
}, 60000));

t('deterministic mode: the blocking groups run one process at a time (wakes go through the scheduler) with the same results', guarded(async () => {
  const dm = await boot({ seed: 5 });
  try {
    dm.writeFile('/tmp/sysvmsg', fs.readFileSync(path.join(BUILD, 'sysvmsg.wasm')), 0o755);
    assert.equal(await group(dm, 'rmid'), (await group(m, 'rmid')));
    assert.equal(await group(dm, 'many', 120000), ['many got 1200 of 1200 dup 0 out 0 bad-children 0 left 0']);
  } finally { await dm.shutdown(); }
}, 120000));

const HEAD_Q = ['', '------ Message Queues --------', 'key        msqid      owner      perms      used-bytes   messages'];
const SHM = ['', '------ Shared Memory Segments --------', 'key        shmid      owner      perms      bytes      nattch     status', ''];
const SEM = ['', '------ Semaphore Arrays --------', 'key        semid      owner      perms      nsems', ''];
const shLines = async (line) => {
  const r = await sh(m, line);
  return { code: r.code, out: r.stdout.split('\n').slice(0, -1), err: r.stderr };
};

t('ipcs lists the queues (key, msqid, owner, perms, used-bytes, messages) as Linux\'s ipcs, with empty shared memory and semaphore tables; ipcrm -q/-Q and Linux\'s errors for -m/-M/-s/-S', guarded(async () => {
  const made = [];
  for (const line of ['/tmp/sysvmsg make 0x5157 640 hello ab', '/tmp/sysvmsg make 0 600']) {
    const r = await shLines(line);
    assert.is(r.code, 0, r.err);
    made.push(Number(/^id (\d+)$/.exec(r.out[0])[1]));
  }
  const rows = [
    `0x00005157 ${String(made[0]).padEnd(10)} 0          640        7            2`,
    `0x00000000 ${String(made[1]).padEnd(10)} 0          600        0            0`,
  ];
  const all = await shLines('ipcs');
  assert.equal(all, { code: 0, out: [...HEAD_Q, ...rows, '', ...SHM, ...SEM], err: '' });
  assert.equal(await shLines('ipcs -a'), all);
  assert.equal(await shLines('ipcs -q'), { code: 0, out: [...HEAD_Q, ...rows, ''], err: '' });
  assert.equal(await shLines('ipcs -m -s'), { code: 0, out: [...SHM, ...SEM], err: '' });
  assert.equal(await shLines('ipcs -x'), { code: 1, out: [], err: "ipcs: invalid option -- 'x'\n" });
  assert.equal(await shLines('ipcrm -Q 0x5157'), { code: 0, out: [], err: '' });
  assert.equal(await shLines(`ipcrm -q ${made[0]} -q 99`), { code: 1, out: [], err: `ipcrm: invalid id (${made[0]})\nipcrm: invalid id (99)\n` });
  assert.equal(await shLines('ipcrm -m 1 -M 0x10 -s 2 -S 0x20 -Q 0 -Q 0x5157'), {
    code: 1, out: [],
    err: 'ipcrm: invalid id (1)\nipcrm: invalid key (0x10)\nipcrm: invalid id (2)\nipcrm: invalid key (0x20)\nipcrm: illegal key (0)\nipcrm: invalid key (0x5157)\n',
  });
  assert.equal(await shLines('ipcs -q'), { code: 0, out: [...HEAD_Q, rows[1], ''], err: '' });
  assert.equal(await shLines(`ipcrm -q ${made[1]}`), { code: 0, out: [], err: '' });
  assert.equal(await shLines('ipcs -q'), { code: 0, out: [...HEAD_Q, ''], err: '' });
}, 60000));

t('as uid 1000: ipcs lists only the queues it may read; ipcrm of root\'s queue is "permission denied" by id and by key', guarded(async () => {
  const ids = [];
  for (const line of ['/tmp/sysvmsg make 0x600 600 secret', '/tmp/sysvmsg make 0x644 644 shown']) {
    const r = await shLines(line);
    assert.is(r.code, 0, r.err);
    ids.push(Number(/^id (\d+)$/.exec(r.out[0])[1]));
  }
  const as = (cmd) => shLines(`/tmp/sysvmsg as 1000 ${cmd}`);
  assert.equal(await as('/bin/ipcs -q'), { code: 0, out: [...HEAD_Q, `0x00000644 ${String(ids[1]).padEnd(10)} 0          644        5            1`, ''], err: '' });
  assert.equal(await as(`/bin/ipcrm -q ${ids[0]} -Q 0x600 -q ${ids[1]}`), {
    code: 1, out: [],
    err: `ipcrm: permission denied for id (${ids[0]})\nipcrm: permission denied for key (0x600)\nipcrm: permission denied for id (${ids[1]})\n`,
  });
  const rows = (await shLines('ipcs -q')).out.length;
  assert.is(rows, HEAD_Q.length + 3, 'both queues are still there');
  assert.equal(await shLines(`ipcrm -q ${ids[0]} -Q 0x644`), { code: 0, out: [], err: '' });
}, 60000));

t('the AssemblyScript guest library (programs/lib/msg.ts): send, typed receives, stat, info, -errno results, removal', guarded(async () => {
  const g = installGuest(m, 'msgas');
  const r = await run(m, g, [g]);
  assert.equal({ code: r.code, out: r.stdout.split('\n').filter(Boolean), err: r.stderr }, {
    code: 0, err: '',
    out: [
      'get ok', 'send 0 0 0', 'send-type0 Invalid argument', 'stat 0 qnum 3 cbytes 10 mode 600 lspid-me 1',
      'info 0 queues>=1 1 limits 0 msgmax 8192 msgmnb 16384', 'lowest 1 one', 'except2 5 five', 'rest 2 two',
      'empty No message of desired type', 'remove 0 again Invalid argument',
    ],
  });
}));

t.run();
