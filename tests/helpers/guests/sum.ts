// sum: reads stdin to EOF and prints "<bytes> <fnv1a32 hex>\n".
import { exit, read, stdout, STDIN } from "../../../programs/lib";

let buf = new Uint8Array(65536);
let count: i64 = 0;
let h: u32 = 0x811c9dc5;
while (true) {
  let n = read(STDIN, buf);
  if (n < 0) { stdout.line("read-error " + n.toString()); exit(3); }
  if (n == 0) break;
  for (let j = 0; j < n; j++) {
    h ^= <u32>unchecked(buf[j]);
    h = h * 16777619;
  }
  count += n;
}
stdout.line(count.toString() + " " + h.toString(16));
exit(0);
