// Mounts confine like openat2(RESOLVE_BENEATH): symlinks are followed only
// while they stay beneath the mount's root (else EXDEV), final components are
// opened without following links out, and removing a link removes the link.
// Host I/O that can block (host FIFOs, a console write to a full pipe) is
// retried by the kernel, so SIGKILL ends it.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn as spawnChild, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import binaryen from 'binaryen';
import { boot } from '../dist/index.js';
import { ROOT, C_FIXTURES, guarded, installGuest, lines, run, sh, withTimeout, FIFO_NONBLOCK_REPORT } from './helpers/index.mjs';

const t = suite('mount-confine');
let base, root, outside, m;

const XDEV = /Invalid cross-device link/;
const exists = (p) => { try { fs.lstatSync(p); return true; } catch { return false; } };

t.before(async () => {
  // base/root is mounted; base/outside and base/* must never be touched by guests.
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'wasmux-confine-'));
  root = path.join(base, 'root');
  outside = path.join(base, 'outside');
  fs.mkdirSync(root);
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, 'secret'), 'secret\n');
  fs.writeFileSync(path.join(root, 'hello.txt'), 'hello\n');
  fs.mkdirSync(path.join(root, 'sub'));
  fs.writeFileSync(path.join(root, 'sub', 'inner.txt'), 'inner\n');
  m = await boot({ mounts: [{ host: root, guest: '/m' }] });
});
t.after(async () => {
  await m?.shutdown();
  fs.rmSync(base, { recursive: true, force: true });
});

t('a dangling symlink to outside the mount: writing through it creates nothing outside', guarded(async () => {
  fs.symlinkSync(path.join(outside, 'x'), path.join(root, 'link'));
  try {
    const r = await sh(m, 'echo pwned > /m/link; echo "st=$?"; cat /m/link; echo "st=$?"');
    assert.is(r.stdout, 'st=1\nst=1\n');
    assert.match(r.stderr, XDEV);
    assert.not.ok(exists(path.join(outside, 'x')), 'a file was created outside the mount');
  } finally { fs.rmSync(path.join(root, 'link'), { force: true }); }
}));

t('renaming an inside-pointing relative link does not make it an escape', guarded(async () => {
  // sub/up -> ../f names root/f; moved to the root, up -> ../f would name base/f.
  fs.symlinkSync('../f', path.join(root, 'sub', 'up'));
  try {
    const r = await sh(m, 'echo in > /m/sub/up; echo "st=$?"; mv /m/sub/up /m/up; echo "mv=$?"; '
      + 'echo pwned > /m/up; echo "st=$?"; cat /m/up; echo "st=$?"; cat /m/f');
    assert.is(r.stdout, 'st=0\nmv=0\nst=1\nst=1\nin\n', r.stderr);
    assert.match(r.stderr, XDEV);
    assert.is(fs.readFileSync(path.join(root, 'f'), 'utf8'), 'in\n');
    assert.is(fs.readlinkSync(path.join(root, 'up')), '../f');
    assert.not.ok(exists(path.join(base, 'f')), 'a file was created outside the mount');
  } finally {
    for (const p of ['up', 'f', 'sub/up']) fs.rmSync(path.join(root, p), { force: true });
  }
}));

t('".." in link targets: fine while beneath the root, EXDEV above it', guarded(async () => {
  fs.symlinkSync('../hello.txt', path.join(root, 'sub', 'back'));
  fs.symlinkSync('../../outside/secret', path.join(root, 'sub', 'climb'));
  fs.symlinkSync('sub/../../outside', path.join(root, 'updir'));
  try {
    const r = await sh(m, 'cat /m/sub/back; cat /m/sub/climb; echo "st=$?"; ls /m/updir; echo "st=$?"; '
      + 'echo x > /m/updir/new; echo "st=$?"');
    assert.is(r.stdout, 'hello\nst=1\nst=2\nst=1\n', r.stderr);
    assert.not.match(r.stdout, /secret/);
    assert.is(r.stderr.match(new RegExp(XDEV, 'g'))?.length, 3, r.stderr);
    assert.not.ok(exists(path.join(outside, 'new')));
  } finally {
    for (const p of ['sub/back', 'sub/climb', 'updir']) fs.rmSync(path.join(root, p), { force: true });
  }
}));

