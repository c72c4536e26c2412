// sh: the wasmux shell.
//   sh [--banner]                      read commands from stdin, prompting with "$ "
//   sh -c 'commands' [name [args...]]  run a string
//   sh script [args...]                run a file
// The language is described in programs/sh/parser.ts and programs/sh/exec.ts.
import {
  args, env, exit, open, stderr, LineReader, strerror, STDIN, O_RDONLY, O_CLOEXEC,
  isatty, getpid, getpgid, setpgid, tcgetpgrp, tcsetpgrp, signalDisposition, handle, SIG_IGN,
  SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU,
} from "../lib";

// The prompt's SIGINT handler (runLines) runs in the shell itself.
export { __wasmux_sigtramp } from "../lib";
import { Variables } from "../sh/vars";
import { ShellState } from "../sh/state";
import { Session, STATUS_SYNTAX_ERROR } from "../sh/session";

const BANNER = "wasmux shell. Programs live in /bin; type 'exit' or ^D to leave.";

function usage(message: string): void {
  stderr.line("sh: " + message);
  stderr.line("usage: sh [--banner] [-c command [name [arg...]] | script [arg...]]");
  exit(STATUS_SYNTAX_ERROR);
}

/** The status the shell ends with. */
function finalStatus(state: ShellState): i32 {
  return state.exiting ? state.exitCode : state.vars.lastStatus;
}

/**
 * Job control, for an interactive shell at its controlling terminal: the
 * shell leads its own process group, in the terminal's foreground, and
 * ignores the terminal's job-control signals (its jobs get them back at
 * their default: JobTable.resetSignals).
 */
function startJobControl(state: ShellState): void {
  if (!isatty(STDIN) || tcgetpgrp(STDIN) < 0) return;
  const sigs: i32[] = [SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU];
  let reset: u64 = 0;
  for (let i = 0; i < sigs.length; i++) {
    signalDisposition(sigs[i], SIG_IGN);
    reset |= (<u64>1) << <u64>(sigs[i] - 1);
  }
  if (getpgid(0) != getpid()) setpgid(0, 0);
  if (tcsetpgrp(STDIN, getpgid(0)) < 0) return;
  state.jobs.control = true;
  state.jobs.shellPgid = getpgid(0);
  state.jobs.resetSignals = reset;
}

/**
 * The reader at the prompt, for its ^C handler (no SA_RESTART: a read it
 * lands in ends with EINTR). A ^C while the prompt is written, or between
 * two reads of one line, has no read to interrupt: the handler asks the
 * reader to make no more.
 */
let promptReader: LineReader | null = null;
function onPromptInterrupt(sig: i32): void {
  const r = promptReader;
  if (r !== null) r.interruptRequested = true;
}

/**
 * Runs lines from `fd`. A syntax error ends a script, but not an interactive
 * session. At a job-control prompt (SIGINT otherwise ignored, not trapped),
 * ^C abandons the line being typed, as bash does: the kernel has discarded
 * the unread input (ISIG), the shell drops what it had read of the line and
 * an unfinished command, and prompts afresh on a new line.
 */
function runLines(session: Session, fd: i32, prompt: bool): void {
  let reader = new LineReader(fd);
  if (prompt) promptReader = reader;
  let state = session.state;
  while (!state.exiting) {
    const intr = prompt && state.jobs.control && (state.traps.touched & ((<u64>1) << <u64>(SIGINT - 1))) == 0;
    // The handler goes in before the prompt is written: whoever sees the
    // prompt and types ^C must find it caught (ignored, it was lost).
    if (intr) { reader.interruptRequested = false; reader.interruptible = true; handle(SIGINT, onPromptInterrupt); }
    if (prompt) {
      session.runTraps();
      state.jobs.poll(true);
      stderr.print(session.continuing ? "> " : "$ ");
    }
    // A ^C during the prompt's own calls ran the handler there: no read to interrupt.
    let line: string | null = null;
    if (!(intr && reader.interruptRequested)) line = reader.nextString();
    if (intr) { signalDisposition(SIGINT, SIG_IGN); reader.interruptible = false; }
    if (line === null && (reader.interrupted || (intr && reader.interruptRequested))) {
      reader.discard();
      session.abandon();
      stderr.print("\n");
      continue;
    }
    if (line === null) break;
    if (!session.feedLine(line) && !prompt) return;
  }
  session.finish();
}

let argv = args();
let state = new ShellState(new Variables(env()));
let session = new Session(state);
let command: string | null = null;
let banner = false;
let i = 1;
for (; i < argv.length && argv[i].startsWith("-") && argv[i] != "-"; i++) {
  let option = argv[i];
  if (option == "--") { i++; break; }
  if (option == "--banner") {
    banner = true;
  } else if (option == "-c") {
    if (i + 1 >= argv.length) usage("-c: option requires an argument");
    command = argv[++i];
    i++;
    break;
  } else if (option != "-i" && option != "-s") {
    usage(option + ": invalid option");
  }
}
let operands = argv.slice(i);

if (command !== null) {
  // sh -c 'text' [name [args...]]: name becomes $0.
  if (operands.length > 0) state.vars.scriptName = operands[0];
  state.vars.positional = operands.slice(1);
  session.runText(command!);
} else if (operands.length > 0) {
  let script = operands[0];
  state.vars.scriptName = script;
  state.vars.positional = operands.slice(1);
  let fd = open(script, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    stderr.line("sh: " + script + ": " + strerror(fd));
    exit(127);
  }
  runLines(session, fd, false);
} else {
  state.interactive = true;
  startJobControl(state);
  if (banner) stderr.line(BANNER);
  runLines(session, STDIN, isatty(STDIN));
}
session.runExitTrap();
exit(finalStatus(state));
