// Redirections, in two forms: as spawn file actions for a child, and
// applied to our own fds (with a way back) for builtins.
import {
  FileAction, open, close, dup2, fcntl, stat, Stat, stdout, stderr, strerror,
  O_RDONLY, O_WRONLY, O_CREAT, O_TRUNC, O_APPEND, O_CLOEXEC, F_DUPFD_CLOEXEC, EBADF,
} from "../lib";
import { Redirect, RedirectKind } from "./ast";
import { expandToString } from "./expand";
import { Variables } from "./vars";

/** A redirection with its target expanded. */
export class PreparedRedirect {
  constructor(public kind: RedirectKind, public fd: i32, public target: string) {}

  /** For Duplicate: the source fd, or -1 for `-` (close), or -2 if the target is not a number. */
  get sourceFd(): i32 {
    if (this.target == "-") return -1;
    for (let i = 0; i < this.target.length; i++) {
      let c = this.target.charCodeAt(i);
      if (c < 0x30 || c > 0x39) return -2;
    }
    return this.target.length > 0 ? I32.parseInt(this.target, 10) : -2;
  }

  get openFlags(): i32 {
    if (this.kind == RedirectKind.Input) return O_RDONLY;
    return O_WRONLY | O_CREAT | (this.kind == RedirectKind.Append ? O_APPEND : O_TRUNC);
  }
}

export function prepareRedirects(redirects: Redirect[], vars: Variables): PreparedRedirect[] {
  let result = new Array<PreparedRedirect>();
  for (let i = 0; i < redirects.length; i++) {
    let r = redirects[i];
    result.push(new PreparedRedirect(r.kind, r.fd, expandToString(r.target, vars)));
  }
  return result;
}

function reportError(subject: string, message: string): void {
  stderr.line("sh: " + subject + ": " + message);
}

/** How to redirect a child: the spawn file actions, in order. */
export class ChildRedirection {
  actions: FileAction[] = [];
  /** Files the shell opened for the child: close them once it is spawned. */
  opened: i32[] = [];
  /** False after a redirection that cannot work was reported. */
  ok: bool = true;

  /** Closes the shell's copies of the files it opened for the child. */
  release(): void {
    for (let i = 0; i < this.opened.length; i++) close(this.opened[i]);
    this.opened = [];
  }
}

/**
 * Turns redirections into file actions for spawn, in order. The shell opens
 * the files itself, so a failure (missing file, read-only mount...) is
 * reported naming the file, with status 1, as a forking shell would. A FIFO
 * is the exception: its open waits for the other end, so the child opens it
 * (a background writer must not hold up the shell).
 */
export function redirectChild(redirects: PreparedRedirect[]): ChildRedirection {
  let result = new ChildRedirection();
  for (let i = 0; i < redirects.length && result.ok; i++) {
    let r = redirects[i];
    if (r.kind == RedirectKind.Duplicate) {
      addDuplicate(result, r);
      continue;
    }
    let st = new Stat();
    if (stat(r.target, st) == 0 && st.isFifo) {
      result.actions.push(FileAction.open(r.fd, r.target, r.openFlags));
      continue;
    }
    let fd = open(r.target, r.openFlags | O_CLOEXEC);
    if (fd < 0) {
      reportError(r.target, strerror(fd));
      result.ok = false;
      continue;
    }
    result.opened.push(fd);
    result.actions.push(FileAction.dup2(fd, r.fd));
  }
  if (!result.ok) result.release();
  return result;
}

function addDuplicate(result: ChildRedirection, r: PreparedRedirect): void {
  let source = r.sourceFd;
  if (source == -2) {
    reportError(r.target, "bad file descriptor");
    result.ok = false;
  } else if (source == -1) {
    result.actions.push(FileAction.close(r.fd));
  } else if (source != r.fd) {
    result.actions.push(FileAction.dup2(source, r.fd));
  }
}

/**
 * Changes our own fds for the duration of a builtin, remembering the
 * originals so restore() can put them back.
 */
export class FdScope {
  /** Pairs of (fd, saved copy or -1 if it was closed). */
  private saved: i32[] = [];

  /** Makes `fd` refer to what `source` refers to. */
  assign(fd: i32, source: i32): i32 {
    if (fd == source) return 0;
    this.save(fd);
    return dup2(source, fd);
  }

  /** Applies the redirections; false after reporting a failure. */
  apply(redirects: PreparedRedirect[]): bool {
    for (let i = 0; i < redirects.length; i++) {
      let r = redirects[i];
      let err = r.kind == RedirectKind.Duplicate ? this.duplicate(r) : this.openOnto(r);
      if (err < 0) {
        reportError(r.target, strerror(err));
        return false;
      }
    }
    return true;
  }

  /** Puts every fd back as it was, most recent change first. */
  restore(): void {
    stdout.flush();
    for (let i = this.saved.length - 2; i >= 0; i -= 2) {
      let fd = this.saved[i], copy = this.saved[i + 1];
      if (copy >= 0) {
        dup2(copy, fd);
        close(copy);
      } else {
        close(fd);
      }
    }
    this.saved = [];
  }

  private save(fd: i32): void {
    stdout.flush(); // what a builtin printed belongs to the old fd 1
    // Far from the small fds a redirection may target, and not inherited.
    this.saved.push(fd);
    this.saved.push(fcntl(fd, F_DUPFD_CLOEXEC, 10));
  }

  private duplicate(r: PreparedRedirect): i32 {
    let source = r.sourceFd;
    if (source == -2) return -EBADF;
    if (source == -1) {
      this.save(r.fd);
      return close(r.fd);
    }
    return this.assign(r.fd, source);
  }

  private openOnto(r: PreparedRedirect): i32 {
    this.save(r.fd);
    let fd = open(r.target, r.openFlags | O_CLOEXEC);
    if (fd < 0) return fd;
    if (fd == r.fd) return 0; // r.fd was closed, and open() picked it
    let err = dup2(fd, r.fd);
    close(fd);
    return err;
  }
}
