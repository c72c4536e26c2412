// fork and exec with signals (#14): a forked child has its parent's
// dispositions (the same handler functions) and mask, nothing pending; exec
// resets handled signals to SIG_DFL and keeps ignored ones, the mask and
// what is pending. `sigfork fork | exec | show`.
import {
  args, exit, stdout, getpid, waitpid, SIGUSR1, SIGUSR2, SIGTERM, SIG_IGN, SIG_BLOCK,
  SigAction, sigaction, handle, sigprocmask, sigmask, sigpending, raise, sigbit,
} from "./imports";
import { out, say } from "./common";

export { __wasmux_sigtramp } from "../../../programs/lib";

@external("wasmux", "fork") declare function fork(): i32;
@external("wasmux", "execve") declare function execve(path: usize, plen: usize, argv: usize, argc: i32, envp: usize, envc: i32): i32;

const a = args();
const self = a[0];
const what = a.length > 1 ? a[1] : "";
let log = "";
function onSig(sig: i32): void { log += "h" + sig.toString(); }

function onForkInHandler(sig: i32): void {
  const r = fork();
  if (r == 0) exit(0);
  log += "fork " + (r < 0 ? r.toString() : "pid");
}

function show(who: string): void {
  const o = new SigAction();
  sigaction(SIGUSR1, null, o);
  say(who + "-usr1", o.handler == <u32>onSig.index ? "handler" : o.handler.toString());
  sigaction(SIGUSR2, null, o); out(who + "-usr2", o.handler);
  say(who + "-mask", sigmask().toString(16));
  say(who + "-pending", sigpending().toString(16));
}

function setup(): void {
  handle(SIGUSR1, onSig);
  sigaction(SIGUSR2, new SigAction(<u32>SIG_IGN));
  sigprocmask(SIG_BLOCK, sigbit(SIGTERM));
  raise(SIGTERM);   // pending, blocked
}

if (what == "fork") {
  setup();
  stdout.flush();
  const pid = fork();
  if (pid == 0) {
    show("child");
    raise(SIGUSR1);
    say("child-log", log);
    stdout.flush();
    exit(0);
  }
  const w = waitpid(pid);
  out("child-status", w.status);
  show("parent");
} else if (what == "exec") {
  setup();
  stdout.flush();
  const p = String.UTF8.encode(self);
  const s1 = String.UTF8.encode(self), s2 = String.UTF8.encode("show");
  const argv = new Uint32Array(4);
  argv[0] = <u32>changetype<usize>(s1); argv[1] = <u32>s1.byteLength;
  argv[2] = <u32>changetype<usize>(s2); argv[3] = <u32>s2.byteLength;
  out("execve", execve(changetype<usize>(p), <usize>p.byteLength, argv.dataStart, 2, 0, 0));
} else if (what == "handler-fork") {
  // fork from inside a handler cannot unwind through the host's frames: ENOSYS, and the process goes on.
  handle(SIGUSR1, onForkInHandler);
  raise(SIGUSR1);
  say("after", log);
} else if (what == "show") {
  show("exec");
}
stdout.flush();
