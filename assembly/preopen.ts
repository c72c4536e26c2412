// WASI preopens (#12): the directory descriptors a process starts with and
// the names fd_prestat_dir_name reports for them. A preopen is an open
// directory File carrying its name (File.pname, freed with the File), so the
// name follows the descriptor through fd_renumber and dup, and a closed or
// replaced descriptor is no preopen any more.
//
// A process gets either the preopens its spawn named (SPAWN_PREOPEN file
// actions, e.g. the CLI's --dir or the API's `preopens`), or, with none
// named, the default: the namespace root "/" at fd 3 (k_preopen).

import { ENOMEM, ENOTDIR, EBADF, ENAMETOOLONG, EFAULT, EINVAL } from "../abi/errno";
import { O_RDONLY, O_DIRECTORY } from "../abi/constants";
import { kalloc } from "./alloc";
import { Proc, curProc } from "./task";
import { copyout, scratch, SCRATCH_TMP } from "./user";
import { File, filePut, fdGet, fdInstallAt, isDirFile } from "./file";
import { vfsOpen } from "./vfs";

/** Proc.preopenFd once a spawn named its preopens: k_preopen adds no default "/". */
export const PREOPENS_NAMED: i32 = -2;

/** A kernel copy of a preopen name: {u32 length, bytes}; 0 when out of memory. */
export function preopenNameBlock(src: usize, len: u32): usize {
  const b = kalloc(4 + <usize>len);
  if (b == 0) return 0;
  store<u32>(b, len);
  memory.copy(b + 4, src, len);
  return b;
}

/**
 * Applies one SPAWN_PREOPEN record (abi/constants.ts) to `child`: opens
 * the directory and installs it at the record's fd with its name (fd -1:
 * no directory, only "the spawn names its preopens", so none is added).
 * 0 or -errno (ENOTDIR for a path that is not a directory).
 */
export function preopenAction(child: Proc, r: usize): i32 {
  const newfd = load<i32>(r + 8), nameLen = load<u32>(r + 12);
  // A record with fd -1 names no directory: the spawn asked for none at all.
  if (newfd == -1) { child.preopenFd = PREOPENS_NAMED; return 0; }
  const bytes = <usize>load<u32>(r + 16), len = load<u32>(r + 20);
  if (nameLen == 0 || nameLen >= len) return -EINVAL;
  const q = vfsOpen(bytes + nameLen, <i32>(len - nameLen), O_RDONLY | O_DIRECTORY, 0, false);
  if (q < 0) return <i32>q;
  const f = changetype<File>(q);
  if (!isDirFile(f)) { filePut(f); return -ENOTDIR; }
  f.pname = preopenNameBlock(bytes, nameLen);
  if (f.pname == 0) { filePut(f); return -ENOMEM; }
  const e = fdInstallAt(child, f, newfd, false);
  if (e < 0) { filePut(f); return e; }
  child.preopenFd = PREOPENS_NAMED;
  return 0;
}

/** fd_prestat_get: {u8 tag = 0 (dir), u32 name length} at `uout`; WASI errno. */
export function prestatGet(fd: i32, uout: u32): i32 {
  const f = fdGet(curProc(), fd);
  if (f == null) return EBADF;
  const name = f.pname;
  const len: u32 = name == 0 ? 0 : load<u32>(name);
  filePut(f);
  if (name == 0) return EBADF;
  const k = scratch(SCRATCH_TMP);
  store<u32>(k, 0);
  store<u32>(k + 4, len);
  return copyout(uout, k, 8) ? 0 : EFAULT;
}

/** fd_prestat_dir_name: the name's bytes (no NUL) into `ubuf` of `cap` bytes; WASI errno. */
export function prestatDirName(fd: i32, ubuf: u32, cap: u32): i32 {
  const f = fdGet(curProc(), fd);
  if (f == null) return EBADF;
  const name = f.pname;
  let r = EBADF;
  if (name != 0) {
    const len = load<u32>(name);
    // The name block lives as long as the File, which our reference holds.
    r = cap < len ? ENAMETOOLONG : copyout(ubuf, name + 4, len) ? 0 : EFAULT;
  }
  filePut(f);
  return r;
}
