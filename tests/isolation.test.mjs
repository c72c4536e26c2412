// Isolation against hostile guests (issue #11): a new process sees only its
// own memory from its first instruction (a wasm start function included); an
// exited process stays dead even if its guest catches the unwinding; spawn
// reads the guest's vectors once; init is immune to signals; and a process's
// memory is capped. Guests are hand-made wasm (binaryen text), so each test
// shows exactly the hostile behaviour it is about.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import binaryen from 'binaryen';
import * as esbuild from 'esbuild';
import { boot, Machine, nodeRuntimePlatform } from '../dist/index.js';
import { ROOT, guarded, run, withTimeout } from './helpers/index.mjs';

const MiB = 1024 * 1024;
const EPIPE = 64, EFAULT = 21, ENOSYS = 52, KDEAD = -1001;

/** A wasm binary from text; `eh` enables exception handling (try/catch_all). */
function wat(text, eh = false) {
  const mod = binaryen.parseText(text);
  if (eh) mod.setFeatures(binaryen.Features.MVP | binaryen.Features.ExceptionHandling);
  if (!mod.validate()) throw new Error('test module does not validate');
  const bytes = mod.emitBinary();
  mod.dispose();
  return bytes;
}

function install(m, name, bytes) {
  const p = `/tmp/${name}.wasm`;
  m.writeFile(p, bytes, 0o755);
  return p;
}

const bytesOf = (s) => new TextEncoder().encode(s);

// ---- 1. a start function sees its own memory ----

// Its start function writes its whole first page to stdout: it must be this
// module's own memory (zeros and its data segment), never another process's.
const START_DUMP = wat(`(module
  (import "wasmux" "write" (func $write (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 1024) "B-OWN-DATA")
  (func $start (drop (call $write (i32.const 1) (i32.const 0) (i32.const 65536))))
  (start $start)
  (func (export "_start")))`);

// A start function that exits: its status is the process's.
const START_EXIT = wat(`(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func $start (call $exit (i32.const 3)))
  (start $start)
  (func (export "_start") unreachable))`);

const t1 = suite('isolation: a start function sees only its own memory');
let m1;
t1.before(async () => { m1 = await boot({ warmWorkers: 1 }); });
t1.after(async () => { await m1?.shutdown(); });

t1('start function output is its own memory, whatever ran on the worker before', guarded(async () => {
  const dump = install(m1, 'startdump', START_DUMP);
  const own = new Uint8Array(65536);
  own.set(bytesOf('B-OWN-DATA'), 1024);
  const secret = 'SECRET-' + 'x'.repeat(40);
  for (let round = 0; round < 3; round++) {
    // Another process leaves its argv and data in its memory on a worker first.
    const a = await run(m1, '/bin/echo', ['echo', secret]);
    assert.is(a.stdout, `${secret}\n`);
    const b = await run(m1, dump, ['startdump']);
    assert.is(b.code, 0, b.stderr);
    assert.is(b.bytes.length, 65536, `round ${round}: the start function's write got ${b.bytes.length} bytes`);
    assert.ok(Buffer.from(b.bytes).equals(Buffer.from(own)), `round ${round}: not the module's own memory`);
    assert.not.match(b.stdout, /SECRET/);
  }
}));

t1('a start function that exits ends the process with its status', guarded(async () => {
  const p = install(m1, 'startexit', START_EXIT);
  const r = await run(m1, p, ['startexit']);
  assert.is(r.code, 3, r.stderr);
  assert.is(r.stderr, '');
}));

