// The embedding API.
//
//   import { boot } from 'wasmux';
//   const machine = await boot();
//   const p = machine.spawn('echo', ['echo', 'hello'], { stdout: 'pipe' });
//   const { code } = await p.wait();   // p.stdout === 'hello\n'
//   await machine.shutdown();

import { Machine, type BootOptions } from './machine.js';
import { nodeRuntimePlatform } from './node.js';

export { Machine, ProcessHandle, WasmuxError, decodeStatus } from './machine.js';
export type { BootOptions, SpawnOptions, ExitStatus, ProcInfo, Mount, Stdio, Preopen, Preopens } from './machine.js';
export type { RuntimePlatform, TerminalInput, WorkerHandle } from './platform.js';
export type { MachineSnapshot, SnapProc, SnapFd, SnapPipe, SnapSignals, SnapMsgQueue, SnapPosixQueue, SnapSection, BlockKind, ProcState, FileType } from './snapshot.js';
export { decodeSnapshot, signalList } from './snapshot.js';
/** The Node platform `boot` uses, for embedders (and tests) that wrap it and call Machine.boot. */
export { nodeRuntimePlatform } from './node.js';

/** Boots a machine: kernel memory, pid 1, /bin, mounts and a warm worker pool. */
export function boot(options: BootOptions = {}): Promise<Machine> {
  return Machine.boot(options, nodeRuntimePlatform(options.programsDir));
}
