// Splits shell input into words and operators. Quotes and backslashes are
// resolved here; `$` references become Variable parts of the word, expanded
// later by expand.ts, so that `a=1; echo $a` sees the new value.
import { Word, WordPart, PartKind } from "./ast";

export enum TokenKind { Word, Operator, Newline, End }

export class Token {
  constructor(
    public kind: TokenKind,
    /** For Operator: ";", "&", "&&", "|", "||", "<", ">", ">>", ">&", "<&", "(", ")". */
    public op: string = "",
    public word: Word | null = null,
    /** For redirection operators: the explicit fd in `2>`, else -1. */
    public fd: i32 = -1,
  ) {}

  /** Where the token is in the source, [start, end). */
  start: i32 = 0;
  end: i32 = 0;

  /** How the token reads in an error message. */
  describe(): string {
    if (this.kind == TokenKind.End) return "end of file";
    if (this.kind == TokenKind.Newline) return "newline";
    if (this.kind == TokenKind.Operator) return "'" + this.op + "'";
    let text = this.word!.plainText;
    return text !== null ? "'" + text + "'" : "word";
  }
}

/** Builds a Word, merging runs of literal characters with the same quoting. */
class WordBuilder {
  private word: Word = new Word();
  private literal: string = "";
  private literalQuoted: bool = false;
  private pendingLiteral: bool = false;

  addText(text: string, quoted: bool): void {
    if (this.pendingLiteral && this.literalQuoted != quoted) this.flush();
    this.literal += text;
    this.literalQuoted = quoted;
    this.pendingLiteral = true;
  }

  addVariable(name: string, quoted: bool): void {
    // The empty literal that an opening `"` left behind is not needed: the
    // quoted variable keeps the word alive by itself (and "$@" may vanish).
    if (this.pendingLiteral && this.literalQuoted && this.literal.length == 0) this.pendingLiteral = false;
    this.flush();
    this.word.parts.push(new WordPart(PartKind.Variable, name, quoted));
  }

  get isEmpty(): bool { return !this.pendingLiteral && this.word.parts.length == 0; }

  /** Whether the word so far is an unquoted number, i.e. the `2` of `2>`. */
  get isFdNumber(): bool {
    if (this.word.parts.length > 0 || !this.pendingLiteral || this.literalQuoted) return false;
    let text = this.literal;
    if (text.length == 0 || text.length > 4) return false;
    for (let i = 0; i < text.length; i++) {
      let c = text.charCodeAt(i);
      if (c < 0x30 || c > 0x39) return false;
    }
    return true;
  }

  get literalText(): string { return this.literal; }

  build(): Word {
    this.flush();
    return this.word;
  }

  private flush(): void {
    if (!this.pendingLiteral) return;
    this.word.parts.push(new WordPart(PartKind.Literal, this.literal, this.literalQuoted));
    this.literal = "";
    this.pendingLiteral = false;
  }
}

function isBlank(c: string): bool { return c == " " || c == "\t" || c == "\r"; }
function isOperatorChar(c: string): bool { return ";&|<>()".includes(c); }
function isNameStart(c: string): bool {
  let code = c.charCodeAt(0);
  return c == "_" || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}
function isNameChar(c: string): bool {
  let code = c.charCodeAt(0);
  return isNameStart(c) || (code >= 0x30 && code <= 0x39);
}
/** Characters that name a special parameter: `$?`, `$1`, ... */
function isSpecialParameter(c: string): bool { return "?$!#@*-0123456789".includes(c); }

export class Lexer {
  private pos: i32 = 0;
  /** Set when the input is malformed. */
  error: string | null = null;
  /** The error is only that the input ended too soon (an open quote): more lines may fix it. */
  incomplete: bool = false;

  constructor(private src: string) {}

  /** All tokens, ending with End; stops early (see `error`) on malformed input. */
  tokenize(): Token[] {
    let tokens = new Array<Token>();
    while (this.error === null) {
      this.skipBlanks();
      if (this.atEnd) {
        tokens.push(new Token(TokenKind.End));
        break;
      }
      let c = this.peek();
      let start = this.pos;
      let token: Token;
      if (c == "#") {
        this.skipComment();
        continue;
      } else if (c == "\n") {
        this.pos++;
        token = new Token(TokenKind.Newline);
      } else if (isOperatorChar(c)) {
        token = this.readOperator(-1);
      } else {
        token = this.readWord();
      }
      token.start = start;
      token.end = this.pos;
      tokens.push(token);
    }
    return tokens;
  }

  private get atEnd(): bool { return this.pos >= this.src.length; }
  private peek(offset: i32 = 0): string { return this.src.charAt(this.pos + offset); }

  private fail(message: string, incomplete: bool = false): void {
    if (this.error !== null) return;
    this.error = message;
    this.incomplete = incomplete;
  }

