// The teaching page (sandbox/, dist/sandbox/) in headless Chromium —
// Debian's, at /usr/bin/chromium or $CHROMIUM, driven by playwright-core,
// served by scripts/sandbox-server.mjs (the page's own server, with the
// cross-origin isolation headers). Run by `npm run test:browser`; `npm
// test` walks this folder too and skips it. Writes a screenshot of the
// page to test-output/sandbox.png.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as http from 'node:http';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sandboxHandler } from '../../scripts/sandbox-server.mjs';
import { launchChromium, chromiumCpu, chromiumProcesses } from '../helpers/chromium.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const t = suite('sandbox page');

let server, page, closeBrowser, base;
const pageErrors = [];
const notFound = [];

/** Polls `cond` in the page until it is truthy (a condition, never a clock; the limit only names a hang). */
async function until(cond, arg, what, ms = 30000) {
  try {
    return await (await page.waitForFunction(cond, arg, { timeout: ms, polling: 20 })).jsonValue();
  } catch (e) {
    const screen = await page.evaluate(() => globalThis.sandbox?.screen()).catch(() => '?');
    const procs = await page.evaluate(() => JSON.stringify(globalThis.sandbox?.machine.snapshot().processes.map((p) => [p.pid, p.name, p.state, p.blocked]))).catch(() => '?');
    throw new Error(`${what}: not within ${ms} ms (${e.message.split('\n')[0]})\nscreen:\n${screen}\nprocesses: ${procs}`);
  }
}

/** Types into the terminal as a user does (keyboard events into xterm's textarea). */
async function type(text) {
  await page.locator('#terminal textarea').focus();
  await page.keyboard.type(text);
}

/** The shell's prompt came back after `marker` (the last non-empty line ends with "$ "). */
function promptAfter(marker) {
  return until((m) => {
    const s = globalThis.sandbox.screen();
    const at = s.lastIndexOf(m);
    return at >= 0 && /\$ ?$/.test(s.slice(at).trimEnd().split('\n').pop() ?? '');
  }, marker, `prompt after ${marker}`);
}

/** The names in the process panel. */
const NAMES = () => [...document.querySelectorAll('[data-panel="procs"] tbody td.name')].map((c) => c.textContent.trim());
const panelRows = (panel) => page.evaluate((p) => [...document.querySelectorAll(`[data-panel="${p}"] tbody tr`)].map((r) => r.textContent), panel);

t.before(async () => {
  for (const f of ['index.html', 'main.js', 'worker-browser.js', 'kernel.wasm', 'programs/sh.wasm', 'programs.json']) {
    assert.ok(fs.existsSync(path.join(root, 'dist', 'sandbox', f)), `dist/sandbox/${f} is missing: run npm run build`);
  }
  server = http.createServer(sandboxHandler(path.join(root, 'dist', 'sandbox'), (p) => notFound.push(p)));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
  ({ page, close: closeBrowser } = await launchChromium(pageErrors, { viewport: { width: 1440, height: 900 } }));
  await page.goto(`${base}/`);
  await until(() => document.body.dataset.ready === '1' || document.getElementById('status')?.textContent.startsWith('failed'), null, 'page ready', 60000);
  assert.is(await page.evaluate(() => document.body.dataset.ready), '1', await page.evaluate(() => document.getElementById('status')?.textContent));
  await until(() => /\$ ?$/.test(globalThis.sandbox.screen().trimEnd()), null, 'first prompt');
});

t.after(async () => {
  try { await page?.evaluate(() => globalThis.sandbox?.machine.shutdown()); } catch { /* browser gone */ }
  await closeBrowser?.();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
});

t('the page loads cross-origin isolated', async () => {
  assert.equal(await page.evaluate(() => [globalThis.crossOriginIsolated, typeof SharedArrayBuffer]), [true, 'function']);
});

t('typing seq 1 100000 | wc -l in the terminal shows 100000', async () => {
  await type('seq 1 100000 | wc -l\n');
  await until(() => /seq 1 100000 \| wc -l\s*\n\s*100000\s*\n/.test(globalThis.sandbox.screen()), null, '100000 on the screen');
  await promptAfter('100000');
});

