// The `wasmux` command: run a program or the shell with the terminal as its
// console; the guest's exit status becomes ours (128 + signal when killed).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { boot, WasmuxError, type Machine, type Mount } from './index.js';
import { ENOENT } from '../abi/errno.js';
import { runsInline } from './first.js';
import { cancelPrestarted } from './prestart.js';
import { SyncConsole } from './sync-console.js';
import type { ConsoleSink } from './inline.js';
import { parseCli, isFileTarget, programEnv, UsageError, USAGE, RUN_HELP, type CliArgs } from './cli-args.js';
import { SIGINT, SIGQUIT, SIGTSTP } from '../abi/constants.js';

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

/** The shell's login environment (`wasmux sh`); `wasmux run` gets none of it. */
const LOGIN_ENV = { PATH: '/bin', HOME: '/home', PWD: '/' };

export async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'cc') return (await import('./cc/index.js')).ccMain(argv.slice(1));   // the C driver (runtime/cc)
  let a: CliArgs;
  try {
    a = parseCli(argv);
  } catch (e) {
    if (e instanceof UsageError) fail(e.message);
    throw e;
  }
  if (a.help) { process.stdout.write(`${a.command === null ? USAGE : RUN_HELP}\n`); return 0; }
  let program: string;
  let args: string[];
  let hostFile: { guest: string; bytes: Uint8Array } | null = null;
  if (a.command === 'sh') { program = '/bin/sh'; args = ['sh', ...a.args]; }
  else {
    const target = a.target!;
    if (isFileTarget(target)) {
      let bytes: Uint8Array<ArrayBuffer>;
      try { bytes = new Uint8Array(fs.readFileSync(target)); } catch (e) { fail(`${target}: cannot read: ${(e as NodeJS.ErrnoException).code ?? e}`, 127); }
      if (!WebAssembly.validate(bytes)) fail(`${target}: not a valid wasm module`, 126);
      hostFile = { guest: `/run/${path.basename(target)}`, bytes };
      program = hostFile.guest;
    } else {
      program = target;   // a name: spawn finds it in /bin
    }
    args = [path.basename(target), ...a.args];
  }
  if (a.banner) process.stderr.write(BANNER);
  const mounts: Mount[] = [...a.mounts, ...a.dirs.map((d) => ({ host: d.host, guest: d.mountAt }))];
  const { trace, seed, maxProcessMemory, tmpfsSize } = a;
  // A program that waits for nobody but the console runs on this thread,
  // with no worker; its console is fed from here as it waits
  // (runtime/inline.ts, sync-console.ts). bin/wasmux.js made the same
  // choice already and started no worker for it.
  const inline = hostFile !== null && seed === undefined && runsInline(hostFile.bytes);
  if (inline) cancelPrestarted();
  let machine: Machine;
  try {
    // `run` needs one worker, the one bin/wasmux.js prestarted (the first
    // spawn adopts it); a warm reserve beside it would compete with it for
    // the CPU during the start. The shell keeps one for its first command.
    machine = await boot({ trace, mounts, stdin: !inline, warmWorkers: a.command === 'sh' ? 1 : 0, seed, maxProcessMemory, tmpfsSize });
  } catch (e) {
    // A bad option: the error names it, its value and the rule.
    if (e instanceof WasmuxError) fail(e.message);
    throw e;
  }
  if (hostFile) machine.writeFile(hostFile.guest, hostFile.bytes, 0o755);
  const env = programEnv(a, process.env, a.command === 'sh' ? LOGIN_ENV : null);
  const preopens = a.dirs.length > 0 ? a.dirs.map((d) => ({ name: d.name, path: d.mountAt })) : undefined;
  let proc;
  try {
    // A login: the program leads the console's session, its group in the foreground.
    const how = { env, cwd: '/', preopens, login: true, uid: a.uid, gid: a.gid };
    const input = (sink: ConsoleSink): (() => boolean) => {
      const c = new SyncConsole(sink);
      return () => c.pull();
    };
    proc = (inline ? machine.runHere(program, args, how, input) : null) ?? machine.spawn(program, args, how);
  } catch (e) {
    await machine.shutdown();
    // As a shell: 127 for a program not found, 126 for one that cannot be run (E2BIG, ENOEXEC...).
    const notFound = !(e instanceof WasmuxError) || e.errno === ENOENT;
    fail(e instanceof Error ? e.message : String(e), notFound ? 127 : 126);
  }
  // Ctrl-C, Ctrl-\ and Ctrl-Z at our terminal: the console's foreground group gets them.
  const forward = TERMINAL_SIGNALS.map(([name, sig]) => [name, () => machine.terminalSignal(sig)] as const);
  for (const [name, f] of forward) process.on(name, f);
  const st = await proc.wait();
  for (const [name, f] of forward) process.off(name, f);
  // shutdown() lets its worker finish (the last --trace line of a write
  // that died of SIGPIPE is written after the kernel call).
  await machine.shutdown();
  return st.signal !== null ? 128 + st.signal : st.code ?? 1;
}

/** The signals a terminal in cooked mode sends us for ^C, ^\ and ^Z (Linux numbers for the guests). */
const TERMINAL_SIGNALS: [NodeJS.Signals, number][] = [['SIGINT', SIGINT], ['SIGQUIT', SIGQUIT], ['SIGTSTP', SIGTSTP]];