t('absolute symlinks: into the mount they work, out of it EXDEV', guarded(async () => {
  fs.symlinkSync(path.join(root, 'sub', 'inner.txt'), path.join(root, 'absin'));
  fs.symlinkSync(path.join(outside, 'secret'), path.join(root, 'absout'));
  fs.symlinkSync(`${root}/../outside/secret`, path.join(root, 'absdotdot'));
  try {
    const r = await sh(m, 'cat /m/absin; cat /m/absout; echo "st=$?"; cat /m/absdotdot; echo "st=$?"');
    assert.is(r.stdout, 'inner\nst=1\nst=1\n', r.stderr);
    assert.is(r.stderr.match(new RegExp(XDEV, 'g'))?.length, 2, r.stderr);
  } finally {
    for (const p of ['absin', 'absout', 'absdotdot']) fs.rmSync(path.join(root, p), { force: true });
  }
}));

t('symlink loops are ELOOP', guarded(async () => {
  fs.symlinkSync('loop2', path.join(root, 'loop1'));
  fs.symlinkSync('loop1', path.join(root, 'loop2'));
  fs.symlinkSync('self/x', path.join(root, 'self'));
  try {
    const r = await sh(m, 'cat /m/loop1; echo "st=$?"; echo x > /m/loop2; echo "st=$?"; cat /m/self; echo "st=$?"');
    assert.is(r.stdout, 'st=1\nst=1\nst=1\n');
    assert.is(r.stderr.match(/Too many levels of symbolic links/g)?.length, 3, r.stderr);
  } finally {
    for (const p of ['loop1', 'loop2', 'self']) fs.rmSync(path.join(root, p), { force: true });
  }
}));

t('a symlink to a directory inside the mount keeps working', guarded(async () => {
  fs.symlinkSync('sub', path.join(root, 'dirlink'));
  try {
    const r = await sh(m, 'ls /m/dirlink; cat /m/dirlink/inner.txt; echo made > /m/dirlink/new.txt; '
      + 'mkdir /m/dirlink/d; mv /m/dirlink/new.txt /m/dirlink/d/moved; cat /m/sub/d/moved; '
      + 'cd /m/dirlink && cat inner.txt');
    assert.is(r.stdout, 'inner.txt\ninner\nmade\ninner\n', r.stderr);
    assert.is(r.stderr, '');
    assert.is(fs.readFileSync(path.join(root, 'sub', 'd', 'moved'), 'utf8'), 'made\n');
  } finally {
    fs.rmSync(path.join(root, 'dirlink'), { force: true });
    fs.rmSync(path.join(root, 'sub', 'd'), { recursive: true, force: true });
  }
}));

t('a symlink to a directory outside: no stat, listing, mkdir, rmdir, create or rename through it', guarded(async () => {
  fs.symlinkSync(outside, path.join(root, 'outdir'));
  fs.mkdirSync(path.join(outside, 'victim'));
  fs.writeFileSync(path.join(root, 'mine'), 'mine\n');
  try {
    const r = await sh(m, 'ls /m/outdir; echo "ls=$?"; mkdir /m/outdir/made; echo "mkdir=$?"; '
      + 'rmdir /m/outdir/victim; echo "rmdir=$?"; rm /m/outdir/secret; echo "rm=$?"; '
      + 'mv /m/mine /m/outdir/moved; echo "mv=$?"; mv /m/outdir/secret /m/stolen; echo "mv2=$?"; '
      + 'cp /m/outdir/secret /m/copy; echo "cp=$?"');
    assert.is(r.stdout, 'ls=2\nmkdir=1\nrmdir=1\nrm=1\nmv=1\nmv2=1\ncp=1\n', r.stderr);
    assert.is(r.stderr.match(new RegExp(XDEV, 'g'))?.length, 7, r.stderr);
    assert.is(fs.readdirSync(outside).sort().join(' '), 'secret victim');
    assert.is(fs.readFileSync(path.join(root, 'mine'), 'utf8'), 'mine\n');
    assert.not.ok(exists(path.join(root, 'stolen')) || exists(path.join(root, 'copy')));
  } finally {
    fs.rmSync(path.join(root, 'outdir'), { force: true });
    fs.rmSync(path.join(root, 'mine'), { force: true });
    fs.rmSync(path.join(outside, 'victim'), { recursive: true, force: true });
  }
}));

