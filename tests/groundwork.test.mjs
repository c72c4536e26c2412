// Groundwork for the next issues (#11): retry state owned by one call, one
// machine-wide monotonic clock, locks on shared file state, error paths that
// leak or hang.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import asc from 'assemblyscript/asc';
import { boot, WasmuxError } from '../dist/index.js';
import { guarded, installGuest, run, sh, lines, withTimeout, sleep, ROOT } from './helpers/index.mjs';

const ENXIO = 60, EAGAIN = 6, ENOMEM = 48, EMFILE = 33;
const O_RDONLY = 0, O_WRONLY = 1, O_CREAT = 0x40, O_NONBLOCK = 0x800;
const KBLOCK = -1000;

const t = suite('groundwork');
let m, gw;

t.before(async () => {
  m = await boot({ warmWorkers: 1 });
  gw = installGuest(m, 'gw');
});
t.after(async () => { await m?.shutdown(); });

// init's own syscalls, as the API makes them (Machine.call marks each fresh).
function sys(mach, name, ...args) { return mach['call'](name, ...args); }
function str(mach, s) { const a = mach['arena']; a.reset(); return a.str(s); }
function open(mach, path, flags, mode = 0o644) { const [p, n] = str(mach, path); return sys(mach, 'sys_open', p, n, flags, mode); }
function pipe(mach, flags = 0) {
  const a = mach['arena'];
  a.reset();
  const fds = a.alloc(8);
  const r = sys(mach, 'sys_pipe2', fds, flags);
  return r < 0 ? r : [a.i32(fds), a.i32(fds + 4)];
}
function write(mach, fd, bytes) {
  const a = mach['arena'];
  a.reset();
  return sys(mach, 'sys_write', fd, a.bytes(bytes), bytes.length);
}
function read(mach, fd, n) {
  const a = mach['arena'];
  a.reset();
  const buf = a.alloc(n);
  const r = sys(mach, 'sys_read', fd, buf, n);
  return r < 0 ? r : a.view(buf, r).slice();
}
const close = (mach, fd) => sys(mach, 'sys_close', fd);
function mkfifo(mach, path) { const [p, n] = str(mach, path); return sys(mach, 'sys_mkfifo', p, n, 0o644); }
/**
 * Waits until no process but init is left and every pool worker is idle (a
 * worker frees the last of a process's memory after the parent reaped it):
 * only then do kernel heap counts compare.
 */
async function settled(mach) {
  await withTimeout((async () => {
    while (!(mach.ps().length === 1 && mach.kernel.exports.k_idleWorkers(0) >= mach['workers'].size)) await sleep(2);
  })(), 10000, 'machine idle');
  return mach.heapBlocks();
}
/** The lowest free descriptor of init (opened and closed again). */
function lowestFree(mach) { const fd = open(mach, '/dev/null', O_RDONLY); close(mach, fd); return fd; }

// ---- 1. retry state owned by one syscall ----

t('init: writeFile to a FIFO with no reader is ENXIO, and leaves nothing behind for the next call', guarded(async () => {
  assert.is(mkfifo(m, '/tmp/gw-f1'), 0);
  const heap = await settled(m), fd0 = lowestFree(m);
  let err = null;
  try { m.writeFile('/tmp/gw-f1', new TextEncoder().encode('x')); } catch (e) { err = e; }
  assert.ok(err instanceof WasmuxError, `expected a WasmuxError, got ${err}`);
  assert.is(err.errno, ENXIO, err.message);
  // The next, unrelated calls get what they asked for.
  m.writeFile('/tmp/gw-r1', new TextEncoder().encode('regular'));
  assert.is(new TextDecoder().decode(m.readFile('/tmp/gw-r1')), 'regular');
  // A FIFO without a writer reads as empty (O_NONBLOCK), at once.
  assert.is(m.readFile('/tmp/gw-f1').length, 0);
  m.unlink('/tmp/gw-r1');
  assert.is(lowestFree(m), fd0, 'no descriptor left open');
  assert.is(m.heapBlocks(), heap, 'kernel heap blocks back to the start');
}));

t('init: a FIFO open given up is released: its half-open end no longer counts as a writer', guarded(async () => {
  assert.is(mkfifo(m, '/tmp/gw-f2'), 0);
  const heap = await settled(m), fd0 = lowestFree(m);
  // A blocking open with no reader waits (KBLOCK); the API gives it up.
  assert.is(open(m, '/tmp/gw-f2', O_WRONLY), KBLOCK);
  m.kernel.exports.k_restartAbandon();
  m.kernel.exports.k_unblock();
  // A non-blocking reader now sees no writer: EOF, not EAGAIN.
  const rfd = open(m, '/tmp/gw-f2', O_RDONLY | O_NONBLOCK);
  assert.ok(rfd >= 0, `open: ${rfd}`);
  const got = read(m, rfd, 16);
  assert.ok(got instanceof Uint8Array && got.length === 0, `read: ${got}`);
  close(m, rfd);
  assert.is(lowestFree(m), fd0);
  assert.is(m.heapBlocks(), heap);
}));

