// Where the sandbox page's time goes while pipebench streams, with the
// panels' ticks drawing and without (sandbox.panelTicks; their timer runs
// throughout, as in tests/browser/sandbox.test.mjs). Needs dist/sandbox
// (npm run build) and Debian's Chromium, as the browser tests do.
//
//   node scripts/sandbox-profile.mjs [cpu|trace] [windows]
//
// cpu (default): alternating windows (WINDOW ms, default 5000) of
// back-to-back pipebench runs, each side `windows` times (default 3): the
// runs' throughput, and the CPU every Chromium thread took (/proc), by
// process type and thread name.
// trace: one window a side under Chromium's tracing (CDP Tracing.start),
// each written to test-output/sandbox-trace-{off,on}.json (open them in
// Perfetto) and summed up here: busy time per thread, and the renderer's
// main thread by event (self time). Tracing inflates what it measures;
// compare the two sides, not the figures with the cpu mode's.
//
// CATS=a,b adds trace categories (e.g. disabled-by-default-devtools.timeline.invalidationTracking).
// SETUP='js' runs in the page before measuring (an experiment: e.g.
// SETUP='sandbox.term.options.cursorBlink = true').
import * as http from 'node:http';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sandboxHandler } from './sandbox-server.mjs';
import { launchChromium, chromiumCpu, chromiumProcesses } from '../tests/helpers/chromium.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MODE = process.argv[2] ?? 'cpu';
const WINDOWS = Number(process.argv[3] ?? 3);
const WINDOW = Number(process.env.WINDOW ?? 5000);
const N = 256 * 1024 * 1024;
const median = (a) => { const s = [...a].sort((x, y) => x - y); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

const server = http.createServer(sandboxHandler(path.join(root, 'dist', 'sandbox')));
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const errors = [];
const { page, close } = await launchChromium(errors, { viewport: { width: 1440, height: 900 } });
try {
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForFunction(() => document.body.dataset.ready === '1', null, { timeout: 60000 });
  await page.waitForFunction(() => /\$ ?$/.test(globalThis.sandbox.screen().trimEnd()), null, { timeout: 60000 });
  // As in the browser test: the terminal has the focus (its cursor is drawn as focused).
  await page.locator('#terminal textarea').focus();
  await page.keyboard.type('seq 1 300000 | wc -l\n');
  await page.waitForFunction(() => /\n\s*300000\s*\n/.test(globalThis.sandbox.screen()), null, { timeout: 60000 });
  if (process.env.SETUP) await page.evaluate(process.env.SETUP);
  // Back-to-back runs for `ms` with the ticks on or off: their throughputs in MB/s.
  const window = (on, ms) => page.evaluate(async ([n, on, ms]) => {
    const sb = globalThis.sandbox;
    sb.panelTicks(on);
    const out = []; const t0 = performance.now();
    while (performance.now() - t0 < ms) { const r = await sb.bench('throughput', String(n)); out.push(r.bytes / r.seconds / 1e6); }
    return out;
  }, [N, on, ms]);
  await window(true, 3000);   // warm-up: a page's first streams run slower
  if (MODE === 'cpu') await cpuMode(window); else if (MODE === 'trace') await traceMode(window);
  else throw new Error(`sandbox-profile: no mode ${MODE}`);
} finally {
  await close();
  server.close();
}
if (errors.length) console.log('page errors:', errors);

async function cpuMode(window) {
  const pids = chromiumProcesses();
  if (!pids) throw new Error('sandbox-profile: the cpu mode needs /proc');
  const side = () => ({ runs: [], wall: 0, threads: {} });
  const s = { on: side(), off: side() };
  for (let i = 0; i < WINDOWS; i++) {
    for (const on of i % 2 === 0 ? [false, true] : [true, false]) {
      const x = s[on ? 'on' : 'off'];
      const c0 = chromiumCpu(pids); const t0 = Date.now();
      const runs = await window(on, WINDOW);
      x.wall += (Date.now() - t0) / 1000;
      const c1 = chromiumCpu(pids);
      for (const [k, v] of Object.entries(c1.threads)) x.threads[k] = (x.threads[k] ?? 0) + v - (c0.threads[k] ?? 0);
      x.runs.push(...runs);
      console.log(`ticks ${on ? 'on ' : 'off'}: ${runs.length} runs, median ${median(runs).toFixed(0)} MB/s`);
    }
  }
  for (const [name, x] of Object.entries(s)) {
    console.log(`ticks ${name}: ${x.runs.length} runs, median ${median(x.runs).toFixed(0)} MB/s, ${x.runs.filter((v) => v < median(x.runs) / 3).length} below a third of it`);
  }
  const rate = (x, k) => (x.threads[k] ?? 0) / x.wall;
  const names = Object.keys({ ...s.off.threads, ...s.on.threads }).sort((a, b) => rate(s.on, b) - rate(s.on, a));
  console.log('cores             off     on   diff');
  const sum = { off: 0, on: 0 };
  for (const k of names) {
    const off = rate(s.off, k); const on = rate(s.on, k);
    if (!k.includes('DedicatedWorker')) { sum.off += off; sum.on += on; }
    if (off >= 0.002 || on >= 0.002) console.log(`  ${k.padEnd(34)} ${off.toFixed(3)}  ${on.toFixed(3)}  ${(on - off).toFixed(3)}`);
  }
  console.log(`  ${'all but the guests\' workers'.padEnd(34)} ${sum.off.toFixed(3)}  ${sum.on.toFixed(3)}  ${(sum.on - sum.off).toFixed(3)}`);
}

async function traceMode(window) {
  const cdp = await page.context().newCDPSession(page);
  const cats = ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'disabled-by-default-devtools.timeline.frame',
    'v8', 'blink', 'cc', 'viz', 'gpu', 'renderer.scheduler', 'disabled-by-default-v8.gc', ...(process.env.CATS ?? '').split(',').filter(Boolean)];
  for (const on of [false, true]) {
    await cdp.send('Tracing.start', { transferMode: 'ReturnAsStream', traceConfig: { includedCategories: cats, recordMode: 'recordContinuously' } });
    await window(on, 1000);   // not summed: starting a trace makes V8 compile code again
    const runs = await window(on, WINDOW);
    const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
    await cdp.send('Tracing.end');
    const { stream } = await done;
    const chunks = [];
    for (;;) {
      const r = await cdp.send('IO.read', { handle: stream, size: 1 << 20 });
      chunks.push(r.base64Encoded ? Buffer.from(r.data, 'base64').toString() : r.data);
      if (r.eof) break;
    }
    await cdp.send('IO.close', { handle: stream });
    const file = path.join(root, 'test-output', `sandbox-trace-${on ? 'on' : 'off'}.json`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, chunks.join(''));
    console.log(`ticks ${on ? 'on' : 'off'}: ${runs.length} runs, median ${median(runs).toFixed(0)} MB/s; ${path.relative(root, file)}`);
    summarise(JSON.parse(chunks.join('')), WINDOW / 1000);
  }
  await cdp.detach();
}

