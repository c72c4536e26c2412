// The classic C programs shipped in programs/c/posix (built with `wasmux
// cc`, committed): each run, output and exit status checked. The fork-based
// ones need the fork/exec part of issue 13: while abi/syscalls.ts declares
// no `fork`, they must fail cleanly (fork: ENOSYS, exit 1) and this says
// so; once it does, their full output is checked.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { boot } from '../dist/index.js';
import { ROOT, guarded, run } from './helpers/index.mjs';

const BUILD = path.join(ROOT, 'programs', 'c', 'posix', 'build');
const table = fs.readFileSync(path.join(ROOT, 'abi', 'syscalls.ts'), 'utf8');
const haveFork = /a\('fork'/.test(table) && /a\('execve'/.test(table);
if (!haveFork) console.log('clayer-programs: no wasmux.fork/execve in abi/syscalls.ts yet: fork-based programs checked for a clean ENOSYS only');

const t = suite('clayer-programs');
let m;
t.before(async () => {
  m = await boot();
  for (const f of fs.readdirSync(BUILD)) m.writeFile(`/tmp/${f.replace(/\.wasm$/, '')}`, fs.readFileSync(path.join(BUILD, f)), 0o755);
});
t.after(async () => { await m.shutdown(); });

const prog = (name, args = [], opts = {}) => run(m, `/tmp/${name}`, [`/tmp/${name}`, ...args], { env: { PATH: '/bin', HOME: '/' }, ...opts });

t('every program in programs/c/posix has a committed build', () => {
  const srcs = fs.readdirSync(path.join(ROOT, 'programs', 'c', 'posix')).filter((f) => f.endsWith('.c')).map((f) => f.slice(0, -2)).sort();
  assert.equal(fs.readdirSync(BUILD).map((f) => f.replace(/\.wasm$/, '')).sort(), srcs);
});

t('pipe-spawn: a pipe between parent and child (posix_spawn)', guarded(async () => {
  const r = await prog('pipe-spawn', ['data for the child']);
  assert.is(r.stdout, 'child: DATA FOR THE CHILD\nparent: child exited 0\n');
  assert.is(r.code, 0);
}));

t('pipeline-spawn: seq | grep | wc -l with posix_spawnp and dup2 actions', guarded(async () => {
  const r = await prog('pipeline-spawn', ['120']);
  // 1, 10-19, 21, 31, ..., 91 (9), 100-119 (20), 120: 1 + 10 + 8 + 20 + 1 = 40
  assert.is(r.stdout, '40\nstatus 0 0 0\n');
  assert.is(r.code, 0);
}));

t('popen-pipeline: popen of a shell pipeline, both directions, pclose statuses', guarded(async () => {
  const r = await prog('popen-pipeline');
  assert.is(r.stdout, 'read: 12\npclose: 0\n2\npclose-w: 0\n');
  const f = await prog('popen-pipeline', ['echo a; exit 4']);
  assert.is(f.stdout, 'read: a\npclose: 4\n2\npclose-w: 0\n');
}));

t('fifo-server: one server, several clients through a FIFO, every request once', guarded(async () => {
  const r = await prog('fifo-server', ['6']);
  const lines = r.stdout.split('\n');
  assert.is(lines[0], 'server: 6 requests');
  for (let i = 0; i < 6; i++) assert.match(lines[1 + i], new RegExp(`^request from client ${i} \\(pid \\d+\\)$`));
  assert.is(lines[7], 'all done');
  assert.is(r.code, 0);
  assert.is(m.ps().filter((p) => p.pid !== 1 && p.state !== 'zombie').length, 0);
}));

// A module's first fork waits for its load-time transform (binaryen), slow on a loaded machine.
const FORK_MS = 120000;
const forkTest = (name, fn) => t(name, guarded(async () => {
  if (haveFork) return fn();
  const r = await prog(name.split(':')[0]);
  assert.match(r.stderr, /fork: Function not implemented/);
  assert.is(r.code, 1);
}, FORK_MS));

forkTest('pipe-fork: the textbook pipe between a parent and its forked child', async () => {
  const r = await prog('pipe-fork', ['forked data']);
  assert.is(r.stdout, 'child: FORKED DATA\nparent: child exited 0\n');
  assert.is(r.code, 0);
});

forkTest('pipeline-fork: seq | grep | wc -l by fork, dup2 and execvp', async () => {
  const r = await prog('pipeline-fork', ['120']);
  assert.is(r.stdout, '40\nstatus 0 0 0\n');
});

t('minishell: pipes, redirections, cd, status, exit (fork/exec)', guarded(async () => {
  const script = 'echo one two > /tmp/ms-out\ncat < /tmp/ms-out\nseq 1 5 | grep -v 3 | wc -l\necho more >> /tmp/ms-out\n' +
    'cd /tmp\ncat ms-out\nnosuch\nfalse\nexit 3\n';
  const r = await prog('minishell', [], { stdin: script });
  if (!haveFork) {
    assert.match(r.stderr, /minishell: fork: Function not implemented/);
    return;
  }
  assert.is(r.stdout, 'one two\n4\none two\nmore\n[status 127]\n[status 1]\n');
  assert.match(r.stderr, /minishell: nosuch: No such file or directory/);
  assert.is(r.code, 3);
}, FORK_MS));

t.run();
