// false: do nothing, unsuccessfully.
import { exit } from "../lib";

exit(1);
