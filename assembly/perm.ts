// The one owner/group/other permission check (Linux's generic_permission and
// ipc/util.c ipcperms share it): a file-mode triple against a process's
// effective ids. Every object with a mode — tmpfs inodes, POSIX message
// queues, System V IPC objects — asks here, so root's bypass and the order
// of the owner/group/other classes are decided once.

import { Proc } from "./task";

export const MAY_EXEC: i32 = 1;
export const MAY_WRITE: i32 = 2;
export const MAY_READ: i32 = 4;

/**
 * May `p` do `want` (MAY_* bits) to an object of mode `mode` owned by
 * `ouid`:`ogid`, by its effective ids (its real ones inside access(2))? The first class that matches decides (an owner without the
 * owner bit is refused even if "other" has it, as on Linux). euid 0 may read
 * and write anything; it may execute (search) only a directory or an object
 * with at least one x bit (CAP_DAC_OVERRIDE). `isDir`: the object is a directory.
 */
export function modePermits(mode: u32, ouid: i32, ogid: i32, p: Proc, want: i32, isDir: bool = false): bool {
  const uid = realIds ? p.uid : p.euid, gid = realIds ? p.gid : p.egid;
  if (uid == 0) return (want & MAY_EXEC) == 0 || isDir || (mode & 0o111) != 0;
  let bits: u32;
  if (uid == ouid) bits = (mode >> 6) & 7;
  else if (gid == ogid) bits = (mode >> 3) & 7;
  else bits = mode & 7;
  return (<u32>want & ~bits) == 0;
}

/**
 * access(2)/faccessat without AT_EACCESS check with the real ids, the walk
 * included (Linux's override_creds): between useRealIds(true) and
 * useRealIds(false), on this thread (a kernel instance runs one call at a
 * time; nothing between them waits), modePermits looks at uid/gid instead.
 */
let realIds = false;
export function useRealIds(on: bool): void { realIds = on; }
