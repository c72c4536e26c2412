// The cold-start row of `npm run bench`: a whole `wasmux run hello.wasm`
// process (Node start, kernel boot, a worker, the C hello-world, shutdown)
// against a whole `node bench/wasi/node-wasi.mjs hello.wasm` (Node start,
// node:wasi, the same file), wall time from spawn to exit, in ms. One sample
// is the median of `runs` starts; run.mjs alternates the two sides.
//
//   node bench/coldstart.mjs [runs] [wasmux-bin]   prints both sides and the ratio
//   (wasmux-bin: another checkout's bin/wasmux.js, to A/B a change)

import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
export const HELLO = path.join(root, 'programs', 'c', 'build', 'hello.wasm');
const WASMUX = path.join(root, 'bin', 'wasmux.js');
const NODE_WASI = path.join(here, 'wasi', 'node-wasi.mjs');

/** Wall time of one whole process in ms; it must print exactly "hello, world\n" and exit 0. */
function timeOne(args) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const p = spawn(process.execPath, ['--no-warnings', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { err += d; });
    p.on('error', reject);
    p.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (code !== 0 || out !== 'hello, world\n') reject(new Error(`${args.join(' ')}: exit ${code}, stdout ${JSON.stringify(out)}, stderr ${JSON.stringify(err.slice(0, 200))}`));
      else resolve(ms);
    });
  });
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function side(args, runs) {
  const ms = [];
  for (let i = 0; i < runs; i++) ms.push(await timeOne(args));
  return { value: median(ms), unit: 'ms', runs: ms };
}

/** `wasmux run hello.wasm`, median of `runs` whole processes. */
export function wasmuxSide(runs, bin = WASMUX) {
  return side([bin, 'run', HELLO], runs).then((r) => ({ name: 'cold_start', ...r }));
}

/** `node node-wasi.mjs hello.wasm`, median of `runs` whole processes. */
export function nodeWasiSide(runs) {
  return side([NODE_WASI, HELLO], runs).then((r) => ({ name: 'cold_start_node_wasi', ...r }));
}

// As a script: alternate the sides (node:wasi, then each wasmux bin) `runs`
// times, one start each, and print the medians and ratios.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const runs = Number(process.argv[2] ?? 20);
  const bins = process.argv.length > 3 ? process.argv.slice(3).map((b) => path.resolve(b)) : [WASMUX];
  const sides = [{ name: 'node:wasi', args: [NODE_WASI, HELLO], ms: [] },
    ...bins.map((b) => ({ name: b, args: [b, 'run', HELLO], ms: [] }))];
  for (let i = 0; i < runs; i++) {
    const order = i % 2 ? [...sides].reverse() : sides;
    for (const s of order) s.ms.push(await timeOne(s.args));
  }
  const base = median(sides[0].ms);
  for (const s of sides) console.log(`${median(s.ms).toFixed(1).padStart(7)} ms  ${(median(s.ms) / base).toFixed(2)}x  ${s.name}`);
  console.log(`(cold start of hello.wasm, median of ${runs} alternated runs each; goal <= 1.2x)`);
}
