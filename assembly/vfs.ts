// The tmpfs namespace: directories, regular files, FIFOs, character devices
// and host mount points, in kernel memory. Tree shape (dentries, nlink) is
// guarded by one namespace lock, as Linux's rename lock; file contents by
// each inode's own lock.

import {
  EEXIST, EISDIR, ENOENT, ENOMEM, ENOTDIR, ENOTEMPTY, EBUSY, EPERM, EROFS, EAGAIN, EINVAL, ELOOP, EACCES,
} from "../abi/errno";
import { KBLOCK } from "../abi/errno";
import {
  S_IFMT, S_IFDIR, S_IFREG, S_IFIFO, S_IFCHR, S_IFLNK, O_ACCMODE, O_RDONLY, O_CREAT, O_EXCL, O_TRUNC,
  O_APPEND, O_DIRECTORY, O_NOFOLLOW,
} from "../abi/constants";
import { kalloc, kfree, kdup } from "./alloc";
import { G, Globals } from "./globals";
import { acquire, release } from "./lock";
import { Proc, cur, curProc, procLock } from "./task";
import { ttyOpened } from "./tty";
import { scratch, sc, SCRATCH_PATH1 } from "./user";
import { now, CLOCK_REALTIME } from "./clock";
import {
  File, fileAlloc, hostClose, FT_PIPE, FT_REG, FT_DIR, FT_NULL, FT_ZERO, FT_CONSOLE,
} from "./file";
import {
  HOSTPATH, hostPathOp, hostOut, walkedHostPath, walkedHostLen,
  walkedReadonly, hostFileFlags, HOST_OPEN, HOST_STAT, HOST_MKDIR, HOST_RMDIR, HOST_UNLINK,
  HOST_KIND_DIR, HOST_NOFOLLOW, HOST_LINK,
} from "./mount";
import { hostOpenWouldBlock } from "./hostio";
import { FT_HOST, FT_HOSTDIR, FT_MQUEUE } from "./file";
import { MQueue, mqFree } from "./mqueue";
import { isMqDir, mqMakeByOpen } from "./mqopen";
import { fifoOpen, fifoDetach } from "./fifo";
import { restartBegin, RESTART_OPEN } from "./restart";
import { regTruncate, regRead, regWrite, regRelease, regAllocate, regFirstWord, regPage } from "./regfile";
import { statFill, dtypeOf, dirRead, dirNext, wasiFiletype } from "./dirent";
import { namei, walkPrepare, isLink, WALK_PARENT, WALK_FOLLOW } from "./fs/namei";
import { inodeTouch, TOUCH_MTIME, TOUCH_CTIME } from "./fs/times";
import { mayChangeDir, mayDelete, mayOpen } from "./fs/access";

export { vfsRename } from "./fs/rename";
export { vfsSymlink, vfsLink, vfsReadlink } from "./fs/links";
export { fifoDetach, regTruncate, regRead, regWrite, regAllocate, regFirstWord, regPage, statFill, dtypeOf, dirRead, dirNext, wasiFiletype };

export const DEV_NULL = 1;
export const DEV_ZERO = 2;
export const DEV_TTY = 3;

@unmanaged
export class Inode {
  lock: i32;
  ino: i32;
  mode: u32;       // S_IF* | permission bits
  nlink: i32;
  refs: i32;       // open files and other holders
  size: u32;
  data: usize;     // regular file: root of its page tree (regfile.ts), `depth` levels
  dents: usize;    // Dentry list of a directory
  parent: usize;   // Inode* of the containing directory
  pipe: usize;     // FIFO: the Pipe while someone has it open
  dev: i32;        // character device number
  mtime: i64;
  ctime: i64;
  host: usize;     // mount point: host directory path
  hostLen: i32;
  readonly: i32;
  version: i32;    // odd during a change of the contents; lets workers cache compiled programs
  depth: i32;      // levels of index pages above the data pages
  atime: i64;      // last access (relatime, fs/times.ts); mtime, ctime above
  dseq: i64;       // directory: the last Dentry.seq handed out (readdir cookies, dirent.ts)
  uid: i32;        // owner: the creator's effective ids (fs/access.ts checks against them; chown changes them)
  gid: i32;
  mq: usize;       // a /dev/mqueue entry: its MQueue (mqueue.ts), freed with the inode
}

