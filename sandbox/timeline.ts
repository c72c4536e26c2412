// The syscall timeline: a machine's trace as one lane per process, one mark
// per call in the order the calls finished. The events are the trace lines
// the hosts write (host/trace.ts formatTrace, the one formatter: "[pid]
// name(args) = result"), parsed here: the deterministic run's machine boots
// with `trace: true`, the terminal's with `traceToggle` and traces while the
// page's trace toggle is on (Machine.setTrace). The lines are the one trace
// format every host writes; parsing them costs the page, never the guests. Zoom with the buttons, Ctrl+wheel or +/-; a click (or
// ←/→ on the focused timeline) shows a call's arguments and result.

export interface TraceEvent {
  seq: number;
  pid: number;
  call: string;
  args: string;
  result: string;
  failed: boolean;
}

const LINE = /^\[(\d+)\] ([\w.]+)\((.*)\) = (.*)$/;

/** A trace line as an event, or null for a line of another kind (a worker error). */
export function parseTrace(line: string, seq: number): TraceEvent | null {
  const m = LINE.exec(line.trimEnd());
  if (!m) return null;
  const result = m[4]!;
  return { seq, pid: Number(m[1]), call: m[2]!, args: m[3]!, result, failed: result.startsWith('-1') };
}

const LANE_H = 18;
const LABEL_W = 56;

/** Calls by kind, for their colour (pipes and I/O, processes, signals, the rest). */
function kind(call: string): string {
  if (/^(read|write|fd_read|fd_write|pipe|dup|dup2|close|fd_close|poll|poll_oneoff|open|path_open|mkfifo)/.test(call)) return 'io';
  if (/^(spawn|fork|exec|execve|wait|waitpid|wait4|proc_exit|exit|getpid|getppid|setpgid|setsid)/.test(call)) return 'proc';
  if (/^(kill|sig|pause|alarm|setitimer|raise)/.test(call)) return 'sig';
  return 'other';
}

/** Marks kept: past this the oldest tenth goes (a traced pipeline makes hundreds of thousands of calls). */
const MAX_EVENTS = 20000;

export class Timeline {
  private events: TraceEvent[] = [];
  private zoom = 8;            // px per event
  private selected = -1;
  private pending = false;

  constructor(private box: HTMLElement, private details: HTMLElement) {
    box.addEventListener('click', (e) => {
      const t = (e.target as Element).closest('[data-seq]');
      if (t) this.select(Number(t.getAttribute('data-seq')));
    });
    box.addEventListener('wheel', (e) => {
      if (!e.ctrlKey) return;
      e.preventDefault();
      this.setZoom(e.deltaY < 0 ? this.zoom * 1.25 : this.zoom / 1.25);
    }, { passive: false });
    box.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowRight') this.select(Math.min(this.events.length - 1, this.selected + 1));
      else if (e.key === 'ArrowLeft') this.select(Math.max(0, this.selected - 1));
      else if (e.key === '+' || e.key === '=') this.setZoom(this.zoom * 1.25);
      else if (e.key === '-') this.setZoom(this.zoom / 1.25);
      else return;
      e.preventDefault();
    });
  }

  clear(): void { this.events = []; this.selected = -1; this.details.textContent = ''; this.draw(); }

  add(e: TraceEvent): void {
    this.events.push(e);
    if (this.events.length > MAX_EVENTS) {
      const drop = MAX_EVENTS / 10;
      this.events.splice(0, drop);
      this.selected = this.selected >= drop ? this.selected - drop : -1;
    }
    if (!this.pending) { this.pending = true; requestAnimationFrame(() => { this.pending = false; this.draw(); }); }
  }

  all(): TraceEvent[] { return this.events; }

  setZoom(z: number): void { this.zoom = Math.max(1, Math.min(64, z)); this.draw(); }
  zoomIn(): void { this.setZoom(this.zoom * 1.5); }
  zoomOut(): void { this.setZoom(this.zoom / 1.5); }

  select(i: number): void {
    const e = this.events[i];
    if (!e) return;
    this.selected = i;
    this.details.textContent = `#${e.seq}  pid ${e.pid}  ${e.call}(${e.args}) = ${e.result}`;
    this.draw();
    // Keep the selected mark in view.
    const x = LABEL_W + i * this.zoom;
    if (x < this.box.scrollLeft + LABEL_W || x > this.box.scrollLeft + this.box.clientWidth - 20) this.box.scrollLeft = x - this.box.clientWidth / 2;
  }

  private draw(): void {
    const pids = [...new Set(this.events.map((e) => e.pid))].sort((a, b) => a - b);
    const lane = new Map(pids.map((p, i) => [p, i]));
    const w = Math.max(200, LABEL_W + this.events.length * this.zoom + 10);
    const h = Math.max(LANE_H, pids.length * LANE_H) + 4;
    const mark = Math.max(1, this.zoom - (this.zoom > 3 ? 1 : 0));
    const parts: string[] = [];
    pids.forEach((p, i) => {
      parts.push(`<text x="4" y="${i * LANE_H + 13}" class="lane">pid ${p}</text>`
        + `<line x1="${LABEL_W}" x2="${w}" y1="${i * LANE_H + LANE_H / 2}" y2="${i * LANE_H + LANE_H / 2}" class="laneline"/>`);
    });
    this.events.forEach((e, i) => {
      const y = lane.get(e.pid)! * LANE_H + 3;
      const cls = `ev k-${kind(e.call)}${e.failed ? ' failed' : ''}${i === this.selected ? ' sel' : ''}`;
      parts.push(`<rect data-seq="${i}" x="${LABEL_W + i * this.zoom}" y="${y}" width="${mark}" height="${LANE_H - 6}" class="${cls}"><title>[${e.pid}] ${e.call} = ${escapeXml(e.result)}</title></rect>`);
    });
    this.box.innerHTML = `<svg width="${w}" height="${h}" role="img" aria-label="syscall timeline: ${this.events.length} calls in ${pids.length} processes">${parts.join('')}</svg>`;
  }
}

function escapeXml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]!));
}
