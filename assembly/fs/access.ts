// Permission checks of the tmpfs namespace (issue 15), as Linux's
// fs/namei.c: every decision goes through perm.ts modePermits (root's
// bypass included, so whatever ran as root runs as before). Names below a
// mount are the host's to allow or refuse; these see only tmpfs inodes.
// Callers hold the namespace lock (the mode and owner cannot change under
// them: chmod/chown take it too).

import { EACCES, EPERM } from "../../abi/errno";
import { O_ACCMODE, O_RDONLY, O_WRONLY, O_RDWR, O_TRUNC, S_ISVTX } from "../../abi/constants";
import { curProc } from "../task";
import { modePermits, MAY_EXEC, MAY_READ, MAY_WRITE } from "../perm";
import { Inode, isDir } from "../vfs";

// @ts-ignore: decorator
@inline function permits(i: Inode, want: i32): bool {
  return modePermits(i.mode, i.uid, i.gid, curProc(), want, isDir(i));
}

/** Search (x) permission on a directory a walk goes through (EACCES); root always has it. */
export function maySearch(dir: Inode): bool { return permits(dir, MAY_EXEC); }

/** Making or removing a name in `dir` needs write and search on it: 0 or -EACCES. */
export function mayChangeDir(dir: Inode): i32 {
  return permits(dir, MAY_WRITE | MAY_EXEC) ? 0 : -EACCES;
}

/**
 * Removing (or renaming away, or replacing) `node`'s name in `dir`: write
 * and search on dir (EACCES), and in a sticky directory (/tmp, 1777) only
 * the file's owner, the directory's owner or root (EPERM).
 */
export function mayDelete(dir: Inode, node: Inode): i32 {
  if (!permits(dir, MAY_WRITE | MAY_EXEC)) return -EACCES;
  if ((dir.mode & S_ISVTX) != 0) {
    const p = curProc();
    if (p.euid != 0 && p.euid != node.uid && p.euid != dir.uid) return -EPERM;
  }
  return 0;
}

/** open(2) of an existing node: read and/or write as the access mode says, write for O_TRUNC (EACCES). */
export function mayOpen(node: Inode, flags: i32): i32 {
  const acc = flags & O_ACCMODE;
  let want = 0;
  if (acc == O_RDONLY || acc == O_RDWR) want |= MAY_READ;
  if (acc == O_WRONLY || acc == O_RDWR || (flags & O_TRUNC) != 0) want |= MAY_WRITE;
  return permits(node, want) ? 0 : -EACCES;
}

/** Running a program (spawn; execve checks the same): execute permission (EACCES). */
export function mayExec(node: Inode): bool { return permits(node, MAY_EXEC); }

/** access(2)'s R_OK (4) / W_OK (2) / X_OK (1) bits, as MAY_* (the same values). */
export function mayAccess(node: Inode, mode: i32): bool { return permits(node, mode & 7); }

/** chmod and utimes-like changes: only the owner or root (EPERM). */
export function isOwner(node: Inode): bool {
  const p = curProc();
  return p.euid == 0 || p.euid == node.uid;
}
