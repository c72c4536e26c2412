// The `wasmux` command line, parsed: the command (run or sh), its options
// and the program's own arguments. Options go before the command or after
// it (`wasmux --trace run x` = `wasmux run --trace x`, as `wasmtime run`
// takes them), in `--opt value` or `--opt=value` form; the first word that
// is not an option (or what follows `--`) starts the program's arguments,
// which are passed on untouched, `--` and `--help` included.
//
// A bad option is a UsageError: one line naming it and what it wants.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Mount } from './boot-options.js';

export class UsageError extends Error {}

/** A --dir: host directory `host` preopened for the program as `name`, visible at `mountAt`. */
export interface DirOption { host: string; name: string; mountAt: string }

export interface CliArgs {
  command: 'run' | 'sh' | null;
  /** run: the program (a file, or a name in /bin). */
  target: string | null;
  /** The program's arguments after the target (run) or the shell's (sh). */
  args: string[];
  help: boolean;
  banner: boolean;
  trace: boolean;
  seed: bigint | undefined;
  maxProcessMemory: number | undefined;
  tmpfsSize: number | undefined;
  mounts: Mount[];
  dirs: DirOption[];
  /** --env K=V in order (a later one wins); a value of null: --env K, the host's K if it has one. */
  env: [string, string | null][];
  inheritEnv: boolean;
  /** --uid / --gid: the program's user and group ids (undefined: root's, 0). */
  uid: number | undefined;
  gid: number | undefined;
}

/** Whether `run`'s target names a host file (else a program in /bin). */
export function isFileTarget(target: string): boolean {
  return target.endsWith('.wasm') || target.includes('/');
}

export const USAGE = `usage: wasmux [options] run [options] <program|file.wasm> [args...]
       wasmux [options] sh [options] [-c 'command line' | script [args...]]
       wasmux run --help        (the options in full)`;

export const RUN_HELP = `usage: wasmux [options] run [options] <program|file.wasm> [args...]

Runs one wasm32-wasi program (a .wasm file, or the name of a program in
/bin) as a wasmux process with the terminal as its console; its exit status
is wasmux's (128+N when killed by signal N). Options may come before or
after 'run'; everything after the program belongs to the program.

  --dir HOST[::GUEST]      preopen host directory HOST for the program under
                           the name GUEST (default: HOST as written), e.g.
                           --dir .::/work, --dir /srv/data::/, --dir out.
                           Confined like --mount (nothing outside HOST is
                           reachable, symlinks included). Repeatable; the
                           program's preopens are then exactly these (fds 3,
                           4, ... in order). Without --dir it gets the
                           machine's namespace root, preopened as "/".
  --env K=V                set K in the program's environment (repeatable).
  --env K                  pass the host's K, if it has one.
  --inherit-env            start from the host's whole environment.
                           The environment is exactly what these give: empty
                           by default (no PATH, HOME or PWD added).
  --uid N                  run the program as user id N (real, effective and
                           saved; default 0, root): files, kill and the
                           set*id calls check it as Linux does. Its children
                           inherit it.
  --gid N                  likewise its group id (default 0).
  --mount HOST:GUEST[:ro]  make a host directory visible at GUEST in the
                           namespace (repeatable; ro: read-only).
  --trace                  one line per syscall on stderr.
  --seed N                 deterministic mode: same N, same run.
  --max-memory SIZE        most memory per process (e.g. 512M, 1G; default:
                           host memory/2/128, within 32M-256M).
  --tmpfs-size SIZE        tmpfs size limit (e.g. 64M, 1G; default 256M).
  --help                   this text.

'wasmux sh' takes the same options; the shell starts with its login
environment (PATH=/bin HOME=/home PWD=/), which --env and --inherit-env
add to.`;

const VALUE_OPTIONS = new Set(['--mount', '--seed', '--max-memory', '--tmpfs-size', '--dir', '--env', '--uid', '--gid']);
const FLAGS = new Set(['--trace', '--banner', '--inherit-env', '--help']);

/** A size such as 1048576, 64K, 512M, 1G or 1GiB, in bytes (K, M, G: powers of 1024). */
export function parseSize(spec: string, flag: string): number {
  const m = /^(\d+)([KMG])?(?:i?B)?$/i.exec(spec);
  const n = m ? Number(m[1]) * 1024 ** ' KMG'.indexOf((m[2] ?? ' ').toUpperCase()) : NaN;
  if (!Number.isSafeInteger(n)) throw new UsageError(`${flag} wants a size such as 512M or 1G, not '${spec}'`);
  return n;
}

function hostDir(dir: string, flag: string, spec: string): string {
  let st: fs.Stats | undefined;
  try { st = fs.statSync(dir); } catch { /* reported below */ }
  if (!st?.isDirectory()) throw new UsageError(`${flag} ${spec}: ${dir} is not a directory`);
  return path.resolve(dir);
}

function parseMount(spec: string): Mount {
  const parts = spec.split(':');
  const ro = parts.length > 2 && parts[parts.length - 1] === 'ro';
  if (ro) parts.pop();
  if (parts.length !== 2 || !parts[0] || !parts[1].startsWith('/')) throw new UsageError(`bad --mount '${spec}': want HOST:GUEST[:ro] with GUEST absolute`);
  return { host: hostDir(parts[0], '--mount', spec), guest: parts[1], readonly: ro };
}

/**
 * --dir HOST[::GUEST]. An absolute GUEST other than "/" is also where the
 * directory appears in the namespace; "/" or a relative name (".", "data")
 * is only the preopen's name, so the directory is mounted out of the way,
 * below /run/preopen.
 */
