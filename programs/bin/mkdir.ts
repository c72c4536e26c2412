// mkdir [-p] [-m mode] dir...: create directories; with -p, also their
// parents, and an existing directory is not an error.
import {
  args, exit, complain, complainErrno, mkdir, stat, Stat, Options, parseOctal, EEXIST,
} from "../lib";

const PROG = "mkdir";

function isDirectory(path: string): bool {
  let st = new Stat();
  return stat(path, st) >= 0 && st.isDir;
}

/** Creates `path` and any missing ancestors. Returns 0 or -errno. */
function makeParents(path: string, mode: i32): i32 {
  // Create each prefix ending before a "/", then the path itself.
  for (let i = 1; i <= path.length; i++) {
    if (i < path.length && path.charCodeAt(i) != 0x2f) continue;
    let prefix = path.substring(0, i);
    let err = mkdir(prefix, mode);
    if (err < 0 && !(err == -EEXIST && isDirectory(prefix))) return err;
  }
  return 0;
}

let options = new Options(args(), "pm:v");
if (options.error !== null || options.operands.length == 0) {
  complain(PROG, options.error !== null ? options.error! : "missing operand");
  exit(1);
}
let mode = 0o755;
if (options.has("m")) {
  mode = parseOctal(options.value("m"));
  if (mode < 0) {
    complain(PROG, "invalid mode '" + options.value("m") + "'");
    exit(1);
  }
}
let ok = true;
for (let i = 0; i < options.operands.length; i++) {
  let path = options.operands[i];
  let err = options.has("p") ? makeParents(path, mode) : mkdir(path, mode);
  if (err < 0) {
    complainErrno(PROG, path, err);
    ok = false;
  }
}
exit(ok ? 0 : 1);
