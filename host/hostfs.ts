// Requests from the kernel to the host's file system, for names below a
// mount point (assembly/mount.ts writes them; abi/hostfs.ts is the layout).
// The platform performs them: runtime/hostfs-node.ts in Node.

import type { KernelMemory } from './usermem.js';
import {
  R_OP, R_FD, R_FLAGS, R_MODE, R_POS, R_UPTR, R_ULEN, R_PATH, R_PATHLEN, R_PATH2, R_PATH2LEN,
  R_OUT, R_OUTCAP, R_ROOT, R_ROOTLEN, R_POS2,
} from '../abi/hostfs.js';

export * from '../abi/hostfs.js';

export interface HostFsRequest {
  op: number;
  fd: number;
  flags: number;
  mode: number;
  pos: bigint;
  /** FUTIMES/UTIMES: the mtime (R_POS2, over uptr and ulen). */
  pos2: bigint;
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
    op: u32(R_OP), fd: u32(R_FD) | 0, flags: u32(R_FLAGS), mode: u32(R_MODE), pos: kmem.i64(req + R_POS),
    pos2: kmem.i64(req + R_POS2), uptr: u32(R_UPTR), ulen: u32(R_ULEN),
    path: str(R_PATH, R_PATHLEN), path2: str(R_PATH2, R_PATH2LEN), root: str(R_ROOT, R_ROOTLEN),
    out: kmem.range(u32(R_OUT), u32(R_OUTCAP)),
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
