// The guest library plus a small readFile_ helper for the test guests.
export * from "../../../programs/lib";
import { open, close, read, O_RDONLY } from "../../../programs/lib";

/** The whole file as a string ("<-errno>" if it cannot be opened). */
export function readFile_(path: string): string {
  let fd = open(path, O_RDONLY);
  if (fd < 0) return "<" + fd.toString() + ">";
  let buf = new Uint8Array(65536);
  let s = "";
  while (true) {
    let n = read(fd, buf);
    if (n <= 0) break;
    s += String.UTF8.decodeUnsafe(buf.dataStart, <usize>n);
  }
  close(fd);
  return s;
}
