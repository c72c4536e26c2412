// rm [-rf] path...: remove files; with -r, directories and their contents.
// With -f, missing files are not an error.
import {
  exit, complain, complainErrno, unlink, rmdir, readDir, DirEntry,
  joinPath, parseOptions, forEachOperand, ENOENT, EISDIR,
} from "../lib";

const PROG = "rm";

let options = parseOptions(PROG, "rRfiv");
let recursive = options.has("r") || options.has("R");
let force = options.has("f");
if (options.operands.length == 0 && !force) {
  complain(PROG, "missing operand");
  exit(1);
}

/**
 * Removes `path` (recursively if allowed); returns false after reporting a
 * failure. unlink comes first and says EISDIR for a directory: a symlink is
 * removed itself, never followed (there is no lstat to ask first).
 */
function remove(path: string): bool {
  let err = unlink(path);
  if (err != -EISDIR) return report(path, err);
  if (!recursive) return report(path, -EISDIR);
  return removeContents(path) && report(path, rmdir(path));
}

function removeContents(dir: string): bool {
  let entries = new Array<DirEntry>();
  let err = readDir(dir, entries);
  if (err < 0) return report(dir, err);
  let ok = true;
  for (let i = 0; i < entries.length; i++) {
    if (!remove(joinPath(dir, entries[i].name))) ok = false;
  }
  return ok;
}

function report(path: string, err: i32): bool {
  if (err >= 0 || (err == -ENOENT && force)) return true;
  complainErrno(PROG, path, err);
  return false;
}

exit(forEachOperand(options.operands, remove) ? 0 : 1);
