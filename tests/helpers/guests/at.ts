// The wasmux *at calls (#12), what the C layer's openat & co. will use:
// `at BASE` works in the existing directory BASE. Prints "label result".
import { args, exit, open, close, writeRaw, O_RDONLY, O_WRONLY, O_CREAT, O_DIRECTORY, O_NOFOLLOW } from "../../../programs/lib";
import { out, say } from "./common";

@external("wasmux", "openat") declare function openat(d: i32, p: usize, n: usize, f: i32, mode: i32): i32;
@external("wasmux", "mkdirat") declare function mkdirat(d: i32, p: usize, n: usize, mode: i32): i32;
@external("wasmux", "unlinkat") declare function unlinkat(d: i32, p: usize, n: usize, f: i32): i32;
@external("wasmux", "renameat") declare function renameat(d: i32, p: usize, n: usize, d2: i32, p2: usize, n2: usize): i32;
@external("wasmux", "linkat") declare function linkat(d: i32, p: usize, n: usize, d2: i32, p2: usize, n2: usize, f: i32): i32;
@external("wasmux", "symlinkat") declare function symlinkat(t: usize, tn: usize, d: i32, p: usize, n: usize): i32;
@external("wasmux", "readlinkat") declare function readlinkat(d: i32, p: usize, n: usize, b: usize, bn: usize): i32;
@external("wasmux", "fstatat") declare function fstatat(d: i32, p: usize, n: usize, o: usize, f: i32): i32;
@external("wasmux", "chdir") declare function chdir(p: usize, n: usize): i32;

const AT_FDCWD = -100, AT_SYMLINK_NOFOLLOW = 0x100, AT_REMOVEDIR = 0x200, AT_SYMLINK_FOLLOW = 0x400;
const ELOOP = 32, EXDEV = 75;

function en(r: i32): string { return r == -ELOOP ? "ELOOP" : r == -EXDEV ? "EXDEV" : ""; }
function show(label: string, r: i32): void { const e = en(r); if (e != "") say(label, e); else out(label, r); }

// @ts-ignore: decorator
@inline function P(s: string): ArrayBuffer { return String.UTF8.encode(s); }
const st = new ArrayBuffer(64);
const buf = new ArrayBuffer(64);

function oat(d: i32, p: string, f: i32): i32 { const b = P(p); return openat(d, changetype<usize>(b), b.byteLength, f, 0o644); }
function mk(d: i32, p: string): i32 { const b = P(p); return mkdirat(d, changetype<usize>(b), b.byteLength, 0o755); }
function ul(d: i32, p: string, f: i32): i32 { const b = P(p); return unlinkat(d, changetype<usize>(b), b.byteLength, f); }
function rn(d: i32, p: string, d2: i32, q: string): i32 {
  const a = P(p), b = P(q); return renameat(d, changetype<usize>(a), a.byteLength, d2, changetype<usize>(b), b.byteLength);
}
function ln(d: i32, p: string, d2: i32, q: string, f: i32): i32 {
  const a = P(p), b = P(q); return linkat(d, changetype<usize>(a), a.byteLength, d2, changetype<usize>(b), b.byteLength, f);
}
function sl(t: string, d: i32, p: string): i32 {
  const a = P(t), b = P(p); return symlinkat(changetype<usize>(a), a.byteLength, d, changetype<usize>(b), b.byteLength);
}
/** fstatat: "mode-type nlink size" or the errno. */
function sa(label: string, d: i32, p: string, f: i32): void {
  const b = P(p);
  const r = fstatat(d, changetype<usize>(b), b.byteLength, changetype<usize>(st), f);
  if (r < 0) { show(label, r); return; }
  const mode = load<u32>(changetype<usize>(st) + 16) & 0xf000;
  const t = mode == 0x4000 ? "dir" : mode == 0x8000 ? "reg" : mode == 0xa000 ? "lnk" : "other";
  const size = t == "dir" ? "" : " size=" + load<u64>(changetype<usize>(st) + 32).toString();   // a directory's is the file system's
  say(label, t + " nlink=" + load<u32>(changetype<usize>(st) + 20).toString() + size);
}
function rl(label: string, d: i32, p: string, cap: i32): void {
  const b = P(p);
  const r = readlinkat(d, changetype<usize>(b), b.byteLength, changetype<usize>(buf), cap);
  if (r < 0) show(label, r); else say(label, String.UTF8.decodeUnsafe(changetype<usize>(buf), r));
}

const a = args();
const base = a.length > 1 ? a[1] : "/tmp";
const d = open(base, O_RDONLY | O_DIRECTORY);
out("open-base", d < 0 ? d : 0);
if (d < 0) exit(2);
show("mkdirat", mk(d, "sub"));
const s = oat(d, "sub", O_RDONLY | O_DIRECTORY);
out("openat-dir", s < 0 ? s : 0);
let f = oat(s, "f", O_WRONLY | O_CREAT);
out("openat-creat", f < 0 ? f : 0);
const hello = P("hello");
writeRaw(f, changetype<usize>(hello), 5);
close(f);
sa("fstatat", d, "sub/f", 0);
show("openat-file-as-dir", oat(f = open(base + "/sub/f", O_RDONLY), "x", O_RDONLY));
close(f);
show("openat-bad-fd", oat(999, "x", O_RDONLY));
show("openat-abs-ignores-fd", (f = oat(999, base + "/sub/f", O_RDONLY)) < 0 ? f : 0);
if (f >= 0) close(f);
show("symlinkat", sl("f", s, "l"));
show("openat-nofollow", oat(s, "l", O_RDONLY | O_NOFOLLOW));
sa("fstatat-follow", s, "l", 0);
sa("fstatat-nofollow", s, "l", AT_SYMLINK_NOFOLLOW);
show("fstatat-bad-flag", fstatat(s, changetype<usize>(P("l")), 1, changetype<usize>(st), 1));
rl("readlinkat", s, "l", 64);
rl("readlinkat-short", s, "l", 0);
rl("readlinkat-file", s, "f", 64);
show("linkat", ln(s, "l", d, "hard-l", 0));
sa("hard-to-link", d, "hard-l", AT_SYMLINK_NOFOLLOW);
show("linkat-follow", ln(s, "l", d, "hard-f", AT_SYMLINK_FOLLOW));
sa("hard-to-file", d, "hard-f", 0);
show("linkat-bad-flag", ln(s, "f", d, "x", 1));
show("renameat", rn(d, "sub", d, "moved"));
f = oat(s, "after", O_WRONLY | O_CREAT);
out("openat-after-rename", f < 0 ? f : 0);
if (f >= 0) close(f);
sa("moved-after", d, "moved/after", 0);
show("unlinkat-dir-no-flag", ul(d, "moved", 0));
show("unlinkat-removedir-notempty", ul(d, "moved", AT_REMOVEDIR));
show("unlinkat-bad-flag", ul(d, "moved", 1));
show("mkdirat-e", mk(s, "e"));
show("unlinkat-removedir", ul(s, "e", AT_REMOVEDIR));
show("unlinkat-file", ul(s, "after", 0));
// AT_FDCWD: the cwd.
const cb = P(base + "/moved");
show("chdir", chdir(changetype<usize>(cb), cb.byteLength));
sa("fdcwd-fstatat", AT_FDCWD, "f", 0);
show("fdcwd-mkdirat", mk(AT_FDCWD, "c"));
sa("fdcwd-made", s, "c", 0);
show("renameat-into-subtree", rn(AT_FDCWD, base + "/moved", s, "c/x"));
close(s);
close(d);
exit(0);
