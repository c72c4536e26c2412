// execve: the same process runs a new program. Everything that can fail is
// checked before anything changes: the program (ENOENT, EACCES for a
// directory, ENOEXEC without the wasm magic or a `#!` line), argv and env
// (EFAULT, E2BIG). Then the process's image, argv, env and name are swapped
// with the new ones, the old kept aside (Proc.execOld), and the host compiles
// the new module: if it loads, k_execCommit frees the old image and closes
// the FD_CLOEXEC descriptors, and the host starts the new program; if not,
// k_execAbort puts the old one back and the call fails with ENOEXEC, the
// caller going on as on Linux. pid, parent, the other descriptors, cwd,
// process group, credentials, ignored signals and the mask stay; handled
// signals go back to SIG_DFL.

import { EACCES, EBADF, ENOEXEC, ENOMEM, E2BIG } from "../abi/errno";
import { S_IFMT, S_IFREG, ARG_MAX } from "../abi/constants";
import { kalloc, kfree } from "./alloc";
import { Proc, curProc, procSetComm, COMM_SIZE } from "./task";
import { copyPath, scratch, sc, SCRATCH_PATH1, SCRATCH_HOSTOUT } from "./user";
import { Inode, lookupHeld, inodePut, inodeHold, inodeLock, regPage, regFirstWord } from "./vfs";
import { HOSTPATH, hostPathOp, hostOut, hostFdOp, HOST_READFILE, HOST_FSTAT } from "./mount";
import { File, fdtCloseExec, fdGet, filePut, FT_REG, FT_HOST } from "./file";
import { kdup } from "./alloc";
import { procFreeMemory } from "./proc";
import { acquire, release } from "./lock";
import { copyStrings, setImage, WASM_MAGIC } from "./spawn";
import { sigsExec } from "./signal";
import { mayExec } from "./fs/access";

/** How much of a file is read for its `#!` line (Linux's BINPRM_BUF_SIZE). */
const HEAD_MAX: i32 = 256;

/**
 * Reads up to HEAD_MAX bytes of the file at `path` into `out`: the count, or
 * -errno (EACCES for what is not a regular file).
 */
function readHead(path: usize, len: i32, out: usize): i32 {
  const r = lookupHeld(path, len);
  if (r == HOSTPATH) {
    const n = hostPathOp(HOST_READFILE, 0, HEAD_MAX);
    if (n < 0) return n == -21 /* EISDIR */ ? -EACCES : <i32>n;
    memory.copy(out, hostOut(), <usize>n);
    return <i32>n;
  }
  if (r < 0) return <i32>r;
  const node = changetype<Inode>(r);
  let n: i32 = -EACCES;
  if ((node.mode & S_IFMT) == S_IFREG) {
    acquire(inodeLock(node));
    n = node.size < <u64>HEAD_MAX ? <i32>node.size : HEAD_MAX;
    const page = n > 0 ? regPage(node, 0) : 0;
    if (page != 0) memory.copy(out, page, n); else memory.fill(out, 0, n);
    release(inodeLock(node));
  }
  inodePut(node);
  return n;
}

// @ts-ignore: decorator
@inline function blank(c: u8): bool { return c == 0x20 || c == 0x09; }

/**
 * Parses a `#!` line in `head` (n bytes) into `out` (four i32): the
 * interpreter's offset and length, the optional argument's offset and
 * length (0 for none). 0, or -ENOEXEC when the line is not terminated within
 * the head or names no interpreter.
 */
function parseShebang(head: usize, n: i32, out: usize): i32 {
  let end = 2;
  while (end < n && load<u8>(head + end) != 0x0a) end++;
  if (end == n) return -ENOEXEC;
  let i = 2;
  while (i < end && blank(load<u8>(head + i))) i++;
  const start = i;
  while (i < end && !blank(load<u8>(head + i)) && load<u8>(head + i) != 0x0d) i++;
  if (i == start) return -ENOEXEC;
  store<i32>(out, start);
  store<i32>(out + 4, i - start);
  while (i < end && blank(load<u8>(head + i))) i++;
  let aend = end;   // the rest of the line is one argument, trailing blanks dropped
  while (aend > i && (blank(load<u8>(head + aend - 1)) || load<u8>(head + aend - 1) == 0x0d)) aend--;
  store<i32>(out + 8, i);
  store<i32>(out + 12, aend - i);
  return 0;
}

/**
 * argv for a script: interpreter, its optional argument, the script's path
 * as given, then the caller's argv from argv[1] on (Linux's order). Frees
 * `args` (the caller's argv block of `bytes` bytes). Returns the new block
 * (size in stage.argBytes, count in stage.argc) or -errno.
 */