@unmanaged
export class Dentry {
  name: usize;
  nameLen: i32;
  inode: usize;
  next: usize;
  seq: i64;        // order of creation in its directory: the readdir cookie (dirent.ts)
}

// @ts-ignore: decorator
@inline export function vfsLock(): usize { return changetype<usize>(G()) + offsetof<Globals>("vfsLock"); }
// @ts-ignore: decorator
@inline export function inodeLock(i: Inode): usize { return changetype<usize>(i); }
// @ts-ignore: decorator
@inline export function isDir(i: Inode): bool { return (i.mode & S_IFMT) == S_IFDIR; }

export function inodeNew(mode: u32): Inode | null {
  const i = changetype<Inode>(kalloc(offsetof<Inode>()));
  if (changetype<usize>(i) == 0) return null;
  i.ino = atomic.add<i32>(changetype<usize>(G()) + offsetof<Globals>("nextIno"), 1);
  i.mode = mode;
  const p = curProc();
  i.uid = p.euid; i.gid = p.egid;
  i.atime = i.mtime = i.ctime = now(CLOCK_REALTIME);
  return i;
}

export function inodeFree(i: Inode): void {
  if ((i.mode & S_IFMT) == S_IFREG) regRelease(i);
  if ((i.mode & S_IFMT) == S_IFLNK) kfree(i.data);   // a symlink's target
  if (i.host != 0) kfree(i.host);
  if (i.mq != 0) mqFree(changetype<MQueue>(i.mq));
  kfree(changetype<usize>(i));
}

export function inodeHold(i: Inode): void { atomic.add<i32>(changetype<usize>(i) + offsetof<Inode>("refs"), 1); }

/** Drops a holder; an unlinked inode with no holders goes away. */
export function inodePut(i: Inode): void {
  acquire(vfsLock());
  i.refs--;
  const dead = i.refs == 0 && i.nlink == 0;
  release(vfsLock());
  if (dead) inodeFree(i);
}

// ---- directories ----

function nameEq(d: Dentry, name: usize, len: i32): bool {
  return d.nameLen == len && memory.compare(d.name, name, len) == 0;
}

export function dirLookup(dir: Inode, name: usize, len: i32): Inode | null {
  if (len == 1 && load<u8>(name) == 0x2e) return dir;
  if (len == 2 && load<u16>(name) == 0x2e2e) return changetype<Inode>(dir.parent);
  let d = dir.dents;
  while (d != 0) {
    if (nameEq(changetype<Dentry>(d), name, len)) return changetype<Inode>(changetype<Dentry>(d).inode);
    d = changetype<Dentry>(d).next;
  }
  return null;
}

/** A new directory entry named `name` (not yet linked), or null. */
export function dentryNew(name: usize, len: i32): Dentry | null {
  const d = changetype<Dentry>(kalloc(offsetof<Dentry>()));
  if (changetype<usize>(d) == 0) return null;
  d.name = kdup(name, len);
  if (d.name == 0) { kfree(changetype<usize>(d)); return null; }
  d.nameLen = len;
  return d;
}

export function dirAdd(dir: Inode, name: usize, len: i32, child: Inode): bool {
  const d = dentryNew(name, len);
  if (d == null) return false;
  dirLink(dir, d, child);
  return true;
}

// Link counts are Linux's: a file's is its names; a directory's is 2 (its
// name and its own ".") plus one per subdirectory (their ".."). dirLink and
// dirRemove move a name and its ".." only, so a rename keeps the count of
// the directory it moves; a directory's own "." goes when it is removed for
// good. A linked inode never has nlink 0 (a directory renamed with
// subdirectories used to get nlink 2, reached 0 when they were removed while
// it stayed linked, and was freed by the next stat while still in the tree).

