import { fd_prestat_get, path_create_directory, path_filestat_get, spawn, waitpid, dup2, open, close, write, stat, mkdir, rmdir, unlink, rename, mkfifo } from "./syscalls";
import { O_WRONLY, O_CREAT, O_NONBLOCK, O_DIRECTORY } from "./consts";
import { listDir } from "./clean";

// `fuzz probe`: the kernel bugs the fuzzer found, each as one call whose
// result is printed ("label value"): tests/fuzz-found.test.mjs checks them.
function show(label: string, r: i64): void {
  const b = String.UTF8.encode(label + " " + r.toString() + "\n");
  write(1, changetype<u32>(b), <u32>b.byteLength);
}
export function probe(): void {
  const scratchBuf = new Uint8Array(256);
  const sb = changetype<u32>(scratchBuf.dataStart);
  const fifoPath = String.UTF8.encode("/tmp/pf");
  const fp = changetype<u32>(fifoPath), fl = <u32>fifoPath.byteLength;
  show("mkfifo", mkfifo(fp, fl, 0o644));
  // A write open with no reader: ENXIO (its clean-up wrote at kernel address 0).
  let r = open(fp, fl, O_WRONLY | O_NONBLOCK, 0);
  show("fifo-enxio", r >= 0 ? 0 : r);
  if (r >= 0) close(r);
  // Access mode 3 on a FIFO: EINVAL (it leaked the pipe and a phantom writer).
  r = open(fp, fl, 3 | O_NONBLOCK, 0);
  show("fifo-accmode3", r >= 0 ? 0 : r);
  if (r >= 0) close(r);
  show("unlink-fifo", unlink(fp, fl));
  // A spawn OPEN action whose path holds a NUL: EINVAL, nothing created.
  const prog = String.UTF8.encode("/bin/true");
  const bad = String.UTF8.encode("/tmp/pa\0b");
  const act = new Uint8Array(24);
  store<u32>(act.dataStart, 3); store<i32>(act.dataStart + 4, 0); store<i32>(act.dataStart + 8, 5);
  store<i32>(act.dataStart + 12, O_WRONLY | O_CREAT);
  store<u32>(act.dataStart + 16, changetype<u32>(bad)); store<u32>(act.dataStart + 20, <u32>bad.byteLength);
  r = spawn(changetype<u32>(prog), <u32>prog.byteLength, 0, 0, 0, 0, changetype<u32>(act.dataStart), 1, 0, 0);
  show("spawn-action-nul", r > 0 ? 0 : r);
  if (r > 0) waitpid(r, sb, 0);
  const dir = String.UTF8.encode("/tmp");
  const d = open(changetype<u32>(dir), <u32>dir.byteLength, O_DIRECTORY, 0);
  const names = new Array<Uint8Array>();
  listDir(Uint8Array.wrap(String.UTF8.encode("/tmp")), names);
  let pa = 0;
  for (let i = 0; i < names.length; i++) if (names[i].length >= 2 && names[i][0] == 0x70 && names[i][1] == 0x61) pa++;
  show("tmp-pa-entries", pa);
  // WASI paths: relative to what fd 3 is now, not to its number.
  const made = String.UTF8.encode("made");
  show("wasi-root-stat", path_filestat_get(3, 0, changetype<u32>(dir) + 1, 3, sb));   // "tmp"
  dup2(d, 3);                                                     // fd 3: /tmp now
  show("wasi-after-dup2", path_create_directory(3, changetype<u32>(made), 4));
  const rootMade = String.UTF8.encode("/made");
  show("stat-root-made", stat(changetype<u32>(rootMade), <u32>rootMade.byteLength, sb));
  const tmpMade = String.UTF8.encode("/tmp/made");
  show("rmdir-tmp-made", rmdir(changetype<u32>(tmpMade), <u32>tmpMade.byteLength));   // made in /tmp
  close(3);
  show("wasi-after-close", path_create_directory(3, changetype<u32>(made), 4));
  show("prestat-after-close", fd_prestat_get(3, sb));
  show("stat-root-made-2", stat(changetype<u32>(rootMade), <u32>rootMade.byteLength, sb));
  close(d);
  // rename onto "." or ".." of an empty directory: EBUSY, as Linux (it
  // replaced nothing and linked the source under the name ".", where no walk
  // finds it: the tree leaked, and a walk of getdents names recursed for ever).
  const ra = String.UTF8.encode("/tmp/ra"), rb = String.UTF8.encode("/tmp/rb");
  const rbDot = String.UTF8.encode("/tmp/rb/."), rbDotDot = String.UTF8.encode("/tmp/rb/..");
  mkdir(changetype<u32>(ra), <u32>ra.byteLength, 0o755);
  mkdir(changetype<u32>(rb), <u32>rb.byteLength, 0o755);
  show("rename-to-dot", rename(changetype<u32>(ra), <u32>ra.byteLength, changetype<u32>(rbDot), <u32>rbDot.byteLength));
  show("rename-to-dotdot", rename(changetype<u32>(ra), <u32>ra.byteLength, changetype<u32>(rbDotDot), <u32>rbDotDot.byteLength));
  show("rename-from-dot", rename(changetype<u32>(rbDot), <u32>rbDot.byteLength, changetype<u32>(ra), <u32>ra.byteLength));
  show("rmdir-ra", rmdir(changetype<u32>(ra), <u32>ra.byteLength));
  show("rmdir-rb", rmdir(changetype<u32>(rb), <u32>rb.byteLength));
  // A directory's link count, as Linux: 2 + its subdirectories, kept by a
  // rename. A rename used to set it to 2 whatever it held, so removing the
  // subdirectories took it to 0 while it was still linked, and the next stat
  // freed it (its memory, reused as a pipe, was still in the tree: the
  // fuzzer's kernel fault in wakeAll, and the subtree leaked).
  const nd = bytesOf("/tmp/nd"), ne = bytesOf("/tmp/ne");
  const ne1 = bytesOf("/tmp/ne/s1"), ne2 = bytesOf("/tmp/ne/s2"), nd1 = bytesOf("/tmp/nd/s1"), nd2 = bytesOf("/tmp/nd/s2");
  const nef = bytesOf("/tmp/ne/f");
  mkdir(ptrOf(nd), lenOf(nd), 0o755);
  show("nlink-new-dir", nlinkOf(nd, sb));
  mkdir(ptrOf(nd1), lenOf(nd1), 0o755);
  mkdir(ptrOf(nd2), lenOf(nd2), 0o755);
  show("nlink-two-subdirs", nlinkOf(nd, sb));
  show("rename-dir", rename(ptrOf(nd), lenOf(nd), ptrOf(ne), lenOf(ne)));
  show("nlink-renamed", nlinkOf(ne, sb));
  show("nlink-subdir-renamed", nlinkOf(ne1, sb));
  rmdir(ptrOf(ne1), lenOf(ne1));
  rmdir(ptrOf(ne2), lenOf(ne2));
  show("nlink-emptied", nlinkOf(ne, sb));
  show("nlink-emptied-again", nlinkOf(ne, sb));   // the first stat's put freed it
  show("mkfifo-in-renamed", mkfifo(ptrOf(nef), lenOf(nef), 0o644));
  show("unlink-in-renamed", unlink(ptrOf(nef), lenOf(nef)));
  show("rmdir-renamed", rmdir(ptrOf(ne), lenOf(ne)));
  show("stat-removed", nlinkOf(ne, sb));
}
function bytesOf(s: string): ArrayBuffer { return String.UTF8.encode(s); }
function ptrOf(b: ArrayBuffer): u32 { return changetype<u32>(b); }
function lenOf(b: ArrayBuffer): u32 { return <u32>b.byteLength; }
/** st_nlink of a path (the stat record's u32 at 20), or -errno. */
function nlinkOf(path: ArrayBuffer, sb: u32): i64 {
  const r = stat(ptrOf(path), lenOf(path), sb);
  return r < 0 ? <i64>r : <i64>load<u32>(sb + 20);
}