function parseDir(spec: string, index: number): DirOption {
  const sep = spec.indexOf('::');
  const host = sep < 0 ? spec : spec.slice(0, sep);
  const name = sep < 0 ? spec : spec.slice(sep + 2);
  if (!host || !name) throw new UsageError(`bad --dir '${spec}': want HOST or HOST::GUEST`);
  if (name.includes('\0')) throw new UsageError(`bad --dir '${spec}': a NUL in the name`);
  const visible = name.startsWith('/') && name !== '/' && !name.split('/').some((c) => c === '.' || c === '..');
  const mountAt = visible ? path.posix.normalize(name).replace(/(.)\/$/, '$1') : `/run/preopen/${index}`;
  return { host: hostDir(host, '--dir', spec), name, mountAt };
}

function parseEnv(spec: string): [string, string | null] {
  const eq = spec.indexOf('=');
  const key = eq < 0 ? spec : spec.slice(0, eq);
  if (!key || key.includes('\0') || spec.includes('\0')) throw new UsageError(`bad --env '${spec}': want K=V or K`);
  return [key, eq < 0 ? null : spec.slice(eq + 1)];
}

/** --uid/--gid: a whole number from 0 to 2147483647 (the kernel's ids are i32). */
function parseId(s: string, flag: string): number {
  const n = /^\d+$/.test(s) ? Number(s) : NaN;
  if (!(n <= 0x7fffffff)) throw new UsageError(`${flag} wants a number from 0 to 2147483647, not '${s}'`);
  return n;
}

function parseSeed(s: string): bigint {
  if (!/^\d+$/.test(s)) throw new UsageError(`--seed wants a whole number, not '${s}'`);
  return BigInt(s);
}

/** Takes options from argv[i] on; returns the index of the first word that is not one. */
function takeOptions(argv: string[], i: number, out: CliArgs): number {
  for (; i < argv.length; i++) {
    const word = argv[i];
    if (word === '--' || !word.startsWith('--')) return i;
    const eq = word.indexOf('=');
    const name = eq < 0 ? word : word.slice(0, eq);
    if (FLAGS.has(name)) {
      if (eq >= 0) throw new UsageError(`${name} takes no value`);
      if (name === '--trace') out.trace = true;
      else if (name === '--banner') out.banner = true;
      else if (name === '--inherit-env') out.inheritEnv = true;
      else out.help = true;
      continue;
    }
    if (!VALUE_OPTIONS.has(name)) throw new UsageError(`unknown option ${name} (see wasmux run --help)`);
    let value: string;
    if (eq >= 0) value = word.slice(eq + 1);
    else if (i + 1 < argv.length) value = argv[++i];
    else throw new UsageError(`${name} wants a value (see wasmux run --help)`);
    switch (name) {
      case '--mount': out.mounts.push(parseMount(value)); break;
      case '--dir': out.dirs.push(parseDir(value, out.dirs.length)); break;
      case '--env': out.env.push(parseEnv(value)); break;
      case '--seed': out.seed = parseSeed(value); break;
      case '--uid': out.uid = parseId(value, '--uid'); break;
      case '--gid': out.gid = parseId(value, '--gid'); break;
      case '--max-memory': out.maxProcessMemory = parseSize(value, '--max-memory'); break;
      case '--tmpfs-size':
        out.tmpfsSize = parseSize(value, '--tmpfs-size');
        if (out.tmpfsSize < 4096) throw new UsageError(`--tmpfs-size wants at least 4096 bytes, not ${out.tmpfsSize}`);
        break;
    }
  }
  return i;
}

/** Parses the command line (without node and the script). Throws UsageError. */
export function parseCli(argv: string[]): CliArgs {
  const out: CliArgs = {
    command: null, target: null, args: [], help: false, banner: false, trace: false, seed: undefined,
    maxProcessMemory: undefined, tmpfsSize: undefined, mounts: [], dirs: [], env: [], inheritEnv: false,
    uid: undefined, gid: undefined,
  };
  let i = takeOptions(argv, 0, out);
  if (argv[i] === '--') i++;
  const cmd = argv[i++];
  if (cmd === undefined) {
    if (out.help) return out;
    throw new UsageError('missing command: run or sh (see wasmux --help)');
  }
  if (cmd !== 'run' && cmd !== 'sh') throw new UsageError(`unknown command '${cmd}' (see wasmux --help)`);
  out.command = cmd;
  i = takeOptions(argv, i, out);
  if (out.help) return out;
  if (argv[i] === '--') i++;
  if (cmd === 'run') {
    const target = argv[i++];
    if (target === undefined) throw new UsageError('run: missing program (see wasmux run --help)');
    out.target = target;
  }
  out.args = argv.slice(i);
  const mountPoints = [...out.mounts.map((m) => m.guest), ...out.dirs.map((d) => d.mountAt)];
  const twice = mountPoints.find((p, k) => mountPoints.indexOf(p) !== k);
  if (twice !== undefined) throw new UsageError(`two directories mounted at ${twice}`);
  return out;
}

/**
 * The program's environment as K=V strings: run's is exactly the host's
 * (with --inherit-env) plus the --env ones; sh's starts from its login
 * defaults.
 */
export function programEnv(a: CliArgs, host: NodeJS.ProcessEnv, loginDefaults: Record<string, string> | null): string[] {
  const env = new Map<string, string>();
  if (a.inheritEnv) for (const [k, v] of Object.entries(host)) if (v !== undefined) env.set(k, v);
  if (loginDefaults) for (const [k, v] of Object.entries(loginDefaults)) env.set(k, v);
  for (const [k, v] of a.env) {
    const value = v ?? host[k];
    if (value !== undefined) env.set(k, value);
  }
  return [...env].map(([k, v]) => `${k}=${v}`);
}
