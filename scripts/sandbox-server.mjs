// `npm run sandbox`: serves dist/sandbox/ (the teaching page, built by
// scripts/build.mjs) with the two headers that make it cross-origin
// isolated — the kernel memory is a SharedArrayBuffer. Port from $PORT
// (default 8080), address from $HOST (default 127.0.0.1). Static files
// only, GET and HEAD, nothing outside the folder. Also used by
// tests/browser/sandbox.test.mjs.
import * as http from 'node:http';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.map': 'application/json', '.json': 'application/json', '.wasm': 'application/wasm', '.c': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8', '.png': 'image/png',
};

const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * A request handler for the files under `dir`; `onMissing(path)` hears of
 * each 404. `isolate: false` leaves the isolation headers out, as a host
 * that cannot set them would (the test of the service-worker fallback).
 */
export function sandboxHandler(dir = path.join(root, 'dist', 'sandbox'), onMissing = () => {}, { isolate = true } = {}) {
  const base = path.resolve(dir);
  return (req, res) => {
    const send = (status, body, type = 'text/plain; charset=utf-8') => {
      res.writeHead(status, {
        'Content-Type': type,
        'Cache-Control': 'no-cache',
        ...(isolate ? ISOLATION : {}),
        'X-Content-Type-Options': 'nosniff',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed');
    let p;
    try { p = decodeURIComponent(new URL(req.url, 'http://x').pathname); } catch { return send(400, 'bad request'); }
    if (p.endsWith('/')) p += 'index.html';
    const file = path.resolve(base, `.${p}`);
    if (!file.startsWith(base + path.sep) || p.split('/').some((c) => c.startsWith('.') && c !== '')) return send(403, 'forbidden');
    let st;
    try { st = fs.statSync(file); } catch { st = null; }
    if (!st || !st.isFile()) { onMissing(p); return send(404, 'not found'); }
    send(200, fs.readFileSync(file), TYPES[path.extname(file)] ?? 'application/octet-stream');
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = path.join(root, 'dist', 'sandbox');
  if (!fs.existsSync(path.join(dir, 'index.html'))) {
    console.error('wasmux sandbox: dist/sandbox is missing: run npm run build');
    process.exit(1);
  }
  const port = Number(process.env.PORT ?? 8080);
  const host = process.env.HOST ?? '127.0.0.1';
  const server = http.createServer(sandboxHandler(dir));
  server.listen(port, host, () => {
    const a = server.address();
    console.log(`wasmux sandbox: http://${host.includes(':') ? `[${host}]` : host}:${a.port}/`);
  });
}
