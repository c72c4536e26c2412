// Shared test helpers: a timeout guard, loading guests into a machine,
// running shell command lines, and the byte pattern / checksum the gen and
// sum test guests use.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const GUESTS = path.join(ROOT, 'build', 'test-guests');
export const C_FIXTURES = path.join(ROOT, 'programs', 'c', 'build');

/** Rejects if `promise` has not settled within `ms` (so a hang fails the test instead of blocking). */
export function withTimeout(promise, ms = 20000, what = 'operation') {
  let timer;
  const guard = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timeout: ${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, guard]).finally(() => clearTimeout(timer));
}

/** Wraps a test body so it fails after `ms`. */
export function guarded(fn, ms = 20000) {
  return (ctx) => withTimeout(Promise.resolve().then(() => fn(ctx)), ms, 'test');
}

/** Installs test guest `name` (build/test-guests/name.wasm) at /tmp/name.wasm; returns the path. */
export function installGuest(m, name) {
  const file = path.join(GUESTS, `${name}.wasm`);
  if (!fs.existsSync(file)) throw new Error(`${file} missing: run node scripts/build-test-guests.mjs`);
  const guest = `/tmp/${name}.wasm`;
  m.writeFile(guest, fs.readFileSync(file), 0o755);
  return guest;
}

/** Installs C fixture `name` at /tmp/name.wasm; returns the path. */
export function installC(m, name) {
  const guest = `/tmp/${name}.wasm`;
  m.writeFile(guest, fs.readFileSync(path.join(C_FIXTURES, `${name}.wasm`)), 0o755);
  return guest;
}

/** Spawns `path` with argv and piped output; resolves to { status, code, signal, stdout, stderr, pid }. */
export async function run(m, prog, argv = [prog], opts = {}, ms = 20000) {
  const p = m.spawn(prog, argv, { stdout: 'pipe', stderr: 'pipe', stdin: 'null', ...opts });
  const st = await withTimeout(p.wait(), ms, `${argv.join(' ')}`);
  return { ...st, stdout: p.stdout, stderr: p.stderr, bytes: p.stdoutBytes, pid: p.pid };
}

/** Runs a shell command line: sh -c LINE. */
export function sh(m, line, opts = {}, ms = 20000) {
  return run(m, '/bin/sh', ['sh', '-c', line], { env: { PATH: '/bin', HOME: '/' }, ...opts }, ms);
}

/** Parses "label value" lines into a Map (a later label overrides an earlier one). */
export function lines(text) {
  const map = new Map();
  for (const l of text.split('\n')) {
    if (!l) continue;
    const i = l.indexOf(' ');
    map.set(i < 0 ? l : l.slice(0, i), i < 0 ? '' : l.slice(i + 1));
  }
  return map;
}

/** The gen guest's byte pattern, bytes [0, n). */
export function pattern(n, seed = 0) {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i ^ (i >>> 9) ^ (i >>> 17) ^ seed) & 255;
  return out;
}

/** FNV-1a 32 as the sum guest prints it ("<count> <hex>"). */
export function fnv1a(bytes, h = 0x811c9dc5) {
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 16777619) >>> 0;
  return h >>> 0;
}

/** The sum guest's line for the gen pattern of n bytes, computed in 4 MiB pieces. */
export function patternSum(n, seed = 0) {
  let h = 0x811c9dc5;
  const piece = 1 << 22;
  const buf = new Uint8Array(piece);
  for (let off = 0; off < n; off += piece) {
    const len = Math.min(piece, n - off);
    for (let j = 0; j < len; j++) { const i = off + j; buf[j] = (i ^ (i >>> 9) ^ (i >>> 17) ^ seed) & 255; }
    h = fnv1a(buf.subarray(0, len), h);
  }
  return `${n} ${h.toString(16)}`;
}

export function sleep(ms) { return new Promise((r) => setTimeout(r, ms)); }

