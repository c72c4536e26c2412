// cp source dest | cp source... dir: copy files (not directories).
import { args, exit, complain, copyFile, forEachOperand, isDirectory, SourcesAndDest } from "../lib";

const PROG = "cp";

let operands = new SourcesAndDest(PROG, args().slice(1));

/** Copies one source; false after reporting an error. */
function copyOne(source: string): bool {
  if (isDirectory(source)) {
    complain(PROG, "-r not specified; omitting directory '" + source + "'");
    return false;
  }
  return copyFile(PROG, source, operands.targetFor(source));
}

exit(forEachOperand(operands.sources, copyOne) ? 0 : 1);
