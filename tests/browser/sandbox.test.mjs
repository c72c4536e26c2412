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
import { launchChromium } from '../helpers/chromium.mjs';

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
  // pipebench (the bench's pipe guest, 64 KiB writes, timed inside the reader) and a shell pipeline.
  const N = 256 * 1024 * 1024;
  const rounds = { on: [], off: [], shOn: [], shOff: [] };
  const SH_N = 32 * 1024 * 1024;
  // The page thread's busy time (Chromium's TaskDuration), per second of each pipebench round: what the panels cost it.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const taskSeconds = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration').value;
  const busy = { on: [], off: [] };
  // Alternated, so a change in the machine's load falls on both sides.
  // 10 rounds a side: a round swings by 30 % or more on the 2 shared CPUs (which core each worker
  // gets), so 4 could not tell a 10 % effect either way. Each is ~0.3 s.
  for (let i = 0; i < 10; i++) {
    for (const live of i % 2 === 0 ? [false, true] : [true, false]) {
      const t0 = Date.now();
      const b0 = await taskSeconds();
      const r = await page.evaluate(async ([n, on]) => { globalThis.sandbox.setLive(on); return globalThis.sandbox.bench('throughput', String(n)); }, [N, live]);
      busy[live ? 'on' : 'off'].push((await taskSeconds() - b0) / ((Date.now() - t0) / 1000));
      assert.is(r.name, 'pipe_throughput');
      assert.is(r.unit, 'GB/s');
      assert.ok(r.value > 0);
      rounds[live ? 'on' : 'off'].push(r.value * 1000);
      const sh = await page.evaluate(async ([n, on]) => { globalThis.sandbox.setLive(on); return globalThis.sandbox.run(`head -c ${n} /dev/zero | wc -c`); }, [SH_N, live]);
      assert.is(sh.stdout.trim(), String(SH_N));
      rounds[live ? 'shOn' : 'shOff'].push(SH_N / (sh.ms / 1000) / 1e6);
    }
  }
  await page.evaluate(() => globalThis.sandbox.setLive(true));
  const median = (a) => { const s = [...a].sort((x, y) => x - y); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
  const r1 = (a) => a.map((x) => +x.toFixed(1));
  const figures = {
    pipebench: { bytes: N, unit: 'MB/s (pipebench throughput, timed in the guest)', panelsOff: r1(rounds.off), panelsOn: r1(rounds.on),
      medianOff: +median(rounds.off).toFixed(1), medianOn: +median(rounds.on).toFixed(1), ratio: +(median(rounds.on) / median(rounds.off)).toFixed(3) },
    shell: { bytes: SH_N, command: 'head -c N /dev/zero | wc -c', unit: 'MB/s (wall time of the command)', panelsOff: r1(rounds.shOff), panelsOn: r1(rounds.shOn),
      medianOff: +median(rounds.shOff).toFixed(1), medianOn: +median(rounds.shOn).toFixed(1), ratio: +(median(rounds.shOn) / median(rounds.shOff)).toFixed(3) },
  };
  figures.pageThreadBusy = { unit: 'fraction of a core, during pipebench', panelsOff: busy.off.map((x) => +x.toFixed(3)), panelsOn: busy.on.map((x) => +x.toFixed(3)),
    medianOff: +median(busy.off).toFixed(3), medianOn: +median(busy.on).toFixed(3) };
  await cdp.detach();
  // What one panel tick costs the page's thread (a snapshot, decoded and rendered), quiet and during a pipeline.
  figures.panelTickMs = await page.evaluate(async () => {
    const sb = globalThis.sandbox;
    const time = () => { const t0 = performance.now(); for (let i = 0; i < 100; i++) sb.panels.render(sb.machine.snapshot()); return (performance.now() - t0) / 100; };
    const quiet = time();
    const p = sb.machine.spawn('sh', ['sh', '-c', 'seq 1 3000000 | cat | wc -l'], { stdout: 'pipe' });
    while (sb.machine.snapshot().processes.length < 5) await new Promise((r) => setTimeout(r, 5));
    const busy = time();
    await p.wait();
    return { quiet: +quiet.toFixed(3), duringPipeline: +busy.toFixed(3), perSecondAt5Hz: +(5 * Math.max(quiet, busy)).toFixed(2) };
  });
  fs.mkdirSync(path.join(root, 'test-output'), { recursive: true });
  fs.writeFileSync(path.join(root, 'test-output', 'sandbox-throughput.json'), `${JSON.stringify(figures, null, 2)}\n`);
  console.log(`  pipe throughput on the page: pipebench ${figures.pipebench.medianOff} MB/s without panels, ${figures.pipebench.medianOn} with (ratio ${figures.pipebench.ratio}); `
    + `shell ${figures.shell.medianOff} / ${figures.shell.medianOn} MB/s (ratio ${figures.shell.ratio}); a panel tick ${JSON.stringify(figures.panelTickMs)} ms; page thread busy ${figures.pageThreadBusy.medianOff} / ${figures.pageThreadBusy.medianOn} of a core`);
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
