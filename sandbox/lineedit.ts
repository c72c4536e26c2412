// The page's line discipline. The kernel's console has none yet (no echo,
// no canonical editing: docs/architecture.md "The console"), and sh reads
// whole lines, so the page does what a terminal in cooked mode does: echo,
// edit the line (←/→, Home/End, ^A/^E, Backspace, Delete, ^U, ^W), history
// (↑/↓), and on Enter hand the line to the console. ^C, ^Z and ^\ go to the
// kernel as bytes (assembly/tty.ts raises SIGINT/SIGTSTP/SIGQUIT at the
// foreground group); ^D on an empty line is end of input for one read.

/** Where the editor's effects go: the terminal's screen and the console. */
export interface LineSink {
  echo(text: string): void;
  send(text: string): void;
  eof(): void;
}

const ESC = '\x1b';

export class LineEditor {
  private line = '';
  private pos = 0;
  private history: string[] = [];
  private hist = 0;          // index into history; history.length = the line being typed
  private draft = '';
  private pending = '';      // an escape sequence cut across two inputs

  constructor(private sink: LineSink) {}

  /** Input as the terminal gives it: typed keys, escape sequences, pasted text. */
  input(data: string): void {
    let s = this.pending + data;
    this.pending = '';
    while (s.length > 0) {
      if (s[0] === ESC) {
        const m = /^\x1b(\[[0-9;]*[A-Za-z~]|O[A-Za-z])/.exec(s);
        if (!m) {
          if (s.length < 6) { this.pending = s; return; }   // the rest may come next
          s = s.slice(1);
          continue;
        }
        this.escape(m[1]!);
        s = s.slice(m[0].length);
        continue;
      }
      const c = s[0]!;
      s = s.slice(1);
      this.key(c);
    }
  }

  private key(c: string): void {
    switch (c) {
      case '\r': case '\n': this.enter(); return;
      case '\x7f': case '\b': this.backspace(); return;
      case '\x03': this.signal('^C', c); return;
      case '\x1a': this.signal('^Z', c); return;
      case '\x1c': this.signal('^\\', c); return;
      case '\x04':
        if (this.line.length === 0) { this.sink.eof(); return; }
        this.sink.send(this.line);   // as a tty: ^D ends the read with what is typed so far
        this.reset();
        return;
      case '\x01': this.move(-this.pos); return;                      // ^A
      case '\x05': this.move(this.line.length - this.pos); return;   // ^E
      case '\x15': this.replace(this.line.slice(this.pos), 0); return;   // ^U
      case '\x17': {                                                  // ^W
        const before = this.line.slice(0, this.pos).replace(/\S+\s*$/, '');
        this.replace(before + this.line.slice(this.pos), before.length);
        return;
      }
      case '\x0c': this.sink.echo(`${ESC}[H${ESC}[2J`); this.sink.echo(this.line); this.pos = this.line.length; return;   // ^L
      case '\t': this.insert('  '); return;
      default:
        if (c >= ' ') this.insert(c);
    }
  }

  private escape(seq: string): void {
    switch (seq) {
      case '[A': case 'OA': this.recall(-1); break;
      case '[B': case 'OB': this.recall(1); break;
      case '[C': case 'OC': this.move(1); break;
      case '[D': case 'OD': this.move(-1); break;
      case '[H': case 'OH': case '[1~': this.move(-this.pos); break;
      case '[F': case 'OF': case '[4~': this.move(this.line.length - this.pos); break;
      case '[3~':                                                     // Delete
        if (this.pos < this.line.length) this.replace(this.line.slice(0, this.pos) + this.line.slice(this.pos + 1), this.pos);
        break;
      default: break;
    }
  }

  private enter(): void {
    const line = this.line;
    this.sink.echo('\r\n');
    if (line.trim() !== '' && this.history[this.history.length - 1] !== line) this.history.push(line);
    if (this.history.length > 500) this.history.shift();
    this.reset();
    this.sink.send(`${line}\n`);
  }

  private signal(shown: string, byte: string): void {
    this.sink.echo(`${shown}\r\n`);
    this.reset();
    this.sink.send(byte);
  }

  private reset(): void {
    this.line = '';
    this.pos = 0;
    this.hist = this.history.length;
    this.draft = '';
  }

  private insert(text: string): void {
    const rest = this.line.slice(this.pos);
    this.line = this.line.slice(0, this.pos) + text + rest;
    this.pos += text.length;
    this.sink.echo(text + rest + (rest.length > 0 ? `${ESC}[${rest.length}D` : ''));
  }

  private backspace(): void {
    if (this.pos === 0) return;
    this.replace(this.line.slice(0, this.pos - 1) + this.line.slice(this.pos), this.pos - 1);
  }

  private move(by: number): void {
    const to = Math.max(0, Math.min(this.line.length, this.pos + by));
    if (to < this.pos) this.sink.echo(`${ESC}[${this.pos - to}D`);
    else if (to > this.pos) this.sink.echo(`${ESC}[${to - this.pos}C`);
    this.pos = to;
  }

  /** Redraws the line as `text` with the cursor at `pos`. */
  private replace(text: string, pos: number): void {
    let out = this.pos > 0 ? `${ESC}[${this.pos}D` : '';
    out += `${ESC}[K${text}`;
    if (text.length > pos) out += `${ESC}[${text.length - pos}D`;
    this.sink.echo(out);
    this.line = text;
    this.pos = pos;
  }

  private recall(dir: number): void {
    const to = this.hist + dir;
    if (to < 0 || to > this.history.length) return;
    if (this.hist === this.history.length) this.draft = this.line;
    this.hist = to;
    const text = to === this.history.length ? this.draft : this.history[to]!;
    this.replace(text, text.length);
  }

  /** The line being typed (tests, the examples menu). */
  get current(): string { return this.line; }
}
