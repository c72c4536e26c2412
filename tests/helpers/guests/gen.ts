// gen N [seed]: writes N bytes of a deterministic pattern to stdout,
//   byte(i) = (i ^ (i >> 9) ^ (i >> 17) ^ seed) & 255,
// in 64 KiB writes. Exit 0 when all were written, 1 on a write error.
import { args, exit, writeRange, STDOUT } from "../../../programs/lib";

let a = args();
let total = a.length > 1 ? I64.parseInt(a[1], 10) : 0;
let seed = a.length > 2 ? <u32>I32.parseInt(a[2], 10) : 0;
let buf = new Uint8Array(65536);
let off: i64 = 0;
while (off < total) {
  let n = <i32>min<i64>(65536, total - off);
  for (let j = 0; j < n; j++) {
    let i = <u32>(off + j);
    unchecked(buf[j] = <u8>((i ^ (i >> 9) ^ (i >> 17) ^ seed) & 255));
  }
  if (writeRange(STDOUT, buf, 0, n) != n) exit(1);
  off += n;
}
exit(0);
