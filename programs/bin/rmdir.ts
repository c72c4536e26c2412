// rmdir dir...: remove empty directories.
import { args, exit, rmdir, requireOperands, forEachPath } from "../lib";

const PROG = "rmdir";

let operands = args().slice(1);
requireOperands(PROG, operands);
exit(forEachPath(PROG, operands, rmdir) ? 0 : 1);
