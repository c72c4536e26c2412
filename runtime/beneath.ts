// Host names resolved beneath a mount's root, as Linux openat2 with
// RESOLVE_BENEATH resolves them: one component at a time from a descriptor
// of the root, each directory opened with O_NOFOLLOW relative to the one
// before it, symlinks read and resolved relative to the directory holding
// them, and nothing ever followed out of the root (EXDEV). On Linux a
// directory descriptor is named through /proc/self/fd/N, which the kernel
// resolves to the open directory itself (never re-walking a path), so what
// was checked is what is used: a link or a rename raced in between cannot
// redirect the walk. Where /proc is missing the walk uses the real path
// strings it built (checked, but not race-free).

import * as fs from 'node:fs';

const C = fs.constants;
const MAXLINKS = 40;                 // Linux's limit on links followed in one lookup
const DIR_FLAGS = C.O_RDONLY | C.O_DIRECTORY | C.O_NOFOLLOW;   // (libuv adds O_CLOEXEC)
const PROC = (() => { try { return fs.statSync('/proc/self/fd').isDirectory(); } catch { return false; } })();

/** An error with a Node-style code, turned into an errno by the caller. */
export class FsError extends Error {
  constructor(readonly code: string) { super(code); }
}
export const fail = (code: string): never => { throw new FsError(code); };
export const codeOf = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? '';

const realRoots = new Map<string, string>();

function realRootOf(root: string): string {
  let real = realRoots.get(root);
  if (real === undefined) { real = fs.realpathSync(root); realRoots.set(root, real); }
  return real;
}

function split(p: string): string[] { return p.split('/').filter((c) => c !== ''); }

/** `p` with `root` as a prefix (a whole component), or null. */
function below(root: string, p: string): string | null {
  if (p === root) return '';
  return p.startsWith(root.endsWith('/') ? root : root + '/') ? p.slice(root.length) : null;
}

/**
 * A walk from the root: a stack of open directories (the root at the
 * bottom), so ".." goes back to the directory the walk came through and
 * never above the root.
 */
export class Walk {
  private fds: number[] = [];
  private paths: string[] = [];
  private links = 0;
  readonly real: string;

  constructor(readonly root: string) {
    this.real = realRootOf(root);
    this.push(fs.openSync(this.real, DIR_FLAGS), this.real);
  }

  private push(fd: number, p: string): void { this.fds.push(fd); this.paths.push(p); }
  private top(): number { return this.fds[this.fds.length - 1]; }

  /** A path naming `name` in the current directory, for fs.*Sync calls. */
  at(name: string): string {
    if (PROC) return `/proc/self/fd/${this.top()}/${name}`;
    const dir = this.paths[this.paths.length - 1];
    return name === '.' ? dir : `${dir}/${name}`;
  }

  close(): void {
    for (const fd of this.fds) { try { fs.closeSync(fd); } catch { /* already gone */ } }
    this.fds = [];
    this.paths = [];
  }

  /**
   * Walks all components but the last; returns the last ("." when the path
   * ends at a directory). Links met on the way are followed, beneath the root.
   */
  toLast(components: string[]): string {
    const q = components.slice();
    while (q.length > 0) {
      const c = q.shift()!;
      if (c === '.') { if (q.length === 0) return '.'; continue; }
      if (c === '..') {
        if (this.fds.length === 1) fail('EXDEV');   // above the root
        fs.closeSync(this.fds.pop()!);
        this.paths.pop();
        if (q.length === 0) return '.';
        continue;
      }
      if (q.length === 0) return c;
      this.enter(c, q);
    }
    return '.';
  }

  /** Steps into directory `c`; a symlink there puts its target's components in front of `q`. */
  private enter(c: string, q: string[]): void {
    let fd: number;
    try {
      fd = fs.openSync(this.at(c), DIR_FLAGS);
    } catch (e) {
      // O_NOFOLLOW|O_DIRECTORY on a symlink is ENOTDIR (ELOOP without O_DIRECTORY).
      if ((codeOf(e) !== 'ENOTDIR' && codeOf(e) !== 'ELOOP') || !this.isLink(c)) throw e;
      q.unshift(...this.readLink(c));
      return;
    }
    this.push(fd, `${this.paths[this.paths.length - 1]}/${c}`);
  }

  isLink(name: string): boolean {
    try { return fs.lstatSync(this.at(name)).isSymbolicLink(); } catch { return false; }
  }

  /**
   * The components of link `name`'s target, to be walked from the current
   * directory (a relative target) or from the root (an absolute target,
   * allowed only when it names something beneath the root: else EXDEV).
   */
  readLink(name: string): string[] {
    if (++this.links > MAXLINKS) fail('ELOOP');
    const target = fs.readlinkSync(this.at(name));
    if (target === '') fail('ENOENT');
    if (!target.startsWith('/')) return split(target);
    const rest = below(this.real, target) ?? below(this.root, target);
    if (rest === null) fail('EXDEV');
    while (this.fds.length > 1) { fs.closeSync(this.fds.pop()!); this.paths.pop(); }
    return split(rest!);
  }

