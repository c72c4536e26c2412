// The browser entry of a process worker (a module Worker started by
// runtime/browser.ts): the shared worker logic (worker-core.ts) over the
// browser HostPlatform, with Comlink on the worker's own scope. Console
// output and trace lines are posted to the page.

import type { Endpoint } from 'comlink';
import { exposeWorker } from './worker-core.js';
import { workerHostPlatform } from './browser.js';

// Typed locally: the project compiles with the DOM lib, not WebWorker.
const scope = self as unknown as Endpoint & { name: string; postMessage(m: unknown): void };

exposeWorker(workerHostPlatform(scope), scope);
