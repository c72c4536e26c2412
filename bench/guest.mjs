// One guest run of a bench row inside a machine: spawn, a timeout that kills
// it, exit status 0 required, the last JSON line of its output as the result.
// Shared by bench/fork.mjs, bench/signals.mjs and bench/sysvmsg.mjs.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The last line of `text` that starts with `{`, parsed. */
export function lastJson(text, what) {
  const line = text.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (!line) throw new Error(`${what}: no result line: ${JSON.stringify(text.slice(0, 200))}`);
  return JSON.parse(line);
}

/** Runs `path argv...` in machine `m`; its result line. */
export async function guestResult(m, path, argv, timeoutMs, what) {
  const p = m.spawn(path, argv, { stdin: 'null', stdout: 'pipe', stderr: 'pipe' });
  let timer;
  const timedOut = new Promise((_, reject) => {
    timer = setTimeout(() => { try { m.kill(p.pid, 9); } catch { /* gone */ } reject(new Error(`${what}: no result after ${timeoutMs / 1000} s`)); }, timeoutMs);
  });
  const st = await Promise.race([p.wait(), timedOut]).finally(() => clearTimeout(timer));
  if (st.code !== 0) throw new Error(`${what}: status ${st.status}: ${p.stderr.trim() || p.stdout.trim()}`);
  return lastJson(p.stdout, what);
}

/**
 * A row whose sandbox side is one of bench/native's C baselines built with
 * `wasmux cc -O2` (the same source as the native side), run in a machine of
 * its own: `run(argv)` builds it once, boots the machine once, and returns
 * the guest's result line; `teardown()` shuts the machine down.
 * Shared by bench/signals.mjs, bench/sysvmsg.mjs and bench/mqueue.mjs.
 */
export function nativeSourceGuest(name) {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const root = path.resolve(here, '..');
  const out = path.join(root, 'build', 'bench', `${name}.wasm`);
  const guest = `/bench-${name}`;
  let machine = null;
  const sandbox = async () => {
    if (machine) return machine;
    fs.mkdirSync(path.dirname(out), { recursive: true });
    await promisify(execFile)(process.execPath, [path.join(root, 'bin', 'wasmux.js'), 'cc', '-O2', '-Wall', '-I', here,
      path.join(here, 'native', `${name}.c`), '-o', out], { timeout: 300_000 });
    const { boot } = await import(path.join(root, 'dist', 'index.js'));
    machine = await boot();
    machine.writeFile(guest, fs.readFileSync(out), 0o755);
    return machine;
  };
  return {
    run: async (args, timeoutMs) => guestResult(await sandbox(), guest, [guest, ...args], timeoutMs, name),
    teardown: async () => { if (machine) { const m = machine; machine = null; await m.shutdown(); } },
  };
}
