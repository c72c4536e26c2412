// Limits seen from a guest: `limits argv TOTAL` / `limits env TOTAL` spawns
// /bin/true with an argv (or environment) whose strings take TOTAL bytes,
// NULs included, as the kernel counts them against ARG_MAX; `limits count N`
// passes N empty arguments. Prints "spawn <pid>|<ERRNO>", then "status N"
// after waiting for a child that started.
import { args, spawn, waitpid } from "./imports";
import { out, say } from "./common";

const a = args();
const what = a.length > 1 ? a[1] : "";
const n = a.length > 2 ? I32.parseInt(a[2], 10) : 0;

/** Strings of 'x' (64 KiB at most each) whose lengths + NULs add up to `total` after `fixed` bytes. */
function strings(total: i32, fixed: i32): string[] {
  const out = new Array<string>();
  let left = total - fixed;
  while (left > 0) {
    const len = left - 1 < 65535 ? left - 1 : 65535;
    out.push("x".repeat(len));
    left -= len + 1;
  }
  return out;
}

let argv = ["true"];
let envp = new Array<string>();
if (what == "argv") argv = argv.concat(strings(n, 5));   // "true\0" is 5 bytes
else if (what == "env") envp = strings(n, 0);
else if (what == "count") for (let i = 1; i < n; i++) argv.push("");
const pid = spawn("/bin/true", argv, envp);
out("spawn", pid > 0 ? 1 : pid);
if (pid > 0) say("status", waitpid(pid, 0).status.toString());
