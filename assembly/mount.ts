// Host directories mounted into the namespace (--mount HOST:GUEST[:ro]).
// Names below a mount point are resolved by the host: the walk turns the
// rest of the path into a host path, and each operation is one synchronous
// request to the host's file system, made outside every kernel lock. The
// host confines requests beneath the mount's directory, as openat2
// RESOLVE_BENEATH does (runtime/beneath.ts): a symlink that leads out of it
// is EXDEV, wherever it sits in the path.

import { EROFS } from "../abi/errno";
import { appendNormalized } from "./path";
import { Inode } from "./vfs";
import {
  R_OP, R_FD, R_FLAGS, R_MODE, R_POS, R_UPTR, R_ULEN, R_PATH, R_PATHLEN, R_PATH2, R_PATH2LEN,
  R_OUT, R_OUTCAP, R_ROOT, R_ROOTLEN, HOST_RENAME, HOST_READDIR, HOST_KIND_STREAM, HOST_FDPATH,
  R_POS2, HOST_FUTIMES, HOST_UTIMES, HOST_NOFOLLOW,
} from "../abi/hostfs";
import {
  scratch, SCRATCH_HOST1, SCRATCH_HOST2, SCRATCH_HOSTREQ, SCRATCH_HOSTOUT, sc,
} from "./user";

@external("host", "fs") declare function hostFs(req: usize): i64;

/** Returned by a walk that left the tmpfs for a mount (kernel-internal). */
export const HOSTPATH: isize = -3000;

export * from "../abi/hostfs";


// @ts-ignore: decorator
@inline export function hostOut(): usize { return scratch(SCRATCH_HOSTOUT); }
// @ts-ignore: decorator
@inline export function walkedHostPath(): usize { return sc().walkHost; }
// @ts-ignore: decorator
@inline export function walkedHostLen(): i32 { return sc().walkHostLen; }

/**
 * Builds the host path for components [i, len) of `path` below mount `m`
 * (host directory `host`), normalising "." and ".." (never above the mount's
 * own directory). Records it as the walk's result and returns HOSTPATH.
 */
export function enterMount(mount: usize, host: usize, hostLen: i32, path: usize, i: i32, len: i32): isize {
  const w = sc();
  const seq = w.walkSeq;
  w.walkSeq = seq + 1;
  const out = scratch((seq & 1) != 0 ? SCRATCH_HOST2 : SCRATCH_HOST1);
  memory.copy(out, host, hostLen);
  const n = appendNormalized(out, hostLen, hostLen, path, i, len);
  if (n < 0) return n;
  w.walkHost = out;
  w.walkHostLen = n;
  w.walkMount = mount;
  return HOSTPATH;
}

// @ts-ignore: decorator
@inline function walkedMount(): Inode { return changetype<Inode>(sc().walkMount); }

/** Length of the walked mount's host directory (the start of walkedHostPath()). */
export function walkedRootLen(): i32 { return walkedMount().hostLen; }

/** The walked mount is read-only. */
export function walkedReadonly(): bool { return walkedMount().readonly != 0; }

function request(op: i32): usize {
  const r = scratch(SCRATCH_HOSTREQ);
  memory.fill(r, 0, 64);
  store<i32>(r + R_OP, op);
  store<usize>(r + R_OUT, hostOut());
  store<u32>(r + R_OUTCAP, 4096);
  return r;
}

function withWalkedPath(r: usize): usize {
  store<usize>(r + R_PATH, walkedHostPath());
  store<i32>(r + R_PATHLEN, walkedHostLen());
  const m = walkedMount();
  store<usize>(r + R_ROOT, m.host);
  store<i32>(r + R_ROOTLEN, m.hostLen);
  return r;
}

/** An operation on the walked host path (open, stat, mkdir, rmdir, unlink, readfile). */
export function hostPathOp(op: i32, flags: i32, mode: i32): i64 {
  const r = withWalkedPath(request(op));
  store<i32>(r + R_FLAGS, flags);
  store<i32>(r + R_MODE, mode);
  return hostFs(r);
}

/**
 * An operation on two names given explicitly (rename, link: two walks
 * happened, in the walked mount; symlink: the link's host path and its
 * target, kept as given).
 */
