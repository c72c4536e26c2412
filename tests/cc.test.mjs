// `wasmux cc` as a driver: clang's own errors, -c then link, archives, the
// -l flags classic makefiles pass, -E/-S, make CC=..., the sysroot that
// holds no host header, and one clear message for a missing toolchain.
// Needs the C toolchain (CI installs it, .ci/run); skipped with a message
// where it is absent. The message test runs everywhere.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { boot } from '../dist/index.js';
import { ROOT, guarded, run } from './helpers/index.mjs';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wasmux-cc-'));
const env = { ...process.env, WASMUX_CACHE_DIR: path.join(tmp, 'cache') };
const have = spawnSync('clang-14', ['--version']).status === 0 && fs.existsSync('/usr/lib/wasm32-wasi/libc.a');
if (!have) console.log('cc.test: SKIPPED the toolchain tests: no clang-14 / wasi-libc here (CI installs them)');

function cc(args, opts = {}) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'wasmux.js'), 'cc', ...args],
    { cwd: tmp, encoding: 'utf8', env, timeout: 120000, ...opts });
  if (r.error) throw r.error;
  return r;
}
const write = (name, text) => fs.writeFileSync(path.join(tmp, name), text);

const t = suite('cc');
t.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

t('a missing toolchain is one message naming the Debian packages', () => {
  const r = cc(['-o', 'x.wasm', 'x.c'], { env: { ...env, CLANG: '/nonexistent/clang-14' } });
  assert.is(r.status, 127);
  assert.is(r.stdout, '');
  assert.match(r.stderr, /^wasmux cc: C toolchain missing: clang-14[^\n]*; install the Debian packages: clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32\n$/);
});

t('usage errors: another target or sysroot, no input', () => {
  assert.is(cc(['--target=x86_64-linux-gnu', 'x.c']).status, 2);
  assert.match(cc(['--sysroot=/usr', 'x.c']).stderr, /wasmux cc: --sysroot=\/usr: wasmux cc always compiles for wasm32-wasi/);
  assert.match(cc([]).stderr, /wasmux cc: no input files/);
});

const tc = (name, fn) => t(name, have ? guarded(fn, 120000) : () => {});

tc('compile errors are clang\'s own, file:line:column, and fail the command', () => {
  write('bad.c', 'int main(void) {\n  return undefined_thing;\n}\n');
  const r = cc(['-c', 'bad.c']);
  assert.is.not(r.status, 0);
  assert.match(r.stderr, /bad\.c:2:10: error: use of undeclared identifier 'undefined_thing'/);
  assert.not.ok(fs.existsSync(path.join(tmp, 'bad.o')));
});

tc('no host header is reachable: glibc-only headers are "file not found"', () => {
  for (const h of ['netdb.h', 'pthread.h', 'linux/limits.h', 'gnu/libc-version.h']) {
    write('h.c', `#include <${h}>\nint main(void) { return 0; }\n`);
    const r = cc(['-c', 'h.c', '-o', 'h.o']);
    assert.is.not(r.status, 0, h);
    assert.ok(r.stderr.includes(`fatal error: '${h}' file not found`), `${h}: ${r.stderr}`);
  }
  // The layer's headers and wasi-libc's are found.
  write('ok.c', '#include <spawn.h>\n#include <sys/wait.h>\n#include <unistd.h>\n#include <stdio.h>\nint main(void) { return 0; }\n');
  assert.is(cc(['-c', 'ok.c', '-o', 'ok.o']).status, 0);
});

