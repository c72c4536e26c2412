// The wasmux command: exit codes (N, 128+signal, unknown program, unreadable
// or invalid files, shell syntax errors), stdin/stdout, and --trace.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, GUESTS, C_FIXTURES } from './helpers/index.mjs';

function cli(args, input = '') {
  const r = spawnSync(process.execPath, ['bin/wasmux.js', ...args], { cwd: ROOT, input, encoding: 'utf8', timeout: 30000 });
  if (r.error) throw r.error;
  assert.ok(r.signal === null, `the CLI itself was killed by ${r.signal} (timeout?)`);
  return r;
}
const c = (name) => path.join(C_FIXTURES, `${name}.wasm`);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wasmux-cli-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('exit N from run and from sh -c', () => {
  assert.is(cli(['run', c('exitcode'), '42']).status, 42);
  assert.is(cli(['run', c('exitcode')]).status, 0);
  assert.is(cli(['sh', '-c', 'exit 7']).status, 7);
  assert.is(cli(['run', 'false']).status, 1);
  assert.is(cli(['run', 'true']).status, 0);
});

test('stdout, args and stdin pass through', () => {
  const e = cli(['run', 'echo', 'hello', 'world']);
  assert.is(e.stdout, 'hello world\n');
  const a = cli(['run', c('args'), 'x', 'y z']);
  assert.match(a.stdout, /^argc=3\nargv\[0\]=args\.wasm\nargv\[1\]=x\nargv\[2\]=y z\n/);
  const f = cli(['run', c('filter')], 'abc\ndef\n');
  assert.is(f.stdout, 'ABC\nDEF\n');
  assert.is(f.status, 0);
  const s = cli(['sh', '-c', 'cat | wc -l'], 'a\nb\nc\n');
  assert.is(s.stdout.trim(), '3');
});

test('death by a signal exits 128+N', () => {
  const t = cli(['run', c('trap')]);
  assert.is(t.status, 128 + 4);
  assert.is(t.stdout, 'before trap\n');
  assert.is(cli(['run', c('oob')]).status, 128 + 11);
  assert.is(cli(['sh', '-c', 'kill -9 $$; sleep 5']).status, 128 + 9);
});

test('unknown program: 127 with a message', () => {
  const r = cli(['run', 'no-such-program']);
  assert.is(r.status, 127);
  assert.match(r.stderr, /no-such-program/);
  const s = cli(['sh', '-c', 'no-such-program']);
  assert.is(s.status, 127);
  assert.match(s.stderr, /no-such-program: command not found/);
});

test('unreadable file: 127; invalid wasm file: 126', () => {
  const r = cli(['run', path.join(tmp, 'missing.wasm')]);
  assert.is(r.status, 127);
  assert.match(r.stderr, /cannot read/);
  const garbage = path.join(tmp, 'garbage.wasm');
  fs.writeFileSync(garbage, 'definitely not a wasm module\n');
  const g = cli(['run', garbage]);
  assert.is(g.status, 126);
  assert.match(g.stderr, /not a valid wasm module/);
  const trunc = path.join(tmp, 'trunc.wasm');
  fs.writeFileSync(trunc, fs.readFileSync(c('filter')).subarray(0, 100));
  assert.is(cli(['run', trunc]).status, 126);
});

test('shell syntax error: 2 and one line', () => {
  const r = cli(['sh', '-c', 'echo "oops']);
  assert.is(r.status, 2);
  assert.is(r.stdout, '');
  assert.is(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, /syntax error/);
});

test('usage errors: unknown option or command is 2, --help is 0', () => {
  assert.is(cli(['--bogus']).status, 2);
  assert.is(cli(['frobnicate']).status, 2);
  const h = cli(['--help']);
  assert.is(h.status, 0);
  assert.match(h.stdout, /usage: wasmux/);
});

test('--trace prints [pid] name(args) = result lines to stderr', () => {
  const r = cli(['--trace', 'run', 'echo', 'traced']);
  assert.is(r.status, 0);
  assert.is(r.stdout, 'traced\n');
  const lines = r.stderr.split('\n').filter(Boolean);
  assert.ok(lines.length > 0, 'some trace lines');
  for (const l of lines) assert.match(l, /^\[\d+\] \w+\(.*\) = .+$/, l);
  assert.ok(lines.some((l) => /^\[\d+\] (write|fd_write)\(1, .*\) = /.test(l)), r.stderr);
  assert.ok(lines.some((l) => /^\[\d+\] proc_exit\(0\)/.test(l)), r.stderr);
  // Without --trace: no such lines.
  assert.is(cli(['run', 'echo', 'quiet']).stderr, '');
});

test('--trace shows the fatal write of a writer with no reader, which dies of SIGPIPE (141)', () => {
  const r = cli(['--trace', 'run', path.join(GUESTS, 'pipes.wasm'), 'epipe']);
  assert.is(r.status, 128 + 13);
  // The kernel returns EPIPE and raises SIGPIPE; with no handlers the process dies
  // in that very call, so the tracer may show it as exited rather than -1 EPIPE.
  assert.match(r.stderr, /\] write\(\d+, 0x[0-9a-f]+, 10\) = (-1 EPIPE|\? \(exited\))\n/);
  assert.not.match(r.stdout, /survived/);
});

test('Ctrl-C (SIGINT to the CLI) reaches the foreground group: `sh -c` and its command die, status 130', async () => {
  // yes writes to the CLI's stdout: its first "y" says the command runs, and
  // only then comes the Ctrl-C (a fixed delay raced the start under load).
  // A non-interactive shell does no job control: it is in the foreground
  // group with its command, and both die of SIGINT, as on Linux.
  const child = spawn(process.execPath, ['bin/wasmux.js', 'sh', '-c', 'yes; echo after=$?'],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '', sent = false, err = '';
  child.stderr.on('data', (d) => { err += d; });
  child.stdout.on('data', (d) => {
    tail = (tail + d).slice(-64);
    if (!sent && tail.includes('y\n')) { sent = true; child.kill('SIGINT'); }
  });
  const guard = setTimeout(() => child.kill('SIGKILL'), 30000);
  const code = await new Promise((r) => child.on('exit', r));
  clearTimeout(guard);
  assert.ok(sent, `yes never ran: ${err}`);
  assert.not.match(tail, /after=/, err);
  assert.is(code, 130);
});

test.run();
