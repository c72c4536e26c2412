// A worker thread of the machine's pool, as runtime/machine.ts keeps it and
// runtime/termination.ts ends it.

import type * as Comlink from 'comlink';
import type { WorkerHandle } from './platform.js';
import type { WorkerApi } from './worker.js';

export interface PoolWorker {
  id: number; worker: WorkerHandle; api: Comlink.Remote<WorkerApi>;
  /** What the worker is doing (runtime/worker-core.ts WS_*), read should it die. */
  status: Int32Array;
}