t('a fresh call never consumes a blocked call\'s state: a KBLOCKed FIFO open, then open of a regular file', guarded(async () => {
  assert.is(mkfifo(m, '/tmp/gw-f3'), 0);
  m.writeFile('/tmp/gw-r3', new TextEncoder().encode('three'));
  const heap = await settled(m), fd0 = lowestFree(m);
  assert.is(open(m, '/tmp/gw-f3', O_WRONLY), KBLOCK);
  // No abandon: the next call is fresh all the same (the host marks it).
  const fd = open(m, '/tmp/gw-r3', O_RDONLY);
  assert.ok(fd >= 0, `open: ${fd}`);
  const got = read(m, fd, 64);
  assert.is(new TextDecoder().decode(got), 'three', 'the regular file, not the FIFO');
  close(m, fd);
  m.kernel.exports.k_unblock();
  assert.is(lowestFree(m), fd0);
  assert.is(m.heapBlocks(), heap, 'the stale half-open FIFO end was released');
}));

t('a fresh write never skips a blocked write\'s progress', guarded(async () => {
  const heap = await settled(m);
  const [r1, w1] = pipe(m);
  const [r2, w2] = pipe(m);
  // Fills the 64 KiB ring and blocks with 65536 bytes done.
  assert.is(write(m, w1, new Uint8Array(100000).fill(1)), KBLOCK);
  m.kernel.exports.k_unblock();
  // An unrelated 5-byte write to another pipe writes those 5 bytes.
  assert.is(write(m, w2, new TextEncoder().encode('hello')), 5);
  assert.is(new TextDecoder().decode(read(m, r2, 64)), 'hello');
  for (const fd of [r1, w1, r2, w2]) close(m, fd);
  assert.is(m.heapBlocks(), heap);
}));

t('a fresh nanosleep never inherits the deadline of a sleep given up', guarded(async () => {
  // A 10 s sleep blocks (its deadline kept for the retry), and is given up.
  assert.is(sys(m, 'sys_nanosleep', 10_000_000_000n), KBLOCK);
  m.kernel.exports.k_unblock();
  // The next, fresh sleep of 0 ns ends at once instead of waiting 10 s.
  assert.is(sys(m, 'sys_nanosleep', 0n), 0);
  assert.is(sys(m, 'sys_nanosleep', 10_000_000_000n), KBLOCK);
  m.kernel.exports.k_restartAbandon();
  assert.is(m.kernel.kmem.i64(m['restartIdx'] * 4 - 8), 0n, 'task.wakeAt cleared when the sleep is abandoned');
  m.kernel.exports.k_unblock();
}));

t('retries through the Gate still resume their own call (FIFO rendezvous, a large pipe write)', guarded(async () => {
  const r = await sh(m, 'mkfifo /tmp/gw-f4; echo through-fifo > /tmp/gw-f4 & cat /tmp/gw-f4; seq 1 30000 | wc -c');
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout, 'through-fifo\n168894\n');
}));

// ---- 2. one machine-wide monotonic clock ----

t('CLOCK_MONOTONIC is one clock on every worker: B reads after A, on a worker started later, and B >= A', guarded(async () => {
  // The worker that will run A was started at boot; let it age before A
  // runs, so that clocks counted from each worker's start would differ by
  // more than the time between the two reads.
  await sleep(400);
  assert.is((await sh(m, 'mkfifo /tmp/gw-mono')).code, 0);
  const a = m.spawn(gw, [gw, 'mono-a', '/tmp/gw-mono'], { stdout: 'pipe', stderr: 'pipe', stdin: 'null' });
  // A waits in open for the reader; B then needs another worker.
  await withTimeout((async () => {
    while (!m.ps().some((p) => p.pid === a.pid && p.state === 'sleeping')) await sleep(5);
  })(), 10000, 'A blocked in open');
  const b = m.spawn(gw, [gw, 'mono-b', '/tmp/gw-mono'], { stdout: 'pipe', stderr: 'pipe', stdin: 'null' });
  const [sa, sb] = await withTimeout(Promise.all([a.wait(), b.wait()]), 10000, 'A and B');
  assert.is(sa.code, 0, a.stderr + a.stdout);
  assert.is(sb.code, 0, b.stderr + b.stdout);
  const la = lines(a.stdout), lb = lines(b.stdout);
  assert.is(lb.get('got'), la.get('a'));
  const ta = BigInt(la.get('a')), tb = BigInt(lb.get('b'));
  assert.ok(tb >= ta, `B read ${tb} after A read ${ta}`);
}));

