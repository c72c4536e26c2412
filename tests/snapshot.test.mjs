// The kernel snapshot (assembly/snapshot.ts, k_snapshot) and its typed
// decoder (runtime/snapshot.ts, Machine.snapshot()): a pipeline seen while
// its reader is stopped, and a short or bad buffer.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { boot } from '../dist/index.js';
import * as fs from 'node:fs';
import { guarded, waitFor, run, sh, ROOT } from './helpers/index.mjs';

const t = suite('snapshot');
let m;
const SIGSTOP = 19, SIGCONT = 18, SIGUSR1 = 10;   // WASI numbering (abi/constants.ts)

t.before(async () => { m = await boot(); });

/** Waits until `pid` is blocked as `kind` says; that snapshot and its process. */
const blockedIn = (pid, kind) => waitFor(() => {
  const snap = m.snapshot();
  const p = snap.processes.find((q) => q.pid === pid);
  return p?.blocked === kind ? { snap, p } : null;
}, 15000, `pid ${pid} blocked as ${kind}`, () => JSON.stringify(m.snapshot().processes));
t.after(async () => { await m?.shutdown(); });

t('a pipeline: its processes, their descriptors and the full pipe while the reader is stopped', guarded(async () => {
  const p = m.spawn('sh', ['sh', '-c', 'seq 1 300000 | wc -l'], { stdout: 'pipe' });
  const wc = await waitFor(() => m.snapshot().processes.find((q) => q.name === 'wc' && q.ppid === p.pid), 15000, 'wc listed');
  m.kill(wc.pid, SIGSTOP);
  const s = await waitFor(() => {
    const snap = m.snapshot();
    const seq = snap.processes.find((q) => q.name === 'seq' && q.ppid === p.pid);
    const w = snap.processes.find((q) => q.pid === wc.pid);
    if (!seq || w?.state !== 'stopped' || seq.blocked !== 'pipe-write') return null;
    return { snap, seq, w };
  }, 15000, 'seq blocked writing to the stopped wc', () => JSON.stringify(m.snapshot().processes));
  const { snap, seq, w } = s;
  assert.is(snap.version, 1);
  assert.is(w.blocked, 'stopped');
  const shell = snap.processes.find((q) => q.pid === p.pid);
  assert.is(shell.name, 'sh');
  assert.is(shell.blocked, 'wait');
  assert.is(seq.pgid, w.pgid);
  // seq's stdout and wc's stdin are the two ends of one pipe, the one seq waits on.
  const out = snap.descriptors.find((d) => d.pid === seq.pid && d.fd === 1);
  const inp = snap.descriptors.find((d) => d.pid === wc.pid && d.fd === 0);
  assert.is(out.type, 'pipe');
  assert.is(out.access, 'w');
  assert.is(inp.type, 'pipe');
  assert.is(inp.access, 'r');
  assert.is(out.object, inp.object);
  assert.is(seq.blockedOn, out.object);
  const pipe = snap.pipes.find((x) => x.id === out.object);
  assert.ok(pipe, 'the pipe is listed');
  assert.is(pipe.fifo, false);
  assert.ok(pipe.capacity > 0);
  // Full, or nearly: seq blocks when the rest has no room for its next write.
  assert.ok(pipe.buffered > 0 && pipe.buffered <= pipe.capacity, `buffered ${pipe.buffered}`);
  assert.ok(pipe.capacity - pipe.buffered < 4096, `buffered ${pipe.buffered} of ${pipe.capacity}`);
  assert.is(pipe.readers, 1);
  assert.is(pipe.writers, 1);
  assert.is(pipe.waitingWriters, 1);
  assert.is(pipe.waitingReaders, 0);
  // Signals: wc has no SIGSTOP pending (it acted on it); every process has a record.
  for (const q of snap.processes) assert.ok(snap.signals.some((x) => x.pid === q.pid), `signals of ${q.pid}`);
  m.kill(wc.pid, SIGCONT);
  const st = await p.wait();
  assert.is(st.code, 0);
  assert.is(p.stdout.trim(), '300000');
  const after = await waitFor(() => {
    const a = m.snapshot();
    return a.processes.every((q) => q.pid !== seq.pid && q.pid !== wc.pid && q.pid !== p.pid) ? a : null;
  }, 15000, 'the pipeline gone');
  assert.not.ok(after.pipes.some((x) => x.id === pipe.id), 'its pipe is gone');
  assert.not.ok(after.descriptors.some((d) => d.pid === wc.pid));
}));

t('a reader blocked opening a FIFO shows as fifo-open, on the FIFO\'s pipe', guarded(async () => {
  m.mkdirs('/tmp');
  const p = m.spawn('sh', ['sh', '-c', 'mkfifo /tmp/snapfifo && cat /tmp/snapfifo'], { stdout: 'pipe' });
  const cat = await waitFor(() => m.snapshot().processes.find((q) => q.name === 'cat' && q.ppid === p.pid && q.blocked === 'fifo-open'),
    15000, 'cat blocked in open', () => JSON.stringify(m.snapshot().processes));
  assert.ok(cat.blockedOn !== 0);
  // A writer opens it (without waiting: the reader is there), and the reader goes on.
  m.writeFile('/tmp/snapfifo', new TextEncoder().encode('through the fifo\n'));
  const st = await p.wait();
  assert.is(st.code, 0);
  assert.is(p.stdout, 'through the fifo\n');
}));

