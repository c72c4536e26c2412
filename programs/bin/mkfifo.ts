// mkfifo [-m mode] name...: create named pipes.
import { exit, mkfifo, parseOptions, modeOption, forEachPath } from "../lib";

const PROG = "mkfifo";

let options = parseOptions(PROG, "m:", "missing operand");
let mode = modeOption(PROG, options, 0o644);

function makeFifo(path: string): i32 { return mkfifo(path, mode); }

exit(forEachPath(PROG, options.operands, makeFifo) ? 0 : 1);
