// id [-u | -g | -G] [-n] [-r]: the caller's user and group ids, as coreutils
// prints them: "uid=1000 gid=1000 groups=1000", names in parentheses where
// there is one (wasmux knows only root, id 0), euid=/egid= when an
// effective id differs from the real one. A process has no supplementary
// groups, so the group list is the effective gid alone (as coreutils lists
// it first). No user operand: there is no user database.
import { exit, stdout, complain, parseOptions, getuid, geteuid, getgid, getegid } from "../lib";

const PROG = "id";

function name(id: i32): string | null { return id == 0 ? "root" : null; }

function show(id: i32): string {
  const n = name(id);
  return n === null ? id.toString() : id.toString() + "(" + n + ")";
}

const o = parseOptions(PROG, "ugGnr");
if (o.operands.length > 0) {
  complain(PROG, "'" + o.operands[0] + "': no such user");
  exit(1);
}
const one = (o.has("u") ? 1 : 0) + (o.has("g") ? 1 : 0) + (o.has("G") ? 1 : 0);
if (one > 1) { complain(PROG, "cannot print \"only\" of more than one choice"); exit(1); }
if (one == 0 && (o.has("n") || o.has("r"))) { complain(PROG, "cannot print only names or real IDs in default format"); exit(1); }

if (one == 0) {
  const uid = getuid(), euid = geteuid(), gid = getgid(), egid = getegid();
  let line = "uid=" + show(uid) + " gid=" + show(gid);
  if (euid != uid) line += " euid=" + show(euid);
  if (egid != gid) line += " egid=" + show(egid);
  stdout.line(line + " groups=" + show(egid));
  exit(0);
}
const id = o.has("u") ? (o.has("r") ? getuid() : geteuid()) : (o.has("r") ? getgid() : getegid());
if (!o.has("n")) { stdout.line(id.toString()); exit(0); }
const n = name(id);
if (n !== null) { stdout.line(n!); exit(0); }
complain(PROG, "cannot find name for " + (o.has("u") ? "user" : "group") + " ID " + id.toString());
stdout.line(id.toString());
exit(1);
