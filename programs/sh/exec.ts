// Runs parsed programs: and-or lists, pipelines (one process per stage,
// connected by pipes set up through spawn file actions), background jobs,
// builtins and redirections.
import {
  spawn, pipe, close, stdout, stderr, strerror, findProgram,
  FileAction, O_CLOEXEC, ENOENT, setpgroupAction, sigresetAction, foregroundAction,
} from "../lib";
import { Job, JobState } from "./jobs";
import { parse } from "./parser";
import { Program, AndOrList, Pipeline, SimpleCommand, Connector } from "./ast";
import { expandWords, expandToString } from "./expand";
import { ShellState } from "./state";
import { isBuiltin, runBuiltin } from "./builtins";
import {
  PreparedRedirect, prepareRedirects, redirectChild, FdScope,
} from "./redirect";

/** Exit codes a shell reports for commands that could not run. */
const STATUS_NOT_FOUND = 127;
const STATUS_NOT_EXECUTABLE = 126;

/** A command with its words, assignments and redirections expanded. */
class PreparedCommand {
  constructor(
    public argv: string[],
    /** "NAME=value" for the command's own environment. */
    public assignments: string[],
    public redirects: PreparedRedirect[],
  ) {}
}

/** How a pipeline stage was started: a child to wait for, or a status already known. */
class Stage {
  constructor(public pid: i32, public status: i32) {}
}

export class Executor {
  /** The process group the stages being started join (job control): 0 until the first one starts it. */
  private group: i32 = 0;
  /** The last foreground job stopped rather than ended. */
  private stopped: bool = false;
  /** The stages being started run in the foreground (they take the terminal as they start). */
  private foreground: bool = true;
  /** The source text of the list being run: what `jobs` shows. */
  private source: string = "";

  constructor(public state: ShellState) {}

  /** Runs every list of the program; returns the last status ($?). */
  run(program: Program): i32 {
    let vars = this.state.vars;
    for (let i = 0; i < program.items.length && !this.state.exiting; i++) {
      let item = program.items[i];
      this.source = item.command.source.trim();
      vars.lastStatus = item.background ? this.startBackground(item.command) : this.runAndOr(item.command);
      stdout.flush();
      this.runTraps();
    }
    return vars.lastStatus;
  }

  /** A statement boundary: the commands of trapped signals that arrived run now ($? kept). */
  runTraps(): void {
    let traps = this.state.traps;
    let commands = traps.takePending();
    if (commands.length == 0) return;
    let vars = this.state.vars;
    let saved = vars.lastStatus;
    let source = this.source;
    traps.enter();
    for (let i = 0; i < commands.length && !this.state.exiting; i++) {
      let result = parse(commands[i]);
      if (result.error === null) this.run(result.program);
    }
    traps.leave();
    this.source = source;
    vars.lastStatus = saved;
  }

  private runAndOr(list: AndOrList): i32 {
    let status = this.runPipeline(list.pipelines[0]);
    for (let i = 1; i < list.pipelines.length && !this.state.exiting; i++) {
      this.state.vars.lastStatus = status;
      let wantSuccess = list.connectors[i - 1] == Connector.And;
      if ((status == 0) == wantSuccess) status = this.runPipeline(list.pipelines[i]);
    }
    return status;
  }

  /**
   * `list &`. A single pipeline is started without waiting; anything longer
   * (`a && b &`) runs in a child shell, since we cannot fork.
   */
  private startBackground(list: AndOrList): i32 {
    let pids = new Array<i32>();
    this.group = 0;
    this.foreground = false;
    if (list.pipelines.length == 1) {
      let stages = this.startPipeline(list.pipelines[0]);
      for (let i = 0; i < stages.length; i++) if (stages[i].pid > 0) pids.push(stages[i].pid);
    } else {
      let argv = ["sh", "-c", list.source];
      let pid = this.startExternal(new PreparedCommand(argv, [], []), -1, -1);
      if (pid > 0) pids.push(pid);
    }
    if (pids.length > 0) {
      let lastPid = pids[pids.length - 1];
      let job = this.state.jobs.add(this.group != 0 ? this.group : this.state.jobs.shellPgid, pids, this.source);
      this.state.vars.lastBackgroundPid = lastPid;
      if (this.state.interactive) stderr.line("[" + job.id.toString() + "] " + lastPid.toString());
    }
    this.group = 0;
    this.foreground = true;
    return 0;
  }

