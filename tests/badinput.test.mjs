// Bad input gives errors, never a broken kernel: EBADF, EFAULT, EINVAL; and
// trapping guests die with a signal status, their descriptors closed, while
// everything else keeps running.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { boot } from '../dist/index.js';
import { guarded, installGuest, installC, run, sh, lines, withTimeout, waitFor, waitOnlyInit } from './helpers/index.mjs';

const t = suite('badinput');
let m, bad, pipes, trap, oob;

t.before(async () => {
  m = await boot();
  bad = installGuest(m, 'bad');
  pipes = installGuest(m, 'pipes');
  trap = installC(m, 'trap');
  oob = installC(m, 'oob');
});
t.after(async () => { await m?.shutdown(); });

const get = async (c) => {
  const r = await run(m, bad, [bad, c]);
  assert.is(r.code, 0, r.stdout + r.stderr);
  const l = lines(r.stdout);
  assert.is(l.get('alive'), 'yes', 'the guest survives every bad call');
  return l;
};

t('EBADF for bad descriptors and wrong-direction ends', guarded(async () => {
  const l = await get('ebadf');
  for (const k of ['read-badfd', 'read-negfd', 'write-badfd', 'close-badfd', 'close-twice', 'fstat-badfd',
    'dup-badfd', 'read-writeend', 'write-readend', 'write-rdonly']) assert.is(l.get(k), 'EBADF', k);
  assert.is(l.get('getdents-notdir'), 'ENOTDIR');
}));

t('EFAULT for pointers outside guest memory (wasmux and WASI calls)', guarded(async () => {
  const l = await get('efault');
  for (const k of ['read-far', 'read-straddle', 'write-far', 'write-straddle', 'pipe-write-far', 'pipe-read-far',
    'pipe2-far', 'stat-path-far', 'stat-buf-far', 'fstat-buf-far', 'open-path-far', 'getcwd-far',
    'waitpid-status-far', 'snapshot-far', 'spawn-path-far', 'spawn-argv-far', 'mkdir-far',
    'wasi-fd_write-iovs-far', 'wasi-fd_write-buf-far']) assert.is(l.get(k), 'EFAULT', k);
  assert.is(l.get('read-at-end-zero'), '0');
  assert.is(l.get('pipe-data-kept'), '5', 'a faulting read must not consume pipe data');
  assert.is(l.get('spawned'), '0');
  assert.is(l.get('waitpid-after-efault'), '0', 'the child is still there to be waited for');
}));

t('EINVAL (and friends) for negative or absurd sizes and values', guarded(async () => {
  const l = await get('einval');
  for (const k of ['read-len-neg', 'read-len-huge', 'write-len-neg', 'lseek-whence', 'nanosleep-neg',
    'kill-sig-neg', 'kill-sig-huge', 'waitpid-opts', 'pipe2-flags', 'fcntl-cmd', 'ftruncate-neg',
    'open-path-nul']) assert.is(l.get(k), 'EINVAL', k);
  assert.is(l.get('kill-nopid'), 'ESRCH');
  // Linux: a length past the file-size limit is EFBIG; a path past PATH_MAX, ENAMETOOLONG; argv past the limit, E2BIG.
  assert.is(l.get('ftruncate-absurd'), 'EFBIG');
  assert.is(l.get('open-path-len-absurd'), 'ENAMETOOLONG');
  assert.is(l.get('open-path-len-zero'), 'ENOENT');
  assert.is(l.get('spawn-argc-absurd'), 'E2BIG');
  assert.is(l.get('spawn-envc-absurd'), 'E2BIG');
}));

