// The runtime in a browser: dist/browser/ in headless Chromium (Debian's,
// at /usr/bin/chromium or $CHROMIUM), driven by playwright-core, served by a
// tiny static server with the cross-origin isolation headers that
// SharedArrayBuffer needs. Run by `npm run test:browser` (which sets
// WASMUX_BROWSER_TEST=1); `npm test` walks this folder too and skips it.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as http from 'node:http';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../helpers/chromium.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const t = suite('browser');

const PAGE = `<!doctype html><meta charset="utf-8"><title>wasmux</title><link rel="icon" href="data:,"><p>wasmux browser test</p>\n`;
const TYPES = { '.js': 'text/javascript', '.map': 'application/json', '.wasm': 'application/wasm', '.json': 'application/json' };

/** GET only: the test page, /programs.json, dist/browser/*, build/kernel.wasm, build/programs/*.wasm, the C demos. */
function serve(req, res) {
  const send = (status, body, type = 'text/plain') => {
    res.writeHead(status, {
      'Content-Type': type,
      'Cache-Control': 'no-store',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cross-Origin-Resource-Policy': 'same-origin',
    });
    res.end(body);
  };
  let p;
  try { p = decodeURIComponent(new URL(req.url, 'http://x').pathname); } catch { return send(400, 'bad request'); }
  if (req.method !== 'GET') return send(405, 'method not allowed');
  if (p === '/') return send(200, PAGE, 'text/html; charset=utf-8');
  if (p === '/programs.json') {
    const names = fs.readdirSync(path.join(root, 'build', 'programs')).filter((f) => f.endsWith('.wasm')).map((f) => f.slice(0, -5));
    return send(200, JSON.stringify(names), TYPES['.json']);
  }
  let file = null;
  if (p === '/build/kernel.wasm') file = path.join(root, 'build', 'kernel.wasm');
  for (const [prefix, dir, ext] of [['/dist/browser/', 'dist/browser', null], ['/build/programs/', 'build/programs', '.wasm'],
    ['/programs/c/posix/build/', 'programs/c/posix/build', '.wasm']]) {
    const name = p.startsWith(prefix) ? p.slice(prefix.length) : null;
    if (name && /^[\w.-]+$/.test(name) && !name.startsWith('.') && (!ext || name.endsWith(ext))) file = path.join(root, dir, name);
  }
  if (!file || !fs.existsSync(file)) { notFound.push(p); return send(404, 'not found'); }
  send(200, fs.readFileSync(file), TYPES[path.extname(file)] ?? 'application/octet-stream');
}

function within(ms, promise, what) {
  let timer;
  return Promise.race([promise, new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms); })])
    .finally(() => clearTimeout(timer));
}

let server, page, closeBrowser, base;
const pageErrors = [];
const notFound = [];

t.before(async () => {
  for (const f of ['dist/browser/browser.js', 'dist/browser/worker-browser.js', 'build/kernel.wasm', 'build/programs/sh.wasm']) {
    assert.ok(fs.existsSync(path.join(root, f)), `${f} is missing: run npm run build`);
  }
  server = http.createServer(serve);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
  ({ page, close: closeBrowser } = await launchChromium(pageErrors));
  await page.goto(`${base}/`);
  // One machine for the tests; its console output is collected per stream.
  await within(30000, page.evaluate(async () => {
    const w = await import('/dist/browser/browser.js');
    const names = await (await fetch('/programs.json')).json();
    const out = { 1: [], 2: [] };
    const decoder = new TextDecoder();
    globalThis.wasmux = w;
    globalThis.consoleText = (s) => out[s].join('');
    globalThis.machine = await w.bootInBrowser({
      kernelUrl: '/build/kernel.wasm',
      programsBaseUrl: '/build/programs/',
      programNames: names,
      onConsole: (stream, bytes) => { out[stream].push(decoder.decode(bytes)); },
    });
  }), 'boot');
});

t.after(async () => {
  try { await page?.evaluate(() => globalThis.machine?.shutdown()); } catch { /* browser gone */ }
  await closeBrowser?.();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
});

t('the page is cross-origin isolated (SharedArrayBuffer available)', async () => {
  assert.equal(await page.evaluate(() => [globalThis.crossOriginIsolated, typeof SharedArrayBuffer]), [true, 'function']);
});

t('a pipeline through the shell: output and exit status', async () => {
  const r = await within(30000, page.evaluate(async () => {
    const p = machine.spawn('sh', ['sh', '-c', 'seq 1 1000 | cat | wc -l; echo hi | cat'], { stdout: 'pipe', stderr: 'pipe' });
    const st = await p.wait();
    return { st, stdout: p.stdout, stderr: p.stderr };
  }), 'pipeline');
  assert.is(r.stdout, '1000\nhi\n');
  assert.is(r.stderr, '');
  assert.equal(r.st, { status: 0, code: 0, signal: null });
});

