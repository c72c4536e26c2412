// touch file...: create files that do not exist (times are not changed:
// the ABI has no call for it yet).
import { args, exit, complain, complainErrno, open, close, O_WRONLY, O_CREAT } from "../lib";

const PROG = "touch";

let argv = args();
if (argv.length < 2) {
  complain(PROG, "missing file operand");
  exit(1);
}
let ok = true;
for (let i = 1; i < argv.length; i++) {
  let fd = open(argv[i], O_WRONLY | O_CREAT);
  if (fd < 0) {
    complainErrno(PROG, argv[i], fd);
    ok = false;
  } else {
    close(fd);
  }
}
exit(ok ? 0 : 1);
