// Finds the C toolchain `wasmux cc` drives: Debian's clang-14 with its
// wasm32 linker (lld-14's wasm-ld), archiver (llvm-ar), compiler-rt builtins
// for wasm32, and wasi-libc. Anything missing is one message naming the
// Debian packages, never a half-working build.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';

export const PACKAGES = 'clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32';

export interface Toolchain {
  clang: string;
  ar: string;
  /** wasi-libc's headers (the directory holding stdio.h). */
  wasiInclude: string;
  /** wasi-libc's libraries (the directory holding libc.a and crt1.o). */
  wasiLib: string;
  /** PATH for clang, without directories that hold a `wasm-opt`: clang runs one on every link it finds. */
  cleanPath: string;
}

export class ToolchainMissing extends Error {}

/** The first of `names` found on PATH (or absolute), else null. */
function which(names: string[], pathVar: string): string | null {
  for (const n of names) {
    if (n.includes('/')) { if (isExec(n)) return n; continue; }
    for (const d of pathVar.split(':')) if (d && isExec(path.join(d, n))) return path.join(d, n);
  }
  return null;
}

function isExec(f: string): boolean {
  try { fs.accessSync(f, fs.constants.X_OK); return fs.statSync(f).isFile(); } catch { return false; }
}

/** Debian's layout (/usr/{include,lib}/wasm32-wasi) or an upstream wasi-sysroot. */
function findWasiLibc(env: NodeJS.ProcessEnv): { inc: string; lib: string } | null {
  const roots = env.WASI_SYSROOT ? [env.WASI_SYSROOT] : ['/usr', '/usr/share/wasi-sysroot'];
  for (const r of roots) {
    for (const inc of [path.join(r, 'include', 'wasm32-wasi'), path.join(r, 'include')]) {
      const lib = path.join(r, 'lib', 'wasm32-wasi');
      if (fs.existsSync(path.join(inc, 'stdio.h')) && fs.existsSync(path.join(inc, '__header_unistd.h')) &&
          fs.existsSync(path.join(lib, 'libc.a'))) return { inc, lib };
    }
  }
  return null;
}

/** The wasm32 compiler-rt builtins clang links into every wasi program. */
function haveBuiltins(clang: string, cleanPath: string): boolean {
  const r = spawnSync(clang, ['--target=wasm32-wasi', '-print-libgcc-file-name'], { encoding: 'utf8', env: { ...process.env, PATH: cleanPath } });
  return r.status === 0 && fs.existsSync(r.stdout.trim());
}

export function findToolchain(env: NodeJS.ProcessEnv = process.env): Toolchain {
  const pathVar = env.PATH ?? '/usr/bin:/bin';
  const cleanPath = pathVar.split(':').filter((d) => d && !isExec(path.join(d, 'wasm-opt'))).join(':');
  const missing: string[] = [];
  const clang = which([env.CLANG ?? 'clang-14'], pathVar);
  if (!clang) missing.push('clang-14');
  if (!which(['wasm-ld-14', 'wasm-ld'], pathVar)) missing.push('wasm-ld (lld-14)');
  const ar = which(['llvm-ar-14', 'llvm-ar'], pathVar);
  if (!ar) missing.push('llvm-ar (llvm-14, installed with clang-14)');
  const wasi = findWasiLibc(env);
  if (!wasi) missing.push('wasi-libc (/usr/include/wasm32-wasi, /usr/lib/wasm32-wasi)');
  if (clang && !haveBuiltins(clang, cleanPath)) missing.push('the wasm32 compiler-rt builtins (libclang-rt-14-dev-wasm32)');
  if (missing.length > 0 || !clang || !ar || !wasi) {
    throw new ToolchainMissing(`C toolchain missing: ${missing.join(', ')}; install the Debian packages: ${PACKAGES}`);
  }
  return { clang, ar, wasiInclude: wasi.inc, wasiLib: wasi.lib, cleanPath };
}
