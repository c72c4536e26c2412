// The `wasmux` command: run a program or the shell with the terminal as its
// console; the guest's exit status becomes ours (128 + signal when killed).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { boot, WasmuxError, type Machine, type Mount } from './index.js';
import { ENOENT } from '../abi/errno.js';

const USAGE = `usage: wasmux [options] run <program|file.wasm> [args...]
       wasmux [options] sh [-c 'command line' | script]
options: --trace                  one line per syscall on stderr
         --mount HOST:GUEST[:ro]  make a host directory visible (repeatable)
         --seed N                 deterministic mode: same N, same run
         --max-memory SIZE        most memory per process (e.g. 512M, 1G; default: host memory/2/128, 32M-256M)
         --tmpfs-size SIZE        tmpfs size limit (e.g. 64M, 1G; default 256M)`;

const BANNER = `wasmux — a Unix-like microkernel for WebAssembly
Every command is a wasm process on its own worker; pipes, FIFOs and the
tmpfs live in one shared kernel memory. Try:
  echo hello | cat          seq 1 5 | wc -l          ls /bin
  yes | head -n 3           mkfifo /tmp/f; cat /tmp/f & echo hi > /tmp/f
  ps                        exit
`;

function fail(message: string, code = 2): never {
  process.stderr.write(`wasmux: ${message}\n`);
  process.exit(code);
}

function parseMount(spec: string): Mount {
  const parts = spec.split(':');
  const ro = parts[parts.length - 1] === 'ro';
  if (ro) parts.pop();
  if (parts.length !== 2 || !parts[0] || !parts[1].startsWith('/')) fail(`bad --mount '${spec}': want HOST:GUEST[:ro]`);
  if (!fs.existsSync(parts[0]) || !fs.statSync(parts[0]).isDirectory()) fail(`--mount ${spec}: ${parts[0]} is not a directory`);
  return { host: path.resolve(parts[0]), guest: parts[1], readonly: ro };
}

/** A size such as 1048576, 64K, 512M, 1G or 1GiB, in bytes (K, M, G: powers of 1024). */
function parseSize(spec: string, flag: string): number {
  const m = /^(\d+)([KMG])?(?:i?B)?$/i.exec(spec);
  const n = m ? Number(m[1]) * 1024 ** ' KMG'.indexOf((m[2] ?? ' ').toUpperCase()) : NaN;
  if (!Number.isSafeInteger(n)) fail(`${flag} wants a size such as 512M or 1G, not '${spec}'`);
  return n;
}

export async function main(argv: string[]): Promise<number> {
  let tmpfsSize: number | undefined;
  let trace = false;
  let seed: bigint | undefined;
  let banner = false;
  let maxProcessMemory: number | undefined;
  const mounts: Mount[] = [];
  let i = 0;
  for (; i < argv.length && argv[i].startsWith('--'); i++) {
    if (argv[i] === '--trace') trace = true;
    else if (argv[i] === '--banner') banner = true;
    else if (argv[i] === '--mount') mounts.push(parseMount(argv[++i] ?? ''));
    else if (argv[i] === '--seed') {
      const s = argv[++i] ?? '';
      if (!/^\d+$/.test(s)) fail(`--seed wants a whole number, not '${s}'`);
      seed = BigInt(s);
    }
    else if (argv[i] === '--max-memory') maxProcessMemory = parseSize(argv[++i] ?? '', '--max-memory');
    else if (argv[i] === '--tmpfs-size') {
      tmpfsSize = parseSize(argv[++i] ?? '', '--tmpfs-size');
      if (tmpfsSize < 4096) fail(`--tmpfs-size wants at least 4096 bytes, not ${tmpfsSize}`);
    }
    else if (argv[i] === '--help') { process.stdout.write(`${USAGE}\n`); return 0; }
    else fail(`unknown option ${argv[i]}\n${USAGE}`);
  }
  const cmd = argv[i++];
  const rest = argv.slice(i);
  let program: string;
  let args: string[];
  let hostFile: { guest: string; bytes: Uint8Array } | null = null;
  if (cmd === 'sh') { program = '/bin/sh'; args = ['sh', ...rest]; }
  else if (cmd === 'run') {
    const target = rest[0] ?? fail(`run: missing program\n${USAGE}`);
    if (target.endsWith('.wasm') || target.includes('/')) {
      let bytes: Uint8Array<ArrayBuffer>;
      try { bytes = new Uint8Array(fs.readFileSync(target)); } catch (e) { fail(`${target}: cannot read: ${(e as NodeJS.ErrnoException).code ?? e}`, 127); }
      if (!WebAssembly.validate(bytes)) fail(`${target}: not a valid wasm module`, 126);
      hostFile = { guest: `/run/${path.basename(target)}`, bytes };
      program = hostFile.guest;
    } else {
      program = target;   // a name: spawn finds it in /bin
    }
    args = [path.basename(target), ...rest.slice(1)];
  } else {
    fail(cmd ? `unknown command '${cmd}'\n${USAGE}` : USAGE);
  }
  if (banner) process.stderr.write(BANNER);
  let machine: Machine;
  try {
    // `run` needs one worker, the one bin/wasmux.js prestarted (the first
    // spawn adopts it); a warm reserve beside it would compete with it for
    // the CPU during the start. The shell keeps one for its first command.
    machine = await boot({ trace, mounts, stdin: true, warmWorkers: cmd === 'sh' ? 1 : 0, seed, maxProcessMemory, tmpfsSize });
  } catch (e) {
    // A bad option: the error names it, its value and the rule.
    if (e instanceof WasmuxError) fail(e.message);
    throw e;
  }
  if (hostFile) machine.writeFile(hostFile.guest, hostFile.bytes, 0o755);
  let proc;
  try {
    proc = machine.spawn(program, args, { env: { PATH: '/bin', HOME: '/home', PWD: '/' }, cwd: '/' });
  } catch (e) {
    await machine.shutdown();
    // As a shell: 127 for a program not found, 126 for one that cannot be run (E2BIG, ENOEXEC...).
    const notFound = !(e instanceof WasmuxError) || e.errno === ENOENT;
    fail(e instanceof Error ? e.message : String(e), notFound ? 127 : 126);
  }
  const interactive = cmd === 'sh' && rest.length === 0;
  const onInterrupt = (): void => interrupt(machine, proc.pid, interactive);
  process.on('SIGINT', onInterrupt);
  const st = await proc.wait();
  process.off('SIGINT', onInterrupt);
  // shutdown() lets its worker finish (the last --trace line of a write
  // that died of SIGPIPE is written after the kernel call).
  await machine.shutdown();
  return st.signal !== null ? 128 + st.signal : st.code ?? 1;
}

/**
 * Ctrl-C at the terminal. Until job control exists, the "foreground" is
 * the first process's descendants: they get SIGINT. With none, the first
 * process gets it itself, unless it is the interactive shell waiting for a
 * line (a shell at its prompt ignores Ctrl-C).
 */
function interrupt(machine: Machine, first: number, interactive: boolean): void {
  const procs = machine.ps();
  const below = new Set([first]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of procs) {
      if (!below.has(p.pid) && below.has(p.ppid) && p.state !== 'zombie') { below.add(p.pid); grew = true; }
    }
  }
  below.delete(first);
  const SIGINT = 2;
  if (below.size > 0) for (const pid of below) { try { machine.kill(pid, SIGINT); } catch { /* gone */ } }
  else if (!interactive) { try { machine.kill(first, SIGINT); } catch { /* gone */ } }
  else process.stderr.write('\n$ ');
}
