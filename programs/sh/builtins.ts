// Commands the shell runs itself, because they change the shell (cd, exit,
// export...) or are trivial (true, false, pwd).
import { stdout, stderr, chdir, getcwd, strerror, isInteger, toInteger, kill, parseKill, killList } from "../lib";
import { JobState } from "./jobs";
import { trapSignal } from "./trap";
import { ShellState } from "./state";
import { isValidName } from "./lexer";

const BUILTINS = ["cd", "pwd", "exit", "wait", "true", "false", ":", "export", "unset", "jobs", "fg", "bg", "kill", "trap"];

export function isBuiltin(name: string): bool {
  return BUILTINS.includes(name);
}

function complain(builtin: string, message: string): void {
  stderr.line("sh: " + builtin + ": " + message);
}

/**
 * Runs builtin argv[0]. In a subshell (a stage of a longer pipeline) it
 * must not change the shell itself, so cd, exit and friends only compute
 * their status.
 */
export function runBuiltin(state: ShellState, argv: string[], subshell: bool): i32 {
  let name = argv[0];
  if (name == "true" || name == ":") return 0;
  if (name == "false") return 1;
  if (name == "pwd") return pwd();
  if (name == "cd") return cd(state, argv, subshell);
  if (name == "exit") return exit(state, argv, subshell);
  if (name == "wait") return wait(state, argv);
  if (name == "export") return exportVariables(state, argv, subshell);
  if (name == "unset") return unset(state, argv, subshell);
  if (name == "jobs") return jobs(state);
  if (name == "fg" || name == "bg") return fgbg(state, argv, name == "fg", subshell);
  if (name == "kill") return killBuiltin(state, argv);
  if (name == "trap") return trap(state, argv, subshell);
  return 127;
}

function pwd(): i32 {
  let cwd = getcwd();
  if (cwd === null) {
    complain("pwd", "cannot determine the current directory");
    return 1;
  }
  stdout.line(cwd);
  return 0;
}

function cd(state: ShellState, argv: string[], subshell: bool): i32 {
  let vars = state.vars;
  let target = argv.length > 1 ? argv[1] : vars.valueOf("HOME");
  if (target == "") target = "/";
  let announce = false;
  if (target == "-") {
    target = vars.valueOf("OLDPWD");
    announce = true;
  }
  if (subshell) return 0;
  let previous = getcwd();
  let err = chdir(target);
  if (err < 0) {
    complain("cd", target + ": " + strerror(err));
    return 1;
  }
  let now = getcwd();
  if (previous !== null) vars.set("OLDPWD", previous);
  if (now !== null) vars.set("PWD", now);
  if (announce && now !== null) stdout.line(now);
  return 0;
}

function exit(state: ShellState, argv: string[], subshell: bool): i32 {
  let code = state.vars.lastStatus;
  if (argv.length > 1) {
    if (!isInteger(argv[1])) {
      complain("exit", argv[1] + ": numeric argument required");
      code = 2;
    } else {
      code = <i32>(toInteger(argv[1]) & 0xff);
    }
  }
  if (!subshell) state.requestExit(code);
  return code;
}

/** `wait`: all background jobs (status 0); `wait pid...`: the status of the last one. */
function wait(state: ShellState, argv: string[]): i32 {
  if (argv.length == 1) {
    state.jobs.waitAll();
    return 0;
  }
  let status = 0;
  for (let i = 1; i < argv.length; i++) {
    if (argv[i].startsWith("%")) {
      let job = state.jobs.find(argv[i]);
      if (job === null) { complain("wait", argv[i] + ": no such job"); status = 127; continue; }
      status = state.jobs.waitJob(job!);
      continue;
    }
    if (!isInteger(argv[i])) {
      complain("wait", "'" + argv[i] + "': not a pid");
      status = 2;
      continue;
    }
    status = state.jobs.waitPid(<i32>toInteger(argv[i]));
    if (status < 0) {
      complain("wait", "pid " + argv[i] + " is not a child of this shell");
      status = 127;
    }
  }
  return status;
}

