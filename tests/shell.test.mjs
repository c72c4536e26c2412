// The shell's operators, expansions, builtins and error statuses.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { boot } from '../dist/index.js';
import { guarded, sh, withTimeout, waitFor } from './helpers/index.mjs';

const t = suite('shell');
let m;

t.before(async () => { m = await boot({ warmWorkers: 3 }); });
t.after(async () => { await m?.shutdown(); });

/** Runs LINE; checks stdout, and the exit code / stderr when given. */
async function expect(line, stdout, code = 0, stderr = '') {
  const r = await sh(m, line);
  assert.is(r.stdout, stdout, `stdout of: ${line}`);
  assert.is(r.code, code, `status of: ${line} (stderr: ${r.stderr})`);
  if (stderr !== null) assert.is(r.stderr, stderr, `stderr of: ${line}`);
  return r;
}

t('pipelines: |', guarded(async () => {
  await expect('echo hello | cat', 'hello\n');
  await expect('seq 1 100 | grep 7 | wc -l', '19\n');
  await expect('seq 1 5 | tail -n 2', '4\n5\n');
}));

t('redirections: < > >> 2> 2>&1', guarded(async () => {
  await expect('echo one > /tmp/sh-r; echo two >> /tmp/sh-r; cat < /tmp/sh-r', 'one\ntwo\n');
  await expect('echo three > /tmp/sh-r; cat /tmp/sh-r', 'three\n');
  await expect('ls /nope 2> /tmp/sh-e; echo "st=$?"; cat /tmp/sh-e', 'st=2\nls: /nope: No such file or directory\n');
  await expect('ls /nope 2>&1 | cat', 'ls: /nope: No such file or directory\n');
  await expect('ls /nope > /tmp/sh-both 2>&1; cat /tmp/sh-both', 'ls: /nope: No such file or directory\n');
  await expect('echo to-null > /dev/null', '');
  await expect('cat < /nope; echo "st=$?"', 'st=1\n', 0, null);
}));

t('lists: ; && || and $?', guarded(async () => {
  await expect('echo a; echo b', 'a\nb\n');
  await expect('true && echo yes; false && echo no', 'yes\n', 1);
  await expect('false || echo alt; true || echo never', 'alt\n');
  await expect('false; echo $?; true; echo $?', '1\n0\n');
  await expect('! false; echo $?; ! true; echo $?', '0\n1\n');
  await expect('false && echo x || echo y', 'y\n');
}));

t('background jobs: & and wait', guarded(async () => {
  // The two sleeps run at the same time: both are seen asleep at once, then
  // killed; wait returns when both are gone.
  const p = m.spawn('sh', ['sh', '-c', 'sleep 60 & sleep 60 & echo started; wait; echo done'],
    { stdout: 'pipe', stderr: 'pipe', stdin: 'null' });
  const both = () => m.ps().filter((q) => q.ppid === p.pid && q.name === 'sleep' && q.state === 'sleeping');
  await waitFor(() => both().length === 2, 15000, 'two sleeps at once', () => JSON.stringify(m.ps()));
  for (const q of both()) m.kill(q.pid, 15);
  assert.equal(await withTimeout(p.wait(), 15000), { status: 0, code: 0, signal: null });
  assert.is(p.stdout, 'started\ndone\n', p.stderr);
  await expect('echo bg > /tmp/sh-bg & wait; cat /tmp/sh-bg', 'bg\n');
}));

t('quoting and variables', guarded(async () => {
  await expect(`echo 'single $HOME' "double $HOME" a\\ b`, 'single $HOME double / a b\n');
  await expect(`X=5; echo "x is $X"; echo '$X'`, 'x is 5\n$X\n');
  await expect(`echo "a  b"   c`, 'a  b c\n');
  await expect(`echo ''`, '\n');
}));

t('cd changes the directory of later commands', guarded(async () => {
  await expect('mkdir /tmp/sh-cd; cd /tmp/sh-cd; echo here > f; cat /tmp/sh-cd/f', 'here\n');
  await expect('cd /tmp && ls sh-cd', 'f\n');
  await expect('cd /nonexistent; echo "st=$?"', 'st=1\n', 0, 'sh: cd: /nonexistent: No such file or directory\n');
}));

t('exit N', guarded(async () => {
  await expect('exit 7', '', 7);
  await expect('echo before; exit 3; echo after', 'before\n', 3);
  await expect('false; exit', '', 1);
  await expect('exit 0', '', 0);
}));

t('syntax errors: status 2 and one clear line; nothing runs', guarded(async () => {
  for (const line of ['echo "unterminated', 'echo a |', 'echo ; ;', '| cat', 'echo a &&']) {
    const r = await sh(m, `echo ran; ${line}`);
    assert.is(r.code, 2, `status for ${line}`);
    assert.is(r.stdout, '', `nothing runs for ${line}`);
    const errLines = r.stderr.split('\n').filter(Boolean);
    assert.is(errLines.length, 1, `one line for ${line}: ${r.stderr}`);
    assert.match(errLines[0], /^sh: syntax error/);
  }
}));

t('unknown command: 127 and a message', guarded(async () => {
  await expect('nosuchcmd', '', 127, 'sh: nosuchcmd: command not found\n');
  await expect('nosuchcmd; echo "st=$?"', 'st=127\n', 0, null);
  await expect('/tmp/nosuch.wasm; echo "st=$?"', 'st=127\n', 0, null);
}));

t('a status from a signal is 128+N', guarded(async () => {
  await expect('yes | head -n 1', 'y\n');
  // The shell itself killed: the API reports the signal.
  // (stdout not a pipe: sleep would hold it, and wait() waits for the end of the output.)
  const p = m.spawn('sh', ['sh', '-c', 'sleep 5'], { stdout: 'null' });
  // Killed while it waits for its running command.
  await waitFor(() => m.ps().some((q) => q.ppid === p.pid && q.state === 'sleeping'), 15000, 'sleep running');
  m.kill(p.pid, 15);
  assert.is((await withTimeout(p.wait(), 5000)).signal, 15);
}));

t('a script from stdin', guarded(async () => {
  const r = await withTimeout((async () => {
    const p = m.spawn('sh', ['sh'], { stdin: 'echo from-stdin\nX=4\necho $X\nexit 5\n', stdout: 'pipe', stderr: 'pipe' });
    const st = await p.wait();
    return { st, out: p.stdout };
  })(), 10000);
  assert.is(r.out, 'from-stdin\n4\n');
  assert.is(r.st.code, 5);
}));

t.run();
