// Guests for tests/faults.test.mjs: `faults spin [FILE]` says "spinning
// <pid>" (on stdout, or in FILE) and then computes for ever without a single
// syscall (only a kill from outside ends it); `faults sleep MS` sleeps in
// the kernel.
import { args, exit, getpid, nanosleep, open, write, close, O_WRONLY, O_CREAT, O_TRUNC } from "./imports";
import { say } from "./common";

const a = args();
const what = a.length > 1 ? a[1] : "";

if (what == "spin") {
  if (a.length > 2) {
    const fd = open(a[2], O_WRONLY | O_CREAT | O_TRUNC);
    write(fd, "spinning " + getpid().toString() + "\n");
    close(fd);
  } else {
    say("spinning", getpid().toString());
  }
  let x: u32 = 1;
  // The loop's condition depends on x, so it cannot be optimised away.
  while (x != 0) x = x * 1664525 + 1013904223 | 1;
  say("survived", x.toString());
  exit(0);
} else if (what == "sleep") {
  nanosleep(<i64>I32.parseInt(a[2], 10) * 1000000);
  exit(0);
}
say("unknown-case", what);
exit(2);
