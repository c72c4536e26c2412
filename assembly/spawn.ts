// spawn: a new process running a program from the namespace, with argv,
// environment, cwd and posix_spawn-style file actions applied to a copy of
// the caller's descriptor table. The runtime then hands the embryo to a
// worker, which adopts it (k_attach) and starts the guest.

import {
  E2BIG, EACCES, EFAULT, EINVAL, EPERM, ENOEXEC, ENOMEM, ENOTDIR, EBADF, ENOENT, ENAMETOOLONG, EISDIR,
  KBLOCK,
} from "../abi/errno";
import {
  S_IFMT, S_IFREG, S_IFDIR, SPAWN_DUP2, SPAWN_CLOSE, SPAWN_OPEN, SPAWN_PREOPEN, SPAWN_ACTION_SIZE,
  PATH_MAX, ARG_MAX as ARG_BYTES, ARG_COUNT_MAX, SPAWN_SETPGID, SPAWN_SETSID, SPAWN_SIGMASK, SPAWN_SIGDEF,
  SETSID_CTTY, SPAWN_SIGRESET, SPAWN_TCSETPGRP, SPAWN_SETCRED, SIG_DFL, NSIG,
} from "../abi/constants";
import { sigSetAction, UNBLOCKABLE } from "./signal";
import { spawnSetpgid, spawnSetsid } from "./cred";
import { spawnSetCred } from "./ids";
import { mayExec } from "./fs/access";
import { sigResetAction } from "./signal";
import { ttyForegroundChild } from "./tty";
import { kalloc, kfree, kdup } from "./alloc";
import { Proc, curProc, cur } from "./task";
import {
  copyin, copyPath, scratch, SCRATCH_PATH1, SCRATCH_PATH2, SCRATCH_FULL, SCRATCH_TMP,
  SCRATCH_HOSTOUT, SCRATCH_REC, sc,
} from "./user";
import { Inode, lookupHeld, inodePut, absPath, vfsOpen, vfsStat, regFirstWord, cwdCopy } from "./vfs";
import {
  HOSTPATH, hostPathOp, hostOut, walkedHostPath, walkedHostLen, walkedRootLen, HOST_READFILE,
} from "./mount";
import { File, fdtCopy, fdGet, fdInstallAt, fdClose, fdtCloseExec, filePut } from "./file";
import { procCreate, procDiscard, runqPush, setSleeping } from "./proc";
import { appendNormalized } from "./path";
import { preopenAction } from "./preopen";
import { schedNew } from "./sched";
import { Task, procSetComm } from "./task";

const ARG_MAX: u32 = <u32>ARG_BYTES;      // the runtime's spawn checks the same (runtime/arena.ts)
const MAX_ARGS: u32 = <u32>ARG_COUNT_MAX;

/**
 * Copies `len` guest bytes into a new kernel block, once: everything after
 * looks only at this copy, so a guest thread rewriting the original between
 * the kernel's check and its use changes nothing. Returns the block or -errno.
 */
function copyinBlock(usrc: u32, len: u32): isize {
  const block = kalloc(len == 0 ? 1 : len);
  if (block == 0) return -ENOMEM;
  if (!copyin(block, usrc, len)) { kfree(block); return -EFAULT; }
  return changetype<isize>(block);
}

/**
 * Copies `count` guest strings given as {ptr, len} pairs into one kernel
 * block of NUL-terminated strings. Returns the block, or -errno; the byte
 * size lands in sc().argBytes. The vector is read once (copyinBlock), and so
 * is each string.
 */
export function copyStrings(uvec: u32, count: u32): isize {
  if (count > MAX_ARGS) return -E2BIG;
  const v = copyinBlock(uvec, count * 8);
  if (v < 0) return v;
  const vec = changetype<usize>(v);
  const block = copyStringsFrom(vec, count);
  kfree(vec);
  return block;
}

