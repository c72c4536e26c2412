// tmpfs directories as open files (FT_DIR): listed by ../dirent.ts.

import { EINVAL } from "../../abi/errno";
import { SEEK_END } from "../../abi/constants";
import {
  File, IoOp, SeekOp, StatOp, PollOp, TruncOp, AllocOp, ListOp, TypeOp, CloseOp,
  seekTo, opStatInode, opReadDir, opWriteNone, opPollReady, opTruncNone, opAllocNone,
  opCloseNone, FlushOp, opFlushNone,
} from "../file";
import { FOP_DIR } from "./fop";
import { Inode } from "../vfs";
import { packEntries } from "../dirent";

/**
 * A directory's offset is a listing cookie (../dirent.ts): the one getdents
 * left (SEEK_CUR, telldir), one returned earlier or 0 (SEEK_SET, seekdir,
 * rewinddir). A cookie the directory never gave lists nothing. SEEK_END
 * has no meaning here: EINVAL.
 */
export function dirSeek(f: File, off: i64, whence: i32): i64 {
  if (whence == SEEK_END) return -EINVAL;
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
  changetype<usize>(<FlushOp>opFlushNone),
];