/** Links an entry made by dentryNew into `dir` (cannot fail). */
export function dirLink(dir: Inode, d: Dentry, child: Inode): void {
  d.inode = changetype<usize>(child);
  // Newest first, each with a higher seq than any before it in this
  // directory: a listing resumed from a cookie never meets an entry twice.
  d.seq = ++dir.dseq;
  d.next = dir.dents;
  dir.dents = changetype<usize>(d);
  child.nlink++;
  if (isDir(child)) { child.parent = changetype<usize>(dir); dir.nlink++; }
  inodeTouch(dir, TOUCH_MTIME | TOUCH_CTIME);
  inodeTouch(child, TOUCH_CTIME);   // its link count (or, renamed, its name) changed
}

export function dentryFree(d: Dentry): void {
  kfree(d.name);
  kfree(changetype<usize>(d));
}

/** Unlinks a name; returns the inode it named (its nlink already dropped). */
export function dirRemove(dir: Inode, name: usize, len: i32): Inode | null {
  let prev: usize = 0;
  let d = dir.dents;
  while (d != 0) {
    const e = changetype<Dentry>(d);
    if (nameEq(e, name, len)) {
      if (prev == 0) dir.dents = e.next; else changetype<Dentry>(prev).next = e.next;
      const child = changetype<Inode>(e.inode);
      child.nlink--;
      if (isDir(child)) dir.nlink--;   // its ".." (the caller drops its "." when it goes)
      kfree(e.name);
      kfree(d);
      inodeTouch(dir, TOUCH_MTIME | TOUCH_CTIME);
      inodeTouch(child, TOUCH_CTIME);
      return child;
    }
    prev = d;
    d = e.next;
  }
  return null;
}

// ---- path resolution (the walk itself is fs/namei.ts) ----

// Results of the last walk, in the task's scratch (per-call, per-thread).
// @ts-ignore: decorator
@inline export function lastName(): usize { return sc().lastName; }
// @ts-ignore: decorator
@inline export function lastLen(): i32 { return sc().lastLen; }
// @ts-ignore: decorator
@inline function lastSlash(): bool { return sc().lastSlash != 0; }

/** Makes `path` (kernel bytes) absolute against the cwd, into SCRATCH_FULL. */
export function absPath(path: usize, len: i32): i32 {
  const r = walkPrepare(null, path, len);
  return r < 0 ? <i32>r : sc().walkLen;
}

/** Copies the cwd (shorter than PATH_MAX) to `out`; returns its length. */
export function cwdCopy(p: Proc, out: usize): i32 {
  acquire(procLock(p));
  const n = p.cwdLen;
  memory.copy(out, p.cwd, n);
  release(procLock(p));
  return n;
}

/** chdir: installs `path` (a kernel block, normalised) as the cwd; frees the old one. */
export function cwdSet(p: Proc, path: usize, len: i32): void {
  acquire(procLock(p));
  const old = p.cwd;
  p.cwd = path;
  p.cwdLen = len;
  release(procLock(p));
  kfree(old);
}

/** Resolves a guest-supplied path (already in kernel memory), following links; namespace lock held. */
export function lookup(path: usize, len: i32): isize {
  return namei(null, path, len, WALK_FOLLOW);
}

/** The inode at `path` (relative to `base`, null: the cwd), held (the caller must inodePut), or -errno. */
export function lookupHeld(path: usize, len: i32, base: Inode | null = null, follow: bool = true): isize {
  acquire(vfsLock());
  const r = namei(base, path, len, follow ? WALK_FOLLOW : 0);
  if (r > 0) inodeHold(changetype<Inode>(r));
  release(vfsLock());
  return r;
}