tc('-c then link; several sources and objects; a static archive; -lm -lrt -lpthread -ldl; -D -U -I -O -g -W -std', async () => {
  fs.mkdirSync(path.join(tmp, 'inc'), { recursive: true });
  write('inc/two.h', 'int two(void);\n');
  write('two.c', '#include "two.h"\nint two(void) { return TWO; }\n');
  write('three.c', 'int three(void) { return 3; }\n');
  write('main.c', '#include <stdio.h>\n#include <math.h>\n#include <unistd.h>\n#include "two.h"\nint three(void);\n' +
    '#ifdef GONE\n#error GONE was undefined\n#endif\n' +
    'int main(void) { printf("%d %d %.0f pid>1 %d\\n", two(), three(), sqrt(16.0), getpid() > 1); return 0; }\n');
  assert.is(cc(['-c', '-O2', '-g', '-Wall', '-Wextra', '-std=c11', '-DTWO=2', '-Iinc', 'two.c']).status, 0);
  assert.is(cc(['-c', '-O1', 'three.c', '-o', 'three.o']).status, 0);
  const ar = spawnSync('llvm-ar-14', ['rcs', 'libthree.a', 'three.o'], { cwd: tmp });
  assert.is(ar.status, 0);
  const r = cc(['-O2', '-Iinc', '-DGONE', '-UGONE', '-o', 'prog.wasm', 'main.c', 'two.o', '-L.', '-lthree', '-lm', '-lrt', '-lpthread', '-ldl']);
  assert.is(r.status, 0, r.stderr);
  const m = await boot();
  try {
    m.writeFile('/tmp/prog', fs.readFileSync(path.join(tmp, 'prog.wasm')), 0o755);
    const out = await run(m, '/tmp/prog');
    assert.is(out.stdout, '2 3 4 pid>1 1\n');
    assert.is(out.code, 0);
  } finally { await m.shutdown(); }
});

tc('-E and -S stop early; output passes through', () => {
  write('pp.c', '#define X 41+1\nint v = X;\n');
  const e = cc(['-E', 'pp.c']);
  assert.is(e.status, 0);
  assert.match(e.stdout, /int v = 41\+1;/);
  assert.is(cc(['-S', '-O2', 'pp.c', '-o', 'pp.s']).status, 0);
  assert.match(fs.readFileSync(path.join(tmp, 'pp.s'), 'utf8'), /\.globl\s+v/);
});

tc('usable as make CC="npx wasmux cc" (classic makefile with -lm and -lpthread)', () => {
  if (spawnSync('make', ['--version']).status !== 0) { console.log('cc.test: make absent, make test skipped'); return; }
  write('Makefile', 'CFLAGS = -O2 -Wall\nLDLIBS = -lm -lpthread\nall: hello.wasm\nhello.wasm: hello.o util.o\n\t$(CC) $(CFLAGS) -o $@ hello.o util.o $(LDLIBS)\n');
  write('hello.c', '#include <stdio.h>\nint util(void);\nint main(void) { printf("hello %d\\n", util()); return 0; }\n');
  write('util.c', 'int util(void) { return 7; }\n');
  const r = spawnSync('make', [`CC=${process.execPath} ${path.join(ROOT, 'bin', 'wasmux.js')} cc`], { cwd: tmp, encoding: 'utf8', env });
  assert.is(r.status, 0, r.stderr);
  assert.ok(WebAssembly.validate(fs.readFileSync(path.join(tmp, 'hello.wasm'))));
});

tc('--print-sysroot: wasi-libc links and the layer; nothing of /usr/include', () => {
  const r = cc(['--print-sysroot']);
  assert.is(r.status, 0);
  const dir = r.stdout.trim();
  assert.ok(fs.existsSync(path.join(dir, 'lib', 'wasm32-wasi', 'libwasmux.a')));
  assert.ok(fs.existsSync(path.join(dir, 'include', 'wasm32-wasi', 'spawn.h')));
  for (const e of fs.readdirSync(path.join(dir, 'include'))) {
    if (e === 'wasm32-wasi') continue;
    const target = fs.readlinkSync(path.join(dir, 'include', e));
    assert.ok(target.startsWith('/usr/include/wasm32-wasi/') || target.includes('wasi-sysroot'), `${e} -> ${target}`);
  }
});

t.run();