t('removing a symlink whose target is outside removes the link, not the target', guarded(async () => {
  fs.symlinkSync(path.join(outside, 'secret'), path.join(root, 'out1'));
  fs.symlinkSync(path.join(outside, 'nothing'), path.join(root, 'out2'));
  fs.symlinkSync(outside, path.join(root, 'out3'));
  const r = await sh(m, 'rm /m/out1; echo "st=$?"; rm /m/out2; echo "st=$?"; rm /m/out3; echo "st=$?"; ls /m');
  assert.is(r.stdout, 'st=0\nst=0\nst=0\nhello.txt\nsub\n', r.stderr);
  for (const p of ['out1', 'out2', 'out3']) assert.not.ok(exists(path.join(root, p)), p);
  assert.is(fs.readFileSync(path.join(outside, 'secret'), 'utf8'), 'secret\n');
}));

t('a program reached through a link to outside does not run', guarded(async () => {
  fs.copyFileSync(path.join(C_FIXTURES, 'filter.wasm'), path.join(outside, 'filter.wasm'));
  fs.copyFileSync(path.join(C_FIXTURES, 'filter.wasm'), path.join(root, 'sub', 'filter.wasm'));
  fs.symlinkSync(path.join(outside, 'filter.wasm'), path.join(root, 'prog'));
  fs.symlinkSync('sub/filter.wasm', path.join(root, 'inprog'));
  try {
    const r = await sh(m, 'echo abc | /m/inprog; echo abc | /m/prog; echo "st=$?"');
    assert.is(r.stdout, 'ABC\nst=126\n', r.stderr);
    assert.match(r.stderr, XDEV);
  } finally {
    for (const p of ['prog', 'inprog', 'sub/filter.wasm']) fs.rmSync(path.join(root, p), { force: true });
    fs.rmSync(path.join(outside, 'filter.wasm'), { force: true });
  }
}));

/**
 * A hand-made WASI command: path_filestat_get (op 'stat') or path_open (op
 * 'open') of `p` relative to the preopened "/" with lookup flags `flags`;
 * exits with the WASI file type (stat), 0 (open), or 100 + the errno.
 */
function wasiProbe(op, p, flags) {
  const bytes = [...new TextEncoder().encode(p)];
  const call = op === 'stat'
    ? `(local.set $r (call $stat (i32.const 3) (i32.const ${flags}) (i32.const 64) (i32.const ${bytes.length}) (i32.const 1024)))
       (if (i32.eqz (local.get $r)) (then (call $exit (i32.load8_u (i32.const 1040)))))`
    : `(local.set $r (call $open (i32.const 3) (i32.const ${flags}) (i32.const 64) (i32.const ${bytes.length})
         (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 1024)))
       (if (i32.eqz (local.get $r)) (then (call $exit (i32.const 0))))`;
  const wat = `(module
    (import "wasi_snapshot_preview1" "fd_prestat_get" (func $prestat (param i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "path_filestat_get" (func $stat (param i32 i32 i32 i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "path_open" (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
    (memory (export "memory") 1)
    (data (i32.const 64) "${bytes.map((b) => '\\' + b.toString(16).padStart(2, '0')).join('')}")
    (func (export "_start") (local $r i32)
      ${call}
      (call $exit (i32.add (i32.const 100) (local.get $r)))))`;
  const mod = binaryen.parseText(wat);
  const bin = mod.emitBinary();
  mod.dispose();
  return bin;
}

async function probe(op, p, flags) {
  m.writeFile('/tmp/probe.wasm', wasiProbe(op, p, flags), 0o755);
  const r = await run(m, '/tmp/probe.wasm', ['probe']);
  return r.code;
}

t('WASI lookup flags: without SYMLINK_FOLLOW stat is lstat and open does not follow (ELOOP)', guarded(async () => {
  fs.symlinkSync('hello.txt', path.join(root, 'inlink'));
  fs.symlinkSync(path.join(outside, 'secret'), path.join(root, 'outlink'));
  try {
    assert.is(await probe('stat', 'm/inlink', 1), 4);        // regular file
    assert.is(await probe('stat', 'm/inlink', 0), 7);        // symbolic link
    assert.is(await probe('stat', 'm/outlink', 0), 7);       // the link itself, wherever it points
    assert.is(await probe('stat', 'm/outlink', 1), 100 + 75);   // EXDEV
    assert.is(await probe('open', 'm/inlink', 1), 0);
    assert.is(await probe('open', 'm/inlink', 0), 100 + 32);    // ELOOP
    assert.is(await probe('open', 'm/outlink', 1), 100 + 75);   // EXDEV
  } finally {
    for (const p of ['inlink', 'outlink']) fs.rmSync(path.join(root, p), { force: true });
  }
}));

