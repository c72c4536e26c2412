// The shell's jobs: each pipeline started in the background (or stopped by
// ^Z) is a job with a number, the process group its processes share (with
// job control: an interactive shell at its controlling terminal), and a
// state — as bash keeps them for `jobs`, `fg`, `bg`, `kill %N`, `wait %N`.
import {
  waitpid, statusCode, stderr, kill, WNOHANG, WUNTRACED, SIGCONT,
  tcsetpgrp, STDIN, getpgid, SIGTTIN, SIGTTOU, SIGSTOP,
} from "../lib";

export const enum JobState { Running, Stopped, Done }

/** Wait statuses (Linux encoding): stopped is (sig << 8) | 0x7f. */
function stoppedStatus(status: i32): bool { return (status & 0xff) == 0x7f; }
function continuedStatus(status: i32): bool { return status == 0xffff; }

/** What bash says of a job stopped by `sig`. */
function stopWord(sig: i32): string {
  if (sig == SIGTTIN) return "Stopped (tty input)";
  if (sig == SIGTTOU) return "Stopped (tty output)";
  if (sig == SIGSTOP) return "Stopped (signal)";
  return "Stopped";
}

export class Job {
  state: JobState = JobState.Running;
  /** Exit code of the last process once Done; the stop signal while Stopped. */
  code: i32 = 0;
  /** Processes not yet ended. */
  live: i32[];
  constructor(public id: i32, public pgid: i32, public pids: i32[], public command: string) {
    this.live = pids.slice(0);
  }
  get lastPid(): i32 { return this.pids.length > 0 ? this.pids[this.pids.length - 1] : 0; }
}

export class JobTable {
  jobs: Job[] = [];
  /** The current job (`%+`, what fg/bg take by default) and the previous one. */
  private current: i32 = 0;
  private previous: i32 = 0;
  /** Job control is on: jobs have their own groups, fg hands them the terminal. */
  control: bool = false;
  /** The shell's own process group (the terminal's foreground between jobs). */
  shellPgid: i32 = getpgid(0);
  /** Signals the shell ignores or traps that its children must get with their default action (SPAWN_SIGRESET). */
  resetSignals: u64 = 0;

  /** A background job, numbered now. */
  add(pgid: i32, pids: i32[], command: string): Job {
    let job = new Job(0, pgid, pids, command);
    this.enter(job);
    return job;
  }

  /** Gives `job` the next free number and makes it current (a foreground job gets one once it stops). */
  private enter(job: Job): void {
    let id = 1;
    for (let i = 0; i < this.jobs.length; i++) if (this.jobs[i].id >= id) id = this.jobs[i].id + 1;
    job.id = id;
    this.jobs.push(job);
    this.makeCurrent(id);
  }

  get count(): i32 { return this.jobs.length; }

  private makeCurrent(id: i32): void {
    if (this.current == id) return;
    this.previous = this.current;
    this.current = id;
  }

  /** "+" for the current job, "-" for the previous, else " " (bash's marks). */
  mark(job: Job): string {
    return job.id == this.current ? "+" : job.id == this.previous ? "-" : " ";
  }

  /** `%N`, `%+`, `%%`, `%-`, `%name` (a command starting with name); null if none. */
  find(spec: string): Job | null {
    let s = spec.startsWith("%") ? spec.substring(1) : spec;
    if (s == "" || s == "+" || s == "%") return this.byId(this.current);
    if (s == "-") return this.byId(this.previous);
    let n = I32.parseInt(s, 10);
    if (n.toString() == s) return this.byId(n);
    for (let i = 0; i < this.jobs.length; i++) if (this.jobs[i].command.startsWith(s)) return this.jobs[i];
    return null;
  }

  byId(id: i32): Job | null {
    for (let i = 0; i < this.jobs.length; i++) if (this.jobs[i].id == id) return this.jobs[i];
    return null;
  }

  /** The job holding `pid`, if any. */
  ofPid(pid: i32): Job | null {
    for (let i = 0; i < this.jobs.length; i++) if (this.jobs[i].pids.includes(pid)) return this.jobs[i];
    return null;
  }

  remove(job: Job): void {
    let i = this.jobs.indexOf(job);
    if (i >= 0) this.jobs.splice(i, 1);
    if (this.current == job.id) {
      this.current = this.previous;
      this.previous = 0;
      // The newest other job becomes the previous one.
      for (let k = this.jobs.length - 1; k >= 0; k--) {
        if (this.jobs[k].id != this.current) { this.previous = this.jobs[k].id; break; }
      }
    } else if (this.previous == job.id) this.previous = 0;
  }

  /** Records what waitpid said about `pid` (of `job`, or of a job in the table). */
  note(pid: i32, status: i32, owner: Job | null = null): void {
    let job = owner !== null ? owner : this.ofPid(pid);
    if (job === null) return;
    if (stoppedStatus(status)) {
      job.state = JobState.Stopped;
      job.code = (status >> 8) & 0xff;
      if (job.id != 0) this.makeCurrent(job.id);
    } else if (continuedStatus(status)) {
      job.state = JobState.Running;
    } else {
      let i = job.live.indexOf(pid);
      if (i >= 0) job.live.splice(i, 1);
      if (pid == job.lastPid) job.code = statusCode(status);
      if (job.live.length == 0) job.state = JobState.Done;
    }
  }

