// Signals (#14): handlers, masks, interrupted calls, stop/continue, SIGCHLD.
// `sig <case>`; argv[0] is this program's path. A case that needs another
// process to send a signal while it blocks spawns `sig poke`, which waits
// until ps shows the target sleeping (blocked in the kernel), then sends.
import {
  args, exit, stdout, spawn, waitpid, getpid, kill, nanosleep, pipe, read, write, close, open, mkfifo,
  O_RDONLY, O_WRONLY, O_NONBLOCK, WNOHANG, WUNTRACED, WCONTINUED, PSTATE_SLEEPING, PSTATE_STOPPED,
  SIGUSR1, SIGUSR2, SIGTERM, SIGKILL, SIGSTOP, SIGCONT, SIGCHLD, SIGALRM, SIG_IGN, SIG_DFL,
  SIG_BLOCK, SIG_UNBLOCK, SIG_SETMASK, SA_RESTART, SA_NODEFER, SA_RESETHAND, SA_NOCLDWAIT, SA_SIGINFO,
  SI_QUEUE, SIGQUEUE_MAX,
  SigAction, SigInfo, sigaction, handle, handleInfo, sigprocmask, sigmask, sigpending, sigsuspend, sigtimedwait,
  sigqueue, raise, sigbit, sleepLeft, WIFSTOPPED, WSTOPSIG, WIFCONTINUED, WIFSIGNALED, WTERMSIG, WEXITSTATUS,
} from "./imports";
import * as sys from "../../../programs/lib/sys";
import { out, say, waitState } from "./common";

export { __wasmux_sigtramp } from "../../../programs/lib";

@external("wasmux", "waitid") declare function waitid(idtype: i32, id: i32, info: usize, options: i32): i32;
@external("wasi_snapshot_preview1", "poll_oneoff") declare function poll_oneoff(sin: usize, sout: usize, nsubs: i32, nevents: usize): i32;

const a = args();
const self = a[0];
const what = a.length > 1 ? a[1] : "";

let depthN = 0;
function onMasked(sig: i32): void {
  note("usr1-begin");
  raise(SIGUSR2);
  note("usr1-end");
}
function onNested(sig: i32): void {
  const d = ++depthN;
  note("in" + d.toString());
  if (d == 1) raise(SIGALRM);
  note("out" + d.toString());
}

let log = "";
let count = 0;
function note(s: string): void { log += (log.length > 0 ? " " : "") + s; }

function onSig(sig: i32): void { count++; note("h" + sig.toString()); }
let busyFlag: usize = 0;
function onBusy(sig: i32): void { note("h" + sig.toString()); store<i32>(busyFlag, 1); }
function onInfo(sig: i32, info: usize, ctx: usize): void {
  const s = SigInfo.from(info);
  note(sig.toString() + ":" + s.value.toString());
}
function onDeep(sig: i32, info: usize, ctx: usize): void {
  const level = SigInfo.from(info).value;
  say("enter", level.toString());
  if (level < 12) sigqueue(getpid(), SIGUSR1, level + 1);
  const now = SigInfo.from(info).value;
  say("leave", level.toString() + (now == level ? "" : " corrupted: " + now.toString()));
}
function onChld(sig: i32, info: usize, ctx: usize): void {
  const s = SigInfo.from(info);
  note("chld" + s.code.toString() + "/" + s.value.toString());
}

/** `sig poke <pid> <sig> [markfd datafd data]`: sends when <pid> sleeps; optionally, after the handler marks, writes data once it sleeps again. */
function poke(target: i32, sig: i32, markfd: i32, datafd: i32, data: string): void {
  if (waitState(target, PSTATE_SLEEPING) != 0) { say("poke", "never slept"); exit(1); }
  kill(target, sig);
  if (markfd >= 0) {
    const b = new Uint8Array(1);
    read(markfd, b);
    if (waitState(target, PSTATE_SLEEPING) != 0) { say("poke", "never slept again"); exit(1); }
    write(datafd, data);
  }
  exit(0);
}

