// Memory limits: the tmpfs size limit (ENOSPC, the same for a guest and for
// init), the per-file limit (EFBIG), space freed by rm usable again for
// anything, and the kernel heap at its maximum (a clean ENOMEM/ENOSPC, never
// a kernel fault, and usable again afterwards).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { boot, WasmuxError } from '../dist/index.js';
import { spawnSync } from 'node:child_process';
import { guarded, run, sh, lines, GUESTS, ROOT } from './helpers/index.mjs';

const MiB = 1 << 20;
const PAGE = 4096;
const ENOSPC = 51, ENOMEM = 48, EFBIG = 22;
const NO_PROGRAMS = '/nonexistent-wasmux-programs';
const FILL = fs.readFileSync(path.join(GUESTS, 'fill.wasm'));
const pages = (n) => Math.ceil(n / PAGE) * PAGE;

const t = suite('limits-memory');

async function fill(m, ...args) {
  const r = await run(m, '/tmp/fill.wasm', ['fill', ...args.map(String)], {}, 60000);
  assert.is(r.code, 0, r.stdout + r.stderr);
  return lines(r.stdout);
}

/** Waits until the heap count is `want`: a process's last blocks go a moment after its exit status. */
async function heapSettles(m, want) {
  for (let i = 0; i < 200 && m.heapBlocks() !== want; i++) await new Promise((r) => setTimeout(r, 25));
  assert.is(m.heapBlocks(), want, 'kernel heap blocks');
}

function errnoOf(fn) {
  try { fn(); } catch (e) {
    assert.instance(e, WasmuxError, String(e));
    return e.errno;
  }
  return 0;
}

t('tmpfs full: a guest gets its partial write, then ENOSPC; init stops at the same byte', guarded(async () => {
  const LIMIT = 8 * MiB;
  const m = await boot({ tmpfsSize: LIMIT, programsDir: NO_PROGRAMS });
  try {
    m.writeFile('/tmp/fill.wasm', FILL, 0o755);
    const room = LIMIT - pages(FILL.length);
    // 1,000,000-byte writes do not divide the room: the last one falls short.
    const l = await fill(m, 'write', '/tmp/big', 1000000);
    assert.is(l.get('total'), String(room));
    assert.is(l.get('short'), String(room % 1000000));
    assert.is(l.get('last'), 'ENOSPC');
    assert.is(l.get('again'), 'ENOSPC');
    assert.is(m.readFile('/tmp/big').length, room);
    m.unlink('/tmp/big');
    // init's writes meet the same limit at the same byte.
    assert.is(errnoOf(() => m.writeFile('/tmp/big', new Uint8Array(LIMIT))), ENOSPC);
    const got = m.readFile('/tmp/big');
    assert.is(got.length, room);
    m.unlink('/tmp/big');
    // And the space is back, whole.
    m.writeFile('/tmp/big', new Uint8Array(room).fill(7));
    assert.ok(m.readFile('/tmp/big').every((b) => b === 7));
  } finally { await m.shutdown(); }
}, 60000));

t('every write path meets the limits: pwrite, ftruncate, fd_filestat_set_size, fd_allocate', guarded(async () => {
  const LIMIT = 4 * MiB;
  const m = await boot({ tmpfsSize: LIMIT, programsDir: NO_PROGRAMS });
  try {
    m.writeFile('/tmp/fill.wasm', FILL, 0o755);
    const GiB = 1024 * MiB;
    // The per-file limit is 1 GiB: at it, EFBIG; across it, the bytes below it.
    assert.is((await fill(m, 'pwrite', '/tmp/p', GiB, 10)).get('pwrite'), 'EFBIG');
    assert.is((await fill(m, 'pwrite', '/tmp/p', GiB - 4, 10)).get('pwrite'), '4');
    assert.is((await fill(m, 'truncate', '/tmp/p', GiB + 1)).get('truncate'), 'EFBIG');
    assert.is((await fill(m, 'setsize', '/tmp/p', GiB + 1)).get('setsize'), 'EFBIG');
    assert.is((await fill(m, 'allocate', '/tmp/p', GiB, 1)).get('allocate'), 'EFBIG');
    // Files are sparse: a 1 GiB size costs no space.
    assert.is((await fill(m, 'truncate', '/tmp/p', GiB)).get('truncate'), '0');
    assert.is((await fill(m, 'setsize', '/tmp/p', GiB - 1)).get('setsize'), '0');
    m.unlink('/tmp/p');
    // Holes read as zeros and cost nothing: /tmp/s holds one page.
    assert.is((await fill(m, 'pwrite', '/tmp/s', 2 * MiB, 10)).get('pwrite'), '10');
    const s = m.readFile('/tmp/s');
    assert.is(s.length, 2 * MiB + 10);
    assert.ok(s.subarray(0, 2 * MiB).every((b) => b === 0) && s.subarray(2 * MiB).every((b) => b === 0x33));
    // A pwrite past the room: its partial count, then ENOSPC.
    const room = LIMIT - pages(FILL.length) - PAGE;
    assert.is((await fill(m, 'pwrite', '/tmp/q', 100, 2 * LIMIT)).get('pwrite'), String(room - 100));
    assert.is((await fill(m, 'pwrite', '/tmp/q', room + 5000, 1)).get('pwrite'), 'ENOSPC');
    m.unlink('/tmp/q');
    // fd_allocate reserves all or nothing.
    assert.is((await fill(m, 'allocate', '/tmp/a', 0, room + 1)).get('allocate'), 'ENOSPC');
    assert.is((await fill(m, 'allocate', '/tmp/a', 0, room)).get('allocate'), '0');
    assert.is((await fill(m, 'pwrite', '/tmp/a', room, 1)).get('pwrite'), 'ENOSPC');
    assert.is((await fill(m, 'pwrite', '/tmp/a', 0, room)).get('pwrite'), String(room));
    // Truncating gives the space back.
    assert.is((await fill(m, 'truncate', '/tmp/a', 10)).get('truncate'), '0');
    assert.is((await fill(m, 'pwrite', '/tmp/b', 0, room - PAGE)).get('pwrite'), String(room - PAGE));
    assert.is((await fill(m, 'pwrite', '/tmp/b', room, 1)).get('pwrite'), 'ENOSPC');
  } finally { await m.shutdown(); }
}, 60000));