/** stat(2) of a path, tmpfs or host, into the 64-byte record at `k`; lstat(2) unless `follow`. */
export function vfsStat(path: usize, len: i32, k: usize, follow: bool = true, base: Inode | null = null): i32 {
  const r = lookupHeld(path, len, base, follow);
  if (r == HOSTPATH) {
    const slash = lastSlash();
    const e = hostPathOp(HOST_STAT, follow || slash ? 0 : HOST_NOFOLLOW, 0);
    if (e < 0) return <i32>e;
    memory.copy(k, hostOut(), 64);
    if (slash && (load<u32>(k + 16) & S_IFMT) != S_IFDIR) return -ENOTDIR;
    return 0;
  }
  if (r < 0) return <i32>r;
  statFill(changetype<Inode>(r), k);
  inodePut(changetype<Inode>(r));
  return 0;
}

/** The parent walk of a name to create, remove or rename (namespace lock held). */
export function lookupParent(base: Inode | null, path: usize, len: i32, flags: i32 = 0): isize {
  return namei(base, path, len, WALK_PARENT | flags);
}

/** A directory that was removed (rmdir) while a descriptor still refers to it: nothing can be made in it. */
// @ts-ignore: decorator
@inline export function dirGone(d: Inode): bool { return d.nlink == 0; }

// ---- namespace operations ----

function createNode(base: Inode | null, path: usize, len: i32, mode: u32): isize {
  acquire(vfsLock());
  const r = lookupParent(base, path, len);
  const wantDir = (mode & S_IFMT) == S_IFDIR;
  if (r == HOSTPATH) {
    release(vfsLock());
    if (!wantDir) return -EPERM;   // no FIFOs or devices on the host
    if (walkedReadonly()) return -EROFS;
    return <isize>hostPathOp(HOST_MKDIR, 0, <i32>(mode & 0o7777));
  }
  if (r < 0) { release(vfsLock()); return r; }
  const dir = changetype<Inode>(r);
  let err = 0;
  if (lastLen() == 0 || dirLookup(dir, lastName(), lastLen()) != null) err = -EEXIST;   // "/" too
  else if (dirGone(dir)) err = -ENOENT;
  else if (lastSlash() && !wantDir) err = -ENOENT;   // mkfifo("x/"), as Linux
  else err = mayChangeDir(dir);
  // Linux's mqueue file system has no mkdir or mknod: vfs_mkdir/vfs_mknod's EPERM.
  if (err == 0 && isMqDir(dir)) err = -EPERM;
  if (err != 0) { release(vfsLock()); return err; }
  const node = inodeNew(mode);
  if (node != null && wantDir) node.nlink = 1;   // its "."; the entry makes 2
  if (node == null || !dirAdd(dir, lastName(), lastLen(), node)) {
    release(vfsLock());
    if (node != null) inodeFree(node);   // never linked: nobody else can see it
    return -ENOMEM;
  }
  release(vfsLock());
  return changetype<isize>(node);
}

export function vfsMkdir(path: usize, len: i32, perm: u32, base: Inode | null = null): i32 {
  const r = createNode(base, path, len, S_IFDIR | (perm & 0o7777));
  return r <= 0 ? <i32>r : 0;
}

export function vfsMkfifo(path: usize, len: i32, perm: u32, base: Inode | null = null): i32 {
  const r = createNode(base, path, len, S_IFIFO | (perm & 0o7777));
  return r < 0 ? <i32>r : 0;
}

export function vfsMknodDev(path: usize, len: i32, dev: i32): i32 {
  const r = createNode(null, path, len, S_IFCHR | 0o666);
  if (r < 0) return <i32>r;
  changetype<Inode>(r).dev = dev;
  return 0;
}

