// Requests from the kernel to the host's file system, for names below a
// mount point (assembly/mount.ts writes them; the offsets must agree). The
// platform performs them: runtime/hostfs-node.ts in Node.

import type { KernelMemory } from './usermem.js';

export const HOST_OPEN = 1;
export const HOST_CLOSE = 2;
export const HOST_READ = 3;
export const HOST_WRITE = 4;
export const HOST_STAT = 5;
export const HOST_FSTAT = 6;
export const HOST_MKDIR = 7;
export const HOST_RMDIR = 8;
export const HOST_UNLINK = 9;
export const HOST_RENAME = 10;
export const HOST_READDIR = 11;
export const HOST_TRUNCATE = 12;
export const HOST_READFILE = 13;

export interface HostFsRequest {
  op: number;
  fd: number;
  flags: number;
  mode: number;
  pos: bigint;
  uptr: number;
  ulen: number;
  path: string;
  path2: string;
  /** The mount's host directory: requests must stay inside it. */
  root: string;
  /** Kernel bytes the answer goes to (stat records, directory entries). */
  out: Uint8Array;
}

const decoder = new TextDecoder();

export function decodeRequest(kmem: KernelMemory, req: number): HostFsRequest {
  const u32 = (o: number): number => kmem.u32(req + o);
  const str = (ptrOff: number, lenOff: number): string => {
    const len = u32(lenOff);
    return len === 0 ? '' : decoder.decode(kmem.range(u32(ptrOff), len));
  };
  return {
    op: u32(0), fd: u32(4) | 0, flags: u32(8), mode: u32(12), pos: kmem.i64(req + 16),
    uptr: u32(24), ulen: u32(28),
    path: str(32, 36), path2: str(40, 44), root: str(56, 60),
    out: kmem.range(u32(48), u32(52)),
  };
}

/** Fills a 64-byte stat record (docs/abi.md) from host stat fields. */
export function encodeStat(out: Uint8Array, st: {
  dev: bigint; ino: bigint; mode: bigint; nlink: bigint; uid: bigint; gid: bigint; size: bigint;
  mtimeNs: bigint; atimeNs: bigint; ctimeNs: bigint;
}): void {
  const dv = new DataView(out.buffer, out.byteOffset, 64);
  out.fill(0, 0, 64);
  dv.setBigUint64(0, st.dev, true);
  dv.setBigUint64(8, st.ino, true);
  dv.setUint32(16, Number(st.mode), true);
  dv.setUint32(20, Number(st.nlink), true);
  dv.setUint32(24, Number(st.uid), true);
  dv.setUint32(28, Number(st.gid), true);
  dv.setBigUint64(32, st.size, true);
  dv.setBigUint64(40, st.mtimeNs, true);
  dv.setBigUint64(48, st.atimeNs, true);
  dv.setBigUint64(56, st.ctimeNs, true);
}
