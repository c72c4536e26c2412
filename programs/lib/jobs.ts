// Job control for guests (a shell): process groups and the console's
// foreground group. Each returns -errno on failure (nothing throws).
import * as sys from "./sys";
import { SPAWN_SETPGID, SPAWN_SIGRESET, SPAWN_TCSETPGRP } from "../../abi/constants";
import { FileAction } from "./proc";

/** The process group of `pid` (0: ours). */
export function getpgid(pid: i32 = 0): i32 { return sys.getpgid(pid); }
/** Puts `pid` (0: us) in group `pgid` (0: a new group led by `pid`). */
export function setpgid(pid: i32, pgid: i32): i32 { return sys.setpgid(pid, pgid); }
/** The foreground process group of the terminal at `fd` (ENOTTY: not our controlling terminal). */
export function tcgetpgrp(fd: i32): i32 { return sys.tcgetpgrp(fd); }
/** Makes `pgrp` the terminal's foreground group. */
export function tcsetpgrp(fd: i32, pgrp: i32): i32 { return sys.tcsetpgrp(fd, pgrp); }

/** A spawn action (POSIX_SPAWN_SETPGROUP): the child joins group `pgid`, or leads a new one (0). */
export function setpgroupAction(pgid: i32): FileAction { return new FileAction(SPAWN_SETPGID, pgid, 0, 0, ""); }

/** A spawn action (SPAWN_SIGRESET): the signals in `set` (bit n-1 = signal n) get their default action and are unblocked in the child. */
export function sigresetAction(set: u64): FileAction {
  return new FileAction(SPAWN_SIGRESET, <i32><u32>set, <i32><u32>(set >> 32), 0, "");
}

/** A spawn action (SPAWN_TCSETPGRP): the child's group takes the console's foreground before it runs, when we have it. */
export function foregroundAction(): FileAction { return new FileAction(SPAWN_TCSETPGRP, 0, 0, 0, ""); }
