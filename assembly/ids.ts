// Credentials (issue 15): a process's real, effective and saved user and
// group ids, and the calls that read and change them, with Linux's rules
// (kernel/sys.c). An effective id of 0 stands for CAP_SETUID/CAP_SETGID
// (there are no capabilities apart from root). What a child inherits is in
// credinit.ts; permission checks against the effective ids are perm.ts's,
// kill's against the real and saved ones signal.ts's.
//
// The ABI passes ids as i32: -1 means "unchanged" where Linux says so and
// is EINVAL elsewhere; other negative ids are EINVAL (uid_t values above
// 2^31 cannot be given).

import { EINVAL, EPERM, EFAULT } from "../abi/errno";
import { Proc, curProc } from "./task";
import { putU32 } from "./user";

export function sys_getuid(): i32 { return curProc().uid; }
export function sys_geteuid(): i32 { return curProc().euid; }
export function sys_getgid(): i32 { return curProc().gid; }
export function sys_getegid(): i32 { return curProc().egid; }

// The two kinds of id; each has a real, an effective and a saved one in Proc.
const UID: i32 = 0, GID: i32 = 1;

function realOff(kind: i32): usize { return kind == UID ? offsetof<Proc>("uid") : offsetof<Proc>("gid"); }
function effOff(kind: i32): usize { return kind == UID ? offsetof<Proc>("euid") : offsetof<Proc>("egid"); }
function savedOff(kind: i32): usize { return kind == UID ? offsetof<Proc>("suid") : offsetof<Proc>("sgid"); }

// @ts-ignore: decorator
@inline function get(p: Proc, off: usize): i32 { return load<i32>(changetype<usize>(p) + off); }
// @ts-ignore: decorator
@inline function put(p: Proc, off: usize, v: i32): void { store<i32>(changetype<usize>(p) + off, v); }

/** May the caller (not root) take `id`: it is one of its real, effective or saved ids of that kind? */
function oneOfMine(p: Proc, id: i32, kind: i32): bool {
  return id == get(p, realOff(kind)) || id == get(p, effOff(kind)) || id == get(p, savedOff(kind));
}

/**
 * setuid/setgid: root (euid 0) sets all three; anyone else only the
 * effective id, to the real or the saved one (EPERM otherwise). So root
 * that sets a non-zero uid cannot take 0 back. -1 and negative ids: EINVAL.
 */
function setId(id: i32, kind: i32): i32 {
  const p = curProc();
  const real = realOff(kind), eff = effOff(kind), saved = savedOff(kind);
  if (id < 0) return -EINVAL;
  if (p.euid == 0) { put(p, real, id); put(p, eff, id); put(p, saved, id); return 0; }
  if (id != get(p, real) && id != get(p, saved)) return -EPERM;
  put(p, eff, id);
  return 0;
}

export function sys_setuid(uid: i32): i32 { return setId(uid, UID); }
export function sys_setgid(gid: i32): i32 { return setId(gid, GID); }

/**
 * setreuid/setregid (-1: unchanged). Without root the real id may become
 * the real or effective one, the effective id the real, effective or
 * saved one (EPERM). The saved id follows the new effective one when the
 * real id is set, or the effective id is set to something but the old real id.
 */
function setReId(r: i32, e: i32, kind: i32): i32 {
  const p = curProc();
  const real = realOff(kind), eff = effOff(kind), saved = savedOff(kind);
  if (r < -1 || e < -1) return -EINVAL;
  const oldReal = get(p, real), oldEff = get(p, eff), oldSaved = get(p, saved);
  if (p.euid != 0) {
    if (r != -1 && r != oldReal && r != oldEff) return -EPERM;
    if (e != -1 && e != oldReal && e != oldEff && e != oldSaved) return -EPERM;
  }
  if (r != -1) put(p, real, r);
  if (e != -1) put(p, eff, e);
  if (r != -1 || (e != -1 && e != oldReal)) put(p, saved, get(p, eff));
  return 0;
}

export function sys_setreuid(ruid: i32, euid: i32): i32 { return setReId(ruid, euid, UID); }
export function sys_setregid(rgid: i32, egid: i32): i32 { return setReId(rgid, egid, GID); }

/**
 * setresuid/setresgid (-1: unchanged): without root each new id must be
 * one of the caller's current real, effective or saved ids (EPERM); all
 * are checked before any changes. seteuid/setegid are these with only the
 * effective id (the C layer, as glibc).
 */
function setResId(r: i32, e: i32, s: i32, kind: i32): i32 {
  const p = curProc();
  if (r < -1 || e < -1 || s < -1) return -EINVAL;
  if (p.euid != 0) {
    if ((r != -1 && !oneOfMine(p, r, kind)) || (e != -1 && !oneOfMine(p, e, kind))
      || (s != -1 && !oneOfMine(p, s, kind))) return -EPERM;
  }
  if (r != -1) put(p, realOff(kind), r);
  if (e != -1) put(p, effOff(kind), e);
  if (s != -1) put(p, savedOff(kind), s);
  return 0;
}

export function sys_setresuid(ruid: i32, euid: i32, suid: i32): i32 { return setResId(ruid, euid, suid, UID); }
export function sys_setresgid(rgid: i32, egid: i32, sgid: i32): i32 { return setResId(rgid, egid, sgid, GID); }

/** getresuid/getresgid: the three ids to three guest words (EFAULT for any bad one, as Linux's put_user). */
function getResId(ur: u32, ue: u32, us: u32, kind: i32): i32 {
  const p = curProc();
  if (putU32(ur, <u32>get(p, realOff(kind))) < 0) return -EFAULT;
  if (putU32(ue, <u32>get(p, effOff(kind))) < 0) return -EFAULT;
  if (putU32(us, <u32>get(p, savedOff(kind))) < 0) return -EFAULT;
  return 0;
}

export function sys_getresuid(ur: u32, ue: u32, us: u32): i32 { return getResId(ur, ue, us, UID); }
export function sys_getresgid(gr: u32, ge: u32, gs: u32): i32 { return getResId(gr, ge, gs, GID); }

/**
 * The ids a spawn's SPAWN_SETCRED gives its child (-1: keep): all three of
 * each kind. A spawner without euid 0 may give only ids it has itself
 * (real, effective or saved, as setresuid): EPERM otherwise. `spawner` is
 * the process applying the action (the parent, or the child finishing its
 * list, which has the parent's ids then).
 */
export function spawnSetCred(spawner: Proc, child: Proc, uid: i32, gid: i32): i32 {
  if (uid < -1 || gid < -1) return -EINVAL;
  if (spawner.euid != 0) {
    if ((uid != -1 && !oneOfMine(spawner, uid, UID)) || (gid != -1 && !oneOfMine(spawner, gid, GID))) return -EPERM;
  }
  if (uid != -1) { child.uid = uid; child.euid = uid; child.suid = uid; }
  if (gid != -1) { child.gid = gid; child.egid = gid; child.sgid = gid; }
  return 0;
}