  /** Runs a pipeline in the foreground; its status is the last stage's. */
  private runPipeline(pipeline: Pipeline): i32 {
    let status: i32;
    if (pipeline.commands.length == 1) {
      status = this.runSimpleCommand(pipeline.commands[0]);
    } else {
      this.group = 0;
      let stages = this.startPipeline(pipeline);
      let pids = new Array<i32>();
      for (let i = 0; i < stages.length; i++) if (stages[i].pid > 0) pids.push(stages[i].pid);
      let last = stages.length > 0 ? stages[stages.length - 1] : new Stage(0, 0);
      this.stopped = false;
      status = pids.length > 0 ? this.waitForeground(pids) : 0;
      // A builtin or a command that did not start as the last stage: its status is the pipeline's
      // (unless the job stopped: then 128 + the signal, as bash).
      if (last.pid == 0 && !this.stopped) status = last.status;
    }
    if (pipeline.negated) status = status == 0 ? 1 : 0;
    return status;
  }

  /** A lone command: builtins and assignments run here, anything else as a child. */
  private runSimpleCommand(command: SimpleCommand): i32 {
    let prepared = this.prepare(command);
    if (prepared.argv.length == 0) return this.assignOnly(command, prepared);
    if (isBuiltin(prepared.argv[0])) return this.runBuiltinHere(prepared, -1, -1, false);
    this.group = 0;
    let pid = this.startExternal(prepared, -1, -1);
    return pid > 0 ? this.waitForeground([pid]) : -pid;
  }

  /** Starts every stage of a pipeline, each reading the previous one's pipe. */
  private startPipeline(pipeline: Pipeline): Stage[] {
    let count = pipeline.commands.length;
    let stages = new Array<Stage>();
    let input = -1; // read end of the previous stage's pipe
    for (let i = 0; i < count; i++) {
      let output = -1;
      let nextInput = -1;
      if (i < count - 1) {
        // Close-on-exec: each child keeps only the ends its file actions dup2.
        let p = pipe(O_CLOEXEC);
        if (p.error < 0) {
          stderr.line("sh: pipe: " + strerror(p.error));
          if (input >= 0) close(input);
          break;
        }
        output = p.writer;
        nextInput = p.reader;
      }
      stages.push(this.startStage(pipeline.commands[i], input, output));
      // The children have their copies; ours would keep readers from seeing EOF.
      if (input >= 0) close(input);
      if (output >= 0) close(output);
      input = nextInput;
    }
    return stages;
  }

  /**
   * One stage of a pipeline or background job. Such stages act as if in a
   * subshell: assignments and builtins like `exit` or `cd` leave the shell alone.
   */
  private startStage(command: SimpleCommand, input: i32, output: i32): Stage {
    let prepared = this.prepare(command);
    if (prepared.argv.length == 0) return new Stage(0, 0);
    if (isBuiltin(prepared.argv[0])) return new Stage(0, this.runBuiltinHere(prepared, input, output, true));
    let pid = this.startExternal(prepared, input, output);
    return pid > 0 ? new Stage(pid, 0) : new Stage(0, -pid);
  }

