// The sandbox side of `npm run bench`: boots one wasmux kernel through the
// embedding API and runs the bench guests (programs/bench, compiled by
// bench/run.mjs into build/bench). Each guest times its own loop with
// clock_time_get and prints one JSON line, so worker startup and kernel boot
// never count; this module only starts them and parses what they print.
//
//   await setup({ guestDir, boot })    boot the kernel (with boot options), install the guests
//   await measure(name, opts)          -> { name, value, unit, ... }
//   await teardown()
// measure() boots on first use if setup() was not called.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');

/** Where the guests live inside the sandbox namespace. */
const GUEST_DIR = '/bench';
const GUESTS = ['pipebench', 'spawnbench', 'nop'];

let kernel = null;
/** A guest still running after this long is killed and the sample fails, so
 *  a kernel that deadlocks cannot hang a CI run. */
let timeoutMs = 120_000;
/** The trivial guest spawnbench starts: the userland's `true`, or our own
 *  `nop` if the userland is not built. */
let trivial = `${GUEST_DIR}/nop`;

export async function setup({ guestDir = path.join(root, 'build', 'bench'), quick = false, boot: bootOptions = {} } = {}) {
  if (kernel) return;
  if (quick) timeoutMs = 30_000;
  const { boot } = await import(path.join(root, 'dist', 'index.js'));
  kernel = await boot(bootOptions);
  kernel.mkdirs(GUEST_DIR);
  for (const g of GUESTS) {
    kernel.writeFile(`${GUEST_DIR}/${g}`, fs.readFileSync(path.join(guestDir, `${g}.wasm`)), 0o755);
  }
  try {
    kernel.readFile('/bin/true');
    trivial = '/bin/true';
  } catch { /* keep nop */ }
}

export async function teardown() {
  if (!kernel) return;
  const k = kernel;
  kernel = null;
  await k.shutdown();
}

/** Runs one measurement; `opts` as given by bench/run.mjs for the row. */
export async function measure(name, opts = {}) {
  await setup();
  switch (name) {
    case 'pipe_throughput':
      return runGuest('pipebench', ['throughput', String(opts.bytes ?? 1 << 30)]);
    case 'pipe_pingpong':
      return runGuest('pipebench', ['pingpong', String(opts.rounds ?? 10000)]);
    case 'spawn_exit_wait':
      return { ...(await runGuest('spawnbench', [String(opts.rounds ?? 100), trivial])), child: trivial };
    default:
      throw new Error(`sandbox: no measurement named ${name}`);
  }
}

// ---- embedding API (runtime/index.ts) ----------------------------------------------

/** Spawns a bench guest (argv[0] is its own path: pipebench spawns its
 *  children from it), collects its output and parses the result line. */
async function runGuest(name, args) {
  const file = `${GUEST_DIR}/${name}`;
  const p = kernel.spawn(file, [file, ...args], { stdin: 'null', stdout: 'pipe', stderr: 'pipe' });
  let timer;
  const timedOut = new Promise((_, reject) => {
    timer = setTimeout(() => {
      try { kernel.kill(p.pid, 9); } catch { /* already gone */ }
      reject(new Error(`${name} ${args.join(' ')}: no result after ${timeoutMs / 1000} s, killed`));
    }, timeoutMs);
  });
  const { code, signal } = await Promise.race([p.wait(), timedOut]).finally(() => clearTimeout(timer));
  const { stdout, stderr } = p;
  if (code !== 0) {
    const how = signal !== null ? `killed by signal ${signal}` : `exit ${code}`;
    throw new Error(`${name} ${args.join(' ')}: ${how}: ${stderr.trim() || stdout.trim()}`);
  }
  const line = stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (!line) throw new Error(`${name}: no result line; stdout ${JSON.stringify(stdout)} stderr ${JSON.stringify(stderr)}`);
  return JSON.parse(line);
}
