// What a shell carries from one command to the next: variables, background
// jobs, and whether `exit` was called.
import { waitpid, statusCode, WNOHANG } from "../lib";
import { Variables } from "./vars";

/** Background processes we started and have not yet waited for. */
export class Jobs {
  private running: i32[] = [];
  /** Exit codes of background processes reaped before anyone asked (see reapFinished). */
  private finished: Map<i32, i32> = new Map();

  add(pid: i32): void { this.running.push(pid); }

  get count(): i32 { return this.running.length + this.finished.size; }

  /** Waits for background process `pid`; its exit code, or -1 if it is not ours. */
  waitFor(pid: i32): i32 {
    if (this.finished.has(pid)) {
      let code = this.finished.get(pid);
      this.finished.delete(pid);
      return code;
    }
    let index = this.running.indexOf(pid);
    if (index < 0) return -1;
    this.running.splice(index, 1);
    let result = waitpid(pid);
    return result.pid > 0 ? statusCode(result.status) : 127;
  }

  /** Waits for every background process. */
  waitAll(): void {
    while (this.running.length > 0) this.waitFor(this.running[0]);
    this.finished.clear();
  }

  /** Collects background processes that have ended, so they do not linger as zombies. */
  reapFinished(): void {
    while (this.running.length > 0) {
      let result = waitpid(-1, WNOHANG);
      if (result.pid <= 0) return;
      let index = this.running.indexOf(result.pid);
      if (index < 0) continue;
      this.running.splice(index, 1);
      this.finished.set(result.pid, statusCode(result.status));
    }
  }
}

export class ShellState {
  jobs: Jobs = new Jobs();
  /** Reading commands from a person: report background jobs, survive errors. */
  interactive: bool = false;
  /** Set by `exit`: run nothing more, and end with `exitCode`. */
  exiting: bool = false;
  exitCode: i32 = 0;

  constructor(public vars: Variables) {}

  requestExit(code: i32): void {
    this.exiting = true;
    this.exitCode = code;
  }
}