t('the process panel lists a pipeline while it runs and drops it after; the pipe panel shows bytes buffered while the reader is stopped', async () => {
  // Long enough never to end by itself during the test: it is killed below.
  await type('seq 1 100000000 | wc -l\n');
  // Both stages listed, under the shell.
  await until(`(${NAMES})().includes('seq') && (${NAMES})().includes('wc')`, null, 'seq and wc in the process panel');
  // Stop the reader alone (SIGSTOP to wc from the page): the writer fills the pipe.
  const wc = await page.evaluate(() => {
    const p = globalThis.sandbox.machine.snapshot().processes.find((q) => q.name === 'wc');
    if (p) globalThis.sandbox.machine.kill(p.pid, 19);
    return p?.pid ?? 0;
  });
  assert.ok(wc > 0, 'wc found');
  const bytes = await until(() => {
    const cells = [...document.querySelectorAll('[data-panel="pipes"] tbody tr')]
      .filter((r) => !/console/.test(r.textContent)).map((r) => Number(r.querySelector('.buffered')?.dataset.bytes ?? 0));
    return cells.find((b) => b > 0) ?? 0;
  }, null, 'bytes buffered in the pipe panel');
  assert.ok(bytes > 0);
  await until(() => {
    const rows = [...document.querySelectorAll('[data-panel="procs"] tbody tr')].map((r) => r.textContent);
    return rows.some((r) => /wc/.test(r) && /stopped/.test(r)) && rows.some((r) => /seq/.test(r) && /write p\d+/.test(r));
  }, null, 'wc stopped, seq blocked writing the pipe');
  // The shell saw its job stop (and says so); kill %1 ends it.
  await until(() => /Stopped/.test(globalThis.sandbox.screen()), null, 'the shell reports the stopped job');
  await type('kill -KILL %1\n');
  // Dead at once (their pipe with them); zombies until the shell reaps them, at its next command.
  await until(() => ![...document.querySelectorAll('[data-panel="pipes"] tbody tr')].some((r) => !/console/.test(r.textContent)), null, 'its pipe gone from the panel');
  await type('echo after-kill\n');
  await promptAfter('after-kill');
  await until(`!(${NAMES})().some((n) => n === 'seq' || n === 'wc')`, null, 'the pipeline gone from the panel');
});

t('the panels, patched in place tick after tick while streams come and go, show what a fresh render of the same snapshot shows', async () => {
  const diffs = await page.evaluate(async () => {
    const sb = globalThis.sandbox;
    sb.panelTicks(false);
    // Streams that start and end while the panels are drawn: rows come, go and change under them.
    let going = true;
    const streams = (async () => { while (going) await sb.bench('throughput', String(16 * 1024 * 1024)); })();
    const pipeline = sb.machine.spawn('sh', ['sh', '-c', 'seq 1 400000 | cat | wc -l'], { stdout: 'pipe' });
    const root = document.getElementById('panels');
    const shown = (r) => [...r.querySelectorAll('[data-panel], [data-section]')].map((e) => `${e.hidden}:${e.innerHTML}`);
    // The panels as the page has them before their first render.
    const blank = () => {
      const c = root.cloneNode(true);
      for (const e of c.querySelectorAll('[data-panel]')) e.innerHTML = '';
      for (const e of c.querySelectorAll('[data-section]')) e.hidden = true;
      return c;
    };
    const out = [];
    let n = 0;
    for (; n < 150 && out.length < 3; n++) {
      const s = sb.machine.snapshot();
      sb.panels.render(s);
      const fresh = blank();
      new sb.panels.constructor(fresh, sb.panels.names).render(s);
      const a = shown(root); const b = shown(fresh);
      a.forEach((x, i) => { if (x !== b[i]) out.push([x, b[i]]); });
      await new Promise((r) => setTimeout(r, 10));
    }
    going = false;
    await streams; await pipeline.wait();
    sb.panelTicks(true);
    return { n, out };
  });
  assert.is(diffs.out.length, 0, JSON.stringify(diffs.out[0]));
  assert.is(diffs.n, 150);
});

t('Ctrl-C ends a running command', async () => {
  await type('sleep 100\n');
  await until(`(${NAMES})().includes('sleep')`, null, 'sleep running');
  await page.keyboard.press('Control+c');
  await until(`!(${NAMES})().includes('sleep')`, null, 'sleep gone after ^C');
  await type('echo after-interrupt\n');
  await promptAfter('after-interrupt');
});

