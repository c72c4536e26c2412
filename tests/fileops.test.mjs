// The file operations table and the kernel functions both ABIs share:
// ftruncate and WASI's fd_filestat_set_size give the same answers, poll_oneoff
// takes as many subscriptions as poll(2) of the fd limit needs, end of input
// on a piped stdin stays readable and hung up for every later poll, and
// /dev/null is readable without hang-up.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { boot } from '../dist/index.js';
import { guarded, installC, installGuest, run, sh, lines, ROOT, C_FIXTURES } from './helpers/index.mjs';

const MAX_FDS = 40;
const t = suite('fileops');
let m, fo, eofpoll;

t.before(async () => {
  m = await boot({ maxFds: MAX_FDS });
  fo = installGuest(m, 'fileops');
  eofpoll = installC(m, 'eofpoll');
});
t.after(async () => { await m?.shutdown(); });

t('ftruncate and fd_filestat_set_size: EINVAL unless open for writing, the same answers otherwise', guarded(async () => {
  const r = await run(m, fo, [fo, 'truncate']);
  assert.is(r.code, 0, r.stderr);
  const l = lines(r.stdout);
  assert.is(l.get('sys-rdonly'), 'EINVAL');
  assert.is(l.get('wasi-rdonly'), 'EINVAL');
  assert.is(l.get('size-after-rdonly'), '10', 'a read-only descriptor changed the file');
  assert.is(l.get('sys-rdwr'), '0');
  assert.is(l.get('size-sys'), '4');
  assert.is(l.get('wasi-rdwr'), '0');
  assert.is(l.get('size-wasi'), '6');
  assert.is(l.get('sys-negative'), 'EINVAL');
  assert.is(l.get('wasi-negative'), 'EINVAL');
  assert.is(l.get('sys-pipe'), 'EINVAL');
  assert.is(l.get('wasi-pipe'), 'EINVAL');
  assert.is(l.get('sys-badfd'), 'EBADF');
  assert.is(l.get('wasi-badfd'), 'EBADF');
  assert.is(l.get('allocate-rdonly'), 'EBADF');
  assert.is(l.get('size-after-allocate-rdonly'), '6', 'fd_allocate grew a file through a read-only descriptor');
  assert.is(l.get('allocate-rdwr'), '0');
  assert.is(l.get('size-allocate'), '100');
  assert.is(l.get('allocate-overflow'), 'EFBIG');
}));

t('poll_oneoff takes 2 * maxFds + 1 subscriptions (poll(2) of every fd, both ways, with a timeout)', guarded(async () => {
  const limit = 2 * MAX_FDS + 1;
  for (const n of [65, limit]) {
    const l = lines((await run(m, fo, [fo, 'pollmany', String(n)])).stdout);
    assert.is(l.get('poll'), '0', `${n} subscriptions`);
    assert.is(l.get('nevents'), '1');
    assert.is(l.get('userdata'), String(n - 1), 'the ready one is the last');
    assert.is(l.get('error'), '0');
    assert.is(l.get('flags'), '0');
  }
  const w = lines((await run(m, fo, [fo, 'pollwait', String(limit)])).stdout);
  assert.is(w.get('poll'), '0');
  assert.is(w.get('nevents'), '1');
  assert.is(w.get('userdata'), String(limit - 1));
  assert.is(w.get('type'), '0', 'the clock fired');
  const over = lines((await run(m, fo, [fo, 'pollmany', String(limit + 1)])).stdout);
  assert.is(over.get('poll'), 'EINVAL', 'more than poll(2) could ask for');
}));

t('/dev/null polls readable and writable, never hung up', guarded(async () => {
  const l = lines((await run(m, fo, [fo, 'devnull'])).stdout);
  assert.is(l.get('poll'), '0');
  assert.is(l.get('nevents'), '2');
  assert.is(l.get('ev0-type'), '1');
  assert.is(l.get('ev0-error'), '0');
  assert.is(l.get('ev0-flags'), '0', 'no hang-up on reading /dev/null');
  assert.is(l.get('ev1-type'), '2');
  assert.is(l.get('ev1-error'), '0');
  assert.is(l.get('ev1-flags'), '0');
  assert.is((await sh(m, `${eofpoll} 5000 2 < /dev/null`)).stdout, 'read 0\nrc=1 revents=IN\nrc=1 revents=IN\n');
}));

const AT_EOF = (n) => `read ${n}\nrc=1 revents=IN|HUP\nrc=1 revents=IN|HUP\nrc=1 revents=IN|HUP\n`;

t('after read() returns 0 on a piped stdin, every poll is readable and hung up at once', guarded(async () => {
  for (let i = 0; i < 10; i++) {
    assert.is((await sh(m, `echo data | ${eofpoll} 5000 3`)).stdout, AT_EOF(5), `run ${i}`);
    assert.is((await sh(m, `true | ${eofpoll} 5000 3`)).stdout, AT_EOF(0), `run ${i}`);
  }
}, 120000));

t('the end of the host\'s input is final: told twice, the console still reads EOF and polls hung up', guarded(async () => {
  // The runtime reports the end of piped host input with k_consoleEof(1),
  // and may do so more than once (a retry of a back-pressured feed).
  const mm = await boot();
  try {
    const prog = installC(mm, 'eofpoll');
    mm.kernel.exports.k_consoleEof(1);
    mm.kernel.exports.k_consoleEof(1);
    const r = await run(mm, prog, [prog, '5000', '3'], { stdin: 'inherit' });
    assert.is(r.stdout, AT_EOF(0));
  } finally {
    await mm.shutdown();
  }
}));

t('the CLI with a large piped stdin: poll after EOF is hung up at once, every run', () => {
  // Large enough that the console feed meets back-pressure (it found the
  // race above in about one run of six).
  const input = Buffer.alloc(300000, 0x61);
  for (let i = 0; i < 6; i++) {
    const r = spawnSync(process.execPath, ['bin/wasmux.js', 'run', path.join(C_FIXTURES, 'eofpoll.wasm'), '2000', '3'],
      { cwd: ROOT, input, encoding: 'utf8', timeout: 60000 });
    assert.is(r.signal, null, 'the CLI was killed (timeout?)');
    assert.is(r.stdout, AT_EOF(300000), `run ${i}: ${r.stderr}`);
  }
});

t('a FIFO open that fails with ENXIO closes its File without writing through a null pipe', guarded(async () => {
  // Below the kernel's globals (address 1024) nothing lives: a close that
  // took the missing pipe for one at address 0 wrote its counts there.
  const low = () => Buffer.from(new Uint8Array(m.memory.buffer, 0, 1024));
  const before = low();
  const l = lines((await run(m, fo, [fo, 'fifo-enxio'])).stdout);
  assert.is(l.get('mkfifo'), '0');
  assert.is(l.get('open-w-nb'), 'ENXIO');
  assert.ok(low().equals(before), 'kernel memory below the globals changed');
}));

t.run();
