// The live panels: the kernel's snapshot (Machine.snapshot(), decoded by
// runtime/snapshot.ts) as a process tree, descriptors, pipes and FIFOs,
// signals, and System V and POSIX message queues. Each panel is a table of
// rows rendered as strings; a TableView (table-view.ts) puts in the page
// only the text, attributes, cells and rows that changed (a quiet machine
// costs one snapshot and a few string compares per tick). The panel set
// follows the sections present: a section this page has no panel for is
// listed by type and count, nothing more.

import type { MachineSnapshot, SnapProc, SnapPipe } from '../runtime/snapshot.js';
import { signalList, SEC_PROCS, SEC_FDS, SEC_PIPES, SEC_SIGNALS, SEC_MSGQ, SEC_MQUEUE } from '../runtime/snapshot.js';
import { TableView, type Row } from './table-view.js';

/** A panel's table: its fixed part, its rows, and what to show instead of no rows (null: the table anyway). */
interface Table { head: string; rows: Row[]; empty?: string }

const KNOWN = new Set([SEC_PROCS, SEC_FDS, SEC_PIPES, SEC_SIGNALS, SEC_MSGQ, SEC_MQUEUE]);

const SIGNAMES = ['', 'HUP', 'INT', 'QUIT', 'ILL', 'TRAP', 'ABRT', 'BUS', 'FPE', 'KILL', 'USR1', 'SEGV', 'USR2', 'PIPE',
  'ALRM', 'TERM', 'STKFLT', 'CHLD', 'CONT', 'STOP', 'TSTP', 'TTIN', 'TTOU', 'URG', 'XCPU', 'XFSZ', 'VTALRM', 'PROF',
  'WINCH', 'POLL', 'PWR', 'SYS'];

function esc(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]!));
}

function sigNames(set: bigint): string {
  const l = signalList(set);
  return l.length === 0 ? '—' : l.map((n) => (n < SIGNAMES.length ? SIGNAMES[n] : n >= 34 ? `RTMIN+${n - 34}` : String(n))).join(' ');
}

/** Short, stable names for pipes (their ids are kernel addresses). */
export class PipeNames {
  private names = new Map<number, string>();
  private next = 1;
  name(id: number): string {
    let n = this.names.get(id);
    if (n === undefined) { n = `p${this.next++}`; this.names.set(id, n); }
    return n;
  }
  /** Forgets pipes that are gone (a kernel address is reused by the next pipe). */
  keep(live: Set<number>): void { for (const id of this.names.keys()) if (!live.has(id)) this.names.delete(id); }
}

function blockedText(p: SnapProc, names: PipeNames): string {
  switch (p.blocked) {
    case 'none': return p.state === 'running' ? 'running' : '';
    case 'pipe-read': return `read ${names.name(p.blockedOn)}`;
    case 'pipe-write': return `write ${names.name(p.blockedOn)}`;
    case 'fifo-open': return `open FIFO ${names.name(p.blockedOn)}`;
    case 'wait': return 'waitpid';
    case 'sleep': return 'sleep';
    case 'signal': return 'signal wait';
    case 'stopped': return 'stopped';
    case 'poll': return 'poll';
    case 'queue': return `queue @${p.blockedOn.toString(16)}`;
    case 'msg-send': return `msgsnd q${p.blockedOn}`;
    case 'msg-recv': return `msgrcv q${p.blockedOn}`;
    case 'mq-send': return `mq_send ${mqNames.get(p.blockedOn) ?? 'mq'}`;
    case 'mq-recv': return `mq_receive ${mqNames.get(p.blockedOn) ?? 'mq'}`;
    default: return p.blocked;
  }
}

/** A POSIX queue's name as the panels show it ("/q"; "(unlinked)" once its name is gone), by id; set per render. */
let mqNames = new Map<number, string>();
const mqLabel = (name: string): string => (name === '' ? '(unlinked)' : `/${name}`);

