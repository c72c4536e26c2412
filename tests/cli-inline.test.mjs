// The CLI's fast path (runtime/inline.ts, runtime/first.ts): `wasmux run
// FILE` runs a program that cannot wait for another party on the main
// thread, with no worker; anything else on a worker as before. The choice
// is made from the module's imports, and an inline run gives what a worker
// run of the same program gives.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import binaryen from 'binaryen';
import { boot } from '../dist/index.js';
import { ROOT, C_FIXTURES, installC, run, waitFor, withTimeout } from './helpers/index.mjs';

const { needsWorker, runsInline } = createRequire(import.meta.url)('../dist/first.cjs');
const c = (name) => path.join(C_FIXTURES, `${name}.wasm`);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wasmux-inline-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function wat(name, text) {
  const mod = binaryen.parseText(text);
  if (!mod.validate()) throw new Error('test module does not validate');
  const file = path.join(tmp, `${name}.wasm`);
  fs.writeFileSync(file, mod.emitBinary());
  mod.dispose();
  return file;
}

// Writes "ready\n", then computes for ever: no syscall after the first.
const SPIN = wat('spin', `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "ready\\n")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 6))
    (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (loop $l (br $l))))`);
// The same imports plus one from the wasmux extension.
const EXT = wat('ext', `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
  (import "wasmux" "getpid" (func $p (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")))`);

test('only WASI imports that wait for nobody but the console run inline', () => {
  const bytes = (f) => fs.readFileSync(f);
  for (const name of ['hello', 'args', 'exitcode', 'trap', 'oob', 'filter']) assert.ok(runsInline(bytes(c(name))), name);
  assert.ok(runsInline(bytes(SPIN)));
  assert.not.ok(runsInline(bytes(c('pollin'))), 'poll_oneoff: its timeout would not see console input');
  assert.not.ok(runsInline(bytes(c('forktest'))), 'fork, pipes, waitpid');
  assert.not.ok(runsInline(bytes(EXT)), 'any wasmux import');
  assert.not.ok(runsInline(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 2, 9, 9])), 'a truncated import section');
  // hello with a 3 MiB custom section: a large program gets a worker's stack.
  const pad = 3 << 20;
  const big = Buffer.concat([bytes(c('hello')), Buffer.from([0, 0x80, 0x80, 0xc0, 0x01, 1, 0x78]), Buffer.alloc(pad - 2)]);
  assert.ok(WebAssembly.validate(big));
  assert.not.ok(runsInline(big), 'a module over INLINE_MAX_BYTES');
});

test('the CLI starts a worker unless the run is inline', () => {
  assert.is(needsWorker(['run', c('hello')]), false);
  assert.is(needsWorker(['--trace', 'run', c('hello'), 'x']), false);
  assert.is(needsWorker(['run', '--seed', '1', c('hello')]), true, 'deterministic: the scheduler needs workers');
  assert.is(needsWorker(['run', c('filter')]), false);
  assert.is(needsWorker(['run', c('eofpoll')]), true);
  assert.is(needsWorker(['run', 'echo', 'hi']), true, 'a program in /bin');
  assert.is(needsWorker(['run', path.join(tmp, 'missing.wasm')]), true);
  assert.is(needsWorker(['sh', '-c', 'true']), true);
  assert.is(needsWorker(['run', '--no-such-option', c('hello')]), true);
});

function cli(args) {
  const r = spawnSync(process.execPath, ['bin/wasmux.js', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60000, input: '' });
  if (r.error) throw r.error;
  assert.ok(r.signal === null, `the CLI was killed by ${r.signal}`);
  return r;
}

test('an inline run gives what a worker run gives: output, exit status, signals', async () => {
  const m = await boot({ warmWorkers: 1 });
  try {
    const cases = [
      ['hello', []], ['args', ['a b', 'c']], ['exitcode', ['7']], ['exitcode', ['300']], ['trap', []], ['oob', []],
    ];
    for (const [name, args] of cases) {
      const inline = cli(['run', '--env', 'K=v', c(name), ...args]);
      const worker = await run(m, installC(m, name), [`${name}.wasm`, ...args], { env: { K: 'v' } });
      const status = worker.signal !== null ? 128 + worker.signal : worker.code;
      assert.is(inline.stdout, worker.stdout, `${name} stdout`);
      assert.is(inline.status, status, `${name} status`);
    }
    // (the signal cases really are signals, not exit codes)
    assert.is(cli(['run', c('trap')]).status, 128 + 4, 'SIGILL');
    assert.is(cli(['run', c('oob')]).status, 128 + 11, 'SIGSEGV');
  } finally {
    await m.shutdown();
  }
});

test('the preopen and --trace work inline', () => {
  const r = cli(['run', c('wasi-fd-readdir'), '/tmp/rd']);
  const viaWorker = cli(['run', '--seed', '1', c('wasi-fd-readdir'), '/tmp/rd']);
  assert.is(r.status, 0, r.stderr);
  assert.is(viaWorker.status, 0, viaWorker.stderr);
  assert.is(r.stdout, viaWorker.stdout);
  assert.match(r.stdout, /^all\.each-once 1$/m);
  const t = cli(['--trace', 'run', c('hello')]);
  assert.is(t.stdout, 'hello, world\n');
  assert.match(t.stderr, /fd_write\(/);
});

test('an inline run reads its stdin as it comes, to the end', async () => {
  // filter upper-cases stdin to stdout; the second line comes only after the first came back.
  const p = spawn(process.execPath, ['bin/wasmux.js', 'run', c('filter')], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  p.stdout.on('data', (d) => { out += d; });
  const ended = new Promise((resolve) => p.on('exit', (code) => resolve(code)));
  try {
    p.stdin.write('first line\n');
    await waitFor(() => out === 'FIRST LINE\n', 30000, 'the first line back');
    const big = 'abc'.repeat(200000) + '\n';   // more than the console holds at once
    p.stdin.end(big);
    assert.is(await withTimeout(ended, 30000, 'exit at the end of stdin'), 0);
    assert.is(out, 'FIRST LINE\n' + big.toUpperCase());
  } finally {
    p.kill('SIGKILL');
  }
});

test('Ctrl-C ends an inline run that computes without syscalls', async () => {
  const p = spawn(process.execPath, ['bin/wasmux.js', 'run', SPIN], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  p.stdout.on('data', (d) => { out += d; });
  const ended = new Promise((resolve) => p.on('exit', (code, signal) => resolve({ code, signal })));
  try {
    await waitFor(() => out === 'ready\n', 30000, 'the guest to start');
    p.kill('SIGINT');
    // Node's own SIGINT ends the command, as the signal ends the guest: a shell sees 130.
    const st = await withTimeout(ended, 30000, 'exit after SIGINT');
    assert.ok(st.signal === 'SIGINT' || st.code === 130, JSON.stringify(st));
  } finally {
    p.kill('SIGKILL');
  }
});

test.run();