  /**
   * Waits for `job` in the foreground until it ends or stops. With job
   * control it has the terminal meanwhile, and the shell takes it back.
   * Returns its status (128 + the signal when it stopped).
   */
  waitForeground(job: Job): i32 {
    if (this.control) tcsetpgrp(STDIN, job.pgid);
    while (job.state == JobState.Running && job.live.length > 0) {
      let r = this.control ? waitpid(-job.pgid, WUNTRACED) : waitpid(job.live[0], 0);
      if (r.pid <= 0) { job.live.shift(); if (job.live.length == 0) job.state = JobState.Done; continue; }
      this.note(r.pid, r.status, job);
    }
    if (this.control) tcsetpgrp(STDIN, this.shellPgid);
    if (job.state == JobState.Stopped) {
      if (job.id == 0) this.enter(job);
      this.makeCurrent(job.id);
      stderr.line("");
      stderr.line(this.describe(job));
      return 128 + job.code;
    }
    this.remove(job);
    return job.code;
  }

  /** Continues `job` (SIGCONT to its group) in the background or, `fg`, in the foreground. */
  resume(job: Job, foreground: bool): i32 {
    let wasStopped = job.state == JobState.Stopped;
    job.state = JobState.Running;
    if (foreground) {
      stderr.line(job.command);
      if (this.control) tcsetpgrp(STDIN, job.pgid);
      if (wasStopped) this.signal(job, SIGCONT);
      return this.waitForeground(job);
    }
    this.makeCurrent(job.id);
    if (wasStopped) this.signal(job, SIGCONT);
    stderr.line("[" + job.id.toString() + "]" + this.mark(job) + " " + job.command + " &");
    return 0;
  }

  /** `kill %N`: the job's group (or its processes, without job control). */
  signal(job: Job, sig: i32): i32 {
    if (this.control || job.pgid != this.shellPgid) return kill(-job.pgid, sig);
    let r = 0;
    for (let i = 0; i < job.live.length; i++) { let e = kill(job.live[i], sig); if (e < 0) r = e; }
    return r;
  }

  /** Waits for background job `job` to end (`wait %N`); its status, 128 + the signal if it stops meanwhile. */
  waitJob(job: Job): i32 {
    job.state = job.live.length > 0 ? JobState.Running : JobState.Done;   // until waitpid says otherwise
    while (job.live.length > 0 && job.state != JobState.Stopped) {
      let r = waitpid(job.live[0], this.control ? WUNTRACED : 0);
      if (r.pid <= 0) { job.live.shift(); continue; }
      this.note(r.pid, r.status, job);
    }
    if (job.state == JobState.Stopped) return 128 + job.code;
    this.remove(job);
    return job.code;
  }

  /** Waits for background process `pid`; its exit code, or -1 if it is not ours. */
  waitPid(pid: i32): i32 {
    let job = this.ofPid(pid);
    if (job === null) return -1;
    if (job.live.includes(pid)) {
      let r = waitpid(pid, 0);
      if (r.pid > 0) this.note(r.pid, r.status);
      else { job.live.splice(job.live.indexOf(pid), 1); }
      if (job.live.length == 0) job.state = JobState.Done;
    }
    let code = pid == job.lastPid ? job.code : 0;
    if (job.state == JobState.Done) this.remove(job);
    return code;
  }

  /** Waits for every background job that is not stopped (a stopped one would never end). */
  waitAll(): void {
    for (;;) {
      let next: Job | null = null;
      for (let i = 0; i < this.jobs.length; i++) if (this.jobs[i].state != JobState.Stopped) { next = this.jobs[i]; break; }
      if (next === null) return;
      this.waitJob(next!);
    }
  }

  /** Collects what changed without waiting (ends, stops); with `report`, prints finished jobs as bash does at a prompt. */
  poll(report: bool): void {
    for (;;) {
      let r = waitpid(-1, WNOHANG | (this.control ? WUNTRACED : 0));
      if (r.pid <= 0) break;
      this.note(r.pid, r.status);
    }
    for (let i = 0; i < this.jobs.length;) {
      let job = this.jobs[i];
      if (job.state != JobState.Done) { i++; continue; }
      if (report) stderr.line(this.describe(job));
      this.remove(job);
    }
  }

  /** One line of `jobs`: "[1]+  Stopped                 sleep 9". */
  describe(job: Job): string {
    let what: string;
    if (job.state == JobState.Running) what = "Running";
    else if (job.state == JobState.Stopped) what = stopWord(job.code);
    else what = job.code == 0 ? "Done" : "Done(" + job.code.toString() + ")";
    while (what.length < 24) what += " ";
    let amp = job.state == JobState.Running ? " &" : "";
    return "[" + job.id.toString() + "]" + this.mark(job) + "  " + what + job.command + amp;
  }
}