/** The process table as a tree (children under their parent, by pid). */
function procTree(s: MachineSnapshot, names: PipeNames): Table {
  const kids = new Map<number, SnapProc[]>();
  const pids = new Set(s.processes.map((p) => p.pid));
  for (const p of s.processes) {
    const parent = pids.has(p.ppid) && p.ppid !== p.pid ? p.ppid : 0;
    if (!kids.has(parent)) kids.set(parent, []);
    kids.get(parent)!.push(p);
  }
  const rows: Row[] = [];
  const walk = (ppid: number, depth: number): void => {
    for (const p of (kids.get(ppid) ?? []).sort((a, b) => a.pid - b.pid)) {
      const name = p.pid === 1 && p.name === '' ? 'init (runtime)' : p.name;
      rows.push({ attrs: { 'data-pid': String(p.pid), class: `st-${p.state}` }, cells: [
        `<td>${p.pid}</td>`, `<td>${p.ppid}</td>`, `<td>${p.pgid}</td>`, `<td>${p.state}</td>`,
        `<td class="name" style="padding-left:${0.3 + depth * 0.9}em">${esc(name)}</td>`, `<td>${esc(blockedText(p, names))}</td>`,
      ] });
      if (depth < 32) walk(p.pid, depth + 1);
    }
  };
  walk(0, 0);
  return { head: `<caption class="sr-only">processes</caption><thead><tr><th scope="col">pid</th><th scope="col">ppid</th><th scope="col">pgid</th>`
    + `<th scope="col">state</th><th scope="col">name</th><th scope="col">on</th></tr></thead>`, rows };
}

function fdTable(s: MachineSnapshot, names: PipeNames): Table {
  const pipes = new Set(s.pipes.map((p) => p.id));
  const byPid = new Map<number, string[]>();
  for (const d of s.descriptors) {
    const what = pipes.has(d.object) ? `${d.type === 'console' ? 'console' : names.name(d.object)}`
      : d.type === 'mqueue' ? mqNames.get(d.object) ?? 'mqueue' : d.type;
    const cell = `<span class="fd">${d.fd}<small>${d.access}${d.cloexec ? ' cx' : ''}</small> ${esc(what)}</span>`;
    if (!byPid.has(d.pid)) byPid.set(d.pid, []);
    byPid.get(d.pid)!.push(cell);
  }
  const procName = new Map(s.processes.map((p) => [p.pid, p.name]));
  const rows = [...byPid.entries()].sort((a, b) => a[0] - b[0]).map(([pid, cells]): Row => ({
    attrs: { 'data-pid': String(pid) },
    cells: [`<th scope="row">${pid} ${esc(procName.get(pid) ?? '')}</th>`, `<td>${cells.join(' ')}</td>`],
  }));
  return { head: '', rows, empty: '<p>none</p>' };
}

function pipeTable(s: MachineSnapshot, names: PipeNames): Table {
  const rows = s.pipes.map((p: SnapPipe): Row => {
    const pct = p.capacity > 0 ? Math.round((100 * p.buffered) / p.capacity) : 0;
    const kind = p.console ? 'console' : p.fifo ? 'FIFO' : 'pipe';
    const name = names.name(p.id);
    return { attrs: { 'data-pipe': name }, cells: [
      `<td>${name}</td>`, `<td>${kind}</td>`,
      `<td class="buffered" data-bytes="${p.buffered}"><span class="bar" aria-hidden="true"><span style="width:${pct}%"></span></span> ${p.buffered} / ${p.capacity}</td>`,
      `<td>${p.readers} / ${p.writers}</td>`, `<td>${p.waitingReaders} / ${p.waitingWriters}${p.fifo ? ` / ${p.waitingOpens}` : ''}</td>`,
    ] };
  });
  return { head: `<thead><tr><th scope="col">pipe</th><th scope="col">kind</th><th scope="col">bytes buffered / capacity</th>`
    + `<th scope="col">readers / writers</th><th scope="col">waiting r / w (/ open)</th></tr></thead>`, rows };
}

function signalTable(s: MachineSnapshot): Table {
  const procName = new Map(s.processes.map((p) => [p.pid, p.name]));
  const rows = s.signals
    .filter((x) => x.pending !== 0n || x.blocked !== 0n || x.caught !== 0n || x.ignored !== 0n)
    .map((x): Row => ({ attrs: { 'data-pid': String(x.pid) }, cells: [
      `<th scope="row">${x.pid} ${esc(procName.get(x.pid) ?? '')}</th>`, `<td>${sigNames(x.pending)}</td>`,
      `<td>${sigNames(x.blocked)}</td>`, `<td>${sigNames(x.caught)}</td>`, `<td>${sigNames(x.ignored)}</td>`,
    ] }));
  return { head: `<thead><tr><th scope="col">process</th><th scope="col">pending</th><th scope="col">blocked</th>`
    + `<th scope="col">caught</th><th scope="col">ignored</th></tr></thead>`, rows };
}