t('System V message queues: a queue, its counts and waiters, and a server blocked in msgrcv on it', guarded(async () => {
  for (const n of ['msg-server', 'msg-client']) m.writeFile(`/bin/${n}`, fs.readFileSync(`${ROOT}/programs/c/posix/build/${n}.wasm`), 0o755);
  m.mkdirs('/tmp');
  const server = m.spawn('msg-server', ['msg-server', '1'], { stdout: 'pipe', stderr: 'pipe' });
  const s = await blockedIn(server.pid, 'msg-recv');
  assert.ok(s.snap.sections.some((x) => x.type === 5), 'a message-queue section');
  const q = s.snap.msgQueues.find((x) => x.id === s.p.blockedOn);
  assert.ok(q, `queue ${s.p.blockedOn} listed: ${JSON.stringify(s.snap.msgQueues)}`);
  assert.is(q.messages, 0);
  assert.is(q.bytes, 0);
  assert.ok(q.maxBytes > 0);
  assert.is(q.waitingReceivers, 1);
  assert.is(q.waitingSenders, 0);
  assert.is(q.mode & 0o777, 0o600);
  const client = m.spawn('msg-client', ['msg-client', 'c', '2'], { stdout: 'pipe', stderr: 'pipe' });
  assert.is((await client.wait()).code, 0, client.stderr);
  assert.is((await server.wait()).code, 0, server.stderr);
  // The server removes the queue when its last client has said goodbye.
  assert.not.ok(m.snapshot().msgQueues.some((x) => x.id === q.id), 'the queue is gone');
}));

t('POSIX message queues: a queue with 3 messages and a notify registration, a receiver blocked on another', guarded(async () => {
  m.mkdirs('/tmp');
  m.writeFile('/tmp/mqtest', fs.readFileSync(`${ROOT}/programs/c/posix/build/mqtest.wasm`), 0o755);
  const tool = async (...args) => {
    const r = await run(m, '/tmp/mqtest', ['/tmp/mqtest', ...args], { env: { PATH: '/bin' } });
    assert.is(r.code, 0, r.stderr);
    return r.stdout;
  };
  assert.is(await tool('mk', '/snapfull', '8', '64'), 'mk 0\n');
  assert.is(await tool('mk', '/snapempty', '4', '32'), 'mk 0\n');
  assert.is(await tool('send', '/snapfull', '3', 'one', 'two', 'three'), 'sent one r 0\nsent two r 0\nsent three r 0\n');
  // notifywait registers SIGUSR1 on /snapfull, then blocks receiving from /snapempty.
  const w = m.spawn('/tmp/mqtest', ['/tmp/mqtest', 'notifywait', '/snapfull', '/snapempty'], { stdout: 'pipe', stderr: 'pipe', stdin: 'null' });
  const s = await blockedIn(w.pid, 'mq-recv');
  assert.ok(s.snap.sections.some((x) => x.type === 6), 'a POSIX queue section');
  const mine = s.snap.posixQueues.filter((q) => q.name.startsWith('snap')).sort((a, b) => a.name.localeCompare(b.name));
  assert.equal(mine.map((q) => q.name), ['snapempty', 'snapfull']);
  const [empty, full] = mine;
  assert.equal([full.maxMessages, full.messageSize, full.messages, full.bytes], [8, 64, 3, 11]);
  assert.equal([full.notifyPid, full.notifySignal, full.waitingReceivers, full.waitingSenders], [w.pid, SIGUSR1, 0, 0]);
  assert.equal([empty.maxMessages, empty.messageSize, empty.messages, empty.bytes], [4, 32, 0, 0]);
  assert.equal([empty.notifyPid, empty.notifySignal, empty.waitingReceivers, empty.waitingSenders], [0, 0, 1, 0]);
  assert.is(full.mode & 0o777, 0o600);
  assert.ok(full.ino > 0 && full.ino !== empty.ino);
  // The receiver waits on /snapempty by its id, and its descriptors refer to both queues by the same ids.
  assert.is(s.p.blockedOn, empty.id);
  const objs = s.snap.descriptors.filter((d) => d.pid === w.pid && d.type === 'mqueue').map((d) => d.object).sort();
  assert.equal(objs, [empty.id, full.id].sort());
  // Unlinked while open, a queue stays listed with no name; gone once its last descriptor is.
  assert.is((await sh(m, 'rm /dev/mqueue/snapfull')).code, 0);
  const unnamed = m.snapshot().posixQueues.find((q) => q.id === full.id);
  assert.ok(unnamed, 'still open: still listed');
  assert.is(unnamed.name, '');
  assert.is(unnamed.messages, 3);
  assert.is(await tool('send', '/snapempty', '0', 'go'), 'sent go r 0\n');
  assert.is((await w.wait()).code, 0, w.stderr);
  const after = m.snapshot();
  assert.not.ok(after.posixQueues.some((q) => q.id === full.id), 'closed and unlinked: gone');
  assert.ok(after.posixQueues.some((q) => q.id === empty.id && q.waitingReceivers === 0 && q.messages === 0), 'the other stays, drained');
  assert.is((await sh(m, 'rm /dev/mqueue/snapempty')).code, 0);
}));

