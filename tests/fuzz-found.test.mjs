// Kernel bugs the syscall fuzzer found, one call each (the fuzz guest's
// `probe` mode), so they stay fixed without a fuzz run that happens on them.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { boot } from '../dist/index.js';
import { guarded, installGuest, run, lines, settledHeap, waitOnlyInit } from './helpers/index.mjs';

const t = suite('fuzz-found');

t('FIFO access mode 3, ENXIO clean-up, NUL in a spawn action path, WASI fd 3 after dup2/close, rename onto ".", directory link counts across a rename', guarded(async () => {
  const m = await boot();
  try {
    const g = installGuest(m, 'fuzz');
    const base = m.heapBlocks();
    const r = await run(m, g, [g, 'probe']);
    assert.is(r.code, 0, r.stderr);
    const l = lines(r.stdout);
    assert.is(l.get('mkfifo'), '0');
    assert.is(l.get('fifo-accmode3'), '-28', 'EINVAL, as Linux');
    assert.is(l.get('fifo-enxio'), '-60', 'ENXIO');
    assert.is(l.get('unlink-fifo'), '0');
    assert.is(l.get('spawn-action-nul'), '-28', 'EINVAL for a NUL inside the path');
    assert.is(l.get('tmp-pa-entries'), '0', 'no file with a NUL in its name');
    assert.is(l.get('wasi-root-stat'), '0', 'the preopen at fd 3 is the root');
    assert.is(l.get('wasi-after-dup2'), '0', 'fd 3 is /tmp now: the path is relative to it (#12)');
    assert.is(l.get('stat-root-made'), '-44', 'nothing made at the root');
    assert.is(l.get('rmdir-tmp-made'), '0', 'but in /tmp');
    assert.is(l.get('wasi-after-close'), '8', 'EBADF once fd 3 is closed');
    assert.is(l.get('prestat-after-close'), '8', 'EBADF: no preopen at a closed fd');
    assert.is(l.get('stat-root-made-2'), '-44');
    assert.is(l.get('rename-to-dot'), '-10', 'EBUSY: a rename onto "." of an empty directory');
    assert.is(l.get('rename-to-dotdot'), '-10', 'EBUSY: onto ".."');
    assert.is(l.get('rename-from-dot'), '-10', 'EBUSY: from "."');
    assert.is(l.get('rmdir-ra'), '0', 'the source stays where it was');
    assert.is(l.get('rmdir-rb'), '0', 'and nothing was linked into the target');
    // Directory link counts (2 + subdirectories) survive a rename; the
    // renamed directory emptied is not freed while it is still linked.
    assert.is(l.get('nlink-new-dir'), '2', 'a new directory: its name and "."');
    assert.is(l.get('nlink-two-subdirs'), '4', 'plus the ".." of each subdirectory');
    assert.is(l.get('rename-dir'), '0');
    assert.is(l.get('nlink-renamed'), '4', 'a rename keeps the count');
    assert.is(l.get('nlink-subdir-renamed'), '2');
    assert.is(l.get('nlink-emptied'), '2');
    assert.is(l.get('nlink-emptied-again'), '2', 'still there after a stat');
    assert.is(l.get('mkfifo-in-renamed'), '0');
    assert.is(l.get('unlink-in-renamed'), '0');
    assert.is(l.get('rmdir-renamed'), '0');
    assert.is(l.get('stat-removed'), '-44', 'ENOENT');
    await waitOnlyInit(m);
    // Nothing kept: the FIFO's pipe went with its last close and unlink.
    assert.is(await settledHeap(m, base), base, 'kernel heap blocks');
    // Nothing written below the kernel's Globals (address 1024): the ENXIO
    // clean-up used to detach a pipe at address 0.
    const low = new Int32Array(m.memory.buffer, 0, 256);
    assert.equal([...low].filter((w) => w !== 0), []);
  } finally {
    await m.shutdown();
  }
}));

t.run();