/** A host/ module on its own, bundled for the test. */
async function hostModule(name) {
  const out = await esbuild.build({
    entryPoints: [path.join(ROOT, 'host', `${name}.ts`)], bundle: true, format: 'esm', write: false,
  });
  return import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`);
}

t1('a worker unbinds a process memory when it ends: every range is EFAULT', guarded(async () => {
  const { UserMemory } = await hostModule('usermem');
  const u = new UserMemory();
  assert.is(u.range(0, 0), null, 'unbound from the start');
  const mem = new WebAssembly.Memory({ initial: 1 });
  u.attach(mem);
  assert.is(u.range(0, 16)?.length, 16);
  u.detach();
  assert.is(u.range(0, 0), null);
  assert.is(u.range(0, 1), null);
  assert.is(u.bytes.length, 0);
}));

t1('the binary editor: start function to an export, reserved name refused, bad bytes a clear error', guarded(async () => {
  const { prepareGuest, GuestLoadError, START_EXPORT } = await hostModule('wasm-binary');
  // A start section and no export section at all.
  const bare = wat(`(module
    (import "h" "log" (func $log (param i32)))
    (func $s (call $log (i32.const 42)))
    (start $s))`);
  const logged = [];
  const inst = new WebAssembly.Instance(new WebAssembly.Module(prepareGuest(bare, 16)), { h: { log: (x) => logged.push(x) } });
  assert.equal(logged, [], 'instantiating runs no guest code');
  inst.exports[START_EXPORT]();
  assert.equal(logged, [42]);
  const taken = wat(`(module (func $s) (start $s) (export "${START_EXPORT}" (func $s)))`);
  assert.throws(() => prepareGuest(taken, 16), (e) => e instanceof GuestLoadError && /reserves/.test(e.message));
  // Truncated or corrupted real programs: a load error or the engine's compile error, nothing else.
  const prog = fs.readFileSync(path.join(ROOT, 'build', 'programs', 'echo.wasm'));
  let seed = 7;
  const rnd = () => { seed = (seed * 1103515245 + 12345) >>> 0; return seed / 2 ** 32; };
  for (let i = 0; i < 300; i++) {
    const b = new Uint8Array(prog.subarray(0, 8 + Math.floor(rnd() * (prog.length - 8))));
    if (i % 2) for (let j = 0; j < 4; j++) b[8 + Math.floor(rnd() * (b.length - 8))] = Math.floor(rnd() * 256);
    try { new WebAssembly.Module(prepareGuest(b, 16)); } catch (e) {
      assert.ok(e instanceof GuestLoadError || e instanceof WebAssembly.CompileError, `case ${i}: ${e}`);
    }
  }
}));

t1.run();

// ---- 2. an exited process stays dead ----

// Catches the unwinding of its own exit(7), then acts as a zombie: opens a
// file, dup2s it to a high descriptor (the fd table is gone) and writes.
const ZOMBIE_CALLS = wat(`(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (import "wasmux" "open" (func $open (param i32 i32 i32 i32) (result i32)))
  (import "wasmux" "dup2" (func $dup2 (param i32 i32) (result i32)))
  (import "wasmux" "write" (func $write (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "/tmp/zombie-was-here")
  (data (i32.const 64) "zombie\\n")
  (func (export "_start") (local $fd i32)
    (try (do (call $exit (i32.const 7))) (catch_all))
    (local.set $fd (call $open (i32.const 16) (i32.const 20) (i32.const 0x241) (i32.const 0x1a4)))
    (try (do (drop (call $dup2 (local.get $fd) (i32.const 128)))) (catch_all))
    (try (do (drop (call $write (i32.const 128) (i32.const 64) (i32.const 7)))) (catch_all))
    (drop (call $write (i32.const 1) (i32.const 64) (i32.const 7)))))`, true);

// Catches every unwinding and calls exit again, forever.
const ZOMBIE_LOOP = wat(`(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (loop $l (try (do (call $exit (i32.const 9))) (catch_all)) (br $l))))`, true);

// Catches the unwinding, then computes forever without a syscall.
const ZOMBIE_SPIN = wat(`(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (try (do (call $exit (i32.const 5))) (catch_all))
    (loop $l (br $l))))`, true);

// Each test on its own machine: one that fails must not move another's heap count.
const t2 = suite('isolation: an exited process stays dead');
// A worker lets go of a process's kernel memory (Proc, Task, scratch) only
// when the guest has left it for good: heap blocks back to where they were
// mean no worker is still running the dead guest.
const heapBackTo = (m, before) => withTimeout((async () => {
  while (m.heapBlocks() !== before) await new Promise((res) => setTimeout(res, 5));
})(), 10000, `kernel heap blocks back to ${before}`);
let m2;
t2.before.each(async () => { m2 = await boot({ warmWorkers: 2 }); });
t2.after.each(async () => { await m2?.shutdown(); });

t2('a guest that catches its exit unwinding never enters the kernel again', guarded(async () => {
  const before = m2.heapBlocks();
  const z = install(m2, 'zombiecalls', ZOMBIE_CALLS);
  const r = await run(m2, z, ['zombiecalls'], {}, 10000);
  assert.is(r.code, 7, `status ${JSON.stringify(r)}`);
  assert.is(r.stdout, '', 'the zombie wrote nothing');
  assert.is(r.stderr, '');
  assert.throws(() => m2.readFile('/tmp/zombie-was-here'), /ENOENT/, 'the zombie created no file');
  // Everything else keeps working, and the kernel heap is as it was.
  const e = await run(m2, '/bin/echo', ['echo', 'still', 'alive']);
  assert.is(e.stdout, 'still alive\n');
  const s = await run(m2, '/bin/sh', ['sh', '-c', 'echo a | cat; echo b > /tmp/f; cat /tmp/f']);
  assert.is(s.stdout, 'a\nb\n');
  m2.unlink('/tmp/f');
  m2.unlink(z);
  await heapBackTo(m2, before);
}));

t2('a guest that catches the unwinding in a loop ends with its first exit status', guarded(async () => {
  const before = m2.heapBlocks();
  const z = install(m2, 'zombieloop', ZOMBIE_LOOP);
  const r = await run(m2, z, ['zombieloop'], {}, 10000);
  assert.is(r.code, 9);
  const e = await run(m2, '/bin/echo', ['echo', 'ok']);
  assert.is(e.stdout, 'ok\n');
  m2.unlink(z);
  await heapBackTo(m2, before);
}));

t2('a guest that catches the unwinding and spins does not keep its worker', guarded(async () => {
  const before = m2.heapBlocks();
  const z = install(m2, 'zombiespin', ZOMBIE_SPIN);
  const spins = [1, 2, 3].map(() => run(m2, z, ['zombiespin'], {}, 10000));
  for (const r of await Promise.all(spins)) assert.is(r.code, 5);
  const many = await Promise.all(Array.from({ length: 6 }, (_, i) => run(m2, '/bin/echo', ['echo', String(i)])));
  many.forEach((r, i) => assert.is(r.stdout, `${i}\n`));
  m2.unlink(z);
  await heapBackTo(m2, before);
}));

t2.run();

// ---- 3. spawn reads the guest's vectors once ----

// A bare kernel instance whose "user memory" is hostile: every guest byte the
// kernel copies in is overwritten with 0xff right after (as another thread of
// the guest could). A kernel that reads each byte once sees the original.
function bareKernel() {
  const kmod = new WebAssembly.Module(fs.readFileSync(path.join(ROOT, 'build', 'kernel.wasm')));
  const memory = new WebAssembly.Memory({ initial: 1024, maximum: 32768, shared: true });
  const user = new Uint8Array(1 << 20);
  const state = { hostile: false };
  const kbytes = () => new Uint8Array(memory.buffer);
  const inRange = (p, n) => (p >>> 0) + (n >>> 0) <= user.length;
  const host = {
    copyin(kdst, usrc, len) {
      usrc >>>= 0; len >>>= 0;
      if (!inRange(usrc, len)) return -EFAULT;
      kbytes().set(user.subarray(usrc, usrc + len), kdst >>> 0);
      if (state.hostile) user.fill(0xff, usrc, usrc + len);
      return 0;
    },
    copyout(udst, ksrc, len) {
      udst >>>= 0; len >>>= 0;
      if (!inRange(udst, len)) return -EFAULT;
      user.set(kbytes().subarray(ksrc >>> 0, (ksrc >>> 0) + len), udst);
      return 0;
    },
    consoleWrite: (_s, _p, len) => len,
    clock: () => process.hrtime.bigint(),
    random: () => 0,
    fs: () => BigInt(-ENOSYS),
    relax: () => {},
  };
  for (const imp of WebAssembly.Module.imports(kmod)) {
    if (imp.module === 'host' && !(imp.name in host)) host[imp.name] = () => 0;
  }
  const k = new WebAssembly.Instance(kmod, { env: { memory }, host }).exports;
  if (!k.k_boot(16, 64, 65536, 0, 0n, 32768, 65536)) throw new Error('bare kernel did not boot');
  let top = 0;
  const put = (bytes) => { const p = top; user.set(bytes, p); top += (bytes.length + 7) & ~7; return p; };
  const str = (s) => { const b = bytesOf(s); return [put(b), b.length]; };
  return { k, user, state, put, str, reset: () => { top = 0; user.fill(0); } };
}

const t3 = suite('isolation: spawn reads guest data once');

t3('argv, env and file actions are copied once, then only the copy is used', () => {
  const { k, user, state, put, str, reset } = bareKernel();
  // A program image (the wasm magic is all spawn checks).
  const [pp, pn] = str('/bin/prog');
  const fd = k.sys_open(pp, pn, 0x41 /* O_WRONLY|O_CREAT */, 0o755);
  assert.ok(fd >= 0, `open: ${fd}`);
  const img = put(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  assert.is(k.sys_write(fd, img, 8), 8);
  k.sys_close(fd);
  reset();
  const vec = (list) => {
    const v = new Uint8Array(list.length * 8);
    const dv = new DataView(v.buffer);
    list.forEach((s, i) => { const [p, n] = str(s); dv.setUint32(i * 8, p, true); dv.setUint32(i * 8 + 4, n, true); });
    return put(v);
  };
  const [path0, plen] = str('/bin/prog');
  const argv = ['prog', 'hello', 'world'];
  const env = ['A=1', 'LONGER=value'];
  const av = vec(argv), ev = vec(env);
  const [devnull, dnlen] = str('/dev/null');
  const acts = new Uint8Array(2 * 24);
  const adv = new DataView(acts.buffer);
  // OPEN /dev/null as fd 5; DUP2 5 -> 6.
  adv.setUint32(0, 3, true); adv.setInt32(4, 0, true); adv.setInt32(8, 5, true); adv.setUint32(12, 0, true);
  adv.setUint32(16, devnull, true); adv.setUint32(20, dnlen, true);
  adv.setUint32(24, 1, true); adv.setInt32(28, 5, true); adv.setInt32(32, 6, true);
  const ap = put(acts);
  state.hostile = true;
  const pid = k.sys_spawn(path0, plen, av, argv.length, ev, env.length, ap, 2, 0, 0);
  state.hostile = false;
  assert.ok(pid > 1, `spawn with a racing writer: ${pid}`);
  // Look at the child as its own worker would.
  assert.ok(k.k_attach(pid, 1) > 0);
  reset();
  const read = (sizes, get) => {
    assert.is(sizes(0, 4), 0);
    const dv = new DataView(user.buffer);
    const [count, bytes] = [dv.getUint32(0, true), dv.getUint32(4, true)];
    assert.is(get(16, 16 + count * 4), 0);
    return new TextDecoder().decode(user.subarray(16 + count * 4, 16 + count * 4 + bytes)).split('\0').slice(0, count);
  };
  assert.equal(read(k.wasi_args_sizes_get, k.wasi_args_get), argv);
  assert.equal(read(k.wasi_environ_sizes_get, k.wasi_environ_get), env);
  // fd 5 and fd 6 are /dev/null (a character device).
  for (const f of [5, 6]) assert.is(k.sys_fstat(f, 512), 0, `fstat ${f}`);
});

t3('the kernel entry refuses a process that has exited', () => {
  const { k, put, str, reset } = bareKernel();
  const [pp, pn] = str('/bin/prog');
  const fd = k.sys_open(pp, pn, 0x41, 0o755);
  k.sys_write(fd, put(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0])), 8);
  k.sys_close(fd);
  reset();
  const [p2, n2] = str('/bin/prog');
  const pid = k.sys_spawn(p2, n2, 0, 0, 0, 0, 0, 0, 0, 0);
  assert.ok(pid > 1, `spawn: ${pid}`);
  assert.ok(k.k_attach(pid, 1) > 0);
  assert.is(k.k_enter(), 0, 'a live process enters');
  assert.is(k.wasi_proc_exit(3), KDEAD);
  assert.is(k.k_enter(), KDEAD, 'a zombie does not');
});

t3.run();

// ---- 4. init is immune to every signal ----

const t4 = suite('isolation: init is immune to signals');
let m4;
t4.before(async () => { m4 = await boot({ warmWorkers: 1 }); });
t4.after(async () => { await m4?.shutdown(); });

t4('init writing to a pipe with no reader gets EPIPE and lives on', guarded(async () => {
  // init's own syscalls, with its user buffer, as the Machine makes them.
  const k = m4.kernel.exports;
  const u = () => m4.kernel.user.bytes;
  assert.is(k.sys_pipe2(64, 0), 0);
  const dv = new DataView(u().buffer);
  const [rfd, wfd] = [dv.getInt32(64, true), dv.getInt32(68, true)];
  assert.is(k.sys_close(rfd), 0);
  u().set(bytesOf('x'), 128);
  assert.is(k.sys_write(wfd, 128, 1), -EPIPE);
  assert.is(k.sys_close(wfd), 0);
  // The machine goes on: spawn and reaping (init's pump acts on its pending signals first).
  for (let i = 0; i < 3; i++) {
    const r = await run(m4, '/bin/echo', ['echo', `after ${i}`], {}, 10000);
    assert.is(r.stdout, `after ${i}\n`);
  }
  const init = m4.ps().find((p) => p.pid === 1);
  assert.is(init?.state, 'running');
}));

t4('kill of pid 1 from a guest delivers nothing', guarded(async () => {
  const r = await run(m4, '/bin/sh', ['sh', '-c', 'kill -9 1; kill -13 1; echo done'], { env: { PATH: '/bin' } }, 10000);
  assert.is(r.stdout, 'done\n');
  const e = await run(m4, '/bin/echo', ['echo', 'ok'], {}, 10000);
  assert.is(e.stdout, 'ok\n');
  assert.is(m4.ps().find((p) => p.pid === 1)?.state, 'running');
}));

t4.run();

// ---- 5. the per-process memory cap ----

// Grows its memory a page at a time until grow fails (or 64 MiB: the test's
// own bound), then writes its size in pages (4 bytes) and exits 0.
const growWith = (decl) => wat(`(module
  (import "wasmux" "write" (func $write (param i32 i32 i32) (result i32)))
  (memory (export "memory") ${decl})
  (func (export "_start")
    (block $done (loop $l
      (br_if $done (i32.ge_u (memory.size) (i32.const 1024)))
      (br_if $done (i32.eq (memory.grow (i32.const 1)) (i32.const -1)))
      (br $l)))
    (i32.store (i32.const 0) (memory.size))
    (drop (call $write (i32.const 1) (i32.const 0) (i32.const 4)))))`);

const GROW = growWith('1');

const BIG_MIN = wat(`(module
  (memory (export "memory") 200)
  (func (export "_start")))`);

const BIG_IMPORT = wat(`(module
  (import "env" "memory" (memory 200))
  (func (export "_start")))`);

const pages = (r) => new DataView(r.bytes.buffer, r.bytes.byteOffset).getUint32(0, true);

const t5 = suite('isolation: per-process memory cap');
let m5;
t5.before(async () => { m5 = await boot({ warmWorkers: 1, maxProcessMemory: 8 * MiB }); });
t5.after(async () => { await m5?.shutdown(); });

t5('memory.grow fails at the cap and the guest exits cleanly', guarded(async () => {
  const g = install(m5, 'grow', GROW);
  const r = await run(m5, g, ['grow']);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.bytes.length, 4);
  assert.is(pages(r), 128, 'grew to exactly 8 MiB');
  // A declared maximum below the cap stays; one above it is cut to the cap.
  const lo = await run(m5, install(m5, 'growlo', growWith('1 16')), ['growlo']);
  assert.is(pages(lo), 16);
  const hi = await run(m5, install(m5, 'growhi', growWith('2 65536')), ['growhi']);
  assert.is(pages(hi), 128);
}));

t5('a module whose minimum memory exceeds the cap is refused with a clear error', guarded(async () => {
  const big = install(m5, 'bigmin', BIG_MIN);
  const r = await run(m5, big, ['bigmin']);
  assert.is(r.code, 126);
  assert.is(r.stderr, 'wasmux: bigmin: needs 12.5 MiB of memory at start, more than the per-process limit of 8 MiB\n');
  const imp = await run(m5, install(m5, 'bigimport', BIG_IMPORT), ['bigimport']);
  assert.is(imp.code, 126);
  assert.match(imp.stderr, /needs 12\.5 MiB of memory at start, more than the per-process limit of 8 MiB/);
  // Other programs still run.
  const e = await run(m5, '/bin/echo', ['echo', 'fine']);
  assert.is(e.stdout, 'fine\n');
}));

/** Boots on Node's platform as if the host had `bytes` of memory. */
function bootWithHostMemory(bytes, options) {
  return Machine.boot(options, { ...nodeRuntimePlatform(), hostMemory: () => bytes });
}

t5('the default cap: maxProcs guests fit in half the host memory, within 32-256 MiB; bad caps are refused at boot', guarded(async () => {
  // A big host: 256 MiB each, so the guest reaches its own 64 MiB stop.
  let m = await bootWithHostMemory(256 * 1024 * MiB, { warmWorkers: 1 });
  try {
    const r = await run(m, install(m, 'grow', GROW), ['grow']);
    assert.is(pages(r), 1024);
  } finally { await m.shutdown(); }
  // 8 GiB shared by 128 processes: 32 MiB each at most.
  m = await bootWithHostMemory(8 * 1024 * MiB, { warmWorkers: 1, maxProcs: 128 });
  try {
    const r = await run(m, install(m, 'grow', GROW), ['grow']);
    assert.is(pages(r), 512, '8 GiB / 2 / 128 = 32 MiB');
  } finally { await m.shutdown(); }
  for (const bad of [0, 1000, -1, 1.5 * MiB + 0.5, 2 ** 33, NaN]) {
    let threw = null;
    try { const x = await boot({ maxProcessMemory: bad, warmWorkers: 0 }); await x.shutdown(); } catch (e) { threw = e; }
    assert.ok(threw && /maxProcessMemory/.test(threw.message), `maxProcessMemory ${bad}: ${threw}`);
  }
}));

t5('the CLI takes --max-memory SIZE', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wasmux-iso-'));
  try {
    const file = path.join(tmp, 'bigmin.wasm');
    fs.writeFileSync(file, BIG_MIN);
    const cli = (args) => spawnSync(process.execPath, ['bin/wasmux.js', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30000 });
    const refused = cli(['--max-memory', '8M', 'run', file]);
    assert.is(refused.status, 126);
    assert.match(refused.stderr, /needs 12\.5 MiB of memory at start, more than the per-process limit of 8 MiB/);
    assert.is(cli(['--max-memory', '16MiB', 'run', file]).status, 0);
    const bad = cli(['--max-memory', 'lots', 'run', file]);
    assert.is(bad.status, 2);
    assert.match(bad.stderr, /--max-memory/);
  } finally { fs.rmSync(tmp, { recursive: true, force: true }); }
});

t5.run();
