// The error the embedding API throws: a message for people and the errno
// (WASI numbering, abi/errno.ts) for programs.

export class WasmuxError extends Error {
  constructor(message: string, readonly errno: number) { super(message); }
}
