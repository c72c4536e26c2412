// `wasmux run` as a WASI runner (#12): options before or after `run`,
// --dir HOST[::GUEST] preopens, an environment of exactly --env (and
// --inherit-env), the program's own arguments untouched, `run --help`, and
// one-line usage errors. `wasmux sh` takes the same options.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, C_FIXTURES } from './helpers/index.mjs';

// node:wasi prints an ExperimentalWarning on first use; it is expected here.
process.removeAllListeners('warning');
const { WASI } = await import('node:wasi');

/** `wasm` under node:wasi with `preopens` (guest name -> host dir): its stdout. */
async function nodeWasi(wasm, args, preopens) {
  const out = path.join(tmp, 'node-out');
  const fd = fs.openSync(out, 'w');
  const wasi = new WASI({ version: 'preview1', args, env: {}, preopens, stdout: fd, returnOnExit: true });
  const { instance } = await WebAssembly.instantiate(fs.readFileSync(wasm), wasi.getImportObject());
  assert.is(wasi.start(instance), 0);
  fs.closeSync(fd);
  return fs.readFileSync(out, 'utf8');
}

function cli(args, { input = '', env = {} } = {}) {
  const r = spawnSync(process.execPath, ['bin/wasmux.js', ...args],
    { cwd: ROOT, input, encoding: 'utf8', timeout: 60000, env: { ...process.env, ...env } });
  if (r.error) throw r.error;
  assert.ok(r.signal === null, `the CLI itself was killed by ${r.signal} (timeout?)`);
  return r;
}
const c = (name) => path.join(C_FIXTURES, `${name}.wasm`);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wasmux-cli-run-'));
fs.mkdirSync(path.join(tmp, 'data'));
fs.writeFileSync(path.join(tmp, 'data', 'hello.txt'), 'hello from the host\n');
fs.mkdirSync(path.join(tmp, 'other'));
fs.writeFileSync(path.join(tmp, 'other', 'o.txt'), 'other dir\n');
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const envLines = (out) => out.split('\n').filter((l) => l.startsWith('env=')).map((l) => l.slice(4));

test('the environment of run is exactly --env: nothing added', () => {
  assert.equal(envLines(cli(['run', c('args')]).stdout), []);
  const r = cli(['run', '--env', 'A=1', '--env=B=two words', '--env', 'A=3', c('args')]);
  assert.is(r.status, 0, r.stderr);
  assert.equal(envLines(r.stdout), ['A=3', 'B=two words']);
  // --env K passes the host's K, if it has one.
  const h = cli(['run', '--env', 'WASMUX_T1', '--env', 'WASMUX_UNSET_VAR', c('args')], { env: { WASMUX_T1: 'from-host' } });
  assert.equal(envLines(h.stdout), ['WASMUX_T1=from-host']);
});

test('--inherit-env passes the host environment, --env on top', () => {
  const r = cli(['run', '--inherit-env', '--env', 'WASMUX_T2=mine', c('args')], { env: { WASMUX_T2: 'host', WASMUX_T3: 'x' } });
  const env = envLines(r.stdout);
  assert.ok(env.includes('WASMUX_T3=x'), r.stdout);
  assert.ok(env.includes('WASMUX_T2=mine'), r.stdout);
  assert.not.ok(env.includes('WASMUX_T2=host'));
  assert.ok(env.some((l) => l.startsWith('PATH=') && l === `PATH=${process.env.PATH}`), 'the host PATH, not /bin');
});

test('sh keeps its login environment; --env adds to it', () => {
  const r = cli(['sh', '--env', 'X=1', '-c', 'env']);
  assert.is(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n').sort();
  assert.equal(lines, ['HOME=/home', 'PATH=/bin', 'PWD=/', 'X=1']);
});

test('options go before or after run, and everything after the program is the program\'s', () => {
  const before = cli(['--env', 'A=1', 'run', c('args'), 'x']);
  const after = cli(['run', '--env', 'A=1', c('args'), 'x']);
  assert.is(before.stdout, after.stdout);
  assert.match(after.stdout, /^argc=2\nargv\[0\]=args\.wasm\nargv\[1\]=x\nenv=A=1\n$/);
  const own = cli(['run', c('args'), '--env', 'B=2', '--', '--help', '-x']);
  assert.is(own.status, 0, own.stderr);
  assert.match(own.stdout, /^argc=6\nargv\[0\]=args\.wasm\nargv\[1\]=--env\nargv\[2\]=B=2\nargv\[3\]=--\nargv\[4\]=--help\nargv\[5\]=-x\n$/);
  // `--` before the program ends wasmux's options.
  const dashdash = cli(['run', '--', c('args'), '--trace']);
  assert.match(dashdash.stdout, /^argc=2\n.*\nargv\[1\]=--trace\n$/s);
  assert.is(dashdash.stderr, '', 'no trace: --trace was the program\'s');
  // --trace and --seed after run.
  const t = cli(['run', '--trace', '--seed', '7', 'echo', 'traced']);
  assert.is(t.status, 0, t.stderr);
  assert.is(t.stdout, 'traced\n');
  assert.match(t.stderr, /^\[\d+\] \w+\(.*\) = /m);
  // sh: options after sh, then the shell's own arguments.
  const s = cli(['sh', '--mount', `${path.join(tmp, 'data')}:/m:ro`, '-c', 'cat /m/hello.txt']);
  assert.is(s.stdout, 'hello from the host\n', s.stderr);
});

test('--dir HOST::GUEST preopens the directory under that name; the preopens are exactly the --dirs', () => {
  const r = cli(['run', '--dir', `${path.join(tmp, 'data')}::/data`, '--dir', `${path.join(tmp, 'other')}::.`,
    c('wasidirs'), '/data/hello.txt', 'o.txt']);
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout, 'preopen 3 /data\npreopen 4 .\ncwd=/\n/data/hello.txt: hello from the host\no.txt: other dir\n');
  // Without --dir: the namespace root, as "/".
  assert.match(cli(['run', c('wasidirs')]).stdout, /^preopen 3 \/\ncwd=\/\n$/);
});