// ---- 3. shared file state changed under its lock ----

t('processes sharing one File: an lseek racing a write never moves the offset back (no byte overwritten)', guarded(async () => {
  // A race, so it is run a few times; before the fix an lseek(SEEK_CUR)
  // that read the offset, lost the CPU to a write and stored the old value
  // back made the next write overwrite a byte (size < N) in most runs.
  const n = 200000;
  for (let i = 0; i < 3; i++) {
    const r = await run(m, gw, [gw, 'offset-race', `/tmp/gw-race-${i}`, String(n)], {}, 60000);
    assert.is(r.code, 0, r.stderr + r.stdout);
    const l = lines(r.stdout);
    assert.is(l.get('writer'), '0');
    assert.is(l.get('seeker'), '0');
    assert.is(l.get('size'), String(n), `run ${i}`);
    m.unlink(`/tmp/gw-race-${i}`);
  }
}, 120000));

t('fcntl F_SETFD/F_GETFD and F_SETFL/F_GETFL still do what they did (now under their locks)', guarded(async () => {
  const fd = open(m, '/dev/null', O_RDONLY);
  assert.is(sys(m, 'sys_fcntl', fd, 1 /* F_GETFD */, 0), 0);
  assert.is(sys(m, 'sys_fcntl', fd, 2 /* F_SETFD */, 1), 0);
  assert.is(sys(m, 'sys_fcntl', fd, 1, 0), 1);
  assert.is(sys(m, 'sys_fcntl', fd, 4 /* F_SETFL */, O_NONBLOCK | 0x400 /* O_APPEND */ | 0x40 /* O_CREAT: ignored */), 0);
  assert.is(sys(m, 'sys_fcntl', fd, 3 /* F_GETFL */, 0), O_NONBLOCK | 0x400);
  close(m, fd);
  assert.is(sys(m, 'sys_fcntl', fd, 2, 1), -8 /* EBADF */);
  assert.is(sys(m, 'sys_fcntl', fd, 1, 0), -8);
}));

/** Compiles assembly/globals.ts with `extra` u64 fields appended to Globals; the compiler's errors. */
async function compileGlobals(extra) {
  const src = fs.readFileSync(path.join(ROOT, 'assembly', 'globals.ts'), 'utf8');
  const pad = Array.from({ length: extra }, (_, i) => `  pad${i}: u64;`).join('\n');
  const grown = src.replace(/(export class Globals \{[\s\S]*?)\n\}/, `$1\n${pad}\n}`);
  assert.ok(extra === 0 || grown !== src);
  const entry = 'import { G } from "./globals";\nexport function f(): i32 { return G().bootState; }\n';
  const r = await asc.compileString({ 'globals.ts': grown, 'entry.ts': entry }, { runtime: 'stub' });
  return r.error ? r.stderr.toString() : '';
}

t('Globals is checked when the kernel compiles: a struct that would overlap the free lists fails the build', guarded(async () => {
  assert.is(await compileGlobals(0), '', 'the real Globals compiles');
  assert.match(await compileGlobals(40), /Globals is larger than GLOBALS_MAX/);
}, 60000));

// ---- 4. error paths that leak or hang ----

/** Runs `fn` with the kernel's allocation number `skip` (0-based, from now) failing once. */
function failingAlloc(mach, skip, fn) {
  mach.kernel.exports.k_faultAlloc(skip, 1);
  try { return fn(); } finally { mach.kernel.exports.k_faultAlloc(0, 0); }
}
const low = (mach) => mach.kernel.kmem.range(0, 1024).slice();

t('pipe2 out of memory at each of its allocations: ENOMEM, nothing leaked', guarded(async () => {
  const heap = await settled(m), fd0 = lowestFree(m);
  for (let skip = 0; skip < 4; skip++) {
    const r = failingAlloc(m, skip, () => pipe(m));
    assert.is(r, -ENOMEM, `allocation ${skip}`);
    assert.is(m.heapBlocks(), heap, `allocation ${skip}: heap blocks`);
    assert.is(lowestFree(m), fd0, `allocation ${skip}: descriptors`);
  }
  const ok = pipe(m);
  assert.ok(Array.isArray(ok));
  ok.forEach((fd) => close(m, fd));
  assert.is(m.heapBlocks(), heap);
}));