function msgTable(s: MachineSnapshot): Table {
  const rows = s.msgQueues.map((q): Row => ({ attrs: { 'data-msqid': String(q.id) }, cells: [
    `<td>q${q.id}</td>`, `<td>0x${(q.key >>> 0).toString(16).padStart(8, '0')}</td>`,
    `<td>${q.uid}</td>`, `<td>${(q.mode & 0o777).toString(8)}</td>`, `<td>${q.messages}</td>`, `<td>${q.bytes} / ${q.maxBytes}</td>`,
    `<td>${q.lastSender} / ${q.lastReceiver}</td>`, `<td>${q.waitingSenders} / ${q.waitingReceivers}</td>`,
  ] }));
  return { head: `<thead><tr><th scope="col">msqid</th><th scope="col">key</th><th scope="col">owner</th><th scope="col">perms</th>`
    + `<th scope="col">messages</th><th scope="col">bytes / max</th><th scope="col">last snd / rcv pid</th>`
    + `<th scope="col">waiting snd / rcv</th></tr></thead>`, rows };
}

function mqTable(s: MachineSnapshot): Table {
  const sig = (n: number): string => (n > 0 && n < SIGNAMES.length ? `SIG${SIGNAMES[n]}` : n > 0 ? String(n) : 'none');
  const rows = [...s.posixQueues].sort((a, b) => a.name.localeCompare(b.name)).map((q): Row => {
    const pct = q.maxMessages > 0 ? Math.round((100 * q.messages) / q.maxMessages) : 0;
    return { attrs: { 'data-mq': q.name }, cells: [
      `<td>${esc(mqLabel(q.name))}</td>`, `<td>${q.uid}</td>`, `<td>${(q.mode & 0o777).toString(8)}</td>`,
      `<td class="messages" data-messages="${q.messages}"><span class="bar" aria-hidden="true"><span style="width:${pct}%"></span></span> ${q.messages} / ${q.maxMessages}</td>`,
      `<td>${q.bytes} (${q.messageSize} max each)</td>`, `<td>${q.notifyPid === 0 ? '—' : `${q.notifyPid} ${sig(q.notifySignal)}`}</td>`,
      `<td>${q.waitingSenders} / ${q.waitingReceivers}</td>`,
    ] };
  });
  return { head: `<thead><tr><th scope="col">queue</th><th scope="col">owner</th><th scope="col">perms</th>`
    + `<th scope="col">messages / max</th><th scope="col">bytes</th><th scope="col">notify</th>`
    + `<th scope="col">waiting snd / rcv</th></tr></thead>`, rows };
}

/** The panels in the page, each updated only where its rows changed. */
export class Panels {
  private last = new Map<string, string>();
  private views = new Map<string, TableView | null>();
  /** `names`: the pipes' short names (another Panels' to render the same snapshot the same way). */
  constructor(private root: HTMLElement, readonly names = new PipeNames()) {}

  render(s: MachineSnapshot): void {
    this.names.keep(new Set(s.pipes.map((p) => p.id)));
    mqNames = new Map(s.posixQueues.map((q) => [q.id, mqLabel(q.name)]));
    const other = s.sections.filter((x) => !KNOWN.has(x.type));
    this.table('procs', procTree(s, this.names));
    this.table('fds', fdTable(s, this.names));
    this.table('pipes', pipeTable(s, this.names));
    this.table('signals', signalTable(s));
    // A panel for a section the kernel has: shown once the section is there.
    const msg = this.root.querySelector<HTMLElement>('[data-section="msgq"]');
    if (msg) msg.hidden = !s.sections.some((x) => x.type === SEC_MSGQ);
    this.table('msgq', msgTable(s));
    const mq = this.root.querySelector<HTMLElement>('[data-section="mqueue"]');
    if (mq) mq.hidden = !s.sections.some((x) => x.type === SEC_MQUEUE);
    this.table('mqueue', mqTable(s));
    this.put('other', other.length === 0 ? '' : `sections without a panel: ${other.map((x) => `type ${x.type} (${x.count})`).join(', ')}`);
  }

  private table(id: string, t: Table): void {
    let view = this.views.get(id);
    if (view === undefined) {
      const el = this.root.querySelector<HTMLElement>(`[data-panel="${id}"]`);
      view = el ? new TableView(el) : null;
      this.views.set(id, view);
    }
    view?.update(t.head, t.rows, t.empty ?? null);
  }

  private put(id: string, html: string): void {
    if (this.last.get(id) === html) return;
    this.last.set(id, html);
    const el = this.root.querySelector<HTMLElement>(`[data-panel="${id}"]`);
    if (el) el.innerHTML = html;
  }
}