/** Drops a name; `wantDir` selects rmdir semantics. */
export function vfsRemove(path: usize, len: i32, wantDir: bool, base: Inode | null = null): i32 {
  acquire(vfsLock());
  const r = lookupParent(base, path, len);
  if (r == HOSTPATH) {
    release(vfsLock());
    const e = hostDotsErr(wantDir ? HOST_RMDIR : HOST_UNLINK);
    if (e != 0) return e;
    if (walkedReadonly()) return -EROFS;
    return <i32>hostPathOp(wantDir ? HOST_RMDIR : HOST_UNLINK, 0, 0);
  }
  if (r < 0) { release(vfsLock()); return <i32>r; }
  const dir = changetype<Inode>(r);
  const name = lastName(), n = lastLen();
  if (n == 0) { release(vfsLock()); return -EBUSY; }   // "/"
  if (wantDir && isDots(name, n)) {
    release(vfsLock()); return n == 1 ? -EINVAL : -ENOTEMPTY;   // rmdir(".") / rmdir(".."), as Linux
  }
  const node = dirLookup(dir, name, n);
  let err = 0;
  if (node == null) err = -ENOENT;
  else if ((err = mayDelete(dir, node)) != 0) {}   // before the type checks, as Linux's may_delete
  else if (wantDir && !isDir(node)) err = -ENOTDIR;
  else if (!wantDir && isDir(node)) err = -EISDIR;
  else if (!wantDir && lastSlash()) err = -ENOTDIR;   // unlink("file/")
  else if (node.host != 0 || isMqDir(node)) err = -EBUSY;   // a mount point (/dev/mqueue is Linux's), empty or not
  else if (wantDir && node.dents != 0) err = -ENOTEMPTY;
  if (err != 0) { release(vfsLock()); return err; }
  dirRemove(dir, name, n);
  if (isDir(node!)) node!.nlink = 0;   // its "." goes with it
  const dead = node!.nlink == 0 && node!.refs == 0;
  release(vfsLock());
  if (dead) inodeFree(node!);
  return 0;
}

/**
 * What Linux answers for a last name "." or ".." or a trailing slash that
 * the host path (normalised) no longer shows: 0 when there is nothing to say.
 * rmdir: "." EINVAL, ".." ENOTEMPTY; unlink, rename, link: a name that is
 * not a directory with "/" after it is ENOTDIR, "." / ".." EISDIR (unlink),
 * EPERM (link) or EBUSY (rename).
 */
export function hostDotsErr(op: i32): i32 {
  const name = lastName(), n = lastLen();
  if (isDots(name, n)) {
    if (op == HOST_RMDIR) return n == 1 ? -EINVAL : -ENOTEMPTY;
    if (op == HOST_UNLINK) return -EISDIR;
    return op == HOST_LINK ? -EPERM : -EBUSY;
  }
  if (op != HOST_RMDIR && lastSlash()) {
    const e = hostPathOp(HOST_STAT, HOST_NOFOLLOW, 0);
    if (e < 0) return <i32>e;
    const isdir = (load<u32>(hostOut() + 16) & S_IFMT) == S_IFDIR;
    if (!isdir) return -ENOTDIR;
    if (op == HOST_UNLINK) return -EISDIR;
  }
  return 0;
}

/** Is the name "." or ".."? (A walk resolves them; no entry ever bears them.) */
export function isDots(name: usize, n: i32): bool {
  return (n == 1 && load<u8>(name) == 0x2e) || (n == 2 && load<u16>(name) == 0x2e2e);
}

// ---- open ----

function fileTypeOf(node: Inode): i32 {
  if (node.mq != 0) return FT_MQUEUE;
  const t = node.mode & S_IFMT;
  if (t == S_IFDIR) return FT_DIR;
  if (t == S_IFCHR) return node.dev == DEV_NULL ? FT_NULL : node.dev == DEV_ZERO ? FT_ZERO : FT_CONSOLE;
  return FT_REG;
}

