// echo [-n] [string...]: print the arguments separated by spaces.
import { args, stdout, exit } from "../lib";

let argv = args();
let first = 1;
let newline = true;
if (argv.length > 1 && argv[1] == "-n") {
  newline = false;
  first = 2;
}
stdout.print(argv.slice(first).join(" "));
if (newline) stdout.print("\n");
exit(stdout.failed ? 1 : 0);
