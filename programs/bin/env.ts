// env [-i] [-u NAME]... [NAME=value]... [command [arg...]]: run a command
// in a modified environment, or print the environment.
import {
  args, env, exit, stdout, complain, complainErrno, spawn, waitpid, statusCode, findProgram,
  ENOENT,
} from "../lib";

const PROG = "env";

/** `entries` without any "NAME=..." for `name`. */
function without(entries: string[], name: string): string[] {
  let prefix = name + "=";
  let result = new Array<string>();
  for (let i = 0; i < entries.length; i++) {
    if (!entries[i].startsWith(prefix)) result.push(entries[i]);
  }
  return result;
}

function lookup(entries: string[], name: string): string {
  let prefix = name + "=";
  for (let i = 0; i < entries.length; i++) {
    if (entries[i].startsWith(prefix)) return entries[i].substring(prefix.length);
  }
  return "";
}

let argv = args();
let environment = env();
let i = 1;
for (; i < argv.length; i++) {
  let arg = argv[i];
  if (arg == "-i" || arg == "-") {
    environment = [];
  } else if (arg == "-u" && i + 1 < argv.length) {
    environment = without(environment, argv[++i]);
  } else if (arg.indexOf("=") > 0) {
    environment = without(environment, arg.substring(0, arg.indexOf("="))).concat([arg]);
  } else {
    break;
  }
}

if (i >= argv.length) {
  for (let j = 0; j < environment.length; j++) stdout.line(environment[j]);
  exit(0);
}
let command = argv.slice(i);
let path = findProgram(command[0], lookup(environment, "PATH"));
if (path === null) {
  complainErrno(PROG, command[0], -ENOENT);
  exit(127);
}
let pid = spawn(path!, command, environment);
if (pid < 0) {
  complainErrno(PROG, command[0], pid);
  exit(pid == -ENOENT ? 127 : 126);
}
let result = waitpid(pid);
if (result.pid < 0) {
  complain(PROG, "lost the child");
  exit(125);
}
exit(statusCode(result.status));