t('an example runs from the menu, its source beside the terminal', async () => {
  await page.click('button[data-example="pipeline-spawn"]');
  await until(() => /posix_spawn/.test(document.getElementById('source').textContent), null, 'the source shown');
  await until(() => /status 0 0 0/.test(globalThis.sandbox.screen()), null, 'pipeline-spawn output');
  await promptAfter('status 0 0 0');
});

/** The deterministic run's timeline: per-lane sequences, the pids in order, and its output. */
const detResult = () => page.evaluate(() => {
  const ev = globalThis.sandbox.timeline.all();
  const lanes = {};
  for (const e of ev) (lanes[e.pid] ??= []).push(`${e.call}(${e.args}) = ${e.result}`);
  return { lanes, order: ev.map((e) => e.pid).join(','), out: document.getElementById('det-out').textContent, count: ev.length };
});
const detFinished = (what) => until(() => globalThis.sandbox.det.finished && /\[exit/.test(document.getElementById('det-out').textContent), null, what);

t('step mode advances one scheduling point (at most one call) at a time; a replay of the same seed gives the same timeline; another seed another interleaving', async () => {
  await page.fill('#det-seed', '42');
  await page.click('#det-run');
  await until(() => globalThis.sandbox.det.machine?.scheduler().parked === true, null, 'paused at the first point');
  const start = await page.evaluate(() => ({ points: globalThis.sandbox.det.machine.scheduler().points, calls: globalThis.sandbox.timeline.all().length }));
  let steps = 0;
  for (; steps < 60; steps++) {
    const before = await page.evaluate(() => globalThis.sandbox.det.machine.scheduler().points);
    await page.click('#det-step');
    const s = await until(() => {
      const x = globalThis.sandbox.det.machine.scheduler();
      return x.parked || globalThis.sandbox.det.finished ? x : null;
    }, null, `step ${steps + 1}`);
    if (!s.parked) break;
    assert.is(s.points, before + 1, `step ${steps + 1}: one scheduling point`);
    // A call's trace line can only arrive late, never early: at most one per step so far.
    const calls = await page.evaluate(() => globalThis.sandbox.timeline.all().length);
    assert.ok(calls - start.calls <= steps + 1, `step ${steps + 1}: ${calls - start.calls} calls`);
  }
  await until((n) => globalThis.sandbox.timeline.all().length >= n, start.calls + 10, 'calls traced while stepping');
  await page.click('#det-resume');
  await detFinished('the stepped run finished');
  const a = await detResult();
  assert.match(a.out, /one/);
  assert.match(a.out, /three/);
  // A click on a call shows its arguments and result.
  await page.click('#timeline rect[data-seq="0"]');
  assert.match(await page.textContent('#call-details'), /pid \d+ +\w+\(.*\) = /);
  await page.click('#det-replay');
  await detFinished('the replay finished');
  const b = await detResult();
  assert.equal(b.lanes, a.lanes, 'the same seed: the same calls and results in every lane');
  assert.is(b.out, a.out);
  // Another seed: another interleaving (of the three echos racing for the console).
  let differs = false;
  for (const seed of ['7', '1234', '99991']) {
    await page.fill('#det-seed', seed);
    await page.click('#det-replay');
    await detFinished(`seed ${seed} finished`);
    const c = await detResult();
    if (c.order !== a.order || c.out !== a.out) { differs = true; break; }
  }
  assert.ok(differs, 'another seed changes the interleaving');
  await page.selectOption('#watch', 'term');
});

t('the trace toggle puts the terminal\'s machine in the timeline: echo hi | cat shows a lane per process, a click shows a call\'s arguments and result; off, nothing more is traced', async () => {
  await page.check('#trace');
  assert.is(await page.evaluate(() => globalThis.sandbox.machine.tracing), true);
  await type('echo hi | cat\n');
  await promptAfter('hi');
  // echo's write of "hi\n" and cat's read of it, in two lanes.
  const found = await until(() => {
    const ev = globalThis.sandbox.timeline.all();
    const w = ev.findIndex((e) => e.call === 'write' && /^1, 0x[0-9a-f]+, 3$/.test(e.args) && e.result === '3');
    const r = ev.findIndex((e) => e.call === 'read' && /^0, /.test(e.args) && e.result === '3');
    if (w < 0 || r < 0 || ev[w].pid === ev[r].pid) return null;
    const lanes = [...document.querySelectorAll('#timeline text.lane')].map((x) => x.textContent);
    return lanes.includes(`pid ${ev[w].pid}`) && lanes.includes(`pid ${ev[r].pid}`) ? { w, r, writer: ev[w].pid, reader: ev[r].pid } : null;
  }, null, 'echo\'s write and cat\'s read in their lanes');
  await page.click(`#timeline rect[data-seq="${found.r}"]`);
  assert.match(await page.textContent('#call-details'), new RegExp(`pid ${found.reader} +read\\(0, 0x[0-9a-f]+, \\d+\\) = 3$`));
  await page.click(`#timeline rect[data-seq="${found.w}"]`);
  assert.match(await page.textContent('#call-details'), new RegExp(`pid ${found.writer} +write\\(1, 0x[0-9a-f]+, 3\\) = 3$`));
  await page.uncheck('#trace');
  assert.is(await page.evaluate(() => globalThis.sandbox.machine.tracing), false);
  // Lines of calls made before the switch may still be on their way: count once the machine is quiet again.
  await type('echo settle\n');
  await promptAfter('settle');
  const before = await page.evaluate(() => globalThis.sandbox.timeline.all().length);
  await type('echo untraced | cat\n');
  await promptAfter('untraced');
  assert.is(await page.evaluate(() => globalThis.sandbox.timeline.all().length), before, 'no call traced with the toggle off');
});

t('pipe throughput on the page with the panels updating and without (figures in test-output/sandbox-throughput.json)', async () => {
  // pipebench (the bench's pipe guest, 64 KiB writes, timed inside the reader) in pairs of runs, one
  // with the panels' ticks drawing and one without, the order alternating from pair to pair. The
  // panels' timer runs throughout (sandbox.panelTicks only decides whether a tick draws), so a run
  // meets ticks at their own 3 Hz and at any phase; switching the panels on before each ~0.1 s run
  // drew at once, as each run's workers started: ~10 Hz, not 3. A run swings by 30 % and more on
  // the 2 shared CPUs (now and then a stream runs ~10x slower for seconds, its two workers on one
  // CPU), nearly independently from one run to the next, so the figure is the Hodges-Lehmann
  // estimate of the paired ratios (the median of their Walsh averages, on a log scale) with its
  // distribution-free 95 % interval (from the signed-rank test), over enough pairs to tell 10 %.
  const N = 256 * 1024 * 1024;
  const PAIRS = 100;
  const SH_N = 32 * 1024 * 1024;
  const SH_EVERY = 4;   // a shell pipeline pair every SH_EVERY pairs
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  // The page thread's busy time (Chromium's TaskDuration); what every Chromium thread but the guests' took (/proc).
  const taskSeconds = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration').value;
  const pids = chromiumProcesses();
  // One run with the ticks on or off; it returns once the page has drawn what the run left to draw.
  const run = (ticks, cmd) => page.evaluate(async ([ticks, n, cmd]) => {
    const sb = globalThis.sandbox;
    sb.panelTicks(ticks);
    const r = cmd ? await sb.run(cmd) : await sb.bench('throughput', String(n));
    for (let i = 0; i < 2; i++) await new Promise((f) => requestAnimationFrame(f));
    return r;
  }, [ticks, N, cmd ?? null]);
  const check = (r) => { assert.is(r.name, 'pipe_throughput'); assert.is(r.unit, 'GB/s'); assert.ok(r.value > 0); assert.ok(r.bytes > 0 && r.seconds > 0); };
  await page.evaluate(() => globalThis.sandbox.setLive(true));
  // Warm-up, not counted: a page's first streams run slower.
  for (let i = 0; i < 6; i++) check(await run(true));
  const sides = () => ({ mbs: [], bytes: 0, seconds: 0, sh: [], wall: 0, busy: 0, cpu: null });
  const s = { on: sides(), off: sides() };
  for (let i = 0; i < PAIRS; i++) {
    for (const ticks of i % 2 === 0 ? [false, true] : [true, false]) {
      const x = s[ticks ? 'on' : 'off'];
      const c0 = pids && chromiumCpu(pids); const b0 = await taskSeconds(); const t0 = Date.now();
      const r = await run(ticks);
      const wall = (Date.now() - t0) / 1000;
      const b1 = await taskSeconds(); const c1 = pids && chromiumCpu(pids);
      check(r);
      x.mbs.push(r.bytes / r.seconds / 1e6);
      x.bytes += r.bytes; x.seconds += r.seconds; x.wall += wall; x.busy += b1 - b0;
      if (c1) {
        x.cpu ??= { page: 0, workers: 0, threads: {} };
        x.cpu.page += c1.page - c0.page; x.cpu.workers += c1.workers - c0.workers;
        for (const [k, v] of Object.entries(c1.threads)) x.cpu.threads[k] = (x.cpu.threads[k] ?? 0) + v - (c0.threads[k] ?? 0);
      }
    }
    if (i % SH_EVERY === 0) {
      for (const ticks of (i / SH_EVERY) % 2 === 0 ? [false, true] : [true, false]) {
        const sh = await run(ticks, `head -c ${SH_N} /dev/zero | wc -c`);
        assert.is(sh.code, 0);
        assert.is(sh.stdout.trim(), String(SH_N));
        s[ticks ? 'on' : 'off'].sh.push(SH_N / (sh.ms / 1000) / 1e6);
      }
    }
  }
  await cdp.detach();
  const median = (a) => { const v = [...a].sort((x, y) => x - y); const m = v.length >> 1; return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2; };
  // Hodges-Lehmann on the log ratios of the pairs, and its 95 % interval (normal approximation of the signed-rank statistic).
  const hl = (on, off) => {
    const d = on.map((x, i) => Math.log(x / off[i]));
    const n = d.length; const w = [];
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) w.push((d[i] + d[j]) / 2);
    w.sort((a, b) => a - b);
    const k = Math.max(0, Math.floor(w.length / 2 - 1.96 * Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24)));
    return { ratio: +Math.exp(median(w)).toFixed(3), ratio95: [+Math.exp(w[k]).toFixed(3), +Math.exp(w[w.length - 1 - k]).toFixed(3)] };
  };
  const r1 = (x) => +x.toFixed(1); const r3 = (x) => +x.toFixed(3);
  const every = [...s.off.mbs, ...s.on.mbs];
  const slow = median(every) / 3;
  const figures = {
    method: `${PAIRS} pairs of pipebench runs, one with the panels' ticks drawing and one without (order alternating); ratio: Hodges-Lehmann estimate of on/off over the pairs, ratio95 its 95 % interval`,
    pipebench: {
      bytesPerRun: N, unit: 'MB/s (pipebench throughput, timed in the guest)', ...hl(s.on.mbs, s.off.mbs),
      medianOff: r1(median(s.off.mbs)), medianOn: r1(median(s.on.mbs)),
      bytesOverTime: { off: r1(s.off.bytes / s.off.seconds / 1e6), on: r1(s.on.bytes / s.on.seconds / 1e6) },
      slowRuns: { below: r1(slow), off: s.off.mbs.filter((x) => x < slow).length, on: s.on.mbs.filter((x) => x < slow).length, of: PAIRS },
      runsOff: s.off.mbs.map(Math.round), runsOn: s.on.mbs.map(Math.round),
    },
    shell: { command: 'head -c N /dev/zero | wc -c', bytes: SH_N, unit: 'MB/s (wall time of the command)', ...hl(s.on.sh, s.off.sh),
      medianOff: r1(median(s.off.sh)), medianOn: r1(median(s.on.sh)), runsOff: s.off.sh.map(Math.round), runsOn: s.on.sh.map(Math.round) },
    pageThreadBusy: { unit: 'fraction of a core (Chromium TaskDuration), over the pipebench runs', off: r3(s.off.busy / s.off.wall), on: r3(s.on.busy / s.on.wall) },
  };
  if (s.on.cpu && s.off.cpu) {
    const per = (x, v) => r3(v / x.wall);
    const names = Object.keys({ ...s.off.cpu.threads, ...s.on.cpu.threads }).filter((k) => !k.startsWith('renderer/DedicatedWorker'));
    figures.pageCpu = {
      unit: 'cores over the pipebench runs (spawns included), from /proc: every Chromium thread but the guests\' workers',
      off: per(s.off, s.off.cpu.page), on: per(s.on, s.on.cpu.page),
      guestWorkers: { off: per(s.off, s.off.cpu.workers), on: per(s.on, s.on.cpu.workers) },
      byThread: Object.fromEntries(names.map((k) => [k, [per(s.off, s.off.cpu.threads[k] ?? 0), per(s.on, s.on.cpu.threads[k] ?? 0)]])
        .filter(([, [off, on]]) => off >= 0.003 || on >= 0.003).sort((a, b) => b[1][1] - a[1][1])),
    };
  }
  // What one panel tick costs the page's thread (a snapshot, decoded and rendered), quiet and during a pipeline.
  figures.panelTickMs = await page.evaluate(async () => {
    const sb = globalThis.sandbox;
    const time = () => { const t0 = performance.now(); for (let i = 0; i < 100; i++) sb.panels.render(sb.machine.snapshot()); return (performance.now() - t0) / 100; };
    const quiet = time();
    const p = sb.machine.spawn('sh', ['sh', '-c', 'seq 1 3000000 | cat | wc -l'], { stdout: 'pipe' });
    while (sb.machine.snapshot().processes.length < 5) await new Promise((r) => setTimeout(r, 5));
    const busy = time();
    await p.wait();
    return { quiet: +quiet.toFixed(3), duringPipeline: +busy.toFixed(3) };
  });
  await page.evaluate(() => globalThis.sandbox.panelTicks(true));
  fs.mkdirSync(path.join(root, 'test-output'), { recursive: true });
  fs.writeFileSync(path.join(root, 'test-output', 'sandbox-throughput.json'), `${JSON.stringify(figures, null, 2)}\n`);
  const pb = figures.pipebench;
  console.log(`  pipe throughput on the page: pipebench ${pb.medianOff} MB/s without panels, ${pb.medianOn} with (paired ratio ${pb.ratio}, 95 % ${pb.ratio95.join('-')}; `
    + `slow runs ${pb.slowRuns.off} / ${pb.slowRuns.on} of ${pb.slowRuns.of}); shell ${figures.shell.medianOff} / ${figures.shell.medianOn} MB/s (ratio ${figures.shell.ratio}); `
    + `page CPU ${figures.pageCpu?.off} / ${figures.pageCpu?.on} cores; page thread ${figures.pageThreadBusy.off} / ${figures.pageThreadBusy.on}; a panel tick ${JSON.stringify(figures.panelTickMs)} ms`);
});

