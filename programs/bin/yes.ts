// yes [string...]: print the arguments (default "y") forever, until the
// reader goes away.
import { args, exit, writeRange, encode, STDOUT, IO_BUFFER_SIZE } from "../lib";

let argv = args();
let line = encode((argv.length > 1 ? argv.slice(1).join(" ") : "y") + "\n");

// Fill a large buffer with whole copies of the line so that each write
// moves many lines at once.
let copies = max(1, IO_BUFFER_SIZE / line.length);
let buffer = new Uint8Array(copies * line.length);
for (let i = 0; i < copies; i++) buffer.set(line, i * line.length);

while (writeRange(STDOUT, buffer, 0, buffer.length) >= 0) {}
exit(1);