/**
 * open(2) on the namespace: a held File, -errno, or KBLOCK (FIFO rendezvous).
 * `path` is relative to `base` (an open directory; null: the cwd), as
 * openat(2). A final symlink is followed unless O_NOFOLLOW (then ELOOP, as
 * Linux); O_CREAT without O_EXCL through a dangling link creates its target.
 * With `deferFifo` a FIFO is not opened at all: KBLOCK with nothing changed,
 * decided on the same lookup as the open (spawn's parent leaves FIFO opens
 * to the child: a separate check before the open raced with a rename or
 * mkfifo, and the parent then waited in the rendezvous itself, leaving its
 * task queued on the FIFO and a half-open File in its restart block).
 */
export function vfsOpen(path: usize, len: i32, flags: i32, perm: u32, deferFifo: bool = false, base: Inode | null = null): isize {
  // A retry of a FIFO open that waited for the other end (restart.ts).
  const t = cur();
  if (restartBegin(t, RESTART_OPEN)) return fifoOpen(changetype<File>(t.restartFile), flags);
  acquire(vfsLock());
  const follow = (flags & O_NOFOLLOW) == 0;
  let node: Inode | null = null;
  let created = false;
  if (flags & O_CREAT) {
    const r = lookupParent(base, path, len, follow && (flags & O_EXCL) == 0 ? WALK_FOLLOW : 0);
    if (r == HOSTPATH) { release(vfsLock()); return lastSlash() ? -EISDIR : hostOpen(flags, perm); }
    if (r < 0) { release(vfsLock()); return r; }
    const dir = changetype<Inode>(r);
    // O_CREAT of a directory, or of a name with a trailing slash: EISDIR, as Linux.
    if (lastLen() == 0 || lastSlash()) { release(vfsLock()); return -EISDIR; }
    node = dirLookup(dir, lastName(), lastLen());
    if (node != null && (flags & O_EXCL)) { release(vfsLock()); return -EEXIST; }
    if (node != null && isDir(node)) { release(vfsLock()); return -EISDIR; }
    if (node == null) {
      if (dirGone(dir)) { release(vfsLock()); return -ENOENT; }
      const e = mayChangeDir(dir);
      if (e < 0) { release(vfsLock()); return e; }
      created = true;   // no permission check on what this open made (Linux: FMODE_CREATED)
      if (isMqDir(dir)) {   // a name made in /dev/mqueue is a message queue (`touch /dev/mqueue/q`)
        const e2 = mqMakeByOpen(dir, lastName(), lastLen(), perm);
        if (e2 < 0) { release(vfsLock()); return e2; }
        node = dirLookup(dir, lastName(), lastLen());
      } else {
        node = inodeNew(S_IFREG | (perm & 0o7777));
        if (node == null || !dirAdd(dir, lastName(), lastLen(), node)) {
          release(vfsLock());
          if (node != null) inodeFree(node);   // never linked: nobody else can see it
          return -ENOMEM;
        }
      }
    }
  } else {
    const r = namei(base, path, len, follow ? WALK_FOLLOW : 0);
    if (r == HOSTPATH) { release(vfsLock()); return hostOpen(lastSlash() ? flags | O_DIRECTORY : flags, perm); }
    if (r < 0) { release(vfsLock()); return r; }
    node = changetype<Inode>(r);
  }
  const node_ = node!;
  if (isLink(node_)) { release(vfsLock()); return -ELOOP; }   // O_NOFOLLOW on a final link
  const type = fileTypeOf(node_);
  const acc = flags & O_ACCMODE;
  if (type == FT_DIR && acc != O_RDONLY) { release(vfsLock()); return -EISDIR; }
  if ((flags & O_DIRECTORY) && type != FT_DIR) { release(vfsLock()); return -ENOTDIR; }
  if (!created) {
    const e = mayOpen(node_, flags);
    if (e < 0) { release(vfsLock()); return e; }
  }
  inodeHold(node_);
  release(vfsLock());
  if ((node_.mode & S_IFMT) == S_IFIFO) {
    if (deferFifo) { inodePut(node_); return KBLOCK; }
    const f = fileAlloc(FT_PIPE, flags, 0, changetype<usize>(node_));
    if (f == null) { inodePut(node_); return -ENOMEM; }
    return fifoOpen(f, flags);
  }
  const f = fileAlloc(type, flags, node_.mq, changetype<usize>(node_));
  if (f == null) { inodePut(node_); return -ENOMEM; }
  if (type == FT_CONSOLE) { f.aux = 1; ttyOpened(curProc()); }
  if (type == FT_REG && (flags & O_TRUNC) && acc != O_RDONLY) regTruncate(node_, 0);
  return changetype<isize>(f);
}