/** `export NAME[=value]...`, or with no names, list the exported variables. */
function exportVariables(state: ShellState, argv: string[], subshell: bool): i32 {
  if (argv.length == 1) {
    let entries = state.vars.environment();
    entries.sort();
    for (let i = 0; i < entries.length; i++) stdout.line("export " + entries[i]);
    return 0;
  }
  let status = 0;
  for (let i = 1; i < argv.length; i++) {
    let arg = argv[i];
    let eq = arg.indexOf("=");
    let name = eq < 0 ? arg : arg.substring(0, eq);
    if (!isValidName(name)) {
      complain("export", "'" + arg + "': not a valid identifier");
      status = 1;
      continue;
    }
    if (subshell) continue;
    if (eq >= 0) state.vars.set(name, arg.substring(eq + 1));
    state.vars.export(name);
  }
  return status;
}

function unset(state: ShellState, argv: string[], subshell: bool): i32 {
  if (!subshell) {
    for (let i = 1; i < argv.length; i++) state.vars.unset(argv[i]);
  }
  return 0;
}

/** `jobs`: one line per job, as bash prints them. */
function jobs(state: ShellState): i32 {
  let table = state.jobs;
  table.poll(false);
  for (let i = 0; i < table.jobs.length; i++) stdout.line(table.describe(table.jobs[i]));
  // A finished job is reported once.
  for (let i = 0; i < table.jobs.length;) {
    if (table.jobs[i].state == JobState.Done) table.remove(table.jobs[i]); else i++;
  }
  return 0;
}

/** `fg [%N]` / `bg [%N]`: continue a job in the foreground or the background. */
function fgbg(state: ShellState, argv: string[], foreground: bool, subshell: bool): i32 {
  let name = foreground ? "fg" : "bg";
  if (subshell) { complain(name, "no job control"); return 1; }
  state.jobs.poll(false);
  let spec = argv.length > 1 ? argv[1] : "%+";
  let job = state.jobs.find(spec);
  if (job === null || job!.state == JobState.Done) {
    complain(name, (argv.length > 1 ? argv[1] : "current") + ": no such job");
    return 1;
  }
  return state.jobs.resume(job!, foreground);
}

/** The builtin kill: /bin/kill's operands, and %job for a job's process group. */
function killBuiltin(state: ShellState, argv: string[]): i32 {
  let a = parseKill(argv);
  if (a.list) return killList("kill", a.targets);
  if (a.error !== null) { complain("kill", a.error!); return 1; }
  let status = 0;
  for (let i = 0; i < a.targets.length; i++) {
    let target = a.targets[i];
    let err: i32;
    if (target.startsWith("%")) {
      let job = state.jobs.find(target);
      if (job === null) { complain("kill", target + ": no such job"); status = 1; continue; }
      err = state.jobs.signal(job!, a.sig);
    } else if (isInteger(target)) {
      err = kill(<i32>toInteger(target), a.sig);
    } else {
      complain("kill", target + ": arguments must be process or job IDs");
      status = 1;
      continue;
    }
    if (err < 0) { complain("kill", target + ": " + strerror(err)); status = 1; }
  }
  return status;
}

/** `trap 'cmd' SIG...`, `trap - SIG...`, `trap '' SIG...`, `trap` (list). */
function trap(state: ShellState, argv: string[], subshell: bool): i32 {
  let traps = state.traps;
  if (argv.length == 1) { traps.list(); return 0; }
  let first = 1;
  if (argv[first] == "--") first++;
  let action: string | null = argv[first];
  let sigs = argv.slice(first + 1);
  // `trap SIG...` with a signal first and nothing else: reset (as `trap - SIG`).
  if (action == "-") action = null;
  else if (sigs.length == 0 && trapSignal(action!) >= 0) { sigs = [action!]; action = null; }
  let status = 0;
  for (let i = 0; i < sigs.length; i++) {
    let sig = trapSignal(sigs[i]);
    if (sig < 0) { complain("trap", sigs[i] + ": invalid signal specification"); status = 1; continue; }
    if (subshell) continue;
    if (traps.set(action, sig) != 0) { complain("trap", sigs[i] + ": cannot be trapped"); status = 1; }
  }
  return status;
}
