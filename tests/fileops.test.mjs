// The file operations table and the kernel functions both ABIs share:
// ftruncate and WASI's fd_filestat_set_size give the same answers.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { boot } from '../dist/index.js';
import { guarded, installGuest, run, lines } from './helpers/index.mjs';

const MAX_FDS = 40;
const t = suite('fileops');
let m, fo;

t.before(async () => {
  m = await boot({ maxFds: MAX_FDS });
  fo = installGuest(m, 'fileops');
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

t.run();