/** open(2) of a name below a mount: a File over a host descriptor (its mount point in f.obj). */
function hostOpen(flags: i32, perm: u32): isize {
  const acc = flags & O_ACCMODE;
  if (walkedReadonly() && (acc != O_RDONLY || (flags & (O_CREAT | O_TRUNC)) != 0)) return -EROFS;
  const passed = flags & (O_ACCMODE | O_CREAT | O_EXCL | O_TRUNC | O_APPEND | O_DIRECTORY | O_NOFOLLOW);
  const fd = hostPathOp(HOST_OPEN, passed, <i32>perm);
  if (fd == -EAGAIN) return hostOpenWouldBlock(flags);   // a FIFO with no reader yet
  if (fd < 0) return <isize>fd;
  const isdir = load<u8>(hostOut()) == HOST_KIND_DIR;
  if (isdir && acc != O_RDONLY) { hostClose(<i32>fd); return -EISDIR; }
  const f = fileAlloc(isdir ? FT_HOSTDIR : FT_HOST, hostFileFlags(flags), sc().walkMount, 0);
  const path = kdup(walkedHostPath(), walkedHostLen());
  if (f == null || path == 0) { hostClose(<i32>fd); if (f != null) kfree(changetype<usize>(f)); kfree(path); return -ENOMEM; }
  f.aux = <i32>fd;
  f.hpath = path;
  f.hpathLen = walkedHostLen();
  return changetype<isize>(f);
}

// ---- boot ----

function mkdirAbs(path: string, perm: u32): void {
  const buf = scratch(SCRATCH_PATH1);
  const n = String.UTF8.encodeUnsafe(changetype<usize>(path), path.length, buf, false);
  vfsMkdir(buf, <i32>n, perm);
}

function mkdevAbs(path: string, dev: i32): void {
  const buf = scratch(SCRATCH_PATH1);
  const n = String.UTF8.encodeUnsafe(changetype<usize>(path), path.length, buf, false);
  vfsMknodDev(buf, <i32>n, dev);
}

export function vfsBoot(): void {
  const root = inodeNew(S_IFDIR | 0o755)!;
  root.parent = changetype<usize>(root);
  root.nlink = 2;
  G().root = changetype<usize>(root);
  mkdirAbs("/tmp", 0o1777);
  mkdirAbs("/dev", 0o755);
  mkdirAbs("/dev/shm", 0o1777);
  mkdirAbs("/dev/mqueue", 0o1777);
  mkdirAbs("/bin", 0o755);
  mkdirAbs("/home", 0o755);
  mkdevAbs("/dev/null", DEV_NULL);
  mkdevAbs("/dev/zero", DEV_ZERO);
  mkdevAbs("/dev/tty", DEV_TTY);
}

/** Marks the directory at `path` as a mount point of host directory `host`. */
export function vfsMount(path: usize, len: i32, host: usize, hostLen: i32, ro: bool): i32 {
  acquire(vfsLock());
  const r = lookup(path, len);
  if (r < 0) { release(vfsLock()); return r == HOSTPATH ? -EBUSY : <i32>r; }
  const node = changetype<Inode>(r);
  if (!isDir(node)) { release(vfsLock()); return -ENOTDIR; }
  if (node == changetype<Inode>(G().root) || node.host != 0) { release(vfsLock()); return -EBUSY; }
  node.host = kdup(host, hostLen);
  node.hostLen = hostLen;
  node.readonly = ro ? 1 : 0;
  release(vfsLock());
  return 0;
}

