// Processes: spawn file actions, waitpid, ids, orphans, zombies, the
// process limit. `procs <case>`; argv[0] is this program's path.
import {
  args, exit, stdout, open, close, fstat, Stat, spawn, waitpid, FileAction, getpid, getppid, kill,
  nanosleep, monotonicNs, readFile_, O_RDONLY, O_WRONLY, O_CREAT, O_TRUNC, WNOHANG,
  SIGTERM, SIGKILL, PSTATE_ZOMBIE, PSTATE_SLEEPING,
} from "./imports";
import * as sys from "../../../programs/lib/sys";
import { out, say, waitState, waitChildren, procs } from "./common";

const a = args();
const self = a[0];
const what = a.length > 1 ? a[1] : "";

function writeStr(fd: i32, s: string): i32 {
  let b = String.UTF8.encode(s);
  return sys.write(fd, changetype<usize>(b), <usize>b.byteLength);
}

if (what == "exit") {
  exit(I32.parseInt(a[2], 10));
} else if (what == "sleep") {
  nanosleep(<i64>I32.parseInt(a[2], 10) * 1000000);
  exit(0);
} else if (what == "ids") {
  say("child-pid", getpid().toString());
  say("child-ppid", getppid().toString());
  exit(0);
} else if (what == "show") {
  // Child of the actions case: writes to 1 and 2, probes 0.
  writeStr(1, "child-out\n");
  writeStr(2, "child-err\n");
  let st = new Stat();
  out("child-stdin", fstat(0, st));
  exit(0);
} else if (what == "actions") {
  let actions = [
    FileAction.open(1, "/tmp/procs-actions", O_WRONLY | O_CREAT | O_TRUNC),
    FileAction.dup2(1, 2),
    FileAction.close(0),
  ];
  let pid = spawn(self, [self, "show"], [], actions);
  out("spawn", pid > 0 ? 0 : pid);
  out("status", waitpid(pid).status);
  say("file", readFile_("/tmp/procs-actions").replaceAll("\n", "|"));
  // The parent's own table is untouched by the child's actions.
  let st = new Stat();
  out("parent-stdin", fstat(0, st));
  // Bad actions.
  // A failing OPEN action: either spawn fails with ENOENT, or the child exits 1 before running.
  let m = spawn(self, [self, "show"], [], [FileAction.open(0, "/no/such/dir/file", O_RDONLY)]);
  if (m > 0) say("action-open-missing", "status-" + waitpid(m).status.toString());
  else out("action-open-missing", m);
  let bad = new Uint8Array(24);
  store<u32>(bad.dataStart, 99);
  let p = String.UTF8.encode(self);
  out("action-badkind", sys.spawn(changetype<usize>(p), <usize>p.byteLength, 0, 0, 0, 0, bad.dataStart, 1, 0, 0));
  out("action-toomany", sys.spawn(changetype<usize>(p), <usize>p.byteLength, 0, 0, 0, 0, bad.dataStart, 100000, 0, 0));
  out("spawn-missing", spawn("/no/such/program.wasm", ["x"], []));
  out("spawn-notwasm", spawn("/tmp/procs-actions", ["x"], []));
  exit(0);
} else if (what == "wait") {
  let me = getpid();
  out("wait-nochild", waitpid(-1).pid);
  out("wait-nochild-nohang", waitpid(-1, WNOHANG).pid);
  let c7 = spawn(self, [self, "exit", "7"], []);
  let r = waitpid(c7);
  out("exit7-pid-matches", r.pid == c7 ? 0 : -1);
  out("exit7-status", r.status);
  let s = spawn(self, [self, "sleep", "5000"], []);
  out("nohang-running", waitpid(s, WNOHANG).pid);
  out("term-target-sleeping", waitState(s, PSTATE_SLEEPING)); // in its nanosleep (the spin case kills a running target)
  out("kill-term", kill(s, SIGTERM));
  r = waitpid(s);
  out("term-status", r.status);
  let s2 = spawn(self, [self, "sleep", "5000"], []);
  out("kill-target-sleeping", waitState(s2, PSTATE_SLEEPING));
  out("kill-kill", kill(s2, SIGKILL));
  out("kill-status", waitpid(s2).status);
  out("kill-reaped", kill(s2, SIGTERM));
  out("wait-reaped", waitpid(s2).pid);
  out("wait-other", waitpid(1).pid);
  out("wait-badopts", waitpid(-1, 0x100).pid);
  out("kill-badsig", kill(me, 999));
  out("kill-zero", kill(me, 0));
  // -1 waits for any child; exit codes are taken modulo 256.
  let c300 = spawn(self, [self, "exit", "300"], []);
  r = waitpid(-1);
  out("any-pid-matches", r.pid == c300 ? 0 : -1);
  out("exit300-status", r.status);
  exit(0);
} else if (what == "ids-parent") {
  let me = getpid();
  say("parent-pid", me.toString());
  say("parent-ppid", getppid().toString());
  let pid = spawn(self, [self, "ids"], []);
  say("spawned", pid.toString());
  waitpid(pid);
  exit(0);
} else if (what == "middle") {
  // Spawns a grandchild and exits at once: the grandchild becomes init's.
  let g = spawn(self, [self, "orphan", a[2]], []);
  say("grandchild", g.toString());
  say("middle-pid", getpid().toString());
  // The grandchild has read its ppid once it sleeps; only then go away.
  out("grandchild-sleeping", waitState(g, PSTATE_SLEEPING));
  exit(0);
} else if (what == "orphan") {
  // orphan MS: reads its ppid, then waits (at most MS ms) to be re-parented to init.
  let before = getppid();
  let end = monotonicNs() + <i64>I32.parseInt(a[2], 10) * 1000000;
  do nanosleep(1000000); while (getppid() != 1 && monotonicNs() < end);
  say("orphan-ppid-before", before.toString());
  say("orphan-ppid-after", getppid().toString());
  exit(0);
} else if (what == "orphans") {
  let pid = spawn(self, [self, "middle", "15000"], []);
  say("middle", pid.toString());
  out("middle-status", waitpid(pid).status);
  exit(0);
} else if (what == "zombies") {
  let me = getpid();
  let pids = new Array<i32>();
  for (let i = 0; i < 5; i++) pids.push(spawn(self, [self, "exit", i.toString()], []));
  waitChildren(me, PSTATE_ZOMBIE, 5);   // the count below says if they never all got there
  let list = procs();
  let z = 0;
  for (let i = 0; i < list.length; i++) if (list[i].ppid == me && list[i].state == PSTATE_ZOMBIE) z++;
  out("zombies", z);
  let codes = "";
  for (let i = 0; i < pids.length; i++) codes += (waitpid(pids[i]).status >> 8).toString();
  say("codes", codes);
  list = procs();
  let left = 0;
  for (let i = 0; i < list.length; i++) if (list[i].ppid == me) left++;
  out("children-left", left);
  exit(0);
} else if (what == "spin") {
  // spin MS: busy in guest code (a clock check every few million iterations) for MS ms.
  say("spinning", getpid().toString());
  let t0 = monotonicNs();
  let end = t0 + <i64>I32.parseInt(a[2], 10) * 1000000;
  let x: u32 = 1;
  while (true) {
    for (let i = 0; i < 5000000; i++) x = x * 1664525 + 1013904223;
    if (monotonicNs() >= end) break;
  }
  say("survived", (x & 1).toString());
  exit(0);
} else if (what == "limit") {
  // Spawn sleepers until the process table is full.
  let pids = new Array<i32>();
  let err = 0;
  for (let i = 0; i < 64; i++) {
    let pid = spawn(self, [self, "sleep", "20000"], []);
    if (pid < 0) { err = pid; break; }
    pids.push(pid);
  }
  out("spawned", pids.length);
  out("error", err);
  out("all-sleeping", waitChildren(getpid(), PSTATE_SLEEPING, pids.length)); // kill them in their sleep
  for (let i = 0; i < pids.length; i++) kill(pids[i], SIGKILL);
  let ok = 0;
  for (let i = 0; i < pids.length; i++) if ((waitpid(pids[i]).status & 0x7f) == SIGKILL) ok++;
  out("killed", ok);
  // With the slots free again, spawning works.
  let again = spawn(self, [self, "exit", "3"], []);
  out("again-status", waitpid(again).status);
  exit(0);
}
say("unknown-case", what);
exit(2);
