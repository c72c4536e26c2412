// The sysroot `wasmux cc` compiles against: wasi-libc plus the project's C
// layer, and nothing of the host's /usr/include. Layout (clang's wasm32-wasi
// search order is <sysroot>/include/wasm32-wasi, then <sysroot>/include):
//   include/wasm32-wasi/   the layer's overlay headers (copies); each one
//                          #include_next's wasi-libc's header of that name
//   include/<entry>        links to wasi-libc's headers, entry by entry
//   lib/wasm32-wasi/       links to wasi-libc's crt and libraries, and
//                          libwasmux.a built from programs/c/layer/src
// A header neither has is clang's "file not found", never a glibc header.
// Built once per content (layer sources, clang version, wasi-libc location)
// into a cache directory, in a temporary directory renamed into place, so
// concurrent builds (make -j) never see half a sysroot.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Toolchain } from './toolchain.js';

/** The sysroot's layout, part of the cache key: 2 = crt1-command.o is the new start-up (buildSysroot). */
const LAYOUT = 2;
/** Flags the layer's own objects are built with (part of the cache key). */
const LAYER_CFLAGS = ['-O2', '-Wall', '-Wextra', '-Wno-unused-parameter', '-std=c11', '-D_GNU_SOURCE'];

/** programs/c/layer of this package: searched upwards from this module (runtime/cc or dist). */
export function layerDir(): string {
  let d = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++, d = path.dirname(d)) {
    const c = path.join(d, 'programs', 'c', 'layer');
    if (fs.existsSync(path.join(c, 'include')) && fs.existsSync(path.join(c, 'src'))) return c;
  }
  throw new Error('wasmux cc: programs/c/layer not found beside the wasmux package');
}

function listFiles(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const r = path.join(rel, e.name);
    if (e.isDirectory()) out.push(...listFiles(dir, r));
    else if (e.isFile()) out.push(r);
  }
  return out;
}

function cacheBase(env: NodeJS.ProcessEnv): string {
  if (env.WASMUX_CACHE_DIR) return env.WASMUX_CACHE_DIR;
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'wasmux');
}

function sysrootKey(tc: Toolchain, layer: string): string {
  const h = createHash('sha256');
  const v = spawnSync(tc.clang, ['--version'], { encoding: 'utf8' });
  h.update(`layout ${LAYOUT}\0${v.stdout}\0${tc.wasiInclude}\0${tc.wasiLib}\0${LAYER_CFLAGS.join(' ')}\0`);
  for (const f of listFiles(layer)) h.update(`${f}\0`).update(fs.readFileSync(path.join(layer, f))).update('\0');
  return h.digest('hex').slice(0, 16);
}

function run(cmd: string, args: string[], cwd: string, tc: Toolchain): void {
  const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, PATH: tc.cleanPath } });
  if (r.status !== 0) throw new Error(`wasmux cc: building the C layer failed: ${path.basename(cmd)} ${args.join(' ')}`);
}

/** True when wasi-libc's crt1.o calls the constructors itself (it names __wasm_call_ctors). */
function crtCallsCtors(wasiLib: string): boolean {
  const crt = path.join(wasiLib, 'crt1.o');
  return fs.existsSync(path.join(wasiLib, 'crt1-command.o')) && fs.existsSync(crt) &&
    fs.readFileSync(crt).includes('__wasm_call_ctors');
}

/** Builds a sysroot into `dir` (which must not exist yet). */
export function buildSysroot(tc: Toolchain, layer: string, dir: string): void {
  const inc = path.join(dir, 'include'), lib = path.join(dir, 'lib', 'wasm32-wasi');
  fs.mkdirSync(path.join(inc, 'wasm32-wasi'), { recursive: true });
  fs.mkdirSync(lib, { recursive: true });
  fs.cpSync(path.join(layer, 'include'), path.join(inc, 'wasm32-wasi'), { recursive: true });
  for (const e of fs.readdirSync(tc.wasiInclude)) if (e !== 'wasm32-wasi') fs.symlinkSync(path.join(tc.wasiInclude, e), path.join(inc, e));
  // clang links crt1-command.o into a command when it exists. Debian's is the
  // old start-up, which leaves the constructors to wasm-ld, and wasm-ld then
  // wraps every export of the program in ctors+export+dtors ("command
  // export" wrappers): the host's calls into __wasmux_sigtramp would rerun
  // the constructors and stdio's exit flush around every signal handler. The
  // wasi-libc's crt1.o (when it is the new start-up, calling the
  // constructors itself) takes its place, and wasm-ld then wraps nothing.
  const newStart = crtCallsCtors(tc.wasiLib);
  for (const e of fs.readdirSync(tc.wasiLib)) {
    const from = e === 'crt1-command.o' && newStart ? 'crt1.o' : e;
    fs.symlinkSync(path.join(tc.wasiLib, from), path.join(lib, e));
  }
  // The layer's objects, compiled from inside src with relative names (no
  // absolute path reaches an object), archived deterministically (D).
  const src = path.join(layer, 'src');
  const objDir = path.join(dir, 'obj');
  fs.mkdirSync(objDir);
  const objs: string[] = [];
  for (const f of fs.readdirSync(src).filter((x) => x.endsWith('.c')).sort()) {
    const o = path.join(objDir, f.replace(/\.c$/, '.o'));
    run(tc.clang, ['--target=wasm32-wasi', `--sysroot=${dir}`, ...LAYER_CFLAGS, '-c', f, '-o', o], src, tc);
    objs.push(path.basename(o));
  }
  run(tc.ar, ['rcsD', path.join(lib, 'libwasmux.a'), ...objs], objDir, tc);
  fs.rmSync(objDir, { recursive: true });
}

/** The sysroot for this layer and toolchain, built into the cache if it is not there yet. */
export function ensureSysroot(tc: Toolchain, env: NodeJS.ProcessEnv = process.env): string {
  const layer = layerDir();
  const base = cacheBase(env);
  const dir = path.join(base, `sysroot-${sysrootKey(tc, layer)}`);
  if (fs.existsSync(path.join(dir, 'lib', 'wasm32-wasi', 'libwasmux.a'))) return dir;
  fs.mkdirSync(base, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(base, '.sysroot-tmp-'));
  try {
    const inner = path.join(tmp, 'sysroot');
    buildSysroot(tc, layer, inner);
    try { fs.renameSync(inner, dir); } catch (e) {
      // Another build won the race: its sysroot is the same content.
      if (!fs.existsSync(path.join(dir, 'lib', 'wasm32-wasi', 'libwasmux.a'))) throw e;
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return dir;
}