/** copyStrings with the {ptr, len} vector already in kernel memory at `vec`. */
function copyStringsFrom(vec: usize, count: u32): isize {
  let total: u32 = 0;
  for (let i: u32 = 0; i < count; i++) {
    const len = load<u32>(vec + (<usize>i << 3) + 4);
    if (len > ARG_MAX) return -E2BIG;
    total += len + 1;
    if (total > ARG_MAX) return -E2BIG;
  }
  const block = kalloc(total == 0 ? 1 : total);
  if (block == 0) return -ENOMEM;
  let off: u32 = 0;
  for (let i: u32 = 0; i < count; i++) {
    const ptr = load<u32>(vec + (<usize>i << 3)), len = load<u32>(vec + (<usize>i << 3) + 4);
    if (!copyin(block + off, ptr, len)) { kfree(block); return -EFAULT; }
    off += len;
    store<u8>(block + off, 0);
    off++;
  }
  sc().argBytes = total;
  return changetype<isize>(block);
}

/** Lexically normalises an absolute path into a new block; its length lands in sc().normLen. */
export function normalizePath(src: usize, len: i32): usize {
  const out = kalloc(len + 1);
  if (out == 0) return 0;
  let n = appendNormalized(out, 0, 0, src, 0, len);   // never longer than src: no ENAMETOOLONG
  if (n <= 0) { store<u8>(out, 0x2f); n = 1; }
  sc().normLen = n;
  return out;
}

/** Resolves a directory path for a cwd: returns a normalised copy or -errno. Length in sc().normLen. */
export function resolveDir(kpath: usize, len: i32): isize {
  const k = scratch(SCRATCH_REC);
  const r = vfsStat(kpath, len, k);
  if (r < 0) return r;
  if ((load<u32>(k + 16) & S_IFMT) != S_IFDIR) return -ENOTDIR;
  const n = absPath(kpath, len);
  const out = normalizePath(scratch(SCRATCH_FULL), n);
  return out == 0 ? <isize>-ENOMEM : changetype<isize>(out);
}

/**
 * Copies the guest's file actions into one kernel block: the 24-byte records
 * with each OPEN path pointer replaced by a kernel copy of the path. The
 * records are read from the guest once, then checked and used from the copy.
 */
function copyActions(uact: u32, count: u32): isize {
  if (count == 0) return 0;
  const size = count * SPAWN_ACTION_SIZE;
  const c = copyinBlock(uact, size);
  if (c < 0) return c;
  const recs = changetype<usize>(c);
  const block = copyActionsFrom(recs, count);
  kfree(recs);
  return block;
}

/** copyActions with the records already in kernel memory at `recs`. */
function copyActionsFrom(recs: usize, count: u32): isize {
  const size = count * SPAWN_ACTION_SIZE;
  let paths: u32 = 0;
  for (let i: u32 = 0; i < count; i++) {
    const rec = recs + <usize>i * SPAWN_ACTION_SIZE;
    const kind = load<i32>(rec);
    if (kind != SPAWN_DUP2 && kind != SPAWN_CLOSE && kind != SPAWN_OPEN && kind != SPAWN_PREOPEN
        && kind != SPAWN_SETPGID && kind != SPAWN_SETSID && kind != SPAWN_SIGMASK && kind != SPAWN_SIGDEF
        && kind != SPAWN_SIGRESET && kind != SPAWN_TCSETPGRP && kind != SPAWN_SETCRED) return -EINVAL;
    if (kind == SPAWN_OPEN || kind == SPAWN_PREOPEN) {
      const len = load<u32>(rec + 20);
      if (len == 0 || len >= <u32>PATH_MAX) return len == 0 ? -ENOENT : -ENAMETOOLONG;
      paths += len;
    }
  }
  const block = kalloc(size + paths);
  if (block == 0) return -ENOMEM;
  memory.copy(block, recs, size);
  let str = block + size;
  for (let i: u32 = 0; i < count; i++) {
    const r = block + <usize>i * SPAWN_ACTION_SIZE;
    const kind = load<i32>(r);
    if (kind == SPAWN_OPEN || kind == SPAWN_PREOPEN) {
      const len = load<u32>(r + 20);
      if (!copyin(str, load<u32>(r + 16), len)) { kfree(block); return -EFAULT; }
      // As copyPath: a NUL inside a path is EINVAL (it once made a name rm cannot remove).
      for (let j: u32 = 0; j < len; j++) if (load<u8>(str + j) == 0) { kfree(block); return -EINVAL; }
      store<u32>(r + 16, <u32>str);
      str += len;
    }
  }
  return changetype<isize>(block);
}