t('the message-queue example runs from the menu; a waiting server\'s queue shows in its panel and goes with it', async () => {
  await page.click('button[data-example="msg-server"]');
  await until(() => /msgrcv/.test(document.getElementById('source').textContent), null, 'the server source shown');
  await until(() => /served 6 requests from 2 clients/.test(globalThis.sandbox.screen()), null, 'msg-server output');
  const screen = await page.evaluate(() => globalThis.sandbox.screen());
  assert.match(screen, /alice: 3 of 3 replies were mine/);
  assert.match(screen, /bob: 3 of 3 replies were mine/);
  await promptAfter('served 6 requests');
  // A server waiting alone: its queue in the panel (shown now that the section is there), the server blocked in msgrcv.
  await type('msg-server 1 &\n');
  await until(() => !document.querySelector('[data-section="msgq"]').hidden && document.querySelectorAll('[data-panel="msgq"] tbody tr').length === 1
    && [...document.querySelectorAll('[data-panel="procs"] tbody tr')].some((r) => /msg-server/.test(r.textContent) && /msgrcv q\d+/.test(r.textContent)),
  null, 'the queue in its panel, the server waiting on it');
  await type('msg-client carol 1\n');
  await until(() => /served 1 requests from 1 clients/.test(globalThis.sandbox.screen()), null, 'the lone server done');
  await until(() => document.querySelectorAll('[data-panel="msgq"] tbody tr').length === 0, null, 'the queue gone from its panel');
  await type('echo after-msg\n');
  await promptAfter('after-msg');
});

