// `wasmux cc`: a gcc-like driver over clang-14 --target=wasm32-wasi with the
// project's sysroot (sysroot.ts). Usable as `make CC="npx wasmux cc"`.
// Diagnostics are clang's own (file:line:column), passed through; the exit
// status is clang's.

import { spawnSync } from 'node:child_process';
import { findToolchain, ToolchainMissing } from './toolchain.js';
import { ensureSysroot } from './sysroot.js';
import { planCc } from './args.js';

/** The symbol that pulls the layer's start-up (cwd agreement with the kernel) into every link. */
export const LAYER_INIT_SYMBOL = '__wasmux_init';
/** wasi-libc functions the layer replaces for every caller, libc's own included (programs/c/layer/src/stat.c). */
export const LAYER_WRAPPED = ['stat', 'fstat', 'lstat', 'fstatat', 'open', 'openat', 'sbrk', 'access', 'faccessat'];

export function ccMain(argv: string[]): number {
  const plan = planCc(argv);
  if (plan.error) { process.stderr.write(`wasmux cc: ${plan.error}\n`); return 2; }
  let tc, sysroot;
  try {
    tc = findToolchain();
    sysroot = ensureSysroot(tc);
  } catch (e) {
    process.stderr.write(`wasmux cc: ${e instanceof ToolchainMissing ? e.message : e instanceof Error ? e.message : String(e)}\n`);
    return e instanceof ToolchainMissing ? 127 : 1;
  }
  if (plan.query === 'print-sysroot') { process.stdout.write(`${sysroot}\n`); return 0; }
  const args = ['--target=wasm32-wasi', `--sysroot=${sysroot}`, ...plan.args];
  // The layer's library after everything the user links (their archives may
  // need it), before the libc clang appends.
  if (plan.links) args.push(`-Wl,--undefined=${LAYER_INIT_SYMBOL}`, ...LAYER_WRAPPED.map((s) => `-Wl,--wrap=${s}`), '-lwasmux');
  const r = spawnSync(tc.clang, args, { stdio: 'inherit', env: { ...process.env, PATH: tc.cleanPath } });
  if (r.error) { process.stderr.write(`wasmux cc: ${r.error.message}\n`); return 127; }
  if (r.signal) return 128 + 9;
  return r.status ?? 1;
}