/**
 * Applies the child's file actions from index child.actionsDone on. Runs in
 * the parent at spawn and stops before an OPEN of a FIFO (which may have to
 * wait for the other end); the child then finishes the list itself, where
 * waiting is allowed (`inChild`). Returns 0, KBLOCK, or -errno.
 */
/** posix_spawn's signal attributes, on the child before it runs: its mask, or SIG_DFL for a set. */
function spawnSignals(child: Proc, kind: u32, set: u64): void {
  if (kind == SPAWN_SIGMASK) { changetype<Task>(child.task).sigmask = set & ~UNBLOCKABLE; return; }
  for (let sig = 1; sig < NSIG; sig++) {
    if ((set & ((<u64>1) << <u64>(sig - 1))) != 0 && (UNBLOCKABLE & ((<u64>1) << <u64>(sig - 1))) == 0) sigSetAction(child, sig, SIG_DFL, 0, 0);
  }
}

export function applyActions(child: Proc, inChild: bool): i32 {
  while (child.actionsDone < child.nactions) {
    const r = child.actions + <usize>child.actionsDone * SPAWN_ACTION_SIZE;
    const kind = load<u32>(r), fd = load<i32>(r + 4), newfd = load<i32>(r + 8);
    if (kind == SPAWN_DUP2) {
      const f = fdGet(child, fd);
      if (f == null) return -EBADF;
      if (fd == newfd) filePut(f);
      else {
        const q = fdInstallAt(child, f, newfd, false);
        if (q < 0) { filePut(f); return q; }
      }
    } else if (kind == SPAWN_CLOSE) {
      const q = fdClose(child, fd);
      if (q < 0 && q != -EBADF) return q;
    } else if (kind == SPAWN_PREOPEN) {
      const q = preopenAction(child, r);
      if (q < 0) return q;
    } else if (kind == SPAWN_TCSETPGRP) {
      ttyForegroundChild(child);
    } else if (kind == SPAWN_SETCRED) {
      const q = spawnSetCred(curProc(), child, fd, newfd);
      if (q < 0) return q;
    } else if (kind == SPAWN_SIGRESET) {
      sigResetAction(child, (<u64><u32>fd) | ((<u64><u32>newfd) << 32));
    } else if (kind == SPAWN_SETPGID || kind == SPAWN_SETSID) {
      // Only the runtime (init) logs a session in on the console: a guest cannot take the terminal from the session that has it.
      if (kind == SPAWN_SETSID && fd == SETSID_CTTY && child.ppid != 1) return -EPERM;
      const q = kind == SPAWN_SETSID ? spawnSetsid(child, fd == SETSID_CTTY) : spawnSetpgid(child, fd);
      if (q < 0) return q;
    } else if (kind == SPAWN_SIGMASK || kind == SPAWN_SIGDEF) {
      spawnSignals(child, kind, (<u64><u32>newfd << 32) | <u64><u32>fd);
    } else {
      const path = <usize>load<u32>(r + 16), len = load<i32>(r + 20);
      // In the parent a FIFO is left to the child (vfsOpen's deferFifo).
      const q = vfsOpen(path, len, load<i32>(r + 12), 0o644, !inChild);
      if (q == KBLOCK) return KBLOCK;
      if (q < 0) return <i32>q;
      const f = changetype<File>(q);
      const e = fdInstallAt(child, f, newfd, false);
      if (e < 0) { filePut(f); return e; }
    }
    child.actionsDone++;
  }
  kfree(child.actions);
  child.actions = 0;
  child.nactions = 0;
  fdtCloseExec(child);
  return 0;
}

/**
 * Finds the program: a tmpfs file (held Inode, stored in child.image) or a
 * file below a mount (its host path, in child.imagePath). Either must be a
 * regular file that starts with the wasm magic.
 */
