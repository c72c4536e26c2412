// ls [-la1] [path...]: list directory contents, sorted by name. -l adds
// type and permissions, link count, owner, group and size; -a includes
// names starting with ".".
import {
  exit, stdout, complainErrno, stat, Stat, readDir, DirEntry, joinPath,
  parseOptions, padLeft, S_IFMT, S_IFDIR, S_IFIFO, S_IFCHR, S_IFSOCK,
} from "../lib";

const PROG = "ls";

let options = parseOptions(PROG, "la1", null, 2);
let longFormat = options.has("l");
let showHidden = options.has("a");

/** "drwxr-xr-x" from a st_mode. */
function modeString(mode: u32): string {
  let type = mode & S_IFMT;
  let s = type == S_IFDIR ? "d" : type == S_IFIFO ? "p" : type == S_IFCHR ? "c" : type == S_IFSOCK ? "s" : "-";
  const letters = "rwxrwxrwx";
  for (let bit = 8; bit >= 0; bit--) {
    s += (mode & (1 << bit)) != 0 ? letters.charAt(8 - bit) : "-";
  }
  return s;
}

function printEntry(name: string, path: string): void {
  if (!longFormat) {
    stdout.line(name);
    return;
  }
  let st = new Stat();
  let err = stat(path, st);
  if (err < 0) {
    complainErrno(PROG, path, err);
    return;
  }
  stdout.line(
    modeString(st.mode) + " " + padLeft(st.nlink.toString(), 2) + " " +
    st.uid.toString() + " " + st.gid.toString() + " " +
    padLeft(st.size.toString(), 8) + " " + name,
  );
}

function compareNames(a: DirEntry, b: DirEntry): i32 {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Lists one directory; false after reporting an error. */
function listDirectory(dir: string): bool {
  let entries = new Array<DirEntry>();
  let err = readDir(dir, entries);
  if (err < 0) {
    complainErrno(PROG, dir, err);
    return false;
  }
  entries.sort(compareNames);
  for (let i = 0; i < entries.length; i++) {
    let name = entries[i].name;
    if (!showHidden && name.startsWith(".")) continue;
    printEntry(name, joinPath(dir, name));
  }
  return true;
}

// As ls does: files named on the command line first, then each directory
// (with a heading when there is more than one operand).
let operands = options.operands.length > 0 ? options.operands : ["."];
operands.sort();
let ok = true;
let directories = new Array<string>();
for (let i = 0; i < operands.length; i++) {
  let st = new Stat();
  let err = stat(operands[i], st);
  if (err < 0) {
    complainErrno(PROG, operands[i], err);
    ok = false;
  } else if (st.isDir) {
    directories.push(operands[i]);
  } else {
    printEntry(operands[i], operands[i]);
  }
}
let needHeadings = operands.length > 1;
for (let i = 0; i < directories.length; i++) {
  if (needHeadings) {
    if (i > 0 || directories.length < operands.length) stdout.line();
    stdout.line(directories[i] + ":");
  }
  if (!listDirectory(directories[i])) ok = false;
}
exit(ok ? 0 : 2);
