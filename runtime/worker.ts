// A process worker: it holds its own instance of the kernel over the shared
// memory and runs one process at a time, start to end, on its thread. The
// control plane (init, run) reaches it through Comlink; syscalls never do.

import { parentPort } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { Kernel } from '../host/kernel.js';
import { runProcess } from '../host/process.js';
import { nodeHostPlatform } from './node.js';

export interface Control {
  start(pid: number): void;
  nudge(pid: number): void;
}

export interface WorkerConfig { trace: boolean; spin: number }

let kernel: Kernel | null = null;
let control: Comlink.Remote<Control> | null = null;
let config: WorkerConfig = { trace: false, spin: 0 };

const api = {
  init(module: WebAssembly.Module, memory: WebAssembly.Memory, cfg: WorkerConfig, ctl: Comlink.Remote<Control>): void {
    kernel = new Kernel(module, memory, nodeHostPlatform);
    config = cfg;
    control = ctl;
  },
  run(pid: number): void {
    if (!kernel || !control) throw new Error('worker not initialised');
    const ctl = control;
    runProcess(kernel, {
      pid,
      platform: nodeHostPlatform,
      hooks: {
        trace: config.trace,
        spin: config.spin,
        onSpawn: (child) => { void ctl.start(child); },
        onKill: (target) => { void ctl.nudge(target); },
      },
    });
  },
};

export type WorkerApi = typeof api;
Comlink.expose(api, nodeEndpoint(parentPort!));
