// A table in the page kept in step with rows given as strings, touching
// only what changed. Rows are matched by position: during a stream the
// processes, descriptors and pipes of one pipebench run are gone by the next
// tick and others stand in their place, so a row keyed by pid was removed
// and a new one parsed, styled and laid out at every tick; by position the
// same row stays and only its changed text and attributes are written.
// A cell whose markup keeps its shape (the same elements, text in the same
// places) is patched in place: its text nodes' data and its elements'
// attributes; one whose shape changed is replaced (outerHTML).

/** One row: its attributes, and each cell as a whole `<td>`/`<th>` (markup this page writes: quoted attributes, no comments). */
export interface Row {
  attrs: Record<string, string>;
  cells: string[];
}

/** A cell's markup as tokens: `<tag ...>`, `</tag>`, or text (entities as written). */
type Tokens = string[];

interface Shown {
  attrs: Record<string, string>;
  cells: string[];
  tokens: (Tokens | null)[];
}

const TOKEN = /<[^>]*>|[^<]+/g;
const ATTR = /([^\s=/>]+)="([^"]*)"/g;
const ENTITY: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

const tokenize = (html: string): Tokens => html.match(TOKEN) ?? [];
const decode = (s: string): string => (s.includes('&') ? s.replace(/&(amp|lt|gt|quot|#39);/g, (e) => ENTITY[e]!) : s);
const tagName = (t: string): string => /^<\/?([^\s>/]+)/.exec(t)?.[1]?.toLowerCase() ?? '';
/** What must match for a patch: the tags in order, text where text was. */
const shape = (tokens: Tokens): string => tokens.map((t) => (t[0] !== '<' ? '#' : t[1] === '/' ? `/${tagName(t)}` : `<${tagName(t)}`)).join('');

function attrsOf(tag: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const [, name, value] of tag.matchAll(ATTR)) m.set(name!, decode(value!));
  return m;
}

/** The element and text nodes under `cell` (itself first), in document order. */
function nodesOf(cell: Element): Node[] {
  const out: Node[] = [];
  const walk = (n: Node): void => {
    if (n.nodeType === Node.ELEMENT_NODE || n.nodeType === Node.TEXT_NODE) out.push(n);
    for (let c = n.firstChild; c; c = c.nextSibling) walk(c);
  };
  walk(cell);
  return out;
}

/** Brings `cell` from `was` to `now` (the same shape) in place; false if the page's nodes do not match the tokens. */
function patch(cell: Element, was: Tokens, now: Tokens): boolean {
  const nodes = nodesOf(cell);
  let k = 0;
  for (let i = 0; i < now.length; i++) {
    const t = now[i]!;
    if (t[0] === '<' && t[1] === '/') continue;
    const node = nodes[k++];
    if (!node) return false;
    if (t === was[i]) continue;
    if (t[0] !== '<') {
      if (node.nodeType !== Node.TEXT_NODE) return false;
      (node as Text).data = decode(t);
      continue;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) return false;
    const el = node as Element;
    const attrs = attrsOf(t);
    for (const [name, value] of attrs) if (el.getAttribute(name) !== value) el.setAttribute(name, value);
    for (const name of el.getAttributeNames()) if (!attrs.has(name)) el.removeAttribute(name);
  }
  return k === nodes.length;
}

export class TableView {
  private tbody: HTMLTableSectionElement | null = null;
  /** What the element holds now: the table's fixed part, or the text shown without rows. */
  private shape: string | null = null;
  private shown: Shown[] = [];

  constructor(private el: HTMLElement) {}

  /**
   * Shows `rows` under `head` (the table's caption and header, fixed);
   * `empty`, when given, is shown instead of a table without rows.
   */
  update(head: string, rows: Row[], empty: string | null = null): void {
    if (rows.length === 0 && empty !== null) {
      if (this.shape !== `empty:${empty}`) {
        this.el.innerHTML = empty;
        this.shape = `empty:${empty}`;
        this.tbody = null;
        this.shown = [];
      }
      return;
    }
    if (this.tbody === null || this.shape !== `table:${head}`) {
      this.el.innerHTML = `<table>${head}<tbody></tbody></table>`;
      this.tbody = this.el.querySelector('tbody');
      this.shape = `table:${head}`;
      this.shown = [];
      if (this.tbody === null) return;
    }
    const tbody = this.tbody;
    rows.forEach((row, i) => {
      const tr = tbody.rows[i];
      const shown = this.shown[i];
      if (!tr || !shown) {   // (the two go together: a row shown is a row in the page)
        const tr = document.createElement('tr');
        for (const [name, value] of Object.entries(row.attrs)) tr.setAttribute(name, value);
        tr.innerHTML = row.cells.join('');
        tbody.append(tr);
        this.shown[i] = { attrs: row.attrs, cells: row.cells, tokens: row.cells.map(() => null) };
      } else {
        this.place(tr, shown, row);
      }
    });
    while (tbody.rows.length > rows.length) tbody.rows[tbody.rows.length - 1]!.remove();
    this.shown.length = rows.length;
  }

  /** Brings the row `tr` (showing `shown`) up to date with `row`. */
  private place(tr: HTMLTableRowElement, shown: Shown, row: Row): void {
    for (const [name, value] of Object.entries(row.attrs)) if (shown.attrs[name] !== value) tr.setAttribute(name, value);
    for (const name of Object.keys(shown.attrs)) if (!(name in row.attrs)) tr.removeAttribute(name);
    shown.attrs = row.attrs;
    if (row.cells.length !== shown.cells.length || tr.cells.length !== row.cells.length) {
      tr.innerHTML = row.cells.join('');
      shown.cells = row.cells;
      shown.tokens = row.cells.map(() => null);
      return;
    }
    row.cells.forEach((cell, i) => {
      if (shown.cells[i] === cell) return;
      const was = shown.tokens[i] ?? tokenize(shown.cells[i]!);
      const now = tokenize(cell);
      const td = tr.cells[i]!;
      if (shape(was) !== shape(now) || !patch(td, was, now)) td.outerHTML = cell;
      shown.tokens[i] = now;
    });
    shown.cells = row.cells;
  }
}
