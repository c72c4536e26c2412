// Credentials (issue 15): real, effective and saved ids through the C layer
// (programs/c/posix/creds.c, committed build), SpawnOptions.uid/gid and the
// CLI's --uid/--gid, the set*id calls as Linux for root and non-root, kill's
// EPERM across users, inheritance by fork and spawn, and `id`.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { boot } from '../dist/index.js';
import { ROOT, guarded, run, runGroup, hasLines, waitFor } from './helpers/index.mjs';

const PROG = '/tmp/creds';
const t = suite('creds');
const SLOW = 120000;   // creds forks: its first load transforms it
let m;
t.before(async () => {
  m = await boot({});
  m.writeFile(PROG, fs.readFileSync(path.join(ROOT, 'programs', 'c', 'posix', 'build', 'creds.wasm')), 0o755);
});
t.after(async () => { await m.shutdown(); });

const group = (name, opts = {}) => runGroup(m, PROG, name, opts, SLOW);
const as1000 = { uid: 1000, gid: 1000 };

t('a process spawned with uid/gid 1000 has them as real, effective and saved ids and cannot become root (EPERM)', guarded(async () => {
  hasLines(await group('user', as1000), [
    'user uid 1000 euid 1000 suid 1000 gid 1000 egid 1000 sgid 1000',
    'user getuid 1000 geteuid 1000 getgid 1000 getegid 1000',
    'setuid-0 EPERM', 'seteuid-0 EPERM', 'setreuid-0 EPERM', 'setreuid-e0 EPERM', 'setresuid-0 EPERM',
    'setgid-0 EPERM', 'setegid-0 EPERM', 'setresgid-0 EPERM', 'setuid-self 0', 'setgid-self 0',
    'getgroups 0', 'kill-init EPERM',
    'user-after uid 1000 euid 1000 suid 1000 gid 1000 egid 1000 sgid 1000',
  ]);
}, SLOW));

t('root drops to 1000 with setgid+setuid (all three ids) and cannot take 0 back', guarded(async () => {
  hasLines(await group('drop'), [
    'root uid 0 euid 0 suid 0 gid 0 egid 0 sgid 0', 'setgid-1000 0', 'setuid-1000 0',
    'dropped uid 1000 euid 1000 suid 1000 gid 1000 egid 1000 sgid 1000',
    'setuid-0 EPERM', 'seteuid-0 EPERM', 'setgid-0 EPERM',
    'dropped-after uid 1000 euid 1000 suid 1000 gid 1000 egid 1000 sgid 1000',
  ]);
}, SLOW));

t('seteuid keeps the saved id (root comes back); setreuid/setresuid follow Linux\'s rules for the saved id and for non-root', guarded(async () => {
  hasLines(await group('saved'), [
    'seteuid-1000 0', 'euid1000 uid 0 euid 1000 suid 0 gid 0 egid 0 sgid 0',
    'kill-init 0',                       // the real uid is init's
    'seteuid-2000 EPERM', 'seteuid-0 0', 'back uid 0 euid 0 suid 0 gid 0 egid 0 sgid 0',
    'setreuid-e1000 0', 're0 uid 0 euid 1000 suid 1000 gid 0 egid 0 sgid 0',
    'seteuid-0-again 0',
    'setresuid-all 0', 'res uid 1000 euid 2000 suid 3000 gid 0 egid 0 sgid 0',
    'seteuid-3000 0', 'seteuid-1000 0', 'seteuid-4000 EPERM', 'setreuid-r2000 EPERM',
    'setreuid-r1000-e3000 0', 're uid 1000 euid 3000 suid 3000 gid 0 egid 0 sgid 0',
    'setresuid-0-nonroot EPERM', 'setreuid-e-real 0', 're2 uid 1000 euid 1000 suid 3000 gid 0 egid 0 sgid 0',
    'setregid-5-6 EPERM', 'regid uid 1000 euid 1000 suid 3000 gid 0 egid 0 sgid 0',
  ]);
}, SLOW));

t('bad ids are EINVAL, bad pointers EFAULT, and change nothing', guarded(async () => {
  hasLines(await group('badargs'), [
    'setuid-minus1 EINVAL', 'setgid-minus1 EINVAL', 'seteuid-minus1 EINVAL', 'setresuid-minus2 EINVAL',
    'setreuid-minus2 EINVAL', 'getresuid-bad1 EFAULT', 'getresuid-bad3 EFAULT', 'getresgid-bad2 EFAULT',
    'getgroups-neg EINVAL', 'nothing-changed 0',
  ]);
}, SLOW));

t('fork and spawn children inherit real, effective and saved ids (root with euid 1000; a uid-1000 process)', guarded(async () => {
  hasLines(await group('inherit'), [
    'parent uid 0 euid 1000 suid 0 gid 0 egid 0 sgid 0',
    'forked uid 0 euid 1000 suid 0 gid 0 egid 0 sgid 0', 'fork exit 0',
    'spawned uid 0 euid 1000 suid 0 gid 0 egid 0 sgid 0', 'spawn exit 0',
  ]);
  hasLines(await group('inherit', as1000), [
    'parent uid 1000 euid 1000 suid 1000 gid 1000 egid 1000 sgid 1000',
    'forked uid 1000 euid 1000 suid 1000 gid 1000 egid 1000 sgid 1000',
    'spawned uid 1000 euid 1000 suid 1000 gid 1000 egid 1000 sgid 1000',
  ]);
}, SLOW));

