// Mounted host directories, in Node: performs the kernel's host file-system
// requests with synchronous fs calls, confined to the mount's directory.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as errno from '../abi/errno.js';
import { DT_DIR, DT_REG, DT_FIFO, DT_CHR, DT_SOCK, DT_UNKNOWN } from '../abi/constants.js';
import {
  HOST_OPEN, HOST_CLOSE, HOST_READ, HOST_WRITE, HOST_STAT, HOST_FSTAT, HOST_MKDIR, HOST_RMDIR,
  HOST_UNLINK, HOST_RENAME, HOST_READDIR, HOST_TRUNCATE, HOST_READFILE, encodeStat, type HostFsRequest,
} from '../host/hostfs.js';
import type { UserMemory } from '../host/usermem.js';

const errnoByName = errno as unknown as Record<string, number>;

function toErrno(e: unknown): number {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  const n = errnoByName[code];
  return -(typeof n === 'number' && n > 0 ? n : errno.EIO);
}

const realRoots = new Map<string, string>();

/** True when `p` (after symlinks) stays inside the mount's directory. */
function inside(root: string, p: string): boolean {
  let realRoot = realRoots.get(root);
  if (!realRoot) { realRoot = fs.realpathSync(root); realRoots.set(root, realRoot); }
  let real: string;
  try { real = fs.realpathSync(p); } catch {
    try { real = path.join(fs.realpathSync(path.dirname(p)), path.basename(p)); } catch { return true; }
  }
  return real === realRoot || real.startsWith(realRoot + '/');
}

function statOf(out: Uint8Array, st: fs.BigIntStats): void {
  encodeStat(out, {
    dev: st.dev, ino: st.ino, mode: st.mode, nlink: st.nlink, uid: st.uid, gid: st.gid, size: st.size,
    mtimeNs: st.mtimeNs, atimeNs: st.atimeNs, ctimeNs: st.ctimeNs,
  });
}

function dtype(d: fs.Dirent): number {
  return d.isDirectory() ? DT_DIR : d.isFile() ? DT_REG : d.isFIFO() ? DT_FIFO
    : d.isCharacterDevice() ? DT_CHR : d.isSocket() ? DT_SOCK : DT_UNKNOWN;
}

const encoder = new TextEncoder();

/** Packs entries from `start` as {u64 ino, u8 d_type, u8 namelen, name}; returns how many. */
function readdir(r: HostFsRequest): number {
  const entries = fs.readdirSync(r.path, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  const dv = new DataView(r.out.buffer, r.out.byteOffset, r.out.length);
  let used = 0;
  let n = 0;
  for (const d of entries.slice(Number(r.pos))) {
    const name = encoder.encode(d.name).subarray(0, 255);
    if (used + 10 + name.length > r.out.length) break;
    let ino = 0n;
    try { ino = fs.lstatSync(path.join(r.path, d.name), { bigint: true }).ino; } catch { /* raced away */ }
    dv.setBigUint64(used, ino, true);
    dv.setUint8(used + 8, dtype(d));
    dv.setUint8(used + 9, name.length);
    r.out.set(name, used + 10);
    used += 10 + name.length;
    n++;
  }
  return n;
}

export function nodeHostFs(r: HostFsRequest, user: UserMemory): number {
  try {
    switch (r.op) {
      case HOST_READ:
      case HOST_WRITE: {
        const buf = user.range(r.uptr, r.ulen);
        if (!buf) return -errno.EFAULT;
        return r.op === HOST_READ ? fs.readSync(r.fd, buf, 0, r.ulen, Number(r.pos)) : fs.writeSync(r.fd, buf, 0, r.ulen, Number(r.pos));
      }
      case HOST_CLOSE: fs.closeSync(r.fd); return 0;
      case HOST_FSTAT: statOf(r.out, fs.fstatSync(r.fd, { bigint: true })); return 0;
      case HOST_TRUNCATE: fs.ftruncateSync(r.fd, Number(r.pos)); return 0;
      case HOST_READDIR: return readdir(r);
    }
    if (!inside(r.root, r.path) || (r.op === HOST_RENAME && !inside(r.root, r.path2))) return -errno.EACCES;
    switch (r.op) {
      case HOST_OPEN: {
        const fd = fs.openSync(r.path, r.flags, r.mode);
        r.out.fill(0, 0, 4);
        r.out[0] = fs.fstatSync(fd).isDirectory() ? 1 : 0;
        return fd;
      }
      case HOST_STAT: statOf(r.out, fs.statSync(r.path, { bigint: true })); return 0;
      case HOST_MKDIR: fs.mkdirSync(r.path, r.mode); return 0;
      case HOST_RMDIR: fs.rmdirSync(r.path); return 0;
      case HOST_UNLINK: fs.unlinkSync(r.path); return 0;
      case HOST_RENAME: fs.renameSync(r.path, r.path2); return 0;
      case HOST_READFILE: {
        const fd = fs.openSync(r.path, 'r');
        try {
          if (fs.fstatSync(fd).isDirectory()) return -errno.EISDIR;
          return fs.readSync(fd, r.out, 0, Math.min(r.mode, r.out.length), 0);
        } finally { fs.closeSync(fd); }
      }
    }
    return -errno.ENOSYS;
  } catch (e) {
    return toErrno(e);
  }
}