  /** Skips blanks and backslash-newline line continuations. */
  private skipBlanks(): void {
    while (!this.atEnd) {
      if (isBlank(this.peek())) this.pos++;
      else if (this.peek() == "\\" && this.peek(1) == "\n") this.pos += 2;
      else break;
    }
  }

  private skipComment(): void {
    while (!this.atEnd && this.peek() != "\n") this.pos++;
  }

  private readOperator(fd: i32): Token {
    let c = this.peek();
    let next = this.peek(1);
    let op = c;
    if ((c == "&" || c == "|" || c == ">") && next == c) op = c + c; // && || >>
    else if ((c == ">" || c == "<") && next == "&") op = c + "&";
    else if (c == ">" && next == "|") op = ">|";
    else if (c == "<" && next == "<") this.fail("here-documents are not supported");
    this.pos += op.length;
    if (op == ">|") op = ">"; // no noclobber, so the same
    return new Token(TokenKind.Operator, op, null, fd);
  }

  private readWord(): Token {
    let builder = new WordBuilder();
    while (!this.atEnd && this.error === null) {
      let c = this.peek();
      if (isBlank(c) || c == "\n") break;
      if (isOperatorChar(c)) {
        // `2>file`: the digits before a redirection are its fd.
        if ((c == "<" || c == ">") && builder.isFdNumber) {
          return this.readOperator(I32.parseInt(builder.literalText, 10));
        }
        break;
      }
      this.pos++;
      if (c == "\\") this.readBackslash(builder);
      else if (c == "'") this.readSingleQuoted(builder);
      else if (c == "\"") this.readDoubleQuoted(builder);
      else if (c == "$") this.readDollar(builder, false);
      else builder.addText(c, false);
    }
    return new Token(TokenKind.Word, "", builder.build());
  }

  /** After an unquoted backslash: the next character is literal; backslash-newline vanishes. */
  private readBackslash(builder: WordBuilder): void {
    if (this.atEnd) {
      builder.addText("\\", false);
      return;
    }
    let c = this.peek();
    this.pos++;
    if (c != "\n") builder.addText(c, true);
  }

  private readSingleQuoted(builder: WordBuilder): void {
    let close = this.src.indexOf("'", this.pos);
    if (close < 0) {
      this.fail("unterminated quoted string", true);
      return;
    }
    builder.addText(this.src.substring(this.pos, close), true);
    this.pos = close + 1;
  }

  private readDoubleQuoted(builder: WordBuilder): void {
    builder.addText("", true); // so that "" is an (empty) word
    while (!this.atEnd) {
      let c = this.peek();
      this.pos++;
      if (c == "\"") return;
      if (c == "$") {
        this.readDollar(builder, true);
      } else if (c == "\\" && !this.atEnd && "$`\"\\\n".includes(this.peek())) {
        let escaped = this.peek();
        this.pos++;
        if (escaped != "\n") builder.addText(escaped, true);
      } else {
        builder.addText(c, true);
      }
    }
    this.fail("unterminated quoted string", true);
  }

  /** After `$`: `$name`, `${name}`, `$?` and friends; a lone `$` is literal. */
  private readDollar(builder: WordBuilder, quoted: bool): void {
    let c = this.peek();
    if (c == "{") {
      let close = this.src.indexOf("}", this.pos);
      if (close < 0) {
        this.fail("missing '}'", true);
        return;
      }
      let name = this.src.substring(this.pos + 1, close);
      if (!isValidParameter(name)) {
        this.fail("bad substitution: ${" + name + "}");
        return;
      }
      builder.addVariable(name, quoted);
      this.pos = close + 1;
    } else if (c.length > 0 && isSpecialParameter(c)) {
      builder.addVariable(c, quoted);
      this.pos++;
    } else if (c.length > 0 && isNameStart(c)) {
      let start = this.pos;
      while (!this.atEnd && isNameChar(this.peek())) this.pos++;
      builder.addVariable(this.src.substring(start, this.pos), quoted);
    } else {
      builder.addText("$", quoted);
    }
  }
}

/** A variable name, or a special parameter such as `?` or `12` (positional). */
export function isValidParameter(name: string): bool {
  if (name.length == 0) return false;
  if (name.length == 1 && isSpecialParameter(name)) return true;
  if (isValidName(name)) return true;
  for (let i = 0; i < name.length; i++) {
    let code = name.charCodeAt(i);
    if (code < 0x30 || code > 0x39) return false;
  }
  return true;
}

/** A shell variable name: a letter or `_`, then letters, digits and `_`. */
export function isValidName(name: string): bool {
  if (name.length == 0 || !isNameStart(name.charAt(0))) return false;
  for (let i = 1; i < name.length; i++) {
    if (!isNameChar(name.charAt(i))) return false;
  }
  return true;
}
