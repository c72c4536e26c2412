// Flags in the first slot of a file operations row (file.ts FileOps). They
// live apart from file.ts because the rows, in this folder, are compiled
// before file.ts (they are what it imports).

/** pread/pwrite work (the file has positions). */
export const FOP_PIO: usize = 1;
/** A directory: reads fail with EISDIR, readdir works. */
export const FOP_DIR: usize = 2;