export function hostPathPair(op: i32, p1: usize, l1: i32, p2: usize, l2: i32, flags: i32): i64 {
  const r = withWalkedPath(request(op));
  store<usize>(r + R_PATH, p1); store<i32>(r + R_PATHLEN, l1);
  store<usize>(r + R_PATH2, p2); store<i32>(r + R_PATH2LEN, l2);
  store<i32>(r + R_FLAGS, flags);
  return hostFs(r);
}

/** rename between two walked host paths. */
export function hostRename(p1: usize, l1: i32, p2: usize, l2: i32): i64 {
  return hostPathPair(HOST_RENAME, p1, l1, p2, l2, 0);
}

/**
 * The current path of the open host directory `fd` below mount `m`'s root
 * (packed into hostOut(), its length returned), or -errno: ENOENT when it is
 * no longer beneath the root, ENOSYS when the host cannot tell.
 */
export function hostFdPath(fd: i32, m: Inode): i64 {
  const r = request(HOST_FDPATH);
  store<i32>(r + R_FD, fd);
  store<usize>(r + R_ROOT, m.host);
  store<i32>(r + R_ROOTLEN, m.hostLen);
  return hostFs(r);
}

/** Data transfer on a host descriptor, straight to or from guest memory. */
export function hostIo(op: i32, fd: i32, uptr: u32, ulen: u32, pos: i64): i64 {
  const r = request(op);
  store<i32>(r + R_FD, fd);
  store<u32>(r + R_UPTR, uptr);
  store<u32>(r + R_ULEN, ulen);
  store<i64>(r + R_POS, pos);
  return hostFs(r);
}

/** fstat / close / truncate of a host descriptor. */
export function hostFdOp(op: i32, fd: i32, arg: i64): i64 {
  const r = request(op);
  store<i32>(r + R_FD, fd);
  store<i64>(r + R_POS, arg);
  return hostFs(r);
}

/**
 * futimens of host descriptor `fd` (`fd` < 0: utimensat of the walked host
 * path, not following a final link when `nofollow`): atime at `times`,
 * mtime at `times + 8`, each set when `which` has bit 0 / bit 1.
 */
export function hostTimes(fd: i32, which: i32, times: usize, nofollow: bool): i64 {
  const r = fd < 0 ? withWalkedPath(request(HOST_UTIMES)) : request(HOST_FUTIMES);
  store<i32>(r + R_FD, fd);
  store<i32>(r + R_FLAGS, (which & 3) << 1 | (nofollow ? HOST_NOFOLLOW : 0));
  store<i64>(r + R_POS, load<i64>(times));
  store<i64>(r + R_POS2, load<i64>(times + 8));
  return hostFs(r);
}

/** Entries of the open host directory `fd` (at `path`) after listing cookie `start`, packed into hostOut(). */
export function hostReaddir(fd: i32, path: usize, len: i32, start: i64): i64 {
  const r = request(HOST_READDIR);
  store<i32>(r + R_FD, fd);
  store<usize>(r + R_PATH, path); store<i32>(r + R_PATHLEN, len);
  store<i64>(r + R_POS, start);
  return hostFs(r);
}

// Kernel-only bits in File.flags of a host file (above every Linux O_* flag;
// F_GETFL never shows them, F_SETFL keeps them).
/** The host file is a stream (FIFO, device): no positions, "would block" is retried. */
export const HF_STREAM = 0x10000000;
/** A host FIFO that has had a writer: a read that finds none is EOF from now on. */
export const HF_PEER = 0x20000000;
/** Opened below a read-only mount: what would change the host file (its times) is EROFS. */
export const HF_ROMOUNT = 0x40000000;

/** File.flags for a host file just opened with the guest's `flags` (the host's answer in hostOut()). */
export function hostFileFlags(flags: i32): i32 {
  const kind = load<u8>(hostOut());
  return (flags & ~(HF_STREAM | HF_PEER | HF_ROMOUNT)) | (kind == HOST_KIND_STREAM ? HF_STREAM : 0)
    | (walkedReadonly() ? HF_ROMOUNT : 0);
}

export { EROFS };
