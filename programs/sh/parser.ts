// Turns tokens into a Program (see ast.ts). The grammar, a subset of POSIX:
//
//   program  := newlines (and_or (sep newlines and_or)* sep?)? newlines END
//   sep      := ';' | '&' | NEWLINE
//   and_or   := pipeline (('&&' | '||') newlines pipeline)*
//   pipeline := '!'? command ('|' newlines command)*
//   command  := (ASSIGNMENT | WORD | redirect)+       assignments first
//   redirect := ('<' | '>' | '>>' | '>&' | '<&') WORD  with an optional fd
//
// Errors do not throw: `error` is set, and `incomplete` tells a caller
// reading line by line that more input could complete the program.
import {
  Program, ListItem, AndOrList, Pipeline, SimpleCommand, Assignment, Redirect,
  RedirectKind, Connector, Word, WordPart, PartKind,
} from "./ast";
import { Lexer, Token, TokenKind, isValidName } from "./lexer";

export class ParseResult {
  constructor(
    public program: Program,
    /** "unexpected 'X'", "unterminated quoted string", ...; null when parsed. */
    public error: string | null,
    public incomplete: bool,
  ) {}
}

export function parse(source: string): ParseResult {
  let lexer = new Lexer(source);
  let tokens = lexer.tokenize();
  if (lexer.error !== null) return new ParseResult(new Program(), lexer.error, lexer.incomplete);
  let parser = new Parser(tokens, source);
  let program = parser.parseProgram();
  return new ParseResult(program, parser.error, parser.incomplete);
}

class Parser {
  private pos: i32 = 0;
  error: string | null = null;
  incomplete: bool = false;

  constructor(private tokens: Token[], private source: string) {}

  parseProgram(): Program {
    let program = new Program();
    this.skipNewlines();
    while (!this.at(TokenKind.End) && this.error === null) {
      let command = this.parseAndOr();
      if (this.error !== null) break;
      let background = false;
      if (this.atOperator(";") || this.atOperator("&")) {
        background = this.next().op == "&";
      } else if (this.at(TokenKind.Newline)) {
        this.next();
      } else if (!this.at(TokenKind.End)) {
        this.unexpected();
        break;
      }
      program.items.push(new ListItem(command, background));
      this.skipNewlines();
    }
    return program;
  }

  private parseAndOr(): AndOrList {
    let list = new AndOrList();
    let start = this.peek().start;
    list.pipelines.push(this.parsePipeline());
    while (this.error === null && (this.atOperator("&&") || this.atOperator("||"))) {
      list.connectors.push(this.next().op == "&&" ? Connector.And : Connector.Or);
      this.skipNewlines();
      list.pipelines.push(this.parsePipeline());
    }
    if (this.pos > 0) list.source = this.source.substring(start, this.tokens[this.pos - 1].end);
    return list;
  }

  private parsePipeline(): Pipeline {
    let pipeline = new Pipeline();
    if (this.at(TokenKind.Word) && this.peek().word!.plainText == "!") {
      this.next();
      pipeline.negated = true;
    }
    pipeline.commands.push(this.parseCommand());
    while (this.error === null && this.atOperator("|")) {
      this.next();
      this.skipNewlines();
      pipeline.commands.push(this.parseCommand());
    }
    return pipeline;
  }

  private parseCommand(): SimpleCommand {
    let command = new SimpleCommand();
    while (this.error === null) {
      if (this.at(TokenKind.Word)) {
        let word = this.next().word!;
        let assignment = command.words.length == 0 ? asAssignment(word) : null;
        if (assignment !== null) command.assignments.push(assignment);
        else command.words.push(word);
      } else if (this.atRedirection()) {
        this.parseRedirect(command);
      } else {
        break;
      }
    }
    let empty = command.words.length == 0 && command.assignments.length == 0 && command.redirects.length == 0;
    if (empty && this.error === null) this.unexpected();
    return command;
  }

  private parseRedirect(command: SimpleCommand): void {
    let token = this.next();
    if (!this.at(TokenKind.Word)) {
      this.unexpected();
      return;
    }
    let target = this.next().word!;
    let op = token.op;
    let kind = op == "<" ? RedirectKind.Input
      : op == ">" ? RedirectKind.Output
      : op == ">>" ? RedirectKind.Append
      : RedirectKind.Duplicate;
    let defaultFd = op == "<" || op == "<&" ? 0 : 1;
    command.redirects.push(new Redirect(kind, token.fd >= 0 ? token.fd : defaultFd, target));
  }

  // --- token helpers ---

  private peek(): Token { return this.tokens[this.pos]; }
  private next(): Token { return this.tokens[this.pos++]; }
  private at(kind: TokenKind): bool { return this.peek().kind == kind; }
  private atOperator(op: string): bool { return this.at(TokenKind.Operator) && this.peek().op == op; }
  private atRedirection(): bool {
    if (!this.at(TokenKind.Operator)) return false;
    let op = this.peek().op;
    return op == "<" || op == ">" || op == ">>" || op == ">&" || op == "<&";
  }

  private skipNewlines(): void {
    while (this.at(TokenKind.Newline)) this.next();
  }

  private unexpected(): void {
    let token = this.peek();
    this.error = "unexpected " + token.describe();
    // A program that stops after `|`, `&&` or a redirection may go on in the next line.
    this.incomplete = token.kind == TokenKind.End;
  }
}

/** `NAME=value` as an Assignment, if the word is one (the name and `=` unquoted). */
function asAssignment(word: Word): Assignment | null {
  if (word.parts.length == 0) return null;
  let first = word.parts[0];
  if (first.kind != PartKind.Literal || first.quoted) return null;
  let eq = first.text.indexOf("=");
  if (eq <= 0 || !isValidName(first.text.substring(0, eq))) return null;
  let value = new Word();
  let rest = first.text.substring(eq + 1);
  if (rest.length > 0) value.parts.push(new WordPart(PartKind.Literal, rest, false));
  for (let i = 1; i < word.parts.length; i++) value.parts.push(word.parts[i]);
  return new Assignment(first.text.substring(0, eq), value);
}