/**
 * Polls `cond` (sync or async) every few ms until it returns a truthy value,
 * which it resolves to; rejects after `ms` with `what` (and the last value
 * `describe()` gives, if any). Tests wait for conditions this way, never for a
 * fixed time: the timeout is only the point where we call it a hang.
 */
export async function waitFor(cond, ms = 15000, what = 'condition', describe = null) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await cond();
    if (v) return v;
    if (Date.now() > end) {
      throw new Error(`timeout: ${what} not reached within ${ms} ms${describe ? ` (${describe()})` : ''}`);
    }
    await sleep(5);
  }
}

/** Resolves once process `pid` is listed in state `state` (e.g. 'sleeping': parked in nanosleep/poll). */
export function waitState(m, pid, state, ms = 15000) {
  return waitFor(() => m.ps().some((p) => p.pid === pid && p.state === state), ms,
    `pid ${pid} ${state}`, () => JSON.stringify(m.ps()));
}

/** Resolves once only init is left in the process table. */
export function waitOnlyInit(m, ms = 15000) {
  return waitFor(() => m.ps().length === 1, ms, 'only init left', () => JSON.stringify(m.ps()));
}

/**
 * The kernel heap's block count to compare against later: once only init is
 * left and no worker still holds a process (a reaped process's Proc, Task and
 * scratch are freed when its worker lets go, k_taskDone, a moment after
 * wait() resolved), so nothing in flight is counted in the base.
 */
export async function heapBase(m, ms = 15000) {
  await waitOnlyInit(m, ms);
  await waitFor(() => m._busyWorkers() === 0, ms, 'every worker done with its process');
  return m.heapBlocks();
}

/**
 * The kernel heap's block count once it is back to `base`, or the count it
 * stays at: a reaped process's Proc, Task and scratch (3 blocks) are freed
 * only when its worker has left the kernel for good (k_taskDone), a moment
 * after wait() resolved. A leak never comes back; that is the failure.
 */
export async function settledHeap(m, base, ms = 10000) {
  try { await waitFor(() => m.heapBlocks() === base, ms, 'heap back to base'); } catch { /* report the value */ }
  return m.heapBlocks();
}

/** The fifo guest's `nonblock` report, as Linux gives it for a FIFO nobody else has open. */
export const FIFO_NONBLOCK_REPORT = {
  'open-w-nb-noreader': 'ENXIO', 'open-r-nb': '0', 'read-nowriter': '0', 'open-w-nb-reader': '0',
  'read-empty-writer': 'EAGAIN', write: '3', read: 'xyz', 'read-eof': '0',
};

/**
 * Runs one group of a "label value" test program (programs/c/posix/clayer.c,
 * cproc.c): `prog GROUP`, asserting an empty stderr and exit status 0;
 * returns its output lines.
 */
export async function runGroup(m, prog, name, opts = {}, ms = 20000) {
  const r = await run(m, prog, [prog, name], { env: { PATH: '/bin' }, ...opts }, ms);
  assertOk(r.stderr === '', `${name}: stderr: ${r.stderr}`);
  assertOk(r.code === 0, `${name}: exit status ${r.code} (output: ${r.stdout})`);
  return r.stdout.split('\n').filter(Boolean);
}

/** Asserts that `lines` holds each of `want`, in that order. */
export function hasLines(lines, want) {
  let at = 0;
  for (const w of want) {
    const i = lines.indexOf(w, at);
    assertOk(i >= 0, `missing "${w}" (after line ${at}) in:\n${lines.join('\n')}`);
    at = i + 1;
  }
}

function assertOk(cond, message) {
  if (!cond) throw new Error(message);
}

/** Bundles one TypeScript module of the project on its own and imports it (unit tests of host/ code). */
export async function importTs(file) {
  const esbuild = await import('esbuild');
  const out = await esbuild.build({ entryPoints: [`${ROOT}/${file}`], bundle: true, format: 'esm', platform: 'node', write: false });
  return import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`);
}