t('no check-then-open race: a link swapped between inside and outside never lets a write out', guarded(async () => {
  // A host process flips root/race between a link to root/d and one to outside
  // as fast as it can, while guests create files through it.
  fs.mkdirSync(path.join(root, 'd'));
  fs.symlinkSync('d', path.join(root, 'race'));
  const flipper = spawnChild(process.execPath, ['-e', `
    const fs = require('fs'), p = require('path');
    const race = ${JSON.stringify(path.join(root, 'race'))}, tmp = race + '.new';
    for (let i = 0; ; i++) {
      try { fs.symlinkSync(i % 2 ? 'd' : ${JSON.stringify(outside)}, tmp); fs.renameSync(tmp, race); } catch {}
    }`], { stdio: 'ignore' });
  try {
    const n = 300;
    const line = Array.from({ length: n }, (_, i) => `echo x > /m/race/f${i}`).join('; ');
    const r = await sh(m, `${line} 2>/dev/null; echo done`, {}, 120000);
    assert.is(r.stdout, 'done\n', r.stderr);
    const escaped = fs.readdirSync(outside).filter((f) => f.startsWith('f'));
    assert.equal(escaped, [], `created outside: ${escaped.join(' ')}`);
    // The flips were real: some writes got in, through the link to d.
    assert.ok(fs.readdirSync(path.join(root, 'd')).length > 0);
  } finally {
    flipper.kill('SIGKILL');
    await new Promise((res) => flipper.on('exit', res));
    for (const f of fs.readdirSync(outside)) if (f.startsWith('f')) fs.rmSync(path.join(outside, f));
    for (const p of ['race', 'race.new', 'd']) fs.rmSync(path.join(root, p), { recursive: true, force: true });
  }
}, 150000));

// ---- host I/O that can block ----

function mkfifo(p) {
  const r = spawnSync('mkfifo', [p]);
  if (r.status !== 0) throw new Error(`mkfifo ${p}: ${r.stderr}`);
}

/** Waits (polling ps) until `pid` sleeps in the kernel. */
async function untilSleeping(pid) {
  await withTimeout((async () => {
    for (;;) {
      const p = m.ps().find((x) => x.pid === pid);
      if (p?.state === 'sleeping') return;
      await new Promise((res) => setTimeout(res, 5));
    }
  })(), 15000, `pid ${pid} sleeping`);
}

t('cat of a host FIFO with no writer sleeps, and SIGKILL ends it at once', guarded(async () => {
  const fifo = path.join(root, 'fifo1');
  mkfifo(fifo);
  try {
    const p = m.spawn('/bin/cat', ['cat', '/m/fifo1'], { stdout: 'pipe', stderr: 'pipe', stdin: 'null' });
    await untilSleeping(p.pid);
    m.kill(p.pid, 9);
    assert.equal(await withTimeout(p.wait(), 5000, 'killed cat'), { status: 9, code: null, signal: 9 });
  } finally { fs.rmSync(fifo, { force: true }); }
}));

t('a host FIFO: a blocked reader gets what a host writer writes, then EOF', guarded(async () => {
  const fifo = path.join(root, 'fifo2');
  mkfifo(fifo);
  try {
    const p = m.spawn('/bin/cat', ['cat', '/m/fifo2'], { stdout: 'pipe', stderr: 'pipe', stdin: 'null' });
    await untilSleeping(p.pid);
    // A host writer in another process: its open blocks until cat has the FIFO open.
    const w = spawnChild(process.execPath, ['-e', `require('fs').writeFileSync(${JSON.stringify(fifo)}, 'from the host\\n')`]);
    const [st] = await Promise.all([withTimeout(p.wait(), 15000, 'cat'), new Promise((res) => w.on('exit', res))]);
    assert.is(p.stdout, 'from the host\n', p.stderr);
    assert.equal(st, { status: 0, code: 0, signal: null });
  } finally { fs.rmSync(fifo, { force: true }); }
}));