t('a POSIX queue made with touch shows in the "POSIX queues" panel with its default attributes, and goes when removed', async () => {
  await type('touch /dev/mqueue/q && echo made-q\n');
  await promptAfter('made-q');
  const row = await until(() => {
    const sec = document.querySelector('[data-section="mqueue"]');
    const r = document.querySelector('[data-panel="mqueue"] tbody tr[data-mq="q"]');
    return sec && !sec.hidden && r ? r.textContent : null;
  }, null, 'the queue in its panel');
  assert.match(row, /^\/q/);
  assert.match(row, /0 \/ 10/);        // no messages of mq_maxmsg 10 (Linux's default)
  assert.match(row, /8192 max each/);  // mq_msgsize 8192
  await type('rm /dev/mqueue/q && echo gone-q\n');
  await promptAfter('gone-q');
  await until(() => document.querySelector('[data-panel="mqueue"] tbody tr[data-mq="q"]') === null, null, 'the queue gone from its panel');
});

t('a screenshot of the page', async () => {
  await type('seq 1 5 | cat\n');
  await promptAfter('5');
  const out = path.join(root, 'test-output');
  fs.mkdirSync(out, { recursive: true });
  await page.screenshot({ path: path.join(out, 'sandbox.png') });
  assert.ok(fs.statSync(path.join(out, 'sandbox.png')).size > 10000);
});