export function setImage(child: Proc, kpath: usize, len: i32): i32 {
  const r = lookupHeld(kpath, len);
  if (r == HOSTPATH) {
    const e = hostPathOp(HOST_READFILE, 0, 8);
    if (e < 0) return e == -EISDIR ? -EACCES : <i32>e;
    if (e < 8 || load<u32>(hostOut()) != WASM_MAGIC) return -ENOEXEC;
    child.imagePath = kdup(walkedHostPath(), walkedHostLen());
    child.imagePathLen = walkedHostLen();
    child.imageRootLen = walkedRootLen();
    return child.imagePath == 0 ? -ENOMEM : 0;
  }
  if (r < 0) return <i32>r;
  const image = changetype<Inode>(r);
  child.image = r;   // held: released with the process
  if ((image.mode & S_IFMT) != S_IFREG) return -EACCES;
  // x for the spawner's class. Root is not checked here: spawn and execve
  // never looked at x bits before credentials existed (a file without any is
  // still run, or is ENOEXEC), and whatever ran as root runs as before.
  if (curProc().euid != 0 && !mayExec(image)) return -EACCES;
  if (image.size < 8 || regFirstWord(image) != WASM_MAGIC) return -ENOEXEC;
  return 0;
}

export const WASM_MAGIC: u32 = 0x6d736100;

export function spawn(upath: u32, plen: u32, uargv: u32, argc: u32, uenv: u32, envc: u32,
                      uact: u32, nact: u32, ucwd: u32, cwdlen: u32): i32 {
  const parent = curProc();
  if (nact > 4096) return -EINVAL;
  const n = copyPath(upath, plen, SCRATCH_PATH1);
  if (n < 0) return n;
  const c = procCreate(parent);
  if (c < 0) return <i32>c;
  const child = changetype<Proc>(c);
  child.execd = 1;   // posix_spawn returns once the child has exec'd (Linux: setpgid is EACCES)
  const err = spawnSetup(parent, child, n, uargv, argc, uenv, envc, uact, nact, ucwd, cwdlen);
  if (err < 0 && err != KBLOCK) { procDiscard(child); return err; }
  // KBLOCK: an OPEN action would wait (a FIFO); the child finishes the list.
  // A host FIFO says so only by trying, which left a retry set on the parent.
  if (err == KBLOCK) { cur().wakeAt = 0; setSleeping(parent, false); }
  const pid = child.pid;
  schedNew(changetype<Task>(child.task));
  runqPush(pid);   // from here on a worker may already be running it
  return pid;
}

/** Everything a new process needs, in order; the caller discards it on error. */
function spawnSetup(parent: Proc, child: Proc, pathLen: i32, uargv: u32, argc: u32, uenv: u32, envc: u32,
                    uact: u32, nact: u32, ucwd: u32, cwdlen: u32): i32 {
  let err = setImage(child, scratch(SCRATCH_PATH1), pathLen);
  if (err < 0) return err;
  if (cwdlen > 0) {
    const m = copyPath(ucwd, cwdlen, SCRATCH_PATH2);
    if (m < 0) return m;
    const d = resolveDir(scratch(SCRATCH_PATH2), m);
    if (d < 0) return <i32>d;
    child.cwd = changetype<usize>(d);
    child.cwdLen = sc().normLen;
  } else {
    const clen = cwdCopy(parent, scratch(SCRATCH_PATH2));   // under the parent's lock
    child.cwd = kdup(scratch(SCRATCH_PATH2), clen);
    child.cwdLen = clen;
    if (child.cwd == 0) return -ENOMEM;
  }
  const args = copyStrings(uargv, argc);
  if (args < 0) return <i32>args;
  child.args = changetype<usize>(args); child.argc = argc; child.argBytes = sc().argBytes;
  if (argc > 0) procSetComm(child, child.args);
  const env = copyStrings(uenv, envc);
  if (env < 0) return <i32>env;
  child.env = changetype<usize>(env); child.envc = envc; child.envBytes = sc().argBytes;
  const acts = copyActions(uact, nact);
  if (acts < 0) return <i32>acts;
  child.actions = changetype<usize>(acts);
  child.nactions = nact;
  err = fdtCopy(parent, child);
  if (err < 0) return err;
  return applyActions(child, false);
}
