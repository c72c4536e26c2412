// What a new process takes from its parent for the C layer's calls
// (assembly/cred.ts, ids.ts): session, credentials (real, effective, saved), umask, RLIMIT_NOFILE. Kept apart
// from proc.ts so that procCreate (spawn) and fork share one copy rule.

import { Proc } from "./task";

/** init (pid 1): its own session, root, umask 0 (the runtime creates exactly the modes it is asked for). */
export function credInit(p: Proc): void {
  p.sid = p.pid;
  p.uid = 0; p.gid = 0; p.euid = 0; p.egid = 0; p.suid = 0; p.sgid = 0;
  p.umask = 0;
  p.nofile = 0;      // fdtCreate: the table size
  p.nofileMax = 0;
  p.rlimAs = U64.MAX_VALUE; p.rlimAsMax = U64.MAX_VALUE;   // RLIM_INFINITY
}

/** A child: the parent's session, ids, umask, descriptor and memory limits (as fork and exec keep them). */
export function credInherit(child: Proc, parent: Proc): void {
  child.sid = parent.sid;
  child.uid = parent.uid; child.gid = parent.gid;
  child.euid = parent.euid; child.egid = parent.egid;
  child.suid = parent.suid; child.sgid = parent.sgid;
  child.umask = parent.umask;
  child.nofile = parent.nofile;
  child.nofileMax = parent.nofileMax;
  child.rlimAs = parent.rlimAs; child.rlimAsMax = parent.rlimAsMax;
}
