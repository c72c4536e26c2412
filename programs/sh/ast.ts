// The shell's syntax tree. A program is a list of and-or lists, each run in
// the foreground or the background; an and-or list joins pipelines with
// && and ||; a pipeline joins simple commands with |.

/** A piece of a word: literal text, or a `$name` to expand at run time. */
export enum PartKind { Literal, Variable }

export class WordPart {
  constructor(
    public kind: PartKind,
    /** The text, or the variable's name ("?", "1", "HOME", ...). */
    public text: string,
    /** Inside quotes: not split into fields after expansion. */
    public quoted: bool,
  ) {}
}

/** One shell word as written, before expansion. */
export class Word {
  parts: WordPart[] = [];

  /** The word's text if it is one unquoted literal (such as a keyword or `!`), else null. */
  get plainText(): string | null {
    if (this.parts.length != 1) return null;
    let part = this.parts[0];
    return part.kind == PartKind.Literal && !part.quoted ? part.text : null;
  }
}

/** `NAME=value` before a command (or alone). */
export class Assignment {
  constructor(public name: string, public value: Word) {}
}

export enum RedirectKind {
  /** n<file */ Input,
  /** n>file */ Output,
  /** n>>file */ Append,
  /** n>&m, n<&m (m may be "-": close n) */ Duplicate,
}

export class Redirect {
  constructor(public kind: RedirectKind, public fd: i32, public target: Word) {}
}

export class SimpleCommand {
  assignments: Assignment[] = [];
  words: Word[] = [];
  /** Applied in order, after the pipeline's own plumbing. */
  redirects: Redirect[] = [];
}

export class Pipeline {
  commands: SimpleCommand[] = [];
  /** `! pipeline`: the status is inverted. */
  negated: bool = false;
}

export enum Connector { And, Or }

/** `p1 && p2 || p3`: `connectors[i]` joins `pipelines[i]` and `pipelines[i + 1]`. */
export class AndOrList {
  pipelines: Pipeline[] = [];
  connectors: Connector[] = [];
  /** The list as written, to run it in a child shell when it goes to the background. */
  source: string = "";
}

export class ListItem {
  constructor(public command: AndOrList, public background: bool) {}
}

export class Program {
  items: ListItem[] = [];
}
