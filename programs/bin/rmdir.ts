// rmdir dir...: remove empty directories.
import { args, exit, complain, complainErrno, rmdir } from "../lib";

const PROG = "rmdir";

let argv = args();
if (argv.length < 2) {
  complain(PROG, "missing operand");
  exit(1);
}
let ok = true;
for (let i = 1; i < argv.length; i++) {
  let err = rmdir(argv[i]);
  if (err < 0) {
    complainErrno(PROG, argv[i], err);
    ok = false;
  }
}
exit(ok ? 0 : 1);
