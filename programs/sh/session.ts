// Feeds source text to the parser and executor: a whole string at once
// (`sh -c`), or line by line (scripts and interactive input), where a line
// that leaves a command unfinished (an open quote, a trailing `|`) waits
// for the next one.
import { stderr } from "../lib";
import { parse } from "./parser";
import { Executor } from "./exec";
import { ShellState } from "./state";

/** The status of a syntax error, as POSIX shells report it. */
export const STATUS_SYNTAX_ERROR = 2;

export class Session {
  private executor: Executor;
  private pending: string = "";

  constructor(public state: ShellState) {
    this.executor = new Executor(state);
  }

  /** Whether the last line left a command unfinished. */
  get continuing(): bool { return this.pending.length > 0; }

  /** Parses and runs a complete text; false after reporting a syntax error. */
  runText(text: string): bool {
    let result = parse(text);
    if (result.error !== null) return this.syntaxError(result.error!);
    this.executor.run(result.program);
    return true;
  }

  /** Adds one line of input and runs it once it completes a command; false on a syntax error. */
  feedLine(line: string): bool {
    this.pending += line + "\n";
    let result = parse(this.pending);
    if (result.error !== null && result.incomplete) return true;
    this.pending = "";
    if (result.error !== null) return this.syntaxError(result.error!);
    this.executor.run(result.program);
    return true;
  }

  /** ^C at the prompt: an unfinished command is dropped. */
  abandon(): void { this.pending = ""; }

  /** At the end of input, an unfinished command is a syntax error. */
  finish(): bool {
    if (!this.continuing) return true;
    let result = parse(this.pending);
    this.pending = "";
    return result.error !== null ? this.syntaxError(result.error!) : true;
  }

  /** Trapped signals that arrived: their commands run now (before a prompt). */
  runTraps(): void { this.executor.runTraps(); }

  /** `trap 'cmd' EXIT`: runs once, as the shell ends. */
  runExitTrap(): void {
    let traps = this.state.traps;
    if (!traps.actions.has(0)) return;
    let command = traps.actions.get(0);
    traps.actions.delete(0);
    let exiting = this.state.exiting;
    this.state.exiting = false;
    this.runText(command);
    this.state.exiting = exiting;
  }

  private syntaxError(message: string): bool {
    stderr.line("sh: syntax error: " + message);
    this.state.vars.lastStatus = STATUS_SYNTAX_ERROR;
    return false;
  }
}
