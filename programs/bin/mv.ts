// mv source dest | mv source... dir: rename files.
import { args, exit, rename, forEachPath, SourcesAndDest } from "../lib";

const PROG = "mv";

let operands = new SourcesAndDest(PROG, args().slice(1));

function move(source: string): i32 {
  return rename(source, operands.targetFor(source));
}

exit(forEachPath(PROG, operands.sources, move) ? 0 : 1);