t('contents across pages: odd sizes, overwrites, truncate zeroes the tail', guarded(async () => {
  const m = await boot({ programsDir: NO_PROGRAMS });
  try {
    m.writeFile('/tmp/fill.wasm', FILL, 0o755);
    const n = 3 * MiB + 12345;
    const data = new Uint8Array(n);
    for (let i = 0; i < n; i++) data[i] = (i * 7 + (i >> 12)) & 255;
    m.writeFile('/tmp/c', data);
    assert.equal(m.readFile('/tmp/c'), data);
    // pwrite across a page boundary, then shrink into a page and grow again.
    assert.is((await fill(m, 'pwrite', '/tmp/c', 2 * PAGE - 3, 10)).get('pwrite'), '10');
    data.fill(0x33, 2 * PAGE - 3, 2 * PAGE + 7);
    assert.equal(m.readFile('/tmp/c'), data);
    assert.is((await fill(m, 'truncate', '/tmp/c', PAGE + 100)).get('truncate'), '0');
    assert.is((await fill(m, 'truncate', '/tmp/c', 3 * PAGE)).get('truncate'), '0');
    const want = new Uint8Array(3 * PAGE);
    want.set(data.subarray(0, PAGE + 100));
    assert.equal(m.readFile('/tmp/c'), want);
  } finally { await m.shutdown(); }
}, 60000));

t('kernel memory exhausted: clean ENOSPC/ENOMEM, spawn is a WasmuxError, rm makes room for anything', guarded(async () => {
  // A small kernel memory and a tmpfs larger than it: the file runs into the
  // kernel heap's maximum, not the tmpfs limit.
  const m = await boot({ kernelMemory: 32 * MiB, tmpfsSize: 1024 * MiB, warmWorkers: 1 });
  try {
    m.writeFile('/tmp/fill.wasm', FILL, 0o755);
    const l = await fill(m, 'write', '/tmp/big', 1 << 20);
    assert.is(l.get('again'), 'ENOSPC');
    assert.ok(Number(l.get('total')) > 20 * MiB, `only ${l.get('total')} bytes`);
    // With the heap full, init's calls fail with errnos, never a kernel fault.
    // (The fill process's own memory came back when it exited: this takes it.)
    assert.is(errnoOf(() => m.writeFile('/tmp/more', new Uint8Array(8 * MiB))), ENOSPC);
    let spawned = 0;
    const errs = new Set();
    for (let i = 0; i < 20; i++) {
      try { await m.spawn('true', ['true']).wait(); spawned++; } catch (e) {
        assert.instance(e, WasmuxError, String(e));
        errs.add(e.errno);
      }
    }
    assert.is(spawned, 0, 'a spawn succeeded with the kernel memory full');
    assert.equal([...errs], [ENOMEM]);
    m.unlink('/tmp/more');
    // rm: the big file's memory serves small objects, pipes and processes.
    m.unlink('/tmp/big');
    m.mkdirs('/tmp/d');
    const s = await fill(m, 'small', '/tmp/d', 3000);
    assert.is(s.get('made'), '3000');
    assert.is(s.get('err'), '0');
    const results = await Promise.all(Array.from({ length: 8 }, () => sh(m, 'seq 1 20000 | cat | cat | wc -l')));
    for (const r of results) assert.is(r.stdout, '20000\n', r.stderr);
    // And the big file fits again.
    const again = await fill(m, 'write', '/tmp/big', 1 << 20);
    assert.ok(Number(again.get('total')) >= Number(l.get('total')) - MiB, `${again.get('total')} < ${l.get('total')}`);
    m.unlink('/tmp/big');
  } finally { await m.shutdown(); }
}, 90000));

