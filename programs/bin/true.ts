// true: do nothing, successfully.
import { exit } from "../lib";

exit(0);
