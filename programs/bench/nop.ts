// nop — the trivial guest that spawnbench starts: exits 0 at once, as a C
// program's main returning 0 would (through proc_exit).
import { exit } from "./lib/sys";

exit(0);