t('the heap fills with small objects, frees them, then holds one big file', guarded(async () => {
  const m = await boot({ kernelMemory: 16 * MiB, tmpfsSize: 1024 * MiB, programsDir: NO_PROGRAMS });
  try {
    m.writeFile('/tmp/fill.wasm', FILL, 0o755);
    const base = m.heapBlocks();
    const first = await fill(m, 'write', '/tmp/big', 1 << 20);
    m.unlink('/tmp/big');
    await heapSettles(m, base);
    // Empty files cost inodes and names only: make them until the heap is full.
    // Spread over directories: a directory is a list, searched on each create.
    const name = (i) => `/tmp/e/${i % 64}/${'x'.repeat(240)}${i}`;
    for (let d = 0; d < 64; d++) m.mkdirs(`/tmp/e/${d}`);
    const dirs = m.heapBlocks();
    let n = 0;
    for (;; n++) {
      const e = errnoOf(() => m.writeFile(name(n), new Uint8Array(0)));
      if (e !== 0) { assert.is(e, ENOMEM); break; }
    }
    assert.ok(n > 20000, `only ${n} files`);
    for (let i = 0; i < n; i++) m.unlink(name(i));
    assert.is(m.heapBlocks(), dirs, 'only the directories are left');
    const second = await fill(m, 'write', '/tmp/big', 1 << 20);
    assert.ok(Number(second.get('total')) >= Number(first.get('total')) - MiB,
      `${second.get('total')} after small objects, ${first.get('total')} before`);
  } finally { await m.shutdown(); }
}, 90000));

t('concurrent writers at the limit: each gets its bytes or ENOSPC, and everything comes back', guarded(async () => {
  const LIMIT = 16 * MiB;
  const m = await boot({ tmpfsSize: LIMIT, programsDir: NO_PROGRAMS, warmWorkers: 4 });
  try {
    m.writeFile('/tmp/fill.wasm', FILL, 0o755);
    for (let i = 0; i < 4; i++) m.mkdirs(`/tmp/d${i}`);
    const base = m.heapBlocks();
    for (let round = 0; round < 3; round++) {
      const big = await Promise.all([0, 1, 2].map((i) => fill(m, 'write', `/tmp/big${i}`, 100000 + i * 4096)));
      const total = big.reduce((n, l) => n + Number(l.get('total')), 0);
      for (const l of big) assert.is(l.get('again'), 'ENOSPC');
      // Together they filled the tmpfs, to the page (each file's last page may be part-used).
      const room = LIMIT - pages(FILL.length);
      assert.ok(total <= room && total > room - 3 * PAGE, `${total} of ${room}`);
      for (let i = 0; i < 3; i++) m.unlink(`/tmp/big${i}`);
      const small = await Promise.all([0, 1, 2, 3].map((i) => fill(m, 'small', `/tmp/d${i}`, 500)));
      for (const l of small) assert.is(l.get('made'), '500');
    }
    await heapSettles(m, base);
  } finally { await m.shutdown(); }
}, 90000));

t('boot options: tmpfsSize and kernelMemory are checked', guarded(async () => {
  for (const bad of [{ tmpfsSize: -1 }, { tmpfsSize: 1.5 }, { tmpfsSize: 'big' }, { kernelMemory: 1 << 20 },
    { kernelMemory: 4096 * MiB }]) {
    let err = null;
    try { await (await boot({ ...bad, programsDir: NO_PROGRAMS, warmWorkers: 0 })).shutdown(); } catch (e) { err = e; }
    assert.instance(err, WasmuxError, JSON.stringify(bad));
  }
}));

t('the CLI: --tmpfs-size SIZE with K/M/G, checked', () => {
  const cli = (...args) => spawnSync(process.execPath, ['bin/wasmux.js', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30000 });
  // /bin's programs take part of the 1 MiB: the 2 MB write stops at a page boundary short of it.
  const r = cli('--tmpfs-size', '1M', 'sh', '-c',
    'head -c 2000000 /dev/zero > /tmp/x; echo status=$?; wc -c /tmp/x; rm /tmp/x; head -c 100000 /dev/zero > /tmp/y; wc -c /tmp/y');
  assert.is(r.status, 0, r.stderr);
  const [status, x, y] = r.stdout.split('\n');
  assert.is(status, 'status=1');
  const n = Number(x.split(' ')[0]);
  assert.ok(n > 0 && n < MiB && n % PAGE === 0, x);
  assert.is(y, '100000 /tmp/y');
  assert.is(cli('--tmpfs-size', '4m', 'sh', '-c', 'true').status, 0);
  // Too small for /bin: one clear line.
  const small = cli('--tmpfs-size', '64K', 'sh', '-c', 'true');
  assert.is(small.status, 2);
  assert.match(small.stderr, /^wasmux: write \/bin\/\w+: ENOSPC\n$/);
  for (const bad of ['12X', '100', '', '-1M']) {
    const b = cli('--tmpfs-size', bad, 'sh', '-c', 'true');
    assert.is(b.status, 2, bad);
    assert.match(b.stderr, /--tmpfs-size wants (a size|at least 4096 bytes)/);
  }
});

t.run();
