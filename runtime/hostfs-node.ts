// Mounted host directories, in Node: performs the kernel's host file-system
// requests with synchronous fs calls, confined beneath the mount's directory
// (runtime/beneath.ts: component by component, no link followed out, no
// check-then-open race). Host files are opened O_NONBLOCK, so a FIFO or
// device never blocks the thread: EAGAIN (and ENXIO for a FIFO with no
// reader, answered as EAGAIN) goes back to the kernel, which retries the
// call a few milliseconds later (assembly/hostio.ts) and so stays killable.

import * as fs from 'node:fs';
import * as errno from '../abi/errno.js';
import { DT_DIR, DT_REG, DT_FIFO, DT_CHR, DT_SOCK, DT_LNK, DT_UNKNOWN } from '../abi/constants.js';
import {
  HOST_OPEN, HOST_CLOSE, HOST_READ, HOST_WRITE, HOST_STAT, HOST_FSTAT, HOST_MKDIR, HOST_RMDIR,
  HOST_UNLINK, HOST_RENAME, HOST_READDIR, HOST_TRUNCATE, HOST_READFILE, HOST_NOFOLLOW,
  HOST_SYMLINK, HOST_READLINK, HOST_LINK, HOST_FDPATH,
  HOST_FUTIMES, HOST_UTIMES, HOST_FSYNC,
  HOST_KIND_FILE, HOST_KIND_DIR, HOST_KIND_STREAM, encodeStat, type HostFsRequest,
} from '../host/hostfs.js';
import type { UserMemory } from '../host/usermem.js';
import { Walk, FOLLOW, beneath, codeOf, fail, fdPathBeneath, openLast, readFileBeneath, statLast } from './beneath.js';

const C = fs.constants;
const errnoByName = errno as unknown as Record<string, number>;

function toErrno(e: unknown): number {
  const n = errnoByName[codeOf(e)];
  return -(typeof n === 'number' && n > 0 ? n : errno.EIO);
}

/** Linux open flags (as the kernel passes them) in this host's values. */
function hostFlags(linux: number): number {
  let f = linux & 3;   // O_RDONLY / O_WRONLY / O_RDWR are the same everywhere
  if (linux & 0x40) f |= C.O_CREAT;
  if (linux & 0x80) f |= C.O_EXCL;
  if (linux & 0x200) f |= C.O_TRUNC;
  if (linux & 0x400) f |= C.O_APPEND;
  if (linux & 0x10000) f |= C.O_DIRECTORY;
  return f | C.O_NONBLOCK;
}
const LINUX_NOFOLLOW = 0x20000;

function statOf(out: Uint8Array, st: fs.BigIntStats): void {
  encodeStat(out, {
    dev: st.dev, ino: st.ino, mode: st.mode, nlink: st.nlink, uid: st.uid, gid: st.gid, size: st.size,
    mtimeNs: st.mtimeNs, atimeNs: st.atimeNs, ctimeNs: st.ctimeNs,
  });
}

function dtype(d: fs.Dirent): number {
  return d.isDirectory() ? DT_DIR : d.isFile() ? DT_REG : d.isSymbolicLink() ? DT_LNK : d.isFIFO() ? DT_FIFO
    : d.isCharacterDevice() ? DT_CHR : d.isSocket() ? DT_SOCK : DT_UNKNOWN;
}

const encoder = new TextEncoder();

/**
 * A host entry's listing cookie: FNV-1a (64-bit) of its name, in [1, 2^62].
 * Listed in cookie order and resumed after a cookie, a listing stays right
 * while entries come and go: none twice, none skipped that existed
 * throughout (an index would shift). Two names with one hash would make a
 * resumed listing skip the second (odds of 2^-62 a pair).
 */
