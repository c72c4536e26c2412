// tmpfs directories as open files (FT_DIR): listed by ../dirent.ts.

import { EINVAL } from "../../abi/errno";
import { SEEK_CUR } from "../../abi/constants";
import {
  File, IoOp, SeekOp, StatOp, PollOp, TruncOp, AllocOp, ListOp, TypeOp, CloseOp,
  seekPos, seekTo, opStatInode, opReadDir, opWriteNone, opPollReady, opTruncNone, opAllocNone,
  opCloseNone,
} from "../file";
import { FOP_DIR } from "./fop";
import { Inode } from "../vfs";
import { packEntries } from "../dirent";

/**
 * A directory's offset is an entry index: it can be kept (SEEK_CUR) or
 * rewound to 0, nothing else (there is no telldir cookie to return to).
 */
export function dirSeek(f: File, off: i64, whence: i32): i64 {
  const pos = seekPos(f, off, whence, 0);
  if (pos < 0) return pos;
  if (pos != 0 && whence != SEEK_CUR) return -EINVAL;
  return seekTo(f, off, whence, 0);
}

function dirFileList(f: File, start: i64, out: usize, cap: u32): i32 {
  return packEntries(changetype<Inode>(f.inode), start, out, cap);
}

/** WASI directory. */
export function dirFileType(f: File): u8 { return 3; }

export const DIR_OPS: StaticArray<usize> = [
  FOP_DIR,
  changetype<usize>(<IoOp>opReadDir),
  changetype<usize>(<IoOp>opWriteNone),
  changetype<usize>(<SeekOp>dirSeek),
  changetype<usize>(<StatOp>opStatInode),
  changetype<usize>(<PollOp>opPollReady),
  changetype<usize>(<TruncOp>opTruncNone),
  changetype<usize>(<AllocOp>opAllocNone),
  changetype<usize>(<ListOp>dirFileList),
  changetype<usize>(<TypeOp>dirFileType),
  changetype<usize>(<CloseOp>opCloseNone),
];
