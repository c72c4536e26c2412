// One guest run of a bench row inside a machine: spawn, a timeout that kills
// it, exit status 0 required, the last JSON line of its output as the result.
// Shared by bench/fork.mjs and bench/signals.mjs.

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
