// Deterministic runs on the page: a machine of its own booted with a seed
// (shown) and the trace on, running one command. It can start paused and
// go one scheduling point at a time (Machine.pause/step/resume: each step
// lets one process run to its next syscall), run freely, be replayed from
// its seed (the same interleaving, the same timeline) or run with another
// seed (a race comes out differently).

import { bootInBrowser, type Machine } from '../runtime/browser.js';
import { Timeline, parseTrace } from './timeline.js';

export interface DetView {
  output(text: string): void;
  clearOutput(): void;
  state(text: string): void;
}

export class DetRun {
  machine: Machine | null = null;
  seed = 0n;
  private seq = 0;
  private done = false;
  private generation = 0;
  /** The pid that ran at each step, as the kernel's scheduler reported it. */
  readonly steps: number[] = [];

  constructor(private programNames: string[], private timeline: Timeline, private view: DetView) {}

  get finished(): boolean { return this.done; }

  /** Boots a fresh machine with `seed` and runs `command` (paused before its first point when `paused`). */
  async start(seed: bigint, command: string, paused: boolean): Promise<void> {
    const gen = ++this.generation;
    await this.stop();
    this.seed = seed;
    this.seq = 0;
    this.done = false;
    this.steps.length = 0;
    this.timeline.clear();
    this.view.clearOutput();
    const decoder = new TextDecoder();
    const m = await bootInBrowser({
      kernelUrl: 'kernel.wasm', programsBaseUrl: 'programs/', programNames: this.programNames,
      seed, trace: true, warmWorkers: 3,
      onConsole: (_s, bytes) => { if (gen === this.generation) this.view.output(decoder.decode(bytes, { stream: true })); },
      onTrace: (line) => {
        if (gen !== this.generation) return;
        for (const l of line.split('\n')) {
          const e = parseTrace(l, this.seq);
          if (e) { this.seq++; this.timeline.add(e); }
        }
      },
    });
    if (gen !== this.generation) { await m.shutdown(); return; }
    this.machine = m;
    if (paused) m.pause();
    const p = m.spawn('sh', ['sh', '-c', command], { env: { PATH: '/bin', HOME: '/', PWD: '/' } });
    void p.wait().then((st) => {
      if (gen !== this.generation) return;
      this.done = true;
      this.view.output(`\n[exit ${st.signal !== null ? `signal ${st.signal}` : st.code}]\n`);
      this.refresh();
    });
    this.refresh();
  }

  step(): void {
    const m = this.machine;
    if (!m || this.done) return;
    const s = m.scheduler();
    if (!s.paused) m.pause();
    else if (s.parked) { this.steps.push(s.next); m.step(); }
    this.refresh();
  }

  pause(): void { if (this.machine && !this.done) { this.machine.pause(); this.refresh(); } }
  resume(): void { if (this.machine && !this.done) { this.machine.resume(); this.refresh(); } }

  /** The scheduler's state in words. */
  refresh(): void {
    const m = this.machine;
    if (!m) { this.view.state('no run yet'); return; }
    const s = m.scheduler();
    const what = this.done ? 'finished' : !s.paused ? 'running' : s.parked ? `paused: pid ${s.next} runs at the next step` : 'pausing…';
    this.view.state(`seed ${this.seed} · ${what} · ${s.points} scheduling points · ${this.seq} calls traced`);
  }

  async stop(): Promise<void> {
    const m = this.machine;
    this.machine = null;
    if (!m) return;
    try { m.resume(); } catch { /* ended */ }   // a paused machine's processes could not end
    await m.shutdown().catch(() => { /* gone */ });
  }
}
