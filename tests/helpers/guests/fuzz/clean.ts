import { open, close, write, rmdir, unlink, getdents } from "./syscalls";
import { O_DIRECTORY } from "./consts";

// `fuzz clean PATH...`: removes what the fuzzers made, names as raw bytes
// (any byte but NUL and '/' can be in a name; a UTF-16 string cannot carry
// them all, so the shell's rm cannot either). Prints what it could not remove.
export function cat(a: Uint8Array, b: Uint8Array, slash: bool): Uint8Array {
  const out = new Uint8Array(a.length + b.length + (slash ? 1 : 0));
  out.set(a, 0);
  if (slash) out[a.length] = 0x2f;
  out.set(b, a.length + (slash ? 1 : 0));
  return out;
}
let cleanFailures = 0;
/** The exit status of a clean mode: how many removals failed (at most 100). */
export function cleanStatus(): i32 { return cleanFailures > 100 ? 100 : cleanFailures; }
function complain(what: string, path: Uint8Array, r: i32): void {
  cleanFailures++;
  const msg = String.UTF8.encode("clean: " + what + " " + String.UTF8.decodeUnsafe(path.dataStart, path.length) + ": " + r.toString() + "\n");
  write(1, changetype<u32>(msg), <u32>msg.byteLength);
}
export function listDir(path: Uint8Array, names: Array<Uint8Array>): bool {
  const fd = open(changetype<u32>(path.dataStart), path.length, O_DIRECTORY, 0);
  if (fd < 0) { complain("open", path, fd); return false; }
  const buf = new Uint8Array(65536);
  while (true) {
    const n = getdents(fd, changetype<u32>(buf.dataStart), 65536);
    if (n < 0) { complain("getdents", path, n); break; }
    if (n == 0) break;
    let off = 0;
    while (off < n) {
      const reclen = load<u16>(buf.dataStart + off + 8), namelen = load<u8>(buf.dataStart + off + 11);
      names.push(buf.slice(off + 12, off + 12 + namelen));
      off += reclen;
    }
  }
  close(fd);
  return true;
}
export function sameBytes(a: Uint8Array, b: Uint8Array): bool {
  if (a.length != b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] != b[i]) return false;
  return true;
}
export function removeTree(path: Uint8Array): void {
  let r = unlink(changetype<u32>(path.dataStart), path.length);
  if (r == 0 || r == -44) return;                          // gone (ENOENT: never made)
  if (r != -31 && r != -63) { complain("unlink", path, r); return; }   // EISDIR, EPERM: a directory
  const names = new Array<Uint8Array>();
  if (!listDir(path, names)) return;
  for (let i = 0; i < names.length; i++) removeTree(cat(path, names[i], true));
  r = rmdir(changetype<u32>(path.dataStart), path.length);
  if (r != 0) complain("rmdir", path, r);
}
