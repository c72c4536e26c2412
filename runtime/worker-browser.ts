// The browser entry of a process worker (a module Worker started by
// runtime/browser.ts): the shared worker logic (worker-core.ts) over the
// browser HostPlatform, with Comlink on the worker's own scope. Console
// output and trace lines are posted to the page.

import type { Endpoint } from 'comlink';
import { exposeWorker } from './worker-core.js';
import { workerHostPlatform } from './browser.js';
import { browserTransformBackend, TRANSFORM_PORT_MESSAGE } from './transform-browser.js';

// Typed locally: the project compiles with the DOM lib, not WebWorker.
const scope = self as unknown as Endpoint & { name: string; postMessage(m: unknown): void };

// The page's first message, before any of Comlink's (which ignores it): the
// port to the machine's transform worker, so that fork works here too.
let transformPort: MessagePort | null = null;
scope.addEventListener('message', (ev) => {
  const data = (ev as MessageEvent).data as { wasmux?: string; port?: MessagePort } | null;
  if (data?.wasmux === TRANSFORM_PORT_MESSAGE && data.port) transformPort = data.port;
});

exposeWorker({ ...workerHostPlatform(scope), transform: browserTransformBackend(() => transformPort) }, scope);
