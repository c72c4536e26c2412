// spawnbench — the sandbox side of the spawn+exit+wait row of `npm run bench`:
// N times spawn a trivial guest and waitpid it, after a few warm-up rounds
// (so the worker pool is warm), timed inside the guest. Mirrors
// bench/native/fork_exit_wait.c.
//
//   spawnbench N CHILD   CHILD: path of the trivial guest (programs/bench/nop)
// Prints one JSON line: {"name":"spawn_exit_wait","value":<us>,"unit":"us",...}.
import { args, nowNs, spawn, wait, report, fail, exit } from "./lib/sys";

const WARMUP = 5;

function oneRound(child: string): void {
  const status = wait(spawn(child, [child]));
  if (status != 0) fail("child status", status);
}

const argv = args();
if (argv.length < 3) fail("usage: spawnbench N CHILD", 0);
const rounds = I64.parseInt(argv[1]);
const child = argv[2];
for (let i = 0; i < WARMUP; i++) oneRound(child);
const t0 = nowNs();
for (let i: i64 = 0; i < rounds; i++) oneRound(child);
const secs = <f64>(nowNs() - t0) / 1e9;
report("spawn_exit_wait", secs / <f64>rounds * 1e6, "us",
  '"rounds":' + rounds.toString() + ',"seconds":' + secs.toString());
exit(0);