test('--dir gives what node:wasi\'s preopens give, byte for byte', async () => {
  const data = path.join(tmp, 'data'), other = path.join(tmp, 'other');
  const args = ['/data/hello.txt', 'o.txt', './o.txt', '/data/none'];
  const ref = await nodeWasi(c('wasidirs'), ['wasidirs.wasm', ...args], { '/data': data, '.': other });
  const r = cli(['run', '--dir', `${data}::/data`, '--dir', `${other}::.`, c('wasidirs'), ...args]);
  assert.is(r.stdout, ref);
});

test('--dir HOST::/ and --dir HOST (the guest name is HOST as written)', () => {
  const root = cli(['run', `--dir=${path.join(tmp, 'data')}::/`, c('wasidirs'), '/hello.txt', 'hello.txt', '/bin/sh']);
  assert.is(root.status, 0, root.stderr);
  // Only the host directory is reachable: /bin is the namespace's, not below it.
  assert.is(root.stdout, 'preopen 3 /\ncwd=/\n/hello.txt: hello from the host\nhello.txt: hello from the host\n/bin/sh: error 44\n');
  const dir = path.join(tmp, 'data');
  const plain = cli(['run', '--dir', dir, c('wasidirs'), `${dir}/hello.txt`]);
  assert.is(plain.stdout, `preopen 3 ${dir}\ncwd=/\n${dir}/hello.txt: hello from the host\n`, plain.stderr);
});

test('--dir is confined like --mount: nothing outside HOST', () => {
  fs.symlinkSync('/etc', path.join(tmp, 'data', 'escape'));
  try {
    const r = cli(['run', '--dir', `${path.join(tmp, 'data')}::/data`, c('wasidirs'), '/data/../other/o.txt', '/data/escape/hostname']);
    assert.is(r.status, 0, r.stderr);
    assert.not.match(r.stdout, /other dir/);
    assert.match(r.stdout, /\/data\/escape\/hostname: error \d+\n/);
  } finally {
    fs.unlinkSync(path.join(tmp, 'data', 'escape'));
  }
});

test('run --help documents the options', () => {
  for (const args of [['run', '--help'], ['--help', 'run'], ['run', '--trace', '--help']]) {
    const h = cli(args);
    assert.is(h.status, 0);
    for (const opt of ['--dir HOST[::GUEST]', '--env K=V', '--inherit-env', '--mount', '--trace', '--seed', '--max-memory', '--tmpfs-size']) {
      assert.ok(h.stdout.includes(opt), `${args.join(' ')} documents ${opt}`);
    }
  }
  assert.match(cli(['--help']).stdout, /usage: wasmux/);
});

test('a bad option is one clear line and exit status 2', () => {
  const cases = [
    [['run', '--bogus', 'echo'], /unknown option --bogus/],
    [['--bogus'], /unknown option --bogus/],
    [['run', '--dir'], /--dir wants a value/],
    [['run', '--dir', '/no/such/dir', 'echo'], /--dir \/no\/such\/dir: \/no\/such\/dir is not a directory/],
    [['run', '--dir', '::/x', 'echo'], /bad --dir '::\/x'/],
    [['run', '--env', '=v', 'echo'], /bad --env '=v'/],
    [['run', '--seed', 'x', 'echo'], /--seed wants a whole number/],
    [['run', '--trace=1', 'echo'], /--trace takes no value/],
    [['run', '--tmpfs-size', '12Q', 'echo'], /--tmpfs-size wants a size/],
    [['run'], /run: missing program/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['run', '--mount', `${tmp}:/a`, '--dir', `${tmp}::/a`, 'echo'], /two directories mounted at \/a/],
  ];
  for (const [args, re] of cases) {
    const r = cli(args);
    assert.is(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.is(r.stdout, '');
    assert.is(r.stderr.split('\n').filter(Boolean).length, 1, `one line for ${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /^wasmux: /);
    assert.match(r.stderr, re);
  }
});

test.run();