t('the snapshot syscall: its size; a short buffer is ENOSPC with the header (len >= 16) and nothing past len; len 2^31; EFAULT for bad buffers', guarded(async () => {
  const l = await get('snapshot');
  assert.is(l.get('full'), '0', 'a record with its magic and its size');
  assert.is(l.get('short-untouched'), '0', 'short buffers: ENOSPC, nothing written past len');
  assert.is(l.get('short-header-size'), '0', 'the header says the size needed');
  assert.is(l.get('len-2^31'), '0');
  assert.is(l.get('len-max'), '0');
  assert.is(l.get('buf-null-len-0'), 'ENOSPC');
  for (const k of ['buf-far', 'buf-wrapping', 'buf-wrap-to-0', 'buf-straddle']) assert.is(l.get(k), 'EFAULT', k);
  assert.is(l.get('buf-wrap-low-untouched'), '0', 'a buffer wrapping past 4 GiB writes nothing at address 0');
}));

t('unreachable → SIGILL, out-of-bounds → SIGSEGV; output before the trap is kept', guarded(async () => {
  const a = await run(m, trap, ['trap']);
  assert.equal([a.status, a.code, a.signal], [4, null, 4]);
  assert.is(a.stdout, 'before trap\n');
  const b = await run(m, oob, ['oob']);
  assert.equal([b.status, b.code, b.signal], [11, null, 11]);
  const s = await sh(m, `${trap}; echo "st=$?"; ${oob}; echo "st=$?"`);
  assert.is(s.stdout, 'before trap\nst=132\nst=139\n');
}));

t('a trapping reader: its pipe is closed, the writer gets EPIPE/SIGPIPE', guarded(async () => {
  const r = await run(m, pipes, [pipes, 'run2', '/bin/yes', trap]);
  const l = lines(r.stdout);
  assert.is(Number(l.get('status1')) & 0x7f, 13, `yes: ${l.get('status1')}`);
  assert.is(l.get('status2'), '4');
}));

t('a trapping writer: the reader sees EOF', guarded(async () => {
  const r = await sh(m, `${trap} | cat; echo "st=$?"`);
  assert.is(r.stdout, 'before trap\nst=0\n');
  const q = await run(m, pipes, [pipes, 'run2', trap, '/bin/cat']);
  const l = lines(q.stdout.split('\n').filter((x) => x.startsWith('status')).join('\n'));
  assert.is(l.get('status1'), '4');
  assert.is(l.get('status2'), '0');
  assert.ok(q.stdout.split('\n').includes('before trap'), q.stdout);
}));

t('other processes keep running while guests trap', guarded(async () => {
  const longer = sh(m, 'sleep 0.4; echo still-alive');
  await waitFor(() => m.ps().some((q) => q.name === 'sleep' && q.state === 'sleeping'), 15000, 'sleep running');
  const traps = await Promise.all(Array.from({ length: 4 }, (_, i) => run(m, i % 2 ? oob : trap, ['t'])));
  assert.equal(traps.map((x) => x.signal), [4, 11, 4, 11]);
  const r = await withTimeout(longer, 10000);
  assert.is(r.stdout, 'still-alive\n');
  assert.is(r.code, 0);
  // The machine is fine afterwards.
  assert.is((await sh(m, 'echo ok | cat')).stdout, 'ok\n');
  await waitOnlyInit(m);
  assert.equal(m.ps().map((p) => p.pid), [1]);
}));

t('spawning garbage: not wasm → the API or shell reports it, no crash', guarded(async () => {
  m.writeFile('/tmp/garbage.wasm', new TextEncoder().encode('this is not wasm at all'), 0o755);
  // As a Linux shell: an existing file that is not executable as a program is 126.
  const s = await sh(m, '/tmp/garbage.wasm; echo "st=$?"');
  assert.is(s.stdout, 'st=126\n');
  // A module with a wasm header but broken body, and one with a foreign import.
  m.writeFile('/tmp/broken.wasm', new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 0xff]), 0o755);
  const b = await sh(m, '/tmp/broken.wasm; echo "st=$?"');
  assert.is(b.stdout, 'st=126\n');
  assert.ok(b.stderr.length > 0, 'an error message is printed');
}));

t.run();