  /**
   * Spawns an external command with `input`/`output` (if >= 0) as its fd 0
   * and 1, then its redirections. Returns the pid, or minus the status to
   * report when it could not start (after printing why).
   */
  private startExternal(command: PreparedCommand, input: i32, output: i32): i32 {
    let name = command.argv[0];
    let path = findProgram(name, this.state.vars.valueOf("PATH"));
    if (path === null) {
      this.reportFailure(command, output, name + ": command not found");
      return -STATUS_NOT_FOUND;
    }
    let redirection = redirectChild(command.redirects);
    if (!redirection.ok) return -1;
    let actions = new Array<FileAction>();
    if (input >= 0) actions.push(FileAction.dup2(input, 0));
    if (output >= 0) actions.push(FileAction.dup2(output, 1));
    // The pipe ends themselves are close-on-exec; closing them is just tidy.
    if (input > 1) actions.push(FileAction.close(input));
    if (output > 1) actions.push(FileAction.close(output));
    actions = actions.concat(redirection.actions);
    let jobs = this.state.jobs;
    // Job control: the pipeline's own process group. The signals the shell
    // ignores for job control or traps go back to their default in the child.
    if (jobs.control) {
      actions.push(setpgroupAction(this.group));
      // The job has the terminal before it runs: it could read it before our tcsetpgrp (and stop on SIGTTIN).
      if (this.foreground) actions.push(foregroundAction());
    }
    let reset = jobs.resetSignals | this.state.traps.trapped;
    if (reset != 0) actions.push(sigresetAction(reset));
    let env = this.state.vars.environment(command.assignments);
    let pid = spawn(path, command.argv, env, actions);
    if (pid > 0 && this.group == 0) this.group = pid;
    redirection.release();
    if (pid < 0) {
      this.reportFailure(command, output, name + ": " + strerror(pid));
      return -(pid == -ENOENT ? STATUS_NOT_FOUND : STATUS_NOT_EXECUTABLE);
    }
    return pid;
  }

  /**
   * Says why a command did not start, on the stderr it would have had
   * (`x 2>/dev/null`, `x 2>&1 | wc`), `output` being its pipe if any.
   */
  private reportFailure(command: PreparedCommand, output: i32, message: string): void {
    let scope = new FdScope();
    if (output >= 0) scope.assign(1, output);
    if (scope.apply(command.redirects)) stderr.line("sh: " + message);
    scope.restore();
  }

  /** Runs a builtin with fd 0/1 connected to `input`/`output` and its redirections applied. */
  private runBuiltinHere(command: PreparedCommand, input: i32, output: i32, subshell: bool): i32 {
    let scope = new FdScope();
    if (input >= 0) scope.assign(0, input);
    if (output >= 0) scope.assign(1, output);
    let status = 1;
    if (scope.apply(command.redirects)) status = runBuiltin(this.state, command.argv, subshell);
    scope.restore();
    return status;
  }

  /** `NAME=value...` with no command: set shell variables (redirections still happen). */
  private assignOnly(command: SimpleCommand, prepared: PreparedCommand): i32 {
    for (let i = 0; i < command.assignments.length; i++) {
      let assignment = command.assignments[i];
      this.state.vars.set(assignment.name, expandToString(assignment.value, this.state.vars));
    }
    let scope = new FdScope();
    let ok = scope.apply(prepared.redirects);
    scope.restore();
    return ok ? 0 : 1;
  }

  private prepare(command: SimpleCommand): PreparedCommand {
    let vars = this.state.vars;
    let assignments = new Array<string>();
    for (let i = 0; i < command.assignments.length; i++) {
      let a = command.assignments[i];
      assignments.push(a.name + "=" + expandToString(a.value, vars));
    }
    return new PreparedCommand(expandWords(command.words, vars), assignments, prepareRedirects(command.redirects, vars));
  }

  /** Waits for a foreground pipeline's processes (with job control: until they end or stop; `stopped` says which). */
  private waitForeground(pids: i32[]): i32 {
    let jobs = this.state.jobs;
    let group = this.group != 0 ? this.group : jobs.shellPgid;
    this.group = 0;
    let job = new Job(0, group, pids, this.source);
    let status = jobs.waitForeground(job);
    this.stopped = job.state == JobState.Stopped;
    return status;
  }
}