t('keyboard only: Tab leaves the terminal and reaches the controls; Enter on an example runs it; readable contrast; fits a laptop screen', async () => {
  await page.locator('#terminal textarea').focus();
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement?.closest('#terminal') === null);
  assert.ok(focused, 'focus left the terminal');
  await page.focus('button[data-example="pipeline-sh"]');
  await page.keyboard.press('Enter');
  await until(() => /grep 7 \| wc -l\s*\n\s*\d+\s*\n/.test(globalThis.sandbox.screen()), null, 'the example ran from the keyboard');
  // Every control is reachable by Tab (a button, input, select or an element with tabindex >= 0).
  const unreachable = await page.evaluate(() => [...document.querySelectorAll('button, input, select')]
    .filter((e) => e.tabIndex < 0 && !e.closest('#terminal')).map((e) => e.id || e.textContent));
  assert.equal(unreachable, []);
  // Readable contrast: every visible text outside the terminal's canvas at least 4.5:1 (WCAG AA) on its background.
  const low = await page.evaluate(() => {
    const rgb = (c) => { const m = c.match(/[\d.]+/g).map(Number); return { r: m[0], g: m[1], b: m[2], a: m[3] ?? 1 }; };
    const lum = ({ r, g, b }) => [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
      .reduce((acc, v, i) => acc + v * [0.2126, 0.7152, 0.0722][i], 0);
    const bg = (el) => { for (let e = el; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor); if (c.a > 0.5) return c; } return { r: 255, g: 255, b: 255 }; };
    const out = [];
    for (const el of document.querySelectorAll('body *')) {
      if (el.closest('#terminal') || el.closest('svg')) continue;
      const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim() !== '');
      if (!own || el.getClientRects().length === 0) continue;
      const st = getComputedStyle(el);
      if (st.visibility === 'hidden' || Number(st.opacity) < 0.5) continue;
      const a = lum(rgb(st.color)), b = lum(bg(el));
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      if (ratio < 4.5) out.push(`${el.tagName}.${el.className} "${el.textContent.trim().slice(0, 30)}" ${ratio.toFixed(2)}`);
    }
    return out;
  });
  assert.equal(low, []);
  await page.setViewportSize({ width: 1366, height: 768 });
  const fits = await page.evaluate(() => ['#panels', '.term', '.examples'].every((s) => document.querySelector(s).getBoundingClientRect().right <= window.innerWidth + 1));
  assert.ok(fits, 'the columns fit a 1366-pixel-wide laptop screen');
  await page.screenshot({ path: path.join(root, 'test-output', 'sandbox-1366.png') });
  await page.setViewportSize({ width: 1440, height: 900 });
});

