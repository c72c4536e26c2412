// mv source dest | mv source... dir: rename files.
import { args, exit, complain, complainErrno, rename, stat, Stat, joinPath, basename } from "../lib";

const PROG = "mv";

function isDirectory(path: string): bool {
  let st = new Stat();
  return stat(path, st) >= 0 && st.isDir;
}

let operands = args().slice(1);
if (operands.length < 2) {
  complain(PROG, operands.length == 0 ? "missing file operand" : "missing destination file operand after '" + operands[0] + "'");
  exit(1);
}
let dest = operands[operands.length - 1];
let sources = operands.slice(0, operands.length - 1);
let intoDirectory = isDirectory(dest);
if (sources.length > 1 && !intoDirectory) {
  complain(PROG, "target '" + dest + "' is not a directory");
  exit(1);
}
let ok = true;
for (let i = 0; i < sources.length; i++) {
  let target = intoDirectory ? joinPath(dest, basename(sources[i])) : dest;
  let err = rename(sources[i], target);
  if (err < 0) {
    complainErrno(PROG, sources[i], err);
    ok = false;
  }
}
exit(ok ? 0 : 1);
