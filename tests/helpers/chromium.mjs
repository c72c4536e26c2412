// Debian's headless Chromium for tests/browser/ (at /usr/bin/chromium or
// $CHROMIUM), driven by playwright-core, which never downloads a browser:
// a fresh profile per launch, removed again by close().
import * as assert from 'uvu/assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Launches Chromium; `{ context, page, close }`, with page errors collected in `errors`. */
export async function launchChromium(errors, options = {}) {
  const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
  assert.ok(fs.existsSync(chromiumPath), `${chromiumPath} is missing: apt-get install chromium`);
  const { chromium } = await import('playwright-core');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'wasmux-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    ...options,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const page = context.pages()[0] ?? await context.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  const close = async () => {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  };
  return { context, page, close };
}

/** The processes this Node process started, and theirs (Chromium's browser, renderer, GPU and utility processes); null without /proc. */
export function chromiumProcesses() {
  if (!fs.existsSync('/proc/self/task')) return null;
  const parent = new Map();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const st = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(st.slice(st.lastIndexOf(')') + 2).split(' ')[1]));
    } catch { /* ended */ }
  }
  const mine = (pid) => { for (let p = parent.get(pid) ?? 0, n = 0; p > 1 && n < 64; p = parent.get(p) ?? 0, n++) if (p === process.pid) return true; return false; };
  return [...parent.keys()].filter(mine);
}

/**
 * CPU seconds used so far by the threads of `pids` (chromiumProcesses()),
 * from /proc: `{ workers, page, threads }` — the dedicated workers (the
 * guests), everything else (the page's main thread, its compositor and
 * raster threads, the GPU process's display compositor, the browser
 * process), and per "process type/thread name". A thread that ended is
 * missing from the sums from then on (Chromium's threads are long-lived,
 * and so are the machine's pooled workers).
 */
export function chromiumCpu(pids) {
  const HZ = 100;   // USER_HZ: /proc's clock ticks on Linux
  const out = { workers: 0, page: 0, threads: {} };
  for (const pid of pids) {
    try {
      let kind = kinds.get(pid);
      if (kind === undefined) {
        // Chromium rewrites its children's command lines (spaces, not NULs, between the arguments).
        const type = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/).find((a) => a.startsWith('--type='));
        kind = type ? type.slice(7) : 'browser';
        kinds.set(pid, kind);
      }
      for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
        const key = `${pid}/${tid}`;
        let comm = comms.get(key);
        if (comm === undefined) { comm = fs.readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim(); comms.set(key, comm); }
        const st = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
        const s = (Number(f[11]) + Number(f[12])) / HZ;
        const name = `${kind}/${comm}`;
        out.threads[name] = (out.threads[name] ?? 0) + s;
        if (comm.startsWith('DedicatedWorker')) out.workers += s; else out.page += s;
      }
    } catch { /* ended */ }
  }
  return out;
}
const kinds = new Map();
const comms = new Map();