t('console output from a worker reaches onConsole (stdout and stderr)', async () => {
  const r = await within(30000, page.evaluate(async () => {
    const a = await machine.spawn('echo', ['echo', 'to the console']).wait();
    const b = await machine.spawn('sh', ['sh', '-c', 'echo to stderr >&2; exit 3']).wait();
    // Console bytes are posted by the worker; allow them a moment to arrive.
    for (let i = 0; i < 100 && !(consoleText(1).includes('to the console\n') && consoleText(2).includes('to stderr\n')); i++) {
      await new Promise((res) => setTimeout(res, 20));
    }
    return { a, b, out: consoleText(1), err: consoleText(2) };
  }), 'console');
  assert.is(r.out, 'to the console\n');
  assert.is(r.err, 'to stderr\n');
  assert.is(r.a.code, 0);
  assert.is(r.b.code, 3);
});

t('a signal from the page kills a sleeping process', async () => {
  const st = await within(30000, page.evaluate(async () => {
    const p = machine.spawn('sleep', ['sleep', '100']);
    await new Promise((res) => setTimeout(res, 100));
    machine.kill(p.pid, 9);
    return p.wait();
  }), 'kill');
  assert.equal(st, { status: 9, code: null, signal: 9 });
});

t('terminal input typed on the page is the console; trace lines reach onTrace', async () => {
  const r = await within(30000, page.evaluate(async () => {
    const terminal = new wasmux.BrowserTerminal();
    const trace = [];
    const m = await wasmux.bootInBrowser({
      kernelUrl: '/build/kernel.wasm', programs: { wc: '/build/programs/wc.wasm' },
      stdin: true, terminal, trace: true, warmWorkers: 1, onTrace: (line) => trace.push(line),
    });
    try {
      const p = m.spawn('wc', ['wc', '-c'], { stdout: 'pipe' });
      terminal.push('hello ');
      terminal.push('page\n');
      terminal.end();
      const st = await p.wait();
      for (let i = 0; i < 100 && !trace.some((l) => l.includes('exit')); i++) await new Promise((res) => setTimeout(res, 20));
      return { st, stdout: p.stdout, trace: trace.join('') };
    } finally {
      await m.shutdown();
    }
  }), 'terminal');
  assert.is(r.stdout.trim(), '11');
  assert.is(r.st.code, 0);
  assert.match(r.trace, /read\(0, /);
});

t('fork in the browser: the transform worker prepares the module, the child reads the pipe', async () => {
  // The first transform of the module (asyncify with binaryen, in the page's transform worker) takes seconds.
  const r = await within(180000, page.evaluate(async () => {
    const bytes = new Uint8Array(await (await fetch('/programs/c/posix/build/pipe-fork.wasm')).arrayBuffer());
    machine.writeFile('/pipe-fork', bytes, 0o755);
    const p = machine.spawn('/pipe-fork', ['pipe-fork', 'forked in a page'], { stdout: 'pipe', stderr: 'pipe' });
    const st = await p.wait();
    return { st, stdout: p.stdout, stderr: p.stderr };
  }), 'fork');
  assert.is(r.stderr, '');
  assert.is(r.stdout, 'child: FORKED IN A PAGE\nparent: child exited 0\n');
  assert.equal(r.st, { status: 0, code: 0, signal: null });
});

t('a busy loop in the browser dies of SIGKILL at a safepoint; its worker lives on', async () => {
  const r = await within(60000, page.evaluate(async () => {
    const p = machine.spawn('spin', ['spin'], { stdout: 'pipe', stderr: 'pipe' });
    let worker = 0;
    for (let i = 0; i < 1500 && !(worker && machine.ps().some((x) => x.pid === p.pid && x.state === 'running')); i++) {
      await new Promise((res) => setTimeout(res, 10));
      worker = machine._workerOf(p.pid);
    }
    machine.kill(p.pid, 9);
    const st = await p.wait();
    return { st, worker, alive: machine._workerIds().includes(worker) };
  }), 'spin');
  assert.ok(r.worker !== 0, 'spin ran on a worker');
  assert.equal(r.st, { status: 9, code: null, signal: 9 });
  assert.ok(r.alive, 'its worker was not terminated (the safepoint pass ran in the browser)');
});

t('no errors on the page, nothing asked for that is not there', () => {
  assert.equal(pageErrors, []);
  assert.equal(notFound, []);
});

if (process.env.WASMUX_BROWSER_TEST) t.run();
