// execve (wasmux.execve, from programs/c/forktest.c): the same process runs
// a new program; pid, descriptors (not FD_CLOEXEC ones, offsets shared) and
// cwd stay; every failure leaves the caller running with the errno; #!
// scripts run through their interpreter.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { boot } from '../dist/index.js';
import { installC, run, guarded } from './helpers/index.mjs';

const SLOW = 120000;
const dec = new TextDecoder();

let m;
let prog;
test.before(async () => {
  m = await boot({ warmWorkers: 2 });
  prog = installC(m, 'forktest');
});
test.after(async () => { await m.shutdown(); });

const ft = (...args) => run(m, prog, ['forktest', ...args], {}, SLOW);

test('exec keeps the pid and the descriptors, closes FD_CLOEXEC ones; offsets carry over', guarded(async () => {
  const r = await ft('execfds', prog);
  const [first, second] = r.stdout.split('\n');
  const pid = /^pid (\d+) opens keep=3 cloexec=4$/.exec(first)?.[1];
  assert.ok(pid, r.stdout);
  assert.is(second, `after exec: pid ${pid} keep open=1 cloexec open=0`);
  assert.is(Number(pid), r.pid);
  assert.is(r.code, 0);
  assert.is(dec.decode(m.readFile('/tmp/exec-keep')), 'before-after');
}, SLOW));

test('exec failures: ENOENT, EACCES, ENOEXEC, EFAULT, E2BIG; the caller goes on', guarded(async () => {
  const r = await ft('execerrors');
  assert.is(r.stdout, [
    'missing: -44',          // ENOENT
    'directory: -2',         // EACCES
    'not wasm: -45',         // ENOEXEC
    'invalid wasm: -45',     // ENOEXEC: the magic is there, the module does not compile
    'bad argv string: -21',  // EFAULT
    'bad argv vector: -21',
    'bad envp: -21',
    'bad path: -21',
    'too long: -1',          // E2BIG
    `still running: pid ${r.pid}`,
    '',
  ].join('\n'));
  assert.is(r.code, 0);
}, SLOW));

test('exec of an AssemblyScript program: argv reaches it, its status is the process\'s', guarded(async () => {
  const r = await ft('exec', '/bin/echo', 'echo', 'hello', 'from exec');
  assert.is(r.stdout, 'hello from exec\n');
  assert.is(r.code, 0);
  const f = await ft('exec', '/bin/false', 'false');
  assert.is(f.stdout, '');
  assert.is(f.code, 1);
}, SLOW));

test('#! scripts run through their interpreter, with its argument and the script\'s path', guarded(async () => {
  m.writeFile('/tmp/hello.sh', new TextEncoder().encode('#!/bin/sh\necho "script $0 got $1 $2"\nexit 3\n'), 0o755);
  const r = await ft('exec', '/tmp/hello.sh', 'hello.sh', 'a', 'b');
  assert.is(r.stdout, 'script /tmp/hello.sh got a b\n');
  assert.is(r.code, 3);
  // The rest of the #! line is one argument (inner blanks kept, trailing ones
  // dropped), before the script's path and the caller's argv[1...].
  m.writeFile('/tmp/cmd.sh', new TextEncoder().encode('#! /bin/echo one  two \t\n'), 0o755);
  const c = await ft('exec', '/tmp/cmd.sh', 'cmd.sh', 'x');
  assert.is(c.stdout, 'one  two /tmp/cmd.sh x\n');
  // A #! line naming a missing interpreter: ENOENT, the caller goes on.
  m.writeFile('/tmp/nointerp.sh', new TextEncoder().encode('#!/bin/nonesuch\n'), 0o755);
  const n = await ft('exec', '/tmp/nointerp.sh', 'x');
  assert.is(n.stdout, 'exec = -44\n');
  assert.is(n.code, 1);
  // No end of line within the first 256 bytes: ENOEXEC.
  m.writeFile('/tmp/long.sh', new TextEncoder().encode(`#!/bin/sh ${'x'.repeat(300)}`), 0o755);
  const l = await ft('exec', '/tmp/long.sh', 'x');
  assert.is(l.stdout, 'exec = -45\n');
}, SLOW));

test.run();
