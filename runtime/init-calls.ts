// init's own syscalls: pid 1 is the runtime thread, calling its kernel
// instance directly through a scratch arena, and the namespace operations
// the embedding API builds on them (writeFile, readFile, mkdirs, mount).
// None of them waits: init's calls never block the runtime thread.

import { KBLOCK, EAGAIN, EEXIST } from '../abi/errno.js';
import { O_CREAT, O_RDONLY, O_TRUNC, O_WRONLY, O_CLOEXEC, O_NONBLOCK } from '../abi/constants.js';
import { TASK_RESTART, type Kernel } from '../host/kernel.js';
import { errnoName } from '../host/trace.js';
import { Arena } from './arena.js';
import { WasmuxError } from './errors.js';
import { concat } from './process-handle.js';
import type { Mount } from './boot-options.js';

export class InitCalls {
  /** Init's scratch memory: arguments and results of its calls (the kernel's user memory for pid 1). */
  readonly arena = new Arena();
  private k: Record<string, Function>;
  private restartIdx: number;

  /** `kcall` runs a kernel entry the way the machine guards them (a fault ends the machine). */
  constructor(private kernel: Kernel, initTask: number, private kcall: <T>(f: () => T) => T) {
    this.k = kernel.exports as unknown as Record<string, Function>;
    kernel.user.attach({ buffer: this.arena.buffer });
    this.restartIdx = (initTask + TASK_RESTART) >> 2;
  }


  /**
   * One of init's syscalls. Each is a new call (init never retries one in
   * place: the Pump's attempts are new calls too), so it starts with the
   * restart block empty (assembly/restart.ts): what a call given up left
   * there is released first (one load on the common path).
   */
  call(name: string, ...args: unknown[]): number {
    return this.kcall(() => {
      if (this.kernel.kmem.words(this.restartIdx << 2)[this.restartIdx] !== 0) this.kernel.exports.k_restartAbandon();
      return this.k[name](...args) as number;
    });
  }

  /**
   * A result of an API operation, which never waits: a call that would
   * block (KBLOCK) is given up (its restart state released) and is EAGAIN.
   */
  check(r: number, what: string): number {
    if (r === KBLOCK) {
      this.kcall(() => this.kernel.exports.k_restartAbandon());
      r = -EAGAIN;
    }
    if (r < 0) throw new WasmuxError(`${what}: ${errnoName(-r)}`, -r);
    return r;
  }

  /**
   * Creates a file in the namespace with the given bytes. init's file calls
   * never wait (they open with O_NONBLOCK): a FIFO with no reader is ENXIO,
   * a FIFO whose reader does not keep up is EAGAIN (both WasmuxErrors).
   */
  writeFile(path: string, bytes: Uint8Array, mode = 0o644): void {
    this.arena.reset();
    const [p, n] = this.arena.str(path);
    const fd = this.check(this.call('sys_open', p, n, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NONBLOCK, mode), `open ${path}`);
    try {
      const chunk = 256 * 1024;
      for (let off = 0; off < bytes.length;) {
        this.arena.reset();
        const b = bytes.subarray(off, off + chunk);
        const ptr = this.arena.bytes(b);
        // A short write (the tmpfs filled up) is followed by one that says why.
        off += this.check(this.call('sys_write', fd, ptr, b.length), `write ${path}`);
      }
    } finally {
      this.call('sys_close', fd);
    }
  }

  /**
   * Reads a whole file of the namespace. Never waits (O_NONBLOCK): a FIFO
   * with no writer reads as empty, one whose writer has not written yet is
   * EAGAIN.
   */
  readFile(path: string): Uint8Array {
    this.arena.reset();
    const [p, n] = this.arena.str(path);
    const fd = this.check(this.call('sys_open', p, n, O_RDONLY | O_CLOEXEC | O_NONBLOCK, 0), `open ${path}`);
    const out: Uint8Array[] = [];
    try {
      for (;;) {
        this.arena.reset();
        const buf = this.arena.alloc(65536);
        const r = this.check(this.call('sys_read', fd, buf, 65536), `read ${path}`);
        if (r === 0) break;
        out.push(this.arena.view(buf, r).slice());
      }
    } finally {
      this.call('sys_close', fd);
    }
    return concat(out);
  }

  mkdirs(path: string): void {
    let cur = '';
    for (const part of path.split('/').filter(Boolean)) {
      cur += `/${part}`;
      this.arena.reset();
      const [p, n] = this.arena.str(cur);
      const r = this.call('sys_mkdir', p, n, 0o755);
      if (r < 0 && r !== -EEXIST) this.check(r, `mkdir ${cur}`);
    }
  }

  unlink(path: string): void {
    this.arena.reset();
    const [p, n] = this.arena.str(path);
    this.call('sys_unlink', p, n);
  }

  mount(m: Mount): void {
    this.mkdirs(m.guest);
    this.arena.reset();
    const [p, n] = this.arena.str(m.guest);
    const [h, hn] = this.arena.str(m.host);
    this.check(this.call('k_mount', p, n, h, hn, m.readonly ? 1 : 0), `mount ${m.guest}`);
  }
}