  /** Refuses (EXDEV) a descriptor whose file is not beneath the root, closing it. */
  check(fd: number): number {
    if (!PROC) return fd;
    let real: string;
    try { real = fs.readlinkSync(`/proc/self/fd/${fd}`); } catch { return fd; }
    if (real.endsWith(' (deleted)')) real = real.slice(0, -10);
    if (below(this.real, real) === null) { fs.closeSync(fd); fail('EXDEV'); }
    return fd;
  }
}

/**
 * Where the open directory `fd` is now, below the root (as "/a/b", "" for
 * the root itself): what the host kernel says of the descriptor, so it
 * follows a rename of the directory. ENOENT once it was removed or moved out
 * of the root; null where there is no /proc to ask.
 */
export function fdPathBeneath(root: string, fd: number): string | null {
  if (!PROC) return null;
  const real = fs.readlinkSync(`/proc/self/fd/${fd}`);
  if (real.endsWith(' (deleted)')) fail('ENOENT');
  const rest = below(realRootOf(root), real);
  if (rest === null) fail('ENOENT');
  return rest;
}

/** What an operation on the last component answers: a result, or "it is a link: follow it". */
export const FOLLOW = Symbol('follow');

/**
 * Resolves `hostPath` (which must start with `root`) beneath the root and
 * runs `op` on its last component. When `op` answers FOLLOW (the last
 * component is a symlink the operation follows), the link's target is
 * walked and `op` runs again on its last component.
 */
export function beneath<T>(root: string, hostPath: string, op: (w: Walk, name: string) => T | typeof FOLLOW): T {
  const rest = below(root, hostPath);
  if (rest === null) fail('EACCES');
  const w = new Walk(root);
  try {
    let name = w.toLast(split(rest!));
    for (;;) {
      const r = op(w, name);
      if (r !== FOLLOW) return r as T;
      name = w.toLast(w.readLink(name));
    }
  } finally { w.close(); }
}

/**
 * Opens the last component without following a link out of the root:
 * O_NOFOLLOW always (a link is read and walked by us, or ELOOP when the
 * caller asked O_NOFOLLOW), O_CREAT as O_CREAT|O_EXCL of a name seen missing
 * (a link planted meanwhile makes it EEXIST, and we look again).
 */
export function openLast(w: Walk, name: string, flags: number, mode: number, follow: boolean): number | typeof FOLLOW {
  const creat = (flags & C.O_CREAT) !== 0;
  const base = (flags & ~(C.O_CREAT | C.O_EXCL)) | C.O_NOFOLLOW;
  if (creat && (flags & C.O_EXCL) !== 0) return w.check(fs.openSync(w.at(name), base | C.O_CREAT | C.O_EXCL, mode));
  for (let tries = 0; ; tries++) {
    try {
      return w.check(fs.openSync(w.at(name), base, mode));
    } catch (e) {
      const code = codeOf(e);
      if ((code === 'ELOOP' || code === 'ENOTDIR') && w.isLink(name)) {
        if (!follow) fail('ELOOP');
        return FOLLOW;
      }
      if (code !== 'ENOENT' || !creat) throw e;
    }
    try {
      return w.check(fs.openSync(w.at(name), base | C.O_CREAT | C.O_EXCL, mode));
    } catch (e) {
      if (codeOf(e) !== 'EEXIST' || tries >= 8) throw e;   // made meanwhile: open what is there now
    }
  }
}

/** lstat of the last component; FOLLOW for a link when `follow`. */
export function statLast(w: Walk, name: string, follow: boolean): fs.BigIntStats | typeof FOLLOW {
  const st = fs.lstatSync(w.at(name), { bigint: true });
  return follow && st.isSymbolicLink() ? FOLLOW : st;
}

/** Reads a whole regular file beneath `root` (a program below a mount). */
export function readFileBeneath(root: string, hostPath: string, max = Infinity): Uint8Array<ArrayBuffer> {
  const fd = beneath(root, hostPath, (w, name) => openLast(w, name, C.O_RDONLY | C.O_NONBLOCK, 0, true));
  try {
    const st = fs.fstatSync(fd);
    if (st.isDirectory()) fail('EISDIR');
    if (!st.isFile()) fail('EACCES');   // as execve of a FIFO or device
    const n = Math.min(st.size, max);
    const out = new Uint8Array(n);
    let done = 0;
    while (done < n) {
      const r = fs.readSync(fd, out, done, n - done, done);
      if (r === 0) break;
      done += r;
    }
    return done === n ? out : out.slice(0, done);
  } finally { fs.closeSync(fd); }
}