/** Busy time per thread (outermost events), and the renderer main thread's self time by event, both over the last `secs`. */
function summarise(trace, secs) {
  const evs = trace.traceEvents ?? trace;
  const names = new Map();
  for (const e of evs) if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args.name);
  for (const e of evs) if (e.ph === 'M' && e.name === 'process_name') names.set(`${e.pid}`, e.args.name);
  const end = Math.max(...evs.filter((e) => e.ph === 'X').map((e) => e.ts + e.dur));
  const from = end - secs * 1e6;
  const threads = new Map();
  for (const e of evs) {
    if (e.ph !== 'X' || e.ts < from) continue;
    const k = `${names.get(`${e.pid}`) ?? e.pid}/${names.get(`${e.pid}:${e.tid}`) ?? e.tid}`;
    if (!threads.has(k)) threads.set(k, []);
    threads.get(k).push(e);
  }
  const busy = []; const self = new Map();
  for (const [k, list] of threads) {
    list.sort((a, b) => a.ts - b.ts || b.dur - a.dur);
    const stack = []; let top = 0;
    for (const e of list) {
      while (stack.length && stack[stack.length - 1].end <= e.ts) stack.pop();
      if (stack.length === 0) top += e.dur;
      if (k.endsWith('/CrRendererMain')) {
        if (stack.length) self.set(stack[stack.length - 1].name, (self.get(stack[stack.length - 1].name) ?? 0) - e.dur);
        self.set(e.name, (self.get(e.name) ?? 0) + e.dur);
      }
      stack.push({ end: e.ts + e.dur, name: e.name });
    }
    busy.push([k, top / 1e6 / secs]);
  }
  for (const [k, c] of busy.sort((a, b) => b[1] - a[1]).filter(([, c]) => c >= 0.003)) console.log(`  ${k.padEnd(48)} ${c.toFixed(3)} core`);
  console.log('  renderer main thread, self time:');
  for (const [n, d] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`    ${n.slice(0, 60).padEnd(60)} ${(d / 1e3 / secs).toFixed(2)} ms/s`);
}
