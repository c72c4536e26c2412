// The console's job control, from a guest: tcgetpgrp/tcsetpgrp and their
// errors, and a read of the console from a background group.
//   tty errors        every error tcgetpgrp/tcsetpgrp have, one line each
//   tty bgset [ign]   starts `tty bgset-child` in a group of its own, which calls tcsetpgrp
//                     from the background: stopped by SIGTTOU, or with SIGTTOU ignored it goes through
//   tty orphan        starts `tty orphan-child` in a group of its own and exits:
//                     the child's group is orphaned, so its read of the console is EIO
import {
  args, exit, stdout, getpid, getppid, getpgid, tcgetpgrp, tcsetpgrp, read, pipe, spawn, nanosleep,
  setpgroupAction, FileAction, close, waitpid, kill, signalDisposition, SIG_IGN, SIGTTOU, SIGKILL,
  WUNTRACED, WIFSTOPPED, WSTOPSIG,
} from "../../../programs/lib";
import { out } from "./common";

const argv = args();
const mode = argv.length > 1 ? argv[1] : "";

if (mode == "errors") {
  const me = getpid();
  out("pgrp", tcgetpgrp(0) == getpgid(0) ? 1 : 0);   // a login's group is in the foreground
  out("get-badfd", tcgetpgrp(99));
  out("get-neg", tcgetpgrp(-1));
  const p = pipe(0);
  out("get-pipe", tcgetpgrp(p.reader));
  out("set-pipe", tcsetpgrp(p.reader, me));
  out("set-badfd", tcsetpgrp(99, me));
  out("set-neg", tcsetpgrp(0, -5));
  out("set-none", tcsetpgrp(0, 999999));
  out("set-other-session", tcsetpgrp(0, 1));   // init's group: the runtime's session
  out("set-self", tcsetpgrp(0, getpgid(0)));
  exit(0);
} else if (mode == "bgset") {
  const ign = argv.length > 2 ? "ign" : "";
  const pid = spawn(argv[0], [argv[0], "bgset-child", ign], [], [setpgroupAction(0)]);
  const r = waitpid(pid, WUNTRACED);
  out("child-stopped-by", WIFSTOPPED(r.status) ? WSTOPSIG(r.status) : 0);
  if (WIFSTOPPED(r.status)) { kill(pid, SIGKILL); waitpid(pid, 0); }
  exit(0);
} else if (mode == "bgset-child") {
  if (argv.length > 2 && argv[2] == "ign") signalDisposition(SIGTTOU, SIG_IGN);
  out("tcsetpgrp", tcsetpgrp(0, getpgid(0)));
  out("foreground", tcgetpgrp(0) == getpgid(0) ? 1 : 0);
  exit(0);
} else if (mode == "orphan") {
  // The session leader stays, so the console stays the session's; `orphan-mid`
  // (in our group) starts the child in a new group and exits: nobody in the
  // session is left to continue that group. A pipe tells us when both are gone.
  const p = pipe(0);
  spawn(argv[0], [argv[0], "orphan-mid"], [], [FileAction.close(p.reader)]);
  close(p.writer);
  read(p.reader, new Uint8Array(1));   // EOF: the last writer (the child) has exited
  exit(0);
} else if (mode == "orphan-mid") {
  const actions: FileAction[] = [setpgroupAction(0)];
  out("spawn", spawn(argv[0], [argv[0], "orphan-child"], [], actions) > 0 ? 1 : 0);
  exit(0);
} else if (mode == "orphan-child") {
  while (getppid() != 1) nanosleep(1000000);   // until the parent has gone
  out("foreground", tcgetpgrp(0) == getpgid(0) ? 1 : 0);
  out("read", read(0, new Uint8Array(16)));
  exit(0);
}
stdout.line("usage: tty errors|bgset [ign]|orphan");
exit(2);
