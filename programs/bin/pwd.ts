// pwd: print the current directory.
import { exit, stdout, complain, getcwd } from "../lib";

let cwd = getcwd();
if (cwd === null) {
  complain("pwd", "cannot determine the current directory");
  exit(1);
}
stdout.line(cwd!);
exit(0);