t('ps reads the snapshot syscall: its columns, a sleeping process as Machine.ps() shows it, itself running', guarded(async () => {
  const bg = m.spawn('sleep', ['sleep', '30'], { stdin: 'null' });
  const seen = await waitFor(() => m.ps().find((p) => p.pid === bg.pid && p.state === 'sleeping'), 15000, 'sleep asleep');
  const r = await sh(m, 'ps');
  assert.is(r.code, 0, r.stderr);
  const rows = r.stdout.trimEnd().split('\n');
  assert.is(rows[0], '  PID  PPID S NAME');
  const procs = rows.slice(1).map((l) => /^ *(\d+) +(\d+) (\S) (.*)$/.exec(l)).map((x) => ({ pid: +x[1], ppid: +x[2], state: x[3], name: x[4] }));
  assert.equal(procs.find((p) => p.pid === bg.pid), { pid: bg.pid, ppid: seen.ppid, state: 'S', name: 'sleep' });
  const ps = procs.find((p) => p.name === 'ps');
  assert.is(ps.state, 'R');
  assert.ok(procs.some((p) => p.pid === ps.ppid && p.name === 'sh'), 'its shell listed');
  assert.ok(procs.some((p) => p.pid === 1), 'init listed');
  m.kill(bg.pid);
  await bg.wait();
}));

t('a short buffer is reported (-ENOSPC with the size needed), never overrun; a bad one is EFAULT', () => {
  const k = m.kernel.exports;
  const buf = new ArrayBuffer(1 << 16);
  const u8 = new Uint8Array(buf);
  m.kernel.user.attach({ buffer: buf });
  try {
    const full = k.k_snapshot(256, 60000);
    assert.ok(full > 16, `size ${full}`);
    const need = new DataView(buf).getUint32(256 + 8, true);
    assert.is(need, full);
    for (const len of [0, 8, 15, 16, 40, full - 1]) {
      u8.fill(0xaa);
      const r = k.k_snapshot(256, len);
      assert.is(r, -51, `len ${len}: ENOSPC`);
      // Nothing outside [256, 256 + len) was touched.
      assert.ok(u8.subarray(0, 256).every((b) => b === 0xaa), `len ${len}: before`);
      assert.ok(u8.subarray(256 + len).every((b) => b === 0xaa), `len ${len}: after`);
      if (len >= 16) assert.is(new DataView(buf).getUint32(256 + 8, true), full, `len ${len}: needed size`);
      else assert.ok(u8.subarray(256, 256 + len).every((b) => b === 0xaa), `len ${len}: no header in a short buffer`);
    }
    assert.is(k.k_snapshot(buf.byteLength - 8, 4096), -21, 'past the end: EFAULT');
    assert.is(k.k_snapshot(0xfffffff0, 64), -21, 'wrapping: EFAULT');
  } finally {
    m.kernel.user.attach({ buffer: m.arena.buffer });
  }
  // The machine goes on, and the decoder reads what it wrote.
  const s = m.snapshot();
  assert.ok(s.processes.some((q) => q.pid === 1), 'init listed');
});

t('the decoder skips a section type it does not know and a longer record', async () => {
  const { decodeSnapshot } = await import('../dist/index.js');
  // header + one unknown section (type 99, 2 records of 4) + a procs section with 100-byte records.
  const bytes = new Uint8Array(16 + 16 + 8 + 16 + 100);
  const dv = new DataView(bytes.buffer);
  dv.setUint32(0, 0x4e535857, true); dv.setUint16(4, 1, true); dv.setUint16(6, 16, true);
  dv.setUint32(8, bytes.length, true); dv.setUint32(12, 2, true);
  dv.setUint16(16, 99, true); dv.setUint16(18, 1, true); dv.setUint32(20, 24, true); dv.setUint32(24, 2, true); dv.setUint32(28, 4, true);
  dv.setUint16(40, 1, true); dv.setUint16(42, 1, true); dv.setUint32(44, 116, true); dv.setUint32(48, 1, true); dv.setUint32(52, 100, true);
  dv.setInt32(56, 42, true); dv.setInt32(56 + 24, 2, true);
  bytes.set(new TextEncoder().encode('demo'), 56 + 48);
  const s = decodeSnapshot(bytes);
  assert.is(s.sections.length, 2);
  assert.equal(s.processes.map((q) => [q.pid, q.state, q.name]), [[42, 'running', 'demo']]);
  assert.equal(s.pipes, []);
  dv.setUint32(44, 200, true);
  assert.throws(() => decodeSnapshot(bytes), /past the record/);
});

t.run();
