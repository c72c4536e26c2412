// The transform cache's key (runtime/transform-node.ts): the same SHA-256
// whether computed in JavaScript (small modules, no node:crypto to load on a
// cold start) or by node:crypto (large ones), so a cache written by either
// is read by both.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { importTs } from './helpers/index.mjs';

const { nodeTransform } = await importTs('runtime/transform-node.ts');

test('hash is SHA-256 of the bytes on both sides of the small-module size', () => {
  for (const n of [0, 1, 63, 64, 4708, 256 * 1024, 256 * 1024 + 1, 1 << 20]) {
    const bytes = new Uint8Array(n);
    for (let i = 0; i < n; i++) bytes[i] = (i * 131 + (i >> 8)) & 0xff;
    assert.is(nodeTransform.hash(bytes), createHash('sha256').update(bytes).digest('hex'), `${n} bytes`);
  }
});

test.run();
