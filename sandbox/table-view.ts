// A table in the page kept in step with rows given as strings, touching
// only what changed: a row's attributes, the cells whose HTML differs, rows
// added, removed or moved. Rebuilding a whole panel with innerHTML on every
// tick made the browser parse, style, shape the text of and lay out every
// cell again; while a stream runs only a few cells change (a state, a byte
// count), and on 2 CPUs that page work is taken from the guests' cores.

/** One row: a key unique in its table, its attributes, and each cell as a whole `<td>`/`<th>`. */
export interface Row {
  key: string;
  attrs: Record<string, string>;
  cells: string[];
}

interface Shown {
  tr: HTMLTableRowElement;
  attrs: Record<string, string>;
  cells: string[];
}

export class TableView {
  private tbody: HTMLTableSectionElement | null = null;
  /** What the element holds now: the table's fixed part, or the text shown without rows. */
  private shape: string | null = null;
  private rows = new Map<string, Shown>();

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
        this.rows.clear();
      }
      return;
    }
    if (this.tbody === null || this.shape !== `table:${head}`) {
      this.el.innerHTML = `<table>${head}<tbody></tbody></table>`;
      this.tbody = this.el.querySelector('tbody');
      this.shape = `table:${head}`;
      this.rows.clear();
      if (this.tbody === null) return;
    }
    const tbody = this.tbody;
    const seen = new Set<string>();
    rows.forEach((row, i) => {
      const key = seen.has(row.key) ? `${row.key}#${i}` : row.key;
      seen.add(key);
      const tr = this.place(key, row);
      if (tbody.children[i] !== tr) tbody.insertBefore(tr, tbody.children[i] ?? null);
    });
    for (const [key, shown] of this.rows) {
      if (!seen.has(key)) { shown.tr.remove(); this.rows.delete(key); }
    }
  }

  /** The row's element, made or brought up to date. */
  private place(key: string, row: Row): HTMLTableRowElement {
    const shown = this.rows.get(key);
    if (!shown) {
      const tr = document.createElement('tr');
      for (const [name, value] of Object.entries(row.attrs)) tr.setAttribute(name, value);
      tr.innerHTML = row.cells.join('');
      this.rows.set(key, { tr, attrs: row.attrs, cells: row.cells });
      return tr;
    }
    const tr = shown.tr;
    for (const [name, value] of Object.entries(row.attrs)) if (shown.attrs[name] !== value) tr.setAttribute(name, value);
    for (const name of Object.keys(shown.attrs)) if (!(name in row.attrs)) tr.removeAttribute(name);
    if (row.cells.length !== shown.cells.length || tr.cells.length !== row.cells.length) {
      tr.innerHTML = row.cells.join('');
    } else {
      row.cells.forEach((cell, i) => { if (shown.cells[i] !== cell) tr.cells[i]!.outerHTML = cell; });
    }
    shown.attrs = row.attrs;
    shown.cells = row.cells;
    return tr;
  }
}
