// The signal calls after exit (#14): a guest that catches the unwinding of
// its own exit and then calls each signal syscall never enters the kernel
// again (no handler installed, no signal sent, no wait), and every kernel
// block of the process (its signal block with a full real-time queue
// included) is freed once it is reaped.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { wat as watWith, binaryen } from './helpers/wat.mjs';
import { boot } from '../dist/index.js';
import { guarded, run, withTimeout } from './helpers/index.mjs';

const wat = (text) => watWith(text, binaryen.Features.MVP | binaryen.Features.ExceptionHandling);

// Fills its real-time queue (signal 40 blocked), exits, catches the unwinding, then
// tries every signal call; a sigsuspend that entered the kernel would wait forever.
const ZOMBIE_SIGNALS = wat(`(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (import "wasmux" "getpid" (func $getpid (result i32)))
  (import "wasmux" "getppid" (func $getppid (result i32)))
  (import "wasmux" "kill" (func $kill (param i32 i32) (result i32)))
  (import "wasmux" "sigqueue" (func $sigqueue (param i32 i32 i32) (result i32)))
  (import "wasmux" "sigaction" (func $sigaction (param i32 i32 i32) (result i32)))
  (import "wasmux" "sigprocmask" (func $sigprocmask (param i32 i32 i32) (result i32)))
  (import "wasmux" "sigpending" (func $sigpending (param i32) (result i32)))
  (import "wasmux" "sigsuspend" (func $sigsuspend (param i32) (result i32)))
  (import "wasmux" "sigtimedwait" (func $sigtimedwait (param i32 i32 i64) (result i32)))
  (import "wasmux" "sigtake" (func $sigtake (param i32 i32) (result i32)))
  (import "wasmux" "sigreturn" (func $sigreturn (param i32) (result i32)))
  (import "wasmux" "write" (func $write (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 8) "\\00\\00\\00\\00\\80\\00\\00\\00")
  (data (i32.const 64) "zombie\\n")
  (func (export "_start") (local $i i32) (local $me i32)
    (local.set $me (call $getpid))
    (drop (call $sigprocmask (i32.const 0) (i32.const 8) (i32.const 0)))
    (loop $q (drop (call $sigqueue (local.get $me) (i32.const 40) (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $q (i32.lt_u (local.get $i) (i32.const 40))))
    (try (do (call $exit (i32.const 7))) (catch_all))
    (try (do (drop (call $sigaction (i32.const 10) (i32.const 16) (i32.const 0)))) (catch_all))
    (try (do (drop (call $sigprocmask (i32.const 2) (i32.const 16) (i32.const 0)))) (catch_all))
    (try (do (drop (call $sigpending (i32.const 16)))) (catch_all))
    (try (do (drop (call $sigsuspend (i32.const 16)))) (catch_all))
    (try (do (drop (call $sigtimedwait (i32.const 8) (i32.const 0) (i64.const -1)))) (catch_all))
    (try (do (drop (call $sigtake (i32.const 128) (i32.const 256)))) (catch_all))
    (try (do (drop (call $sigreturn (i32.const 16)))) (catch_all))
    (try (do (drop (call $kill (call $getppid) (i32.const 9)))) (catch_all))
    (try (do (drop (call $sigqueue (local.get $me) (i32.const 40) (i32.const 1)))) (catch_all))
    (drop (call $write (i32.const 1) (i32.const 64) (i32.const 7)))))`);

const t = suite('signals: calls after exit');
let m;
t.before(async () => { m = await boot({ warmWorkers: 2 }); });
t.after(async () => { await m?.shutdown(); });

t('signal calls after exit never enter the kernel; the process\'s blocks are all freed', guarded(async () => {
  const before = m.heapBlocks();
  m.writeFile('/tmp/zsig.wasm', ZOMBIE_SIGNALS, 0o755);
  const r = await run(m, '/tmp/zsig.wasm', ['zsig'], {}, 10000);
  assert.is(r.code, 7, JSON.stringify(r));
  assert.is(r.stdout, '');
  const e = await run(m, '/bin/echo', ['echo', 'alive']);
  assert.is(e.stdout, 'alive\n');
  m.unlink('/tmp/zsig.wasm');
  await withTimeout((async () => { while (m.heapBlocks() !== before) await new Promise((res) => setTimeout(res, 5)); })(),
    10000, `kernel heap blocks back to ${before}`);
}));

// procCreate allocates the Proc, the Task, the scratch block and the signal block.
t('spawn out of memory at each of its first allocations (the signal block among them): ENOMEM, nothing leaked', guarded(async () => {
  const settled = async () => {
    let last = -1;
    for (;;) { const h = m.heapBlocks(); if (h === last) return h; last = h; await new Promise((res) => setTimeout(res, 20)); }
  };
  await run(m, '/bin/true', ['true']);
  const heap = await settled();
  for (let skip = 0; skip < 12; skip++) {
    m.kernel.exports.k_faultAlloc(skip, 1);
    let err = null;
    try { m.spawn('/bin/true', ['true'], { stdin: 'null', stdout: 'null', stderr: 'null' }); } catch (e) { err = e; }
    finally { m.kernel.exports.k_faultAlloc(0, 0); }
    assert.match(String(err?.message), /ENOMEM/, `allocation ${skip}`);
    assert.is(await settled(), heap, `allocation ${skip}: heap blocks`);
  }
  assert.is((await run(m, '/bin/true', ['true'])).code, 0);
}));

t.run();
