// The teaching sandbox page (issue #16): a terminal on sh in a browser
// machine, live panels from the kernel's snapshot, and an examples menu.
// Built by scripts/build.mjs (buildSandbox) into dist/sandbox/, served by
// scripts/sandbox-server.mjs (`npm run sandbox`) with the cross-origin
// isolation headers the shared kernel memory needs.

import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';
import { bootInBrowser, BrowserTerminal, type Machine } from '../runtime/browser.js';
import { LineEditor } from './lineedit.js';
import { Panels } from './panels.js';
import { EXAMPLES, type Example } from './examples.js';
import { Timeline, parseTrace } from './timeline.js';
import { DetRun } from './detrun.js';
import { CursorBlink } from './blink.js';

const LOGIN_ENV = { PATH: '/bin', HOME: '/home', PWD: '/', TERM: 'xterm' };
/** How often the panels ask for a snapshot (several times a second). */
const PANEL_MS = 333;

const $ = <T extends HTMLElement>(sel: string): T => {
  const el = document.querySelector<T>(sel);
  if (!el) throw new Error(`sandbox: ${sel} missing from the page`);
  return el;
};

function status(text: string): void { $('#status').textContent = text; }

async function main(): Promise<void> {
  if (!globalThis.crossOriginIsolated) {
    status('This page is not cross-origin isolated: the server must send COOP same-origin and COEP require-corp (see README).');
    return;
  }
  const term = new Terminal({
    // The cursor blinks by sandbox/blink.ts: xterm.js's blink keeps the page drawing 60 frames a second.
    convertEol: true, cursorBlink: false, fontSize: 14, scrollback: 5000,
    fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, monospace',
    theme: { background: '#111417', foreground: '#e6e6e6', cursor: '#ffd866', selectionBackground: '#44515e' },
  });
  const fit = new FitAddon();
  term.loadAddon(fit);
  const termEl = $('#terminal');
  term.open(termEl);
  new CursorBlink(term, termEl);
  fit.fit();
  new ResizeObserver(() => { try { fit.fit(); } catch { /* hidden */ } }).observe(termEl);

  const input = new BrowserTerminal();
  const editor = new LineEditor({
    echo: (text) => term.write(text),
    send: (text) => input.push(text),
    eof: () => input.eof(),
  });
  term.onData((d) => editor.input(d));
  // Copy and paste: Ctrl-Shift-C / Ctrl-Shift-V (Ctrl-C is the interrupt character).
  term.attachCustomKeyEventHandler((e) => {
    // Tab leaves the terminal (keyboard-only use: sh completes nothing, so Tab has no job there).
    if (e.key === 'Tab' && !e.ctrlKey && !e.altKey && !e.metaKey) return false;
    if (e.type !== 'keydown' || !e.ctrlKey || !e.shiftKey) return true;
    if (e.code === 'KeyC') { void navigator.clipboard?.writeText(term.getSelection()); return false; }
    if (e.code === 'KeyV') { void navigator.clipboard?.readText().then((t) => editor.input(t)); return false; }
    return true;
  });

  status('booting…');
  const names: string[] = await (await fetch('programs.json')).json();
  // What the terminal's machine writes to its trace output besides trace lines (a worker's error).
  const traceSink: string[] = [];
  // The terminal's machine traces only while the trace toggle is on (traceToggle: off, it costs nothing but
  // one shared word read per call); its lines then go to the timeline.
  let onTermTrace: (line: string) => void = (line) => { traceSink.push(line); };
  const machine = await bootInBrowser({
    kernelUrl: 'kernel.wasm', programsBaseUrl: 'programs/', programNames: names,
    stdin: true, terminal: input, ttyMask: 7, warmWorkers: 2, traceToggle: true,
    onConsole: (_stream, bytes) => term.write(bytes),
    onTrace: (line) => onTermTrace(line),
  });
  machine.mkdirs('/tmp');
  machine.mkdirs('/home');

  const login = (): void => {
    const sh = machine.spawn('/bin/sh', ['sh'], { env: LOGIN_ENV, cwd: '/', login: true });
    void sh.wait().then((st) => {
      term.write(`\r\n[sh exited with ${st.signal !== null ? `signal ${st.signal}` : `status ${st.code}`}; a new one starts]\r\n`);
      login();
    });
  };
  login();
  status(`ready: ${names.length} programs in /bin`);
  term.focus();

  // ---- deterministic runs and the timeline ----
  const timeline = new Timeline($('#timeline'), $('#call-details'));
  const detOut = $('#det-out');
  const det = new DetRun(names, timeline, {
    output: (t) => { detOut.textContent += t; detOut.scrollTop = detOut.scrollHeight; },
    clearOutput: () => { detOut.textContent = ''; },
    state: (t) => { $('#det-state').textContent = t; },
  });
  const seedInput = $<HTMLInputElement>('#det-seed');
  const cmdInput = $<HTMLInputElement>('#det-cmd');
  const watch = $<HTMLSelectElement>('#watch');
  const seedOf = (): bigint => {
    try { const v = BigInt(seedInput.value.trim() || '1'); return v > 0n ? v : 1n; } catch { return 1n; }
  };
  // The trace toggle: the terminal's machine in the timeline. A deterministic run takes the timeline back.
  const traceBox = $<HTMLInputElement>('#trace');
  let termSeq = 0;
  const setTermTrace = (on: boolean): void => {
    traceBox.checked = on;
    if (on === machine.tracing) return;
    if (on) { timeline.clear(); termSeq = 0; }
    machine.setTrace(on);
  };
  onTermTrace = (line) => {
    for (const l of line.split('\n')) {
      if (l === '') continue;
      const e = machine.tracing ? parseTrace(l, termSeq) : null;
      if (e) { termSeq++; timeline.add(e); } else traceSink.push(l);
    }
  };
  traceBox.addEventListener('change', () => { setTermTrace(traceBox.checked); if (traceBox.checked) watch.value = 'term'; });
  const startDet = async (paused: boolean): Promise<void> => {
    setTermTrace(false);
    await det.start(seedOf(), cmdInput.value, paused);
    watch.value = 'det';
  };
  $('#det-run').addEventListener('click', () => { void startDet(true); });
  $('#det-step').addEventListener('click', () => det.step());
  $('#det-resume').addEventListener('click', () => det.resume());
  $('#det-pause').addEventListener('click', () => det.pause());
  $('#det-replay').addEventListener('click', () => { void startDet(false); });
  $('#det-new').addEventListener('click', () => {
    seedInput.value = String(1 + Math.floor(Math.random() * 2 ** 31));
    void startDet(false);
  });
  $('#tl-in').addEventListener('click', () => timeline.zoomIn());
  $('#tl-out').addEventListener('click', () => timeline.zoomOut());
  const watched = (): Machine => (watch.value === 'det' && det.machine ? det.machine : machine);

  // ---- live panels ----
  const panels = new Panels($('#panels'));
  const live = $<HTMLInputElement>('#live');
  let timer: ReturnType<typeof setInterval> | null = null;
  let frame = 0;
  // For the throughput test: while false, the timer keeps its phase but a tick draws nothing (sandbox.panelTicks).
  let ticking = true;
  const tick = (): void => {
    if (frame !== 0 || !ticking) return;   // frame: the last one is not drawn yet
    frame = requestAnimationFrame(() => {
      frame = 0;
      try { panels.render(watched().snapshot()); det.refresh(); } catch (e) { status(`snapshot: ${String(e)}`); }
    });
  };
  const setLive = (on: boolean): void => {
    if (timer !== null) { clearInterval(timer); timer = null; }
    if (frame !== 0) { cancelAnimationFrame(frame); frame = 0; }
    if (on) { timer = setInterval(tick, PANEL_MS); tick(); }
    live.checked = on;
  };
  live.addEventListener('change', () => setLive(live.checked));
  setLive(true);

  // ---- examples ----
  const typeCommand = (cmd: string): void => {
    term.focus();
    editor.input('\x15');   // ^U: whatever was half-typed goes
    editor.input(`${cmd}\r`);
  };
  const show = async (ex: Example): Promise<void> => {
    $('#example-title').textContent = ex.title;
    $('#example-about').textContent = ex.about;
    const src = ex.source ? await (await fetch(`examples/${ex.source}`)).text() : `$ ${ex.command}\n`;
    $('#source').textContent = src;
  };
  const menu = $<HTMLUListElement>('#examples');
  for (const ex of EXAMPLES) {
    const li = document.createElement('li');
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = ex.title;
    b.dataset.example = ex.id;
    b.title = `runs: ${ex.command}`;
    b.addEventListener('click', () => { void show(ex).then(() => typeCommand(ex.command)); });
    li.append(b);
    menu.append(li);
  }
  void show(EXAMPLES[0]!);

  // ---- a dropped (or chosen) .wasm file runs as /bin/NAME ----
  const runFile = async (file: File): Promise<void> => {
    const bytes = new Uint8Array(await file.arrayBuffer());
    if (!WebAssembly.validate(bytes)) { status(`${file.name}: not a valid wasm module`); return; }
    const name = file.name.replace(/\.wasm$/i, '').replace(/[^\w.-]/g, '_') || 'program';
    machine.writeFile(`/bin/${name}`, bytes, 0o755);
    status(`${file.name} is /bin/${name}`);
    $('#example-title').textContent = name;
    $('#example-about').textContent = `Your program, dropped on the page (${bytes.length} bytes).`;
    $('#source').textContent = '(a compiled module: no source to show)';
    typeCommand(name);
  };
  const drop = $('#drop');
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const f = e.dataTransfer?.files[0];
    if (f) void runFile(f);
  });
  $<HTMLInputElement>('#wasm-file').addEventListener('change', (e) => {
    const f = (e.target as HTMLInputElement).files?.[0];
    if (f) void runFile(f);
  });

  // For tests and the throughput measurement (tests/browser/sandbox.test.mjs).
  (globalThis as unknown as { sandbox: unknown }).sandbox = {
    machine, term, editor, panels, setLive, typeCommand, det, timeline, setTermTrace,
    /** The panels' ticks on or off without touching their timer (the throughput test alternates it per run). */
    panelTicks: (on: boolean): void => { ticking = on; },
    screen: (): string => {
      const b = term.buffer.active;
      const out: string[] = [];
      for (let i = 0; i < b.length; i++) out.push(b.getLine(i)?.translateToString(true) ?? '');
      return out.join('\n');
    },
    /** pipebench's JSON result line (`pipebench throughput N`: GB/s timed inside the guest). */
    bench: async (...args: string[]): Promise<{ name: string; value: number; unit: string }> => {
      const p = (machine as Machine).spawn('/bin/pipebench', ['/bin/pipebench', ...args], { stdout: 'pipe', stderr: 'pipe' });
      const st = await p.wait();
      const line = p.stdout.split('\n').find((l) => l.startsWith('{'));
      if (st.code !== 0 || !line) throw new Error(`pipebench ${args.join(' ')}: ${st.code} ${p.stderr}`);
      return JSON.parse(line);
    },
    /** Runs `cmd` through sh off the console; its wall time in ms and its stdout. */
    run: async (cmd: string): Promise<{ ms: number; stdout: string; code: number | null }> => {
      const t0 = performance.now();
      const p = (machine as Machine).spawn('sh', ['sh', '-c', cmd], { stdout: 'pipe', stderr: 'pipe' });
      const st = await p.wait();
      return { ms: performance.now() - t0, stdout: p.stdout, code: st.code };
    },
  };
  document.body.dataset.ready = '1';
}

main().catch((e) => { status(`failed: ${e instanceof Error ? e.message : String(e)}`); console.error(e); });
