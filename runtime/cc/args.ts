// What a gcc-style command line asks for, as far as the driver must know:
// whether it links (then the C layer's library goes on the link line), and
// flags that would take clang away from wasm32-wasi and our sysroot. All
// else (-o -c -E -S -I -D -U -O* -g -W* -std= sources, objects, archives,
// -l, -L, -Wl,...) goes to clang unchanged and in order.

export interface CcPlan {
  /** Arguments for clang after the driver's own (--target, --sysroot). */
  args: string[];
  links: boolean;
  /** The driver's own queries (--print-sysroot), or null. */
  query: 'print-sysroot' | null;
  /** A usage error, reported as `wasmux cc: <error>` with status 2. */
  error: string | null;
}

/** Options after which clang stops before the link. */
const NO_LINK = new Set(['-c', '-E', '-S', '-M', '-MM', '-fsyntax-only', '--version', '-dumpversion', '-dumpmachine', '--help', '-###']);
/** Options whose value is the next argument (so it is not mistaken for an input). */
const TAKES_VALUE = new Set(['-o', '-I', '-D', '-U', '-L', '-l', '-include', '-isystem', '-iquote', '-idirafter', '-x', '-MF', '-MT', '-MQ', '-Xlinker', '-Xclang', '-u', '-e']);

export function planCc(argv: string[]): CcPlan {
  const plan: CcPlan = { args: [], links: true, query: null, error: null };
  let inputs = 0;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--print-sysroot') { plan.query = 'print-sysroot'; continue; }
    if (a === '-target' || a.startsWith('--target=') || a === '--target' || a.startsWith('--sysroot') || a === '-isysroot' || a === '-nostdinc' || a === '-nostdlibinc') {
      plan.error = `${a}: wasmux cc always compiles for wasm32-wasi against its own sysroot`;
      return plan;
    }
    if (NO_LINK.has(a) || a.startsWith('-print-') || a.startsWith('--print-')) plan.links = false;
    plan.args.push(a);
    if (TAKES_VALUE.has(a)) { if (i + 1 < argv.length) plan.args.push(argv[++i]); continue; }
    if (!a.startsWith('-') || a === '-') inputs++;
  }
  if (plan.query === null && inputs === 0 && plan.links && !argv.includes('-v')) {
    plan.error = 'no input files';
  }
  if (inputs === 0) plan.links = false;
  return plan;
}