function cookieOf(name: Uint8Array): bigint {
  let h = 0xcbf29ce484222325n;
  for (const b of name) h = ((h ^ BigInt(b)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return (h & 0x3fffffffffffffffn) + 1n;
}

/**
 * Packs the entries after cookie `start` (0: from the beginning) as
 * {u64 ino, u64 cookie, u8 d_type, u8 namelen, name}, in cookie order;
 * returns how many. Lists the open directory itself (its descriptor), not
 * a path that may have changed since it was opened.
 */
function readdir(r: HostFsRequest): number {
  const dir = fs.existsSync(`/proc/self/fd/${r.fd}`) ? `/proc/self/fd/${r.fd}` : r.path;
  const entries = fs.readdirSync(dir, { withFileTypes: true })
    .map((d) => { const name = encoder.encode(d.name).subarray(0, 255); return { d, name, cookie: cookieOf(name) }; })
    .filter((e) => e.cookie > r.pos)
    .sort((x, y) => (x.cookie < y.cookie ? -1 : x.cookie > y.cookie ? 1 : 0));
  const dv = new DataView(r.out.buffer, r.out.byteOffset, r.out.length);
  let used = 0;
  let n = 0;
  for (const { d, name, cookie } of entries) {
    if (used + 18 + name.length > r.out.length) break;
    let ino = 0n;
    try { ino = fs.lstatSync(`${dir}/${d.name}`, { bigint: true }).ino; } catch { /* raced away */ }
    dv.setBigUint64(used, ino, true);
    dv.setBigUint64(used + 8, cookie, true);
    dv.setUint8(used + 16, dtype(d));
    dv.setUint8(used + 17, name.length);
    r.out.set(name, used + 18);
    used += 18 + name.length;
    n++;
  }
  return n;
}

/** open: the host descriptor, and in out[0] what it is (HOST_KIND_*). */
function open(r: HostFsRequest): number {
  const follow = (r.flags & LINUX_NOFOLLOW) === 0;
  const flags = hostFlags(r.flags);
  let fd: number;
  try {
    fd = beneath(r.root, r.path, (w, name) => openLast(w, name, flags, r.mode, follow));
  } catch (e) {
    // A FIFO opened O_WRONLY|O_NONBLOCK with no reader: "would block".
    if (codeOf(e) === 'ENXIO' && (flags & 3) === C.O_WRONLY && isFifo(r)) fail('EAGAIN');
    throw e;
  }
  const st = fs.fstatSync(fd);
  r.out.fill(0, 0, 4);
  r.out[0] = st.isDirectory() ? HOST_KIND_DIR : st.isFile() ? HOST_KIND_FILE : HOST_KIND_STREAM;
  return fd;
}

function isFifo(r: HostFsRequest): boolean {
  try {
    return beneath(r.root, r.path, (w, name) => statLast(w, name, true)).isFIFO();
  } catch { return false; }
}

/** An operation on the last component itself (never following a final link). */
function onLast(r: HostFsRequest, path: string, op: (at: string, name: string) => void): void {
  beneath(r.root, path, (w: Walk, name) => { op(w.at(name), name); return 0; });
}

/** rename: both names resolved beneath the root, neither final link followed. */
function rename(r: HostFsRequest): void {
  beneath(r.root, r.path, (w1, n1) => beneath(r.root, r.path2, (w2, n2) => {
    if (n1 === '.' || n2 === '.') fail('EBUSY');
    fs.renameSync(w1.at(n1), w2.at(n2));
    return 0;
  }));
}

/**
 * link: the existing name resolved beneath the root (its final link
 * followed only without HOST_NOFOLLOW, and then beneath the root too), the
 * new one beneath the root, neither leaving it.
 */
function link(r: HostFsRequest): void {
  const follow = (r.flags & HOST_NOFOLLOW) === 0;
  beneath(r.root, r.path, (w1, n1) => {
    if (follow && w1.isLink(n1)) return FOLLOW;
    if (n1 === '.') fail('EPERM');
    return beneath(r.root, r.path2, (w2, n2) => {
      if (n2 === '.') fail('EEXIST');
      fs.linkSync(w1.at(n1), w2.at(n2));
      return 0;
    });
  });
}

/** readlink of the last component itself; the target's bytes in out, their count returned. */
function readlink(r: HostFsRequest): number {
  let n = 0;
  onLast(r, r.path, (at) => {
    const t = fs.readlinkSync(at, { encoding: 'buffer' });
    n = Math.min(t.length, r.out.length);
    r.out.set(t.subarray(0, n));
  });
  return n;
}

/**
 * FUTIMES/UTIMES: the times to set (seconds, as Node takes them; ns kept to
 * the microsecond), a field the kernel leaves out keeping its current value.
 */
function newTimes(r: HostFsRequest, st: fs.BigIntStats): [number, number] {
  const sec = (ns: bigint): number => Number(ns / 1000n) / 1e6;
  return [sec((r.flags & 2) !== 0 ? r.pos : st.atimeNs), sec((r.flags & 4) !== 0 ? r.pos2 : st.mtimeNs)];
}

/** utimensat beneath the root; a final link is followed (walked by beneath) unless HOST_NOFOLLOW. */
function utimes(r: HostFsRequest): void {
  const follow = (r.flags & HOST_NOFOLLOW) === 0;
  beneath(r.root, r.path, (w, name) => {
    const st = statLast(w, name, follow);
    if (st === FOLLOW) return FOLLOW;
    // lutimes: never follows, so a link planted after the lstat is changed itself, never its target.
    const [a, m] = newTimes(r, st);
    fs.lutimesSync(w.at(name), a, m);
    return 0;
  });
}

export function nodeHostFs(r: HostFsRequest, user: UserMemory): number {
  try {
    switch (r.op) {
      case HOST_READ:
      case HOST_WRITE: {
        const buf = user.range(r.uptr, r.ulen);
        if (!buf) return -errno.EFAULT;
        const pos = r.pos < 0n ? null : Number(r.pos);   // -1: a stream (FIFO, device)
        return r.op === HOST_READ ? fs.readSync(r.fd, buf, 0, r.ulen, pos) : fs.writeSync(r.fd, buf, 0, r.ulen, pos);
      }
      case HOST_CLOSE: fs.closeSync(r.fd); return 0;
      case HOST_FSTAT: statOf(r.out, fs.fstatSync(r.fd, { bigint: true })); return 0;
      case HOST_TRUNCATE: fs.ftruncateSync(r.fd, Number(r.pos)); return 0;
      case HOST_FUTIMES: {
        const [a, m] = newTimes(r, fs.fstatSync(r.fd, { bigint: true }));
        fs.futimesSync(r.fd, a, m);
        return 0;
      }
      case HOST_UTIMES: utimes(r); return 0;
      case HOST_FSYNC: if (r.pos === 1n) fs.fdatasyncSync(r.fd); else fs.fsyncSync(r.fd); return 0;
      case HOST_READDIR: return readdir(r);
      case HOST_OPEN: return open(r);
      case HOST_STAT: {
        const follow = (r.flags & HOST_NOFOLLOW) === 0;
        statOf(r.out, beneath(r.root, r.path, (w, name) => statLast(w, name, follow)));
        return 0;
      }
      case HOST_MKDIR:
        onLast(r, r.path, (at, name) => { if (name === '.') fail('EEXIST'); fs.mkdirSync(at, r.mode); });
        return 0;
      case HOST_RMDIR:
        onLast(r, r.path, (at, name) => { if (name === '.') fail('EINVAL'); fs.rmdirSync(at); });
        return 0;
      case HOST_UNLINK:
        onLast(r, r.path, (at, name) => { if (name === '.') fail('EISDIR'); fs.unlinkSync(at); });
        return 0;
      case HOST_RENAME: rename(r); return 0;
      // A link's target is kept as given: what it names is resolved when
      // it is followed, beneath the root (beneath.ts), never outside.
      case HOST_SYMLINK:
        onLast(r, r.path, (at, name) => { if (name === '.') fail('EEXIST'); fs.symlinkSync(r.path2, at); });
        return 0;
      case HOST_READLINK: return readlink(r);
      case HOST_LINK: link(r); return 0;
      case HOST_FDPATH: {
        const rest = fdPathBeneath(r.root, r.fd);
        if (rest === null) return -errno.ENOSYS;
        const bytes = encoder.encode(rest);
        if (bytes.length > r.out.length) return -errno.ENAMETOOLONG;
        r.out.set(bytes);
        return bytes.length;
      }
      case HOST_READFILE: {
        const bytes = readFileBeneath(r.root, r.path, Math.min(r.mode, r.out.length));
        r.out.set(bytes);
        return bytes.length;
      }
    }
    return -errno.ENOSYS;
  } catch (e) {
    return toErrno(e);
  }
}

/** A program below a mount, read beneath the mount's root (`root` = the path's first rootLen bytes). */
export function nodeReadHostFile(hostPath: string, root?: string): Uint8Array<ArrayBuffer> {
  return root === undefined ? new Uint8Array(fs.readFileSync(hostPath)) : readFileBeneath(root, hostPath);
}
