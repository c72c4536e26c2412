// The Node entry of a process worker (worker_threads): the shared worker
// logic (worker-core.ts) over Node's HostPlatform and the parent port.

import { parentPort } from 'node:worker_threads';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { exposeWorker } from './worker-core.js';
import { nodeHostPlatform } from './host-node.js';

export type { Control, WorkerApi, WorkerConfig } from './worker-core.js';

exposeWorker(nodeHostPlatform, nodeEndpoint(parentPort!));
