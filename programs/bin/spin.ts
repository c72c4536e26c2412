// spin [n]: compute without making a syscall: n rounds of a busy loop
// (forever without n), then exit 0. A guest for safepoints (signals reach
// it, deterministic mode takes the CPU from it) and for their cost.
import { args, exit } from "../lib";

let argv = args();
let rounds: i64 = argv.length > 1 ? I64.parseInt(argv[1]) : -1;
// The exit status depends on the state, so the loop is not optimized away
// (xorshift never reaches 0).
let x: u32 = 1;
for (let i: i64 = 0; rounds < 0 || i < rounds; i++) {
  x ^= x << 13; x ^= x >> 17; x ^= x << 5;
}
exit(x == 0 ? 1 : 0);