function spawnPoke(sig: i32, markfd: i32 = -1, datafd: i32 = -1, data: string = ""): i32 {
  return spawn(self, [self, "poke", getpid().toString(), sig.toString(), markfd.toString(), datafd.toString(), data], []);
}

let markWriter = -1;
function onMark(sig: i32): void { count++; note("h" + sig.toString()); write(markWriter, "m"); }

function readCase(flags: u32): void {
  const p = pipe();
  const mark = pipe();
  markWriter = mark.writer;
  out("sigaction", handle(SIGUSR1, onMark, flags));
  const child = spawnPoke(SIGUSR1, mark.reader, p.writer, "hello");
  const buf = new Uint8Array(16);
  const n = sys.read(p.reader, buf.dataStart, 16);   // the library's read retries EINTR
  if (n > 0) say("read", n.toString() + " " + String.UTF8.decodeUnsafe(buf.dataStart, <usize>n));
  else out("read", n);
  say("log", log);
  out("reap", waitpid(child).pid > 0 ? 0 : -1);
}

if (what == "poke") {
  poke(I32.parseInt(a[2]), I32.parseInt(a[3]), I32.parseInt(a[4]), I32.parseInt(a[5]), a.length > 6 ? a[6] : "");
} else if (what == "eintr") {
  readCase(0);
} else if (what == "restart") {
  readCase(<u32>SA_RESTART);
} else if (what == "partial") {
  // A write bigger than the pipe blocks once it is full; the handler ends it with the count moved.
  const p = pipe();
  handle(SIGUSR1, onSig, <u32>SA_RESTART);
  const child = spawnPoke(SIGUSR1);
  const big = new Uint8Array(200000);
  out("write", sys.write(p.writer, big.dataStart, 200000));   // the library's write retries
  say("log", log);
  waitpid(child);
} else if (what == "rt") {
  // Blocked, then released at once: standard ones coalesce, real-time ones queue with their values.
  const set = sigbit(SIGUSR1) | sigbit(SIGUSR2) | sigbit(35) | sigbit(40);
  sigprocmask(SIG_BLOCK, set);
  for (let s = SIGUSR1; s <= SIGUSR2; s += 2) handleInfo(s, onInfo);
  handleInfo(35, onInfo); handleInfo(40, onInfo);
  const me = getpid();
  out("q40a", sigqueue(me, 40, 1));
  out("q35a", sigqueue(me, 35, 2));
  out("q40b", sigqueue(me, 40, 3));
  out("q35b", sigqueue(me, 35, 4));
  out("usr2", sigqueue(me, SIGUSR2, 5));
  out("usr1a", sigqueue(me, SIGUSR1, 6));
  out("usr1b", sigqueue(me, SIGUSR1, 7));
  say("pending", sigpending().toString(16));
  say("before", log);
  sigprocmask(SIG_UNBLOCK, set);
  say("after", log);
  say("pending-after", sigpending().toString(16));
} else if (what == "limit") {
  sigprocmask(SIG_BLOCK, sigbit(40));
  let ok = 0;
  for (let i = 0; i < SIGQUEUE_MAX; i++) if (sigqueue(getpid(), 40, i) == 0) ok++;
  out("queued", ok);
  out("one-more", sigqueue(getpid(), 40, 99));
  out("kill-rt", kill(getpid(), 41));
} else if (what == "mask") {
  // sa_mask holds USR2 off during the USR1 handler; NODEFER lets a handler nest in itself; RESETHAND runs once.
  handle(SIGUSR1, onMasked, 0, sigbit(SIGUSR2));
  handle(SIGUSR2, onSig);
  raise(SIGUSR1);
  say("masked", log);
  log = "";
  handle(SIGALRM, onNested, <u32>SA_NODEFER);
  raise(SIGALRM);
  say("nodefer", log);
  log = "";
  handle(SIGALRM, onNested, 0);
  depthN = 0;
  raise(SIGALRM);
  say("defer", log);
  log = "";
  handle(SIGUSR2, onSig, <u32>SA_RESETHAND);
  raise(SIGUSR2);
  const old = new SigAction();
  sigaction(SIGUSR2, null, old);
  say("resethand", log + " now " + old.handler.toString());
  say("mask-after", sigmask().toString(16));
} else if (what == "suspend") {
  sigprocmask(SIG_BLOCK, sigbit(SIGUSR1));
  handle(SIGUSR1, onSig);
  const child = spawnPoke(SIGUSR1);
  out("sigsuspend", sigsuspend(0));
  say("log", log);
  say("mask", sigmask().toString(16));
  waitpid(child);
} else if (what == "timedwait") {
  sigprocmask(SIG_BLOCK, sigbit(SIGUSR2));
  out("timeout", sigtimedwait(sigbit(SIGUSR2), null, 20000000));
  out("poll", sigtimedwait(sigbit(SIGUSR2), null, 0));
  sigqueue(getpid(), SIGUSR2, 77);
  const info = new SigInfo();
  out("got", sigtimedwait(sigbit(SIGUSR2), info, -1));
  say("info", info.signo.toString() + " " + info.code.toString() + " " + info.value.toString() + " " + (info.pid == getpid() ? "self" : "other"));
  handle(SIGUSR1, onSig);
  const child = spawnPoke(SIGUSR1);
  out("interrupted", sigtimedwait(sigbit(SIGUSR2), null, -1));
  say("log", log);
  waitpid(child);
} else if (what == "sleep") {
  handle(SIGUSR1, onSig, <u32>SA_RESTART);   // nanosleep is never restarted
  const child = spawnPoke(SIGUSR1);
  out("nanosleep", nanosleep(<i64>30 * 1000000000));
  const left = sleepLeft();
  say("left", left > 0 && left < <i64>30 * 1000000000 ? "ok" : left.toString());
  waitpid(child);
} else if (what == "waitpid") {
  handle(SIGUSR1, onSig);
  const sleeper = spawn(self, [self, "sleeper"], []);
  const child = spawnPoke(SIGUSR1);
  out("waitpid", sys.waitpid(sleeper, 0, 0));   // the library's waitpid retries EINTR
  say("log", log);
  kill(sleeper, SIGKILL);
  waitpid(sleeper); waitpid(child);
} else if (what == "fifo") {
  // A FIFO open interrupted gives its half-open end back: a reader then sees no writer (EOF).
  mkfifo("/tmp/sig-fifo");
  handle(SIGUSR1, onSig);
  const child = spawnPoke(SIGUSR1);
  out("open", open("/tmp/sig-fifo", O_WRONLY));
  const r = open("/tmp/sig-fifo", O_RDONLY | O_NONBLOCK);
  out("read", sys.read(r, changetype<usize>(memory.data(4)), 4));
  waitpid(child);
} else if (what == "poll") {
  // poll_oneoff on a clock: interrupted, never restarted (WASI errno EINTR 27).
  handle(SIGUSR1, onSig, <u32>SA_RESTART);
  const child = spawnPoke(SIGUSR1);
  const sub = memory.data(48, 8);
  const ev = memory.data(32, 8);
  const n = memory.data(4, 4);
  store<u64>(sub, 7); store<u8>(sub + 8, 0);                   // userdata, EVENTTYPE_CLOCK
  store<u32>(sub + 16, 1); store<u64>(sub + 24, <u64>30 * 1000000000); store<u64>(sub + 32, 0); store<u16>(sub + 40, 0);
  out("poll", poll_oneoff(sub, ev, 1, n));
  say("log", log);
  waitpid(child);
} else if (what == "perm") {
  // A process that gave up root may signal only its own uid's processes (SIGCONT: its session's).
  const root = spawn(self, [self, "sleeper"], []);
  const c = spawn(self, [self, "perm-child", root.toString()], []);
  out("child", waitpid(c).status);
  kill(root, SIGKILL);
  out("root-reaped", WTERMSIG(waitpid(root).status));
} else if (what == "perm-child") {
  const root = I32.parseInt(a[2]);
  out("setuid", sys.setuid(1000));
  out("uid", sys.getuid());
  out("setuid-back", sys.setuid(0));
  out("setuid-neg", sys.setuid(-1));
  out("kill-root", kill(root, SIGTERM));
  out("probe-root", kill(root, 0));
  out("kill-parent", kill(sys.getppid(), SIGTERM));
  out("queue-root", sigqueue(root, SIGUSR1, 1));
  out("cont-root", kill(root, SIGCONT));
  out("kill-self", kill(getpid(), 0));
  out("kill-all", kill(-1, SIGTERM));
  out("kill-esrch", kill(99999, SIGTERM));
} else if (what == "sleeper") {
  while (true) nanosleep(<i64>1000000000);
} else if (what == "stop") {
  handleInfo(SIGCHLD, onChld);
  const c = spawn(self, [self, "sleeper"], []);
  waitState(c, PSTATE_SLEEPING);
  out("stop", kill(c, SIGSTOP));
  let w = waitpid(c, WUNTRACED);
  say("stopped", (WIFSTOPPED(w.status) ? "yes " : "no ") + WSTOPSIG(w.status).toString() + " " + w.status.toString(16));
  out("ps-T", waitState(c, PSTATE_STOPPED, 1000));
  out("nohang", waitpid(c, WNOHANG | WUNTRACED).pid);
  out("cont", kill(c, SIGCONT));
  w = waitpid(c, WCONTINUED);
  say("continued", WIFCONTINUED(w.status) ? "yes" : "no " + w.status.toString(16));
  out("term", kill(c, SIGTERM));
  w = waitpid(c);
  say("ended", WIFSIGNALED(w.status) ? "signal " + WTERMSIG(w.status).toString() : "status " + w.status.toString());
  out("flush", kill(getpid(), 0));
  say("sigchld", log);
} else if (what == "waitid") {
  // waitid's WSTOPPED / WCONTINUED: CLD_STOPPED with the signal, CLD_CONTINUED with SIGCONT, each told once.
  const c = spawn(self, [self, "sleeper"], []);
  waitState(c, PSTATE_SLEEPING);
  const info = memory.data(128, 8);
  const show = (label: string, r: i32, info: usize): void => {
    const s = SigInfo.from(info);
    say(label, r.toString() + " " + s.signo.toString() + " " + s.code.toString() + " " + (s.pid == 0 ? "0" : "child") + " " + s.value.toString());
  };
  kill(c, SIGSTOP);
  show("stopped", waitid(1, c, info, 2), info);
  show("again", waitid(1, c, info, 2 | WNOHANG), info);
  kill(c, SIGCONT);
  show("continued", waitid(1, c, info, 8), info);
  kill(c, SIGKILL);
  show("killed", waitid(1, c, info, 4), info);
} else if (what == "autoreap") {
  const how = a[2];
  if (how == "ign") sigaction(SIGCHLD, new SigAction(<u32>SIG_IGN));
  else handle(SIGCHLD, onSig, <u32>SA_NOCLDWAIT);
  const c = spawn(self, [self, "exit3"], []);
  out("waitpid", waitpid(c).pid);
  out("again", waitpid(-1).pid);
  say("log", log);
} else if (what == "exit3") {
  exit(3);
} else if (what == "inherit") {
  // A spawned child's view is exec's: handled -> default, ignored and the mask kept.
  handle(SIGUSR1, onSig);
  sigaction(SIGUSR2, new SigAction(<u32>SIG_IGN));
  sigprocmask(SIG_BLOCK, sigbit(SIGTERM));
  raise(SIGTERM);   // pending in the parent: the child starts with nothing pending
  const c = spawn(self, [self, "show"], []);
  waitpid(c);
} else if (what == "show") {
  const o = new SigAction();
  sigaction(SIGUSR1, null, o); out("usr1", o.handler);
  sigaction(SIGUSR2, null, o); out("usr2", o.handler);
  say("mask", sigmask().toString(16));
  say("pending", sigpending().toString(16));
} else if (what == "bad") {
  const BAD: usize = 0xfffffff0;
  const act = memory.data(16, 8);
  store<u32>(act, <u32>SIG_IGN);
  out("sigaction-0", sys.sigaction(0, act, 0));
  out("sigaction-65", sys.sigaction(65, act, 0));
  out("sigaction-kill", sys.sigaction(SIGKILL, act, 0));
  out("sigaction-stop", sys.sigaction(SIGSTOP, act, 0));
  out("sigaction-kill-query", sys.sigaction(SIGKILL, 0, act));
  out("sigaction-efault", sys.sigaction(SIGUSR1, BAD, 0));
  out("sigaction-old-efault", sys.sigaction(SIGUSR1, 0, BAD));
  out("sigprocmask-how", sys.sigprocmask(7, act, 0));
  out("sigprocmask-how-noset", sys.sigprocmask(7, 0, 0));
  out("sigprocmask-efault", sys.sigprocmask(SIG_BLOCK, BAD, 0));
  out("sigprocmask-old-efault", sys.sigprocmask(SIG_BLOCK, 0, BAD));
  store<u64>(act, sigbit(SIGKILL) | sigbit(SIGSTOP) | sigbit(SIGUSR1));
  sys.sigprocmask(SIG_SETMASK, act, 0);
  say("unblockable-dropped", sigmask().toString(16));
  out("sigpending-efault", sys.sigpending(BAD));
  out("sigsuspend-efault", sys.sigsuspend(BAD));
  out("sigtimedwait-efault", sys.sigtimedwait(BAD, 0, 0));
  out("sigtimedwait-info-efault", sys.sigtimedwait(act, BAD, 0));
  out("sigtimedwait-einval", sys.sigtimedwait(act, 0, -5));
  out("sigreturn-efault", sys.sigreturn(BAD));
  out("sigtake-none", sys.sigtake(BAD, BAD));
  out("sleepleft-efault", sys.sleepleft(BAD));
  out("kill-esrch", kill(99999, 0));
  out("kill-einval", kill(getpid(), 65));
  out("kill-neg", kill(getpid(), -1));
  out("kill-exists", kill(getpid(), 0));
  out("kill-init", kill(1, SIGTERM));
  out("sigqueue-esrch", sigqueue(-4, SIGUSR1, 0));
  out("sigqueue-einval", sigqueue(getpid(), 70, 0));
} else if (what == "badhandler") {
  // An index that is no function of the handler's type: the trampoline's call_indirect traps.
  const act = memory.data(16, 8);
  store<u32>(act, 99999);
  out("install", sys.sigaction(SIGUSR1, act, 0));
  raise(SIGUSR1);
  say("survived", "yes");
} else if (what == "busy") {
  // A handler runs in a loop that makes no syscall (the safepoint pass's
  // checks deliver it), then the loop goes on until SIGKILL. The flag is
  // read from memory the loop also stores to, so it is never hoisted.
  busyFlag = memory.data(4);
  const scratch = memory.data(64);
  handle(SIGUSR1, onBusy);
  say("busy", "yes");
  let x: u32 = 1;
  while (load<i32>(busyFlag) == 0) { x = x * 1103515245 + 12345; store<u32>(scratch + ((x >> 28) << 2), x); }
  say("handled", log);
  for (;;) { x = x * 1103515245 + 12345; store<u32>(scratch + ((x >> 28) << 2), x); }
} else if (what == "deep") {
  // SA_NODEFER handlers nested by sigqueue from inside each: level n sends n+1
  // and, once it returns, checks its own siginfo is still its own.
  handleInfo(SIGUSR1, onDeep, SA_NODEFER);
  sigqueue(getpid(), SIGUSR1, 1);
  say("unreached", "no");
} else if (what == "ignored") {
  sigaction(SIGTERM, new SigAction(<u32>SIG_IGN));
  raise(SIGTERM);
  sigaction(SIGTERM, new SigAction(<u32>SIG_DFL));
  say("alive", "yes");
  sigprocmask(SIG_BLOCK, sigbit(SIGTERM));
  raise(SIGTERM);
  say("blocked", sigpending().toString(16));
  sigprocmask(SIG_UNBLOCK, sigbit(SIGTERM));
  say("unreached", "no");
}
stdout.flush();

