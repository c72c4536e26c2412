// mkdir [-p] [-m mode] dir...: create directories; with -p, also their
// parents, and an existing directory is not an error.
import { exit, mkdir, isDirectory, parseOptions, modeOption, forEachPath, EEXIST } from "../lib";

const PROG = "mkdir";

let options = parseOptions(PROG, "pm:v", "missing operand");
let mode = modeOption(PROG, options, 0o755);
let parents = options.has("p");

/** Creates `path` and any missing ancestors. Returns 0 or -errno. */
function makeParents(path: string): i32 {
  // Create each prefix ending before a "/", then the path itself.
  for (let i = 1; i <= path.length; i++) {
    if (i < path.length && path.charCodeAt(i) != 0x2f) continue;
    let prefix = path.substring(0, i);
    let err = mkdir(prefix, mode);
    if (err < 0 && !(err == -EEXIST && isDirectory(prefix))) return err;
  }
  return 0;
}

function makeDirectory(path: string): i32 {
  return parents ? makeParents(path) : mkdir(path, mode);
}

exit(forEachPath(PROG, options.operands, makeDirectory) ? 0 : 1);