t('pipe2 with one descriptor free: EMFILE, the first end closed and both freed', guarded(async () => {
  const heap = await settled(m);
  const held = [];
  for (;;) { const fd = open(m, '/dev/null', O_RDONLY); if (fd < 0) { assert.is(fd, -EMFILE); break; } held.push(fd); }
  const last = held.pop();
  close(m, last);
  assert.is(pipe(m), -EMFILE);
  assert.is(lowestFree(m), last, 'the one free descriptor is free again');
  for (const fd of held) close(m, fd);
  assert.is(m.heapBlocks(), heap);
}));

t('pipe2 to a bad address: EFAULT, both ends closed and freed', guarded(async () => {
  const heap = await settled(m), fd0 = lowestFree(m);
  assert.is(sys(m, 'sys_pipe2', 0xfffffff0, 0), -21 /* EFAULT */);
  assert.is(lowestFree(m), fd0);
  assert.is(m.heapBlocks(), heap);
}));

t('mkdir, mkfifo and open(O_CREAT) out of memory while linking the name: ENOMEM, no inode leaked, no name', guarded(async () => {
  const heap = await settled(m);
  const [sp] = str(m, '/tmp'); void sp;
  const cases = [
    ['mkdir', (p, n) => sys(m, 'sys_mkdir', p, n, 0o755)],
    ['mkfifo', (p, n) => sys(m, 'sys_mkfifo', p, n, 0o644)],
    ['open', (p, n) => sys(m, 'sys_open', p, n, O_WRONLY | O_CREAT, 0o644)],
  ];
  for (const [what, call] of cases) {
    // Allocation 0 is the inode, 1 the directory entry, 2 its name.
    for (const skip of [1, 2]) {
      const [p, n] = str(m, `/tmp/gw-nomem-${what}`);
      const r = failingAlloc(m, skip, () => call(p, n));
      assert.is(r, -ENOMEM, `${what}, allocation ${skip}`);
      assert.is(m.heapBlocks(), heap, `${what}, allocation ${skip}: heap blocks`);
      const [q, k] = str(m, `/tmp/gw-nomem-${what}`);
      const st = m['arena'].alloc(64);
      assert.is(sys(m, 'sys_stat', q, k, st), -44 /* ENOENT */, `${what}: the name must not exist`);
    }
  }
}));

t('rename out of memory: ENOMEM, both names as they were', guarded(async () => {
  m.writeFile('/tmp/gw-ren-a', new TextEncoder().encode('A'));
  m.writeFile('/tmp/gw-ren-b', new TextEncoder().encode('B'));
  const heap = await settled(m);
  const a = m['arena'];
  for (const skip of [0, 1, 2]) {
    a.reset();
    const [p1, n1] = a.str('/tmp/gw-ren-a'), [p2, n2] = a.str('/tmp/gw-ren-b');
    const r = failingAlloc(m, skip, () => sys(m, 'sys_rename', p1, n1, p2, n2));
    assert.is(r, -ENOMEM, `allocation ${skip}`);
    assert.is(m.heapBlocks(), heap, `allocation ${skip}: heap blocks`);
    assert.is(new TextDecoder().decode(m.readFile('/tmp/gw-ren-a')), 'A');
    assert.is(new TextDecoder().decode(m.readFile('/tmp/gw-ren-b')), 'B', 'the target survives');
  }
  a.reset();
  const [p1, n1] = a.str('/tmp/gw-ren-a'), [p2, n2] = a.str('/tmp/gw-ren-b');
  assert.is(sys(m, 'sys_rename', p1, n1, p2, n2), 0);
  assert.is(new TextDecoder().decode(m.readFile('/tmp/gw-ren-b')), 'A');
}));

t('a FIFO open that fails (ENXIO, or ENOMEM for its pipe) frees its file and touches no other memory', guarded(async () => {
  assert.is(mkfifo(m, '/tmp/gw-f5'), 0);
  const heap = await settled(m), fd0 = lowestFree(m);
  const before = low(m);
  assert.is(open(m, '/tmp/gw-f5', O_WRONLY | O_NONBLOCK), -ENXIO);
  // Allocation 0 is the File, 1 the Pipe, 2 its ring.
  for (const skip of [1, 2]) assert.is(failingAlloc(m, skip, () => open(m, '/tmp/gw-f5', O_RDONLY | O_NONBLOCK)), -ENOMEM);
  assert.equal(low(m), before, 'kernel memory below Globals unchanged');
  assert.is(m.heapBlocks(), heap);
  assert.is(lowestFree(m), fd0);
}));

