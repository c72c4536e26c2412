// The WASI preopens of a spawn (SpawnOptions.preopens): checked here, then
// passed to the kernel as SPAWN_PREOPEN file actions (abi/constants.ts),
// which open each directory in the child at fds 3, 4, ... in order, with
// the name fd_prestat_dir_name reports (assembly/preopen.ts).

import { EINVAL } from '../abi/errno.js';
import { PATH_MAX, SPAWN_PREOPEN } from '../abi/constants.js';
import { WasmuxError } from './errors.js';

/** One preopened directory: `path` in the machine's namespace, seen by the guest as `name`. */
export interface Preopen {
  /** What the guest sees (fd_prestat_dir_name), e.g. "/", "/data" or ".". */
  name: string;
  /** The directory in the namespace: an absolute path (a tmpfs directory or one below a mount). */
  path: string;
}

/**
 * Preopens as the API takes them: a list, or an object of name → path
 * (node:wasi's shape; fds in insertion order).
 */
export type Preopens = Preopen[] | Record<string, string>;

/** Most preopens one spawn can name (each is a path in the runtime's arena). */
export const MAX_PREOPENS = 16;

/** A file action tuple as machine.ts's spawnCall takes it: [kind, fd, newfd, oflags, path]. */
export type Action = [number, number, number, number, string];

const encoder = new TextEncoder();

function bad(why: string): never {
  throw new WasmuxError(`spawn option preopens: ${why}`, EINVAL);
}

/** The preopens, checked, as a list in fd order (undefined: the default, "/" only). */
export function preopenList(value: unknown): Preopen[] | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object') bad(`want a list of {name, path} or an object of name: path, not ${String(value)}`);
  const list: Preopen[] = Array.isArray(value)
    ? value.map((p, i) => {
      if (!p || typeof p !== 'object') bad(`entry ${i} is not a {name, path} object`);
      return { name: (p as Preopen).name, path: (p as Preopen).path };
    })
    : Object.entries(value as Record<string, unknown>).map(([name, path]) => ({ name, path: path as string }));
  if (list.length > MAX_PREOPENS) bad(`${list.length} directories, at most ${MAX_PREOPENS}`);
  for (const { name, path } of list) {
    if (typeof name !== 'string' || name === '' || name.includes('\0')) bad(`name ${JSON.stringify(name)}: want a non-empty string without NUL`);
    if (typeof path !== 'string' || !path.startsWith('/') || path.includes('\0')) bad(`path ${JSON.stringify(path)} of ${JSON.stringify(name)}: want an absolute namespace path`);
    if (encoder.encode(name).length + encoder.encode(path).length >= PATH_MAX) bad(`name and path of ${JSON.stringify(name)} are too long`);
  }
  return list;
}

/** The SPAWN_PREOPEN actions for `list`: the record's bytes are the name then the path. */
export function preopenActions(list: Preopen[]): Action[] {
  if (list.length === 0) return [[SPAWN_PREOPEN, 0, -1, 1, '-/']];   // "none at all" (assembly/preopen.ts)
  return list.map(({ name, path }, i) => [SPAWN_PREOPEN, 0, 3 + i, encoder.encode(name).length, name + path]);
}