function scriptArgs(stage: Proc, args: usize, argc: i32, bytes: i32,
                    interp: usize, ilen: i32, arg: usize, alen: i32, script: usize, slen: i32): isize {
  let skip = 0;   // argv[0]'s bytes with its NUL
  if (argc > 0) { while (load<u8>(args + skip) != 0) skip++; skip++; }
  const total = ilen + 1 + (alen > 0 ? alen + 1 : 0) + slen + 1 + (bytes - skip);
  if (total > ARG_MAX) { kfree(args); return -E2BIG; }
  const block = kalloc(total);
  if (block == 0) { kfree(args); return -ENOMEM; }
  let o = 0;
  memory.copy(block, interp, ilen); o += ilen; store<u8>(block + o++, 0);
  if (alen > 0) { memory.copy(block + o, arg, alen); o += alen; store<u8>(block + o++, 0); }
  memory.copy(block + o, script, slen); o += slen; store<u8>(block + o++, 0);
  memory.copy(block + o, args + skip, bytes - skip);
  kfree(args);
  stage.argc = (argc > 0 ? argc - 1 : 0) + (alen > 0 ? 3 : 2);
  stage.argBytes = total;
  return changetype<isize>(block);
}

/** Swaps what exec replaces between the process and the stage. */
function swapImage(p: Proc, s: Proc): void {
  let t: usize;
  let i: i32;
  t = p.image; p.image = s.image; s.image = t;
  t = p.imagePath; p.imagePath = s.imagePath; s.imagePath = t;
  i = p.imagePathLen; p.imagePathLen = s.imagePathLen; s.imagePathLen = i;
  i = p.imageRootLen; p.imageRootLen = s.imageRootLen; s.imageRootLen = i;
  t = p.args; p.args = s.args; s.args = t;
  i = p.argc; p.argc = s.argc; s.argc = i;
  i = p.argBytes; p.argBytes = s.argBytes; s.argBytes = i;
  t = p.env; p.env = s.env; s.env = t;
  i = p.envc; p.envc = s.envc; s.envc = i;
  i = p.envBytes; p.envBytes = s.envBytes; s.envBytes = i;
  const a = changetype<usize>(p) + offsetof<Proc>("comm0"), b = changetype<usize>(s) + offsetof<Proc>("comm0");
  const tmp = scratch(SCRATCH_HOSTOUT);
  memory.copy(tmp, a, COMM_SIZE); memory.copy(a, b, COMM_SIZE); memory.copy(b, tmp, COMM_SIZE);
}

/** Frees a stage and everything it holds. */
function stageFree(s: Proc): void {
  procFreeMemory(s);
  kfree(changetype<usize>(s));
}

/** Everything execve checks, into `stage`; 0 or -errno. */
function execSetup(stage: Proc, n: i32, uargv: u32, argc: u32, uenv: u32, envc: u32): i32 {
  const path = scratch(SCRATCH_PATH1);
  // The head, then the #! line's four offsets: kernel memory of our own,
  // since the walks below use the task's scratch.
  const head = kalloc(HEAD_MAX + 16);
  if (head == 0) return -ENOMEM;
  const err = execSetupWith(stage, path, n, head, uargv, argc, uenv, envc);
  kfree(head);
  return err;
}

function execSetupWith(stage: Proc, path: usize, n: i32, head: usize,
                       uargv: u32, argc: u32, uenv: u32, envc: u32): i32 {
  const hn = readHead(path, n, head);
  if (hn < 0) return hn;
  const sb = head + HEAD_MAX;
  const script = hn >= 2 && load<u8>(head) == 0x23 && load<u8>(head + 1) == 0x21;
  if (script) {
    const e = parseShebang(head, hn, sb);
    if (e < 0) return e;
    // The interpreter must be a program itself (one level of #!, as most scripts need).
    const i = setImage(stage, head + load<i32>(sb), load<i32>(sb + 4));
    if (i < 0) return i;
  } else {
    const e = setImage(stage, path, n);
    if (e < 0) return e;
  }
  const e = stageArgv(stage, uargv, argc);
  if (e < 0) return e;
  if (script) {
    const s = scriptArgs(stage, stage.args, argc, stage.argBytes, head + load<i32>(sb), load<i32>(sb + 4),
                         head + load<i32>(sb + 8), load<i32>(sb + 12), path, n);
    stage.args = 0;
    if (s < 0) return <i32>s;
    stage.args = changetype<usize>(s);
  }
  return stageEnv(stage, uenv, envc);
}

/** argv copied into the stage: 0 or -errno (EFAULT, E2BIG, ENOMEM). */
function stageArgv(stage: Proc, uargv: u32, argc: u32): i32 {
  const args = copyStrings(uargv, argc);
  if (args < 0) return <i32>args;
  stage.args = changetype<usize>(args); stage.argc = argc; stage.argBytes = sc().argBytes;
  return 0;
}

/** The environment copied into the stage, and the name ps shows (argv[0]). */
function stageEnv(stage: Proc, uenv: u32, envc: u32): i32 {
  const env = copyStrings(uenv, envc);
  if (env < 0) return <i32>env;
  stage.env = changetype<usize>(env); stage.envc = envc; stage.envBytes = sc().argBytes;
  if (stage.argc > 0) procSetComm(stage, stage.args);
  return 0;
}