t('a host FIFO: a writer waits in open for a reader (and SIGKILL ends that wait)', guarded(async () => {
  const fifo = path.join(root, 'fifo3');
  mkfifo(fifo);
  try {
    const killed = m.spawn('/bin/sh', ['sh', '-c', 'echo never > /m/fifo3'], { stdout: 'pipe', stderr: 'pipe', stdin: 'null' });
    await withTimeout((async () => {
      // The shell's child (echo) does the open; wait until some process of it sleeps there.
      for (;;) {
        const kids = m.ps().filter((x) => x.ppid === killed.pid || x.pid === killed.pid);
        const echo = kids.find((x) => x.name === 'echo' && x.state === 'sleeping');
        if (echo) { m.kill(echo.pid, 9); return; }
        await new Promise((res) => setTimeout(res, 5));
      }
    })(), 15000, 'echo sleeping in open');
    const st = await withTimeout(killed.wait(), 5000, 'sh after its echo was killed');
    assert.is(st.code, 137, killed.stderr);
    // Now with a reader: the host opens it non-blocking and reads until EOF.
    const p = m.spawn('/bin/sh', ['sh', '-c', 'echo from-guest > /m/fifo3'], { stdout: 'pipe', stderr: 'pipe', stdin: 'null' });
    let rfd = -1;
    let got = '';
    await withTimeout((async () => {
      rfd = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
      const buf = Buffer.alloc(64);
      for (;;) {
        let n = -1;
        try { n = fs.readSync(rfd, buf, 0, 64, null); } catch (e) { if (e.code !== 'EAGAIN') throw e; }
        if (n > 0) got += buf.toString('utf8', 0, n);
        if (n === 0 && got.endsWith('\n')) return;
        await new Promise((res) => setTimeout(res, 5));
      }
    })(), 15000, 'host reader');
    fs.closeSync(rfd);
    assert.is(got, 'from-guest\n');
    assert.equal(await withTimeout(p.wait(), 5000, 'writer'), { status: 0, code: 0, signal: null }, p.stderr);
  } finally { fs.rmSync(fifo, { force: true }); }
}));

t('a host FIFO with O_NONBLOCK: ENXIO, EAGAIN and EOF as Linux gives them', guarded(async () => {
  const fifo = path.join(root, 'fifo4');
  mkfifo(fifo);
  const g = installGuest(m, 'fifo');
  // The guest's own mkfifo fails on a mount (EPERM); the rest runs on the host FIFO.
  const r = await run(m, g, [g, 'nonblock', '/m/fifo4']);
  assert.is(r.code, 0, r.stderr);
  const l = lines(r.stdout);
  for (const [label, want] of Object.entries(FIFO_NONBLOCK_REPORT)) assert.is(l.get(label), want, label);
  assert.is(l.get('unlink'), '0');
  assert.not.ok(exists(fifo));
}));

t('a console write to a full pipe nobody drains: SIGKILL ends it', guarded(async () => {
  // A child Node process boots a machine whose console stdout is a FIFO the
  // test holds open and never reads; `yes` fills it, then is killed.
  const fifo = path.join(base, 'console-fifo');
  mkfifo(fifo);
  const hold = fs.openSync(fifo, 'r+');   // a reader that never reads (and never EOF)
  const script = `
    import { boot } from ${JSON.stringify(path.join(ROOT, 'dist', 'index.js'))};
    const m = await boot();
    const p = m.spawn('/bin/yes', ['yes'], { stdout: 'inherit', stderr: 'inherit', stdin: 'null' });
    const until = async (cond) => { while (!cond()) await new Promise((r) => setTimeout(r, 5)); };
    await until(() => m.ps().find((x) => x.pid === p.pid)?.state === 'sleeping');
    m.kill(p.pid, 9);
    const st = await p.wait();
    process.stderr.write('status ' + JSON.stringify(st) + '\\n');
    await m.shutdown();
    process.exit(0);
  `;
  const file = path.join(base, 'console-full.mjs');
  fs.writeFileSync(file, script);
  const child = spawnChild(process.execPath, [file], { stdio: ['ignore', hold, 'pipe'] });
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  try {
    const code = await withTimeout(new Promise((res) => child.on('exit', res)), 20000, 'child machine');
    assert.is(code, 0, err);
    assert.match(err, /status \{"status":9,"code":null,"signal":9\}/);
  } finally {
    child.kill('SIGKILL');
    fs.closeSync(hold);
    fs.rmSync(fifo, { force: true });
  }
}, 30000));

t.run();
