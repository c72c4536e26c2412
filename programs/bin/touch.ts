// touch file...: create files that do not exist (times are not changed:
// the ABI has no call for it yet).
import { args, exit, open, close, requireOperands, forEachPath, O_WRONLY, O_CREAT } from "../lib";

const PROG = "touch";

/** Creates `path` if it does not exist. Returns 0 or -errno. */
function touch(path: string): i32 {
  let fd = open(path, O_WRONLY | O_CREAT);
  if (fd < 0) return fd;
  close(fd);
  return 0;
}

let operands = args().slice(1);
requireOperands(PROG, operands, "missing file operand");
exit(forEachPath(PROG, operands, touch) ? 0 : 1);