t('the spawn action SPAWN_SETCRED: root gives any ids; a non-root spawner only its own (EPERM), bad ids EINVAL', guarded(async () => {
  hasLines(await group('setcred'), [
    'child2000 uid 2000 euid 2000 suid 2000 gid 3000 egid 3000 sgid 3000', 'as-2000 exit 0',
    'setuid-1000 0', 'as-0 EPERM',
    'childgid0 uid 1000 euid 1000 suid 1000 gid 0 egid 0 sgid 0', 'as-gid0 exit 0',
    'child1000 uid 1000 euid 1000 suid 1000 gid 0 egid 0 sgid 0', 'as-self exit 0',
    'as-bad EINVAL',
  ]);
}, SLOW));

t('kill: a uid-1000 process may not signal root\'s or uid 2000\'s processes (EPERM), may signal its own uid\'s; root may signal anyone', guarded(async () => {
  const spin = (o) => m.spawn('sleep', ['sleep', '60'], { stdin: 'null', ...o });
  const rootP = spin({}), otherP = spin({ uid: 2000, gid: 2000 }), sameP = spin(as1000);
  const r = await run(m, PROG, [PROG, 'kill', String(rootP.pid), String(otherP.pid), String(sameP.pid)], { env: {}, ...as1000 }, SLOW);
  hasLines(r.stdout.split('\n'), [`kill-${rootP.pid} EPERM`, `kill-${otherP.pid} EPERM`, `kill-${sameP.pid} 0`]);
  assert.equal((await sameP.wait()).signal, 15, 'its own uid\'s process got SIGTERM');
  assert.ok(m.ps().some((p) => p.pid === rootP.pid) && m.ps().some((p) => p.pid === otherP.pid), 'the refused ones still run');
  // Root (the sender's euid 0) may.
  const r2 = await run(m, PROG, [PROG, 'kill', String(otherP.pid)], { env: {} }, SLOW);
  hasLines(r2.stdout.split('\n'), [`kill-${otherP.pid} 0`]);
  assert.equal((await otherP.wait()).signal, 15);
  m.kill(rootP.pid, 9);
  await rootP.wait();
}, SLOW));

t('SpawnOptions.uid/gid out of range or not integers: WasmuxError EINVAL, nothing spawned', guarded(async () => {
  const before = m.ps().length;
  for (const bad of [{ uid: -1 }, { gid: 2 ** 31 }, { uid: 1.5 }, { uid: '1000' }, { gid: NaN }]) {
    let err = null;
    try { m.spawn('true', ['true'], bad); } catch (e) { err = e; }
    assert.ok(err, `spawn with ${JSON.stringify(bad)} threw`);
    assert.is(err.errno, 28 /* EINVAL (WASI numbering, abi/errno.ts) */, `EINVAL for ${JSON.stringify(bad)}`);
    assert.match(err.message, /spawn option (uid|gid)/);
  }
  await waitFor(() => m.ps().length <= before, 15000, 'no process left');
}));

t('id: root by default (names: root for 0), the given ids under uid/gid, -u/-g/-G/-n/-r', guarded(async () => {
  assert.is((await run(m, 'id', ['id'])).stdout, 'uid=0(root) gid=0(root) groups=0(root)\n');
  assert.is((await run(m, 'id', ['id'], as1000)).stdout, 'uid=1000 gid=1000 groups=1000\n');
  assert.is((await run(m, 'id', ['id', '-u'], as1000)).stdout, '1000\n');
  assert.is((await run(m, 'id', ['id', '-gn'])).stdout, 'root\n');
  const unnamed = await run(m, 'id', ['id', '-un'], { uid: 7 });
  assert.is(unnamed.stdout, '7\n');
  assert.is(unnamed.code, 1);
  assert.match(unnamed.stderr, /cannot find name for user ID 7/);
  assert.is((await run(m, 'id', ['id', '-G'], { uid: 5, gid: 6 })).stdout, '6\n');
  const bad = await run(m, 'id', ['id', 'nobody']);
  assert.is(bad.code, 1);
}));

/** The CLI (bin/wasmux.js) with `args`. */
function cli(args) {
  const r = spawnSync(process.execPath, ['bin/wasmux.js', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60000, input: '' });
  if (r.error) throw r.error;
  return r;
}

t('wasmux run --uid 1000 --gid 1000 id; wasmux sh --uid: the shell and its children run as that user; bad values are usage errors', () => {
  const r = cli(['run', '--uid', '1000', '--gid', '1000', 'id']);
  assert.is(r.stdout, 'uid=1000 gid=1000 groups=1000\n', r.stderr);
  assert.is(r.status, 0);
  assert.is(cli(['--uid=42', 'run', 'id', '-u']).stdout, '42\n');
  assert.is(cli(['run', 'id']).stdout, 'uid=0(root) gid=0(root) groups=0(root)\n');
  const s = cli(['sh', '--uid', '1000', '-c', 'id; id -g']);
  assert.is(s.stdout, 'uid=1000 gid=0(root) groups=0(root)\n0\n', s.stderr);
  for (const bad of ['-1', 'x', '2147483648']) {
    const e = cli(['run', '--uid', bad, 'id']);
    assert.is(e.status, 2, `--uid ${bad}: ${e.stderr}`);
    assert.match(e.stderr, /--uid wants a number from 0 to 2147483647/);
  }
  assert.match(cli(['run', '--help']).stdout, /--uid N/);
});

t.run();