t('a wait that cannot be registered is ENOMEM, not a park forever', guarded(async () => {
  const heap = await settled(m);
  const pipes = Array.from({ length: 6 }, () => pipe(m));
  // The task's inline wait entries run out after a few queues; the next
  // registration allocates, and that allocation fails.
  m.kernel.exports.k_faultAlloc(0, 1);
  const results = pipes.map(([r]) => read(m, r, 1));
  m.kernel.exports.k_faultAlloc(0, 0);
  const i = results.indexOf(-ENOMEM);
  assert.ok(i > 0, `one read must fail with ENOMEM: ${results}`);
  for (let j = 0; j < i; j++) assert.is(results[j], KBLOCK);
  m.kernel.exports.k_unblock();
  for (const [r, w] of pipes) { close(m, r); close(m, w); }
  assert.is(m.heapBlocks(), heap);
}));

t('poll_oneoff whose wait cannot be registered reports that subscription with ENOMEM', guarded(async () => {
  const heap = await settled(m);
  const pipes = Array.from({ length: 6 }, () => pipe(m));
  const a = m['arena'];
  a.reset();
  const subs = a.alloc(48 * pipes.length), evs = a.alloc(32 * pipes.length), nev = a.alloc(4);
  pipes.forEach(([r], i) => {
    a.setU32(subs + i * 48, i + 1);          // userdata
    m['arena'].view(subs + i * 48 + 8, 1)[0] = 1;   // fd_read
    a.setU32(subs + i * 48 + 16, r);
  });
  m.kernel.exports.k_faultAlloc(0, 1);
  const r = sys(m, 'wasi_poll_oneoff', subs, evs, pipes.length, nev);
  m.kernel.exports.k_faultAlloc(0, 0);
  assert.is(r, 0, `poll_oneoff: ${r}`);
  assert.is(a.u32(nev), 1);
  assert.is(new DataView(a.buffer).getUint16(evs + 8, true), ENOMEM, 'the event carries ENOMEM');
  m.kernel.exports.k_unblock();
  for (const [rd, w] of pipes) { close(m, rd); close(m, w); }
  assert.is(m.heapBlocks(), heap);
}));

t('spawn whose stderr pipe fails (EMFILE) closes the stdout pipe and removes the stdin file', guarded(async () => {
  const heap = await settled(m), fd0 = lowestFree(m);
  const seq = m['tmpSeq'];
  // Leave init exactly two free descriptors: the stdin file's open uses one
  // and closes it, stdout's pipe takes both, stderr's pipe finds none.
  const held = [];
  for (;;) { const fd = open(m, '/dev/null', O_RDONLY); if (fd < 0) break; held.push(fd); }
  close(m, held.pop()); close(m, held.pop());
  let err = null;
  try { m.spawn('/bin/true', ['true'], { stdin: 'abc', stdout: 'pipe', stderr: 'pipe' }); } catch (e) { err = e; }
  assert.ok(err instanceof WasmuxError, `spawn must fail: ${err}`);
  assert.is(err.errno, EMFILE);
  assert.is(m.ps().length, 1, 'no process was made');
  const [p, n] = str(m, '/run'); void p; void n;
  const [q, k] = str(m, `/run/.stdin-${seq + 1}`);
  assert.is(sys(m, 'sys_stat', q, k, m['arena'].alloc(64)), -44 /* ENOENT */, 'the stdin file is gone');
  for (const fd of held) close(m, fd);
  assert.is(lowestFree(m), fd0, 'descriptors');
  assert.is(m.heapBlocks(), heap, 'heap blocks');
}));

t('spawn out of memory at any allocation: an error and nothing left behind, or a process that runs', guarded(async () => {
  const heap = await settled(m), fd0 = lowestFree(m);
  let failures = 0;
  for (let skip = 0; skip < 40; skip++) {
    let h = null;
    try { h = failingAlloc(m, skip, () => m.spawn('/bin/true', ['true'], { stdin: 'abc', stdout: 'pipe', stderr: 'pipe' })); }
    catch (e) { if (!(e instanceof WasmuxError)) throw e; assert.is(e.errno, ENOMEM, e.message); failures++; }
    if (h) assert.is((await withTimeout(h.wait(), 10000, 'true')).code, 0);
    assert.is(await settled(m), heap, `allocation ${skip}: heap blocks`);
    assert.is(lowestFree(m), fd0, `allocation ${skip}: descriptors`);
  }
  assert.ok(failures > 5, `${failures} of the allocations made spawn fail`);
}));

t.run();