/** Puts a checked stage in place of the process's image (see k_execCommit / k_execAbort). */
function stageInstall(p: Proc, stage: Proc): void {
  swapImage(p, stage);
  p.execOld = changetype<usize>(stage);
}

/** A stage the host never settled (a failed load it did not abort) goes first. */
function stageDrop(p: Proc): void {
  if (p.execOld != 0) stageFree(changetype<Proc>(p.execOld));
  p.execOld = 0;
}

export function sys_execve(upath: u32, plen: u32, uargv: u32, argc: u32, uenv: u32, envc: u32): i32 {
  const p = curProc();
  stageDrop(p);
  const n = copyPath(upath, plen, SCRATCH_PATH1);
  if (n < 0) return n;
  const stage = changetype<Proc>(kalloc(offsetof<Proc>()));
  if (changetype<usize>(stage) == 0) return -ENOMEM;
  const err = execSetup(stage, n, uargv, argc, uenv, envc);
  if (err < 0) { stageFree(stage); return err; }
  stageInstall(p, stage);
  return 0;
}

/** Whether a mode has an execute bit (root may run a file any of them allows, as Linux). */
// @ts-ignore: decorator
@inline function executable(mode: u32): bool { return (mode & S_IFMT) == S_IFREG && (mode & 0o111) != 0; }

/**
 * The program open at `f` as the stage's image: a tmpfs file (its inode,
 * held) or a file below a mount (its host path, read beneath the mount as
 * every program there). EACCES for what is not a regular file with an
 * execute bit; ENOEXEC for a tmpfs file without the wasm magic (a file
 * below a mount is checked when the host loads it: ENOEXEC then too). A
 * `#!` script by descriptor has no path to hand its interpreter (Linux
 * names it /dev/fd/N): ENOEXEC.
 */
function fdImage(stage: Proc, f: File): i32 {
  if (f.type == FT_REG && f.inode != 0) {
    const node = changetype<Inode>(f.inode);
    if (!executable(node.mode) || !mayExec(node)) return -EACCES;
    if (node.size < 8 || regFirstWord(node) != WASM_MAGIC) return -ENOEXEC;
    inodeHold(node);
    stage.image = changetype<usize>(node);   // released with the stage or the process
    return 0;
  }
  if (f.type == FT_HOST && f.obj != 0) {
    const r = hostFdOp(HOST_FSTAT, f.aux, 0);
    if (r < 0) return <i32>r;
    if (!executable(load<u32>(hostOut() + 16))) return -EACCES;   // the stat record's mode
    stage.imagePath = kdup(f.hpath, f.hpathLen);
    if (stage.imagePath == 0) return -ENOMEM;
    stage.imagePathLen = f.hpathLen;
    stage.imageRootLen = changetype<Inode>(f.obj).hostLen;
    return 0;
  }
  return -EACCES;   // a directory, pipe, device: not a program
}

/**
 * fexecve(fd, argv, envp): execve of the program `fd` is open on, whatever
 * its name now (the inode itself for a tmpfs file). EBADF for a closed fd;
 * then as execve. A FD_CLOEXEC `fd` is fine: the image is held, not the fd.
 */
export function sys_fexecve(fd: i32, uargv: u32, argc: u32, uenv: u32, envc: u32): i32 {
  const p = curProc();
  stageDrop(p);
  const f = fdGet(p, fd);
  if (f == null) return -EBADF;
  const stage = changetype<Proc>(kalloc(offsetof<Proc>()));
  if (changetype<usize>(stage) == 0) { filePut(f); return -ENOMEM; }
  let err = fdImage(stage, f);
  filePut(f);
  if (err == 0) err = stageArgv(stage, uargv, argc);
  if (err == 0) err = stageEnv(stage, uenv, envc);
  if (err < 0) { stageFree(stage); return err; }
  stageInstall(p, stage);
  return 0;
}

/**
 * The new program loaded: the old image goes, and so do the FD_CLOEXEC
 * descriptors (the WASI preopen among them).
 */
export function k_execCommit(): void {
  const p = curProc();
  if (p.execOld != 0) { stageFree(changetype<Proc>(p.execOld)); p.execOld = 0; }
  p.execd = 1;   // its parent's setpgid is EACCES from now on
  fdtCloseExec(p);
  sigsExec(p);   // handlers were the old program's functions
  if (p.preopenFd >= 0) {
    const f = fdGet(p, p.preopenFd);
    if (f == null) p.preopenFd = -1; else filePut(f);
  }
}

/** The new program did not load: the old image, argv and env come back. */
export function k_execAbort(): void {
  const p = curProc();
  if (p.execOld == 0) return;
  const s = changetype<Proc>(p.execOld);
  p.execOld = 0;
  swapImage(p, s);
  stageFree(s);
}
