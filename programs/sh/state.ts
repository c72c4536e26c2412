// What a shell carries from one command to the next: variables, background
// jobs, and whether `exit` was called.
import { Variables } from "./vars";
import { JobTable } from "./jobs";
import { Traps } from "./trap";

export class ShellState {
  jobs: JobTable = new JobTable();
  traps: Traps = new Traps();
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
