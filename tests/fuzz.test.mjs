// The syscall fuzzer, short: a few seeded rounds of several guests making
// random calls with random and boundary arguments at once; the invariants are
// those of tests/helpers/fuzz.mjs (no host exception or kernel fault, heap and
// locks as before, no process left or parked for ever). `npm run fuzz` runs
// long ones. FUZZ_SEED=n picks other seeds.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { GUESTS, ROOT } from './helpers/index.mjs';
import { fuzzRoundIsolated } from './helpers/fuzz.mjs';

const t = suite('fuzz');
const seed0 = Number(process.env.FUZZ_SEED ?? 20261201);

t('the fuzz guest calls every declared syscall', async () => {
  const out = await build({ entryPoints: [path.join(ROOT, 'abi', 'syscalls.ts')], bundle: true, write: false, format: 'esm', platform: 'node' });
  const { WASI, WASMUX } = await import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`);
  const mod = new WebAssembly.Module(fs.readFileSync(path.join(GUESTS, 'fuzz.wasm')));
  const imported = new Set(WebAssembly.Module.imports(mod).map((i) => `${i.module}.${i.name}`));
  const declared = [...WASI.map((d) => `wasi_snapshot_preview1.${d.name}`), ...WASMUX.map((d) => `wasmux.${d.name}`)];
  assert.equal(declared.filter((n) => !imported.has(n)), []);
});

for (let i = 0; i < 2; i++) {
  t(`random syscalls from 4 processes at once (seed ${seed0 + i})`, async () => {
    const r = await fuzzRoundIsolated({ seed: seed0 + i, procs: 4, calls: 4000, timeoutMs: 60000 });
    assert.equal(r.failures, [], r.failures.join('\n'));
    assert.is(r.calls, 16000);
  });
}

t.run();