t('on a host that sends no isolation headers, the service worker makes the page isolated and it boots', async () => {
  const plain = http.createServer(sandboxHandler(path.join(root, 'dist', 'sandbox'), (p) => notFound.push(p), { isolate: false }));
  await new Promise((resolve) => plain.listen(0, '127.0.0.1', resolve));
  const other = await page.context().newPage();
  try {
    await other.goto(`http://127.0.0.1:${plain.address().port}/`);
    // coi.js registers sw.js and reloads once under its control.
    let ready = false;
    for (let i = 0; i < 600 && !ready; i++) {
      try { ready = await other.evaluate(() => globalThis.crossOriginIsolated && document.body.dataset.ready === '1'); } catch { /* reloading */ }
      if (!ready) await other.waitForTimeout(50);
    }
    assert.ok(ready, 'isolated and booted through the service worker');
    assert.is(await other.evaluate(() => navigator.serviceWorker.controller !== null), true);
  } finally {
    await other.evaluate(() => globalThis.sandbox?.machine.shutdown()).catch(() => {});
    await other.close();
    await new Promise((resolve) => plain.close(resolve));
  }
});

t('no errors on the page, nothing asked for that is not there', () => {
  assert.equal(pageErrors, []);
  assert.equal(notFound, []);
});

if (process.env.WASMUX_BROWSER_TEST) t.run();
