// Word expansion: substitutes variables and splits unquoted expansions into
// fields at blanks (IFS is fixed at space, tab and newline). There is no
// globbing. A leading unquoted `~` becomes $HOME.
import { Word, PartKind } from "./ast";
import { Variables } from "./vars";

function isFieldSeparator(c: i32): bool { return c == 0x20 || c == 0x09 || c == 0x0a; }

/** Accumulates fields; a field exists once something (even "") was quoted into it. */
class FieldBuilder {
  fields: string[] = [];
  private current: string = "";
  private started: bool = false;

  addQuoted(text: string): void {
    this.current += text;
    this.started = true;
  }

  /** Adds text that is subject to field splitting. */
  addSplitting(text: string): void {
    for (let i = 0; i < text.length; i++) {
      if (isFieldSeparator(text.charCodeAt(i))) {
        this.endField();
      } else {
        this.current += text.charAt(i);
        this.started = true;
      }
    }
  }

  /** Adds literal text as written (not split: it was split by the lexer). */
  addLiteral(text: string): void {
    this.current += text;
    if (text.length > 0) this.started = true;
  }

  endField(): void {
    if (this.started) this.fields.push(this.current);
    this.current = "";
    this.started = false;
  }
}

/** The fields a word expands to (none for an unquoted empty variable). */
export function expandWord(word: Word, vars: Variables): string[] {
  let builder = new FieldBuilder();
  for (let i = 0; i < word.parts.length; i++) {
    let part = word.parts[i];
    if (part.kind == PartKind.Literal) {
      let text = i == 0 && !part.quoted ? expandTilde(part.text, vars) : part.text;
      if (part.quoted) builder.addQuoted(text);
      else builder.addLiteral(text);
    } else if (part.quoted && part.text == "@") {
      addPositionalFields(builder, vars);
    } else if (part.quoted) {
      builder.addQuoted(vars.valueOf(part.text));
    } else {
      builder.addSplitting(vars.valueOf(part.text));
    }
  }
  builder.endField();
  return builder.fields;
}

/** `"$@"`: one field per positional parameter. */
function addPositionalFields(builder: FieldBuilder, vars: Variables): void {
  for (let i = 0; i < vars.positional.length; i++) {
    if (i > 0) builder.endField();
    builder.addQuoted(vars.positional[i]);
  }
}

/** The word as one string, without field splitting (redirection targets, assignments). */
export function expandToString(word: Word, vars: Variables): string {
  let result = "";
  for (let i = 0; i < word.parts.length; i++) {
    let part = word.parts[i];
    if (part.kind == PartKind.Literal) {
      result += i == 0 && !part.quoted ? expandTilde(part.text, vars) : part.text;
    } else {
      result += vars.valueOf(part.text);
    }
  }
  return result;
}

/** Expands every word of a command into its argument list. */
export function expandWords(words: Word[], vars: Variables): string[] {
  let result = new Array<string>();
  for (let i = 0; i < words.length; i++) {
    let fields = expandWord(words[i], vars);
    for (let j = 0; j < fields.length; j++) result.push(fields[j]);
  }
  return result;
}

function expandTilde(text: string, vars: Variables): string {
  if (text == "~" || text.startsWith("~/")) {
    let home = vars.get("HOME");
    if (home !== null) return home + text.substring(1);
  }
  return text;
}
