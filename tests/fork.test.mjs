// fork() of an unmodified C program (programs/c/forktest.c, which declares
// the wasmux imports itself): the load-time transform (asyncify), the child's
// copy of memory, globals and stack, shared open file descriptions, nested
// forks, fork after pipe and in a pipeline, statuses, the process limit.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { boot } from '../dist/index.js';
import { installC, run, sh, guarded, waitOnlyInit } from './helpers/index.mjs';

// The first load of forktest transforms it (seconds on a loaded machine);
// later ones come from the transform cache.
const SLOW = 120000;

let m;
let prog;
test.before(async () => {
  m = await boot({ warmWorkers: 2 });
  prog = installC(m, 'forktest');
});
test.after(async () => { await m.shutdown(); });

const fork = (...args) => run(m, prog, ['forktest', ...args], {}, SLOW);

test('the child gets a copy of memory, globals and stack; its writes stay its own', guarded(async () => {
  const r = await fork('basic');
  assert.is(r.stderr, '');
  assert.is(r.stdout,
    'child: counter=10 heap=parent-heap big=pp local=42 ppid-ok=1\n'
    + 'child: counter=99 heap=child-heap big=c local=7\n'
    + 'parent: child exited 7 (status 1792)\n'
    + 'parent: counter=10 heap=parent-heap big=pp local=42\n'
    + 'child2: counter=11\n');
  assert.is(r.code, 0);
}, SLOW));

test('the parent\'s writes after the fork are not seen by the child', guarded(async () => {
  const r = await fork('isolation');
  assert.is(r.stdout, 'child: counter=1\nparent: counter=2\n');
  assert.is(r.code, 0);
}, SLOW));

test('forked siblings one after another each see the parent\'s memory and globals, none of the one before', guarded(async () => {
  // A worker may run a child on the instance and memory an ended sibling
  // used (host/process.ts recycle); each child scribbles over all of it.
  const r = await fork('siblings', '40');
  assert.is(r.stdout, 'siblings ok 40\n');
  assert.is(r.code, 0);
}, SLOW));

test('parent and child share the open file description: one offset', guarded(async () => {
  const r = await fork('offsets');
  assert.is(r.stdout, 'offset=6 content=abcdef\n');
}, SLOW));

test('nested forks: every level waits for its own child and sees its status', guarded(async () => {
  const r = await fork('nested', '3');
  assert.is(r.stdout, 'level 3: leaf, parent is level 2\nlevel 2: child exited 3\nlevel 1: child exited 2\nlevel 0: child exited 1\n');
  assert.is(r.code, 0);
  await waitOnlyInit(m);
}, SLOW));

test('fork after pipe: the child writes, the parent reads to EOF', guarded(async () => {
  const r = await fork('pipes');
  assert.is(r.stdout, 'parent read 21 bytes: line 0\nline 1\nline 2\nchild status 0\n');
}, SLOW));

test('a forked child that execs: a pipeline built with fork, dup2 and exec', guarded(async () => {
  const r = await fork('pipeline');
  assert.is(r.stdout, '6\nstatuses 0 0\n');
}, SLOW));

test('fork inside a shell pipeline: both sides write to the pipe', guarded(async () => {
  const r = await sh(m, `${prog} nested 2 | grep level | wc -l`, {}, SLOW);
  assert.is(r.stdout.trim(), '3');
  assert.is(r.code, 0);
}, SLOW));

test('fork in a child the shell spawned, its status through the shell', guarded(async () => {
  const r = await sh(m, `${prog} basic > /dev/null; echo status=$?`, {}, SLOW);
  assert.is(r.stdout, 'status=0\n');
}, SLOW));

test('fork past the process limit is EAGAIN; everything is reaped and the machine goes on', guarded(async () => {
  const small = await boot({ maxProcs: 12, warmWorkers: 1 });
  try {
    const p = installC(small, 'forktest');
    const r = await run(small, p, ['forktest', 'bomb'], {}, SLOW);
    // 12 slots: init, forktest, and 10 children; the 11th fork is EAGAIN (-6).
    assert.is(r.stdout, 'forked 10, then -6; reaped 10\n');
    assert.is(r.code, 0);
    await waitOnlyInit(small);
    const after = await sh(small, 'echo still | cat');
    assert.is(after.stdout, 'still\n');
  } finally {
    await small.shutdown();
  }
}, SLOW));

test('fork where it cannot be rewound (from a start function) is ENOSYS', guarded(async () => {
  // (start) calls fork before _start: no entry to unwind to. _start exits
  // with the negated result the start function stored.
  const wat = `(module
    (import "wasmux" "fork" (func $fork (result i32)))
    (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
    (memory (export "memory") 1)
    (global $r (mut i32) (i32.const 0))
    (func $s (global.set $r (call $fork)))
    (start $s)
    (func (export "_start") (call $exit (i32.sub (i32.const 0) (global.get $r)))))`;
  const { default: binaryen } = await import('binaryen');
  const mod = binaryen.parseText(wat);
  const bytes = mod.emitBinary();
  mod.dispose();
  m.writeFile('/tmp/fork-in-start.wasm', bytes, 0o755);
  const r = await run(m, '/tmp/fork-in-start.wasm', ['x'], {}, SLOW);
  assert.is(r.code, 52);   // ENOSYS
}, SLOW));

test.run();
