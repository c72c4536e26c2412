// fork's image scan (host/zero-scan.ts): the SIMD scanner and the JavaScript
// fallback name exactly the chunks that hold a non-zero byte, for shared and
// unshared memories, a byte at either end of a chunk included, and follow
// the memory as it grows.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { importTs } from './helpers/index.mjs';

const { usedChunks, hasSimdScanner } = await importTs('host/zero-scan.ts');
const CHUNK = 16384;

function reference(mem) {
  const b = new Uint8Array(mem.buffer);
  const out = [];
  for (let c = 0; c * CHUNK < b.length; c++) {
    if (b.subarray(c * CHUNK, (c + 1) * CHUNK).some((x) => x !== 0)) out.push(c);
  }
  return out;
}

for (const shared of [false, true]) {
  test(`${shared ? 'shared' : 'unshared'} memory: exactly the non-zero chunks`, () => {
    const mem = new WebAssembly.Memory({ initial: 4, maximum: 64, shared });
    assert.ok(hasSimdScanner(mem), 'Node 20 has wasm SIMD: the fast path is the one tested');
    assert.equal([...usedChunks(mem, CHUNK)], []);
    const b = () => new Uint8Array(mem.buffer);
    b()[0] = 1;                       // first byte of chunk 0
    b()[3 * CHUNK - 1] = 7;           // last byte of chunk 2
    b()[9 * CHUNK + 100] = 0x80;      // the middle of chunk 9
    assert.equal([...usedChunks(mem, CHUNK)], [0, 2, 9]);
    assert.equal([...usedChunks(mem, CHUNK)], reference(mem));
    mem.grow(2);                      // the scanner reads the memory as it is now
    b()[b().length - 1] = 1;
    const got = [...usedChunks(mem, CHUNK)];
    assert.equal(got, reference(mem));
    assert.equal(got[got.length - 1], b().length / CHUNK - 1);
    for (let i = 0; i < 200; i++) b()[(i * 7919 * 13) % b().length] = i & 0xff;
    assert.equal([...usedChunks(mem, CHUNK)], reference(mem));
  });
}

test.run();
